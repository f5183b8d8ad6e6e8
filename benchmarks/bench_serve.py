"""Benchmark: `pat serve` under load on loopback, SQLite and PostgreSQL, and a kill -9.

300 simulated respondents (one HTTP client each, all at once) open their invitation, say
who they are and save all 43 ODPM answers through the page script's endpoint `/r/save`.
Prints answers per second, the median and 95th-percentile time to save one answer, and
answers acknowledged against answers stored (must be equal). Then the same with the
server killed (SIGKILL) when half the answers are in and started again: respondents whose
save failed send it again, as the page asks them to; nothing acknowledged may be missing.

Run with `make bench` or `.venv/bin/python benchmarks/bench_serve.py [--respondents N]`.
PostgreSQL is used when PAT_BENCH_POSTGRES_URL (or PAT_TEST_POSTGRES_URL) names a database;
its tables are emptied first. Each respondent waits --think seconds (on average) between
answers, as a person reading statements does; --think 0 measures the server flat out.
Target on 2 cores:
p95 under 200 ms with SQLite; none lost.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx2 as httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ITEMS, PAT

ANSWERS = {item: ("Strongly agree", "Agree", "Disagree")[k % 3] for k, item in enumerate(ITEMS)}
ANSWERS.update({f"W{p}": "3" for p in range(1, 7)} | {"S1": "Agree"})
PAGE_OF = {
    item: int(item[1]) if item[0] == "P" else (7 if item[0] == "W" else 8) for item in ANSWERS
}
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """`pat serve` in its own process; started again on the same database after a kill."""

    def __init__(self, db: str, invites: int) -> None:
        self.db, self.port = db, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.links = self.start(invites)

    def start(self, invites: int = 0) -> list[str]:
        command = [PAT, "serve", "pat-odpm", "--db", self.db, "--port", str(self.port)]
        command += ["--organisation", "Council", "--level", "board", "--invite", str(invites)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        links = []
        for line in self.process.stdout:
            if "invitation:" in line:
                links.append(line.split("/i/")[-1].strip())
            if "serving on" in line:
                break
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return links
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the server did not start")

    def kill(self) -> None:
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


class Load:
    def __init__(self, server: Server, kill_at: int | None, think: float) -> None:
        self.server, self.kill_at, self.think = server, kill_at, think
        self.times: list[float] = []
        self.acknowledged: dict[tuple[str, str], str] = {}
        self.failed_saves = 0
        self.killed = asyncio.Event()
        self.back = asyncio.Event()

    async def respondent(self, token: str) -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=self.server.base, limits=limits, timeout=30) as c:
            csrf = await self.enter(c, token)
            for item, value in ANSWERS.items():
                await asyncio.sleep(random.uniform(0.5, 1.5) * self.think)
                data = {"csrf": csrf, "page": str(PAGE_OF[item]), "name": f"answer-{item}",
                        "value": value}  # fmt: skip
                while True:
                    start = time.perf_counter()
                    try:
                        response = await c.post("/r/save", data=data)
                        ok = response.status_code == 200 and response.json().get("saved")
                    except httpx.HTTPError:
                        ok = False
                    if ok:
                        self.times.append(time.perf_counter() - start)
                        self.acknowledged[(token, item)] = value
                        await self.maybe_kill()
                        break
                    self.failed_saves += 1
                    await self.back.wait() if self.killed.is_set() else asyncio.sleep(0.05)

    async def enter(self, client: httpx.AsyncClient, token: str) -> str:
        while True:
            try:
                await client.get(f"/i/{token}")
                about = await client.get("/r/about")
                csrf = CSRF.search(about.text)
                assert csrf is not None
                await client.post(
                    "/r/about",
                    data={"csrf": csrf.group(1), "organisation": "Council", "level": "board"},
                )
                return csrf.group(1)
            except httpx.HTTPError:
                await self.back.wait()

    async def maybe_kill(self) -> None:
        due = self.kill_at is not None and len(self.acknowledged) >= self.kill_at
        if due and not self.killed.is_set():
            self.killed.set()
            self.server.kill()
            await asyncio.to_thread(self.server.start)
            self.back.set()

    async def run(self, tokens: list[str]) -> float:
        start = time.perf_counter()
        await asyncio.gather(*(self.respondent(t) for t in tokens))
        return time.perf_counter() - start


def stored(db: str) -> dict[tuple[str, str], str]:
    import sqlalchemy as sa

    from pat_framework.serve import schema
    from pat_framework.serve.storage import Store

    store = Store(db)
    r, a = schema.respondents.c, schema.answers.c
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.select(r.token_hash, a.item_id, a.answer).join(
                schema.answers, a.respondent_id == r.id
            )
        ).all()
    store.close()
    return {(row.token_hash, row.item_id): row.answer for row in rows}


def empty_postgres(url: str) -> None:
    import sqlalchemy as sa

    from pat_framework.serve.storage import engine_url

    engine = sa.create_engine(engine_url(url))
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()


def one(name: str, db: str, respondents: int, kill: bool, think: float) -> bool:
    from pat_framework.serve.storage import token_hash

    server = Server(db, respondents)
    load = Load(server, respondents * len(ANSWERS) // 2 if kill else None, think)
    seconds = asyncio.run(load.run(server.links))
    server.stop()
    kept = stored(db)
    acknowledged = {(token_hash(t), i): v for (t, i), v in load.acknowledged.items()}
    lost = [key for key, value in acknowledged.items() if kept.get(key) != value]
    times = sorted(load.times)
    p95 = times[int(0.95 * (len(times) - 1))]
    label = f"{name}{' + kill -9' if kill else ''}"
    median = statistics.median(times) * 1000
    print(
        f"{label:<22} {len(times) / seconds:5.0f} answers/s  median {median:6.1f} ms"
        f"  p95 {p95 * 1000:6.1f} ms  acknowledged {len(acknowledged)}  stored {len(kept)}"
        f"  lost {len(lost)}"
        + (f"  (saves refused while down, sent again: {load.failed_saves})" if kill else "")
    )
    return not lost and len(kept) == len(acknowledged)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=300)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds between a respondent's answers"
    )
    args = parser.parse_args()
    postgres = os.environ.get("PAT_BENCH_POSTGRES_URL") or os.environ.get("PAT_TEST_POSTGRES_URL")
    print(
        f"{args.respondents} respondents x {len(ANSWERS)} answers at once, on loopback, "
        f"{args.think:g} s between a respondent's answers"
    )
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        for kill in (False, True):
            sqlite = f"sqlite:///{Path(folder) / f'bench-{kill}.db'}"
            ok &= one("SQLite", sqlite, args.respondents, kill, args.think)
            if postgres:
                empty_postgres(postgres)
                ok &= one("PostgreSQL", postgres, args.respondents, kill, args.think)
    if not postgres:
        print("PostgreSQL: skipped (set PAT_BENCH_POSTGRES_URL)")
    if not ok:
        raise SystemExit("answers were lost")


if __name__ == "__main__":
    main()
