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
answers: the default 1 s is several times faster than a person reading statements
(--think 5 is closer to one), --think 0 measures the server flat out. The load average of
the machine is printed with each run: the client shares the server's cores.
Target on 2 cores: p95 under 200 ms with SQLite; none lost.
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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

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
        self.cpu = 0.0
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

    def used(self) -> float:
        """CPU seconds the running server process has used (Linux)."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def kill(self) -> None:
        self.cpu += self.used()
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        self.cpu += self.used()
        self.process.terminate()
        self.process.wait(timeout=20)


class Saver:
    """A respondent's saves on one kept-alive connection, as the page's script sends them.
    Plain HTTP/1.1 over asyncio streams: a full HTTP client costs several times the
    server's work per request, and it shares the same 2 cores."""

    def __init__(self, port: int, cookie: str) -> None:
        self.port = port
        self.head = (
            f"POST /r/save HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: {cookie}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: "
        )
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def save(self, body: str) -> bool:
        """True when the server answered 200 with `saved`; False on any failure."""
        try:
            if self.streams is None:
                self.streams = await asyncio.open_connection("127.0.0.1", self.port)
            reader, writer = self.streams
            writer.write(f"{self.head}{len(body)}\r\n\r\n{body}".encode())
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
            length = int(head.split("content-length:", 1)[1].split("\r\n", 1)[0])
            reply = await reader.readexactly(length)
            return head.startswith("http/1.1 200") and b'"saved":true' in reply
        except (OSError, asyncio.IncompleteReadError, IndexError, ValueError):
            self.close()
            return False

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


class Load:
    def __init__(self, server: Server, kill_at: int | None, think: float) -> None:
        self.server, self.kill_at, self.think = server, kill_at, think
        self.times: list[float] = []
        self.acknowledged: dict[tuple[str, str], str] = {}
        self.failed_saves = 0
        self.failed_entries = 0
        self.killed = asyncio.Event()
        self.back = asyncio.Event()

    async def respondent(self, token: str) -> None:
        limits = httpx.Limits(max_connections=1)
        async with httpx.AsyncClient(base_url=self.server.base, limits=limits, timeout=30) as c:
            csrf = await self.enter(c, token)
            cookie = "; ".join(f"{name}={value}" for name, value in c.cookies.items())
        saver = Saver(self.server.port, cookie)
        for item, value in ANSWERS.items():
            await asyncio.sleep(random.uniform(0.5, 1.5) * self.think)
            body = urlencode({"csrf": csrf, "page": PAGE_OF[item], "name": f"answer-{item}",
                              "value": value})  # fmt: skip
            while True:
                start = time.perf_counter()
                if await saver.save(body):
                    self.times.append(time.perf_counter() - start)
                    self.acknowledged[(token, item)] = value
                    await self.maybe_kill()
                    break
                self.failed_saves += 1
                await (self.back.wait() if self.killed.is_set() else asyncio.sleep(0.05))
        saver.close()

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
                # Refused or timed out under load, or the server is down: try again.
                self.failed_entries += 1
                await (self.back.wait() if self.killed.is_set() else asyncio.sleep(0.2))

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


def one(name: str, db: str, respondents: int, kill: bool, think: float) -> Run:
    from pat_framework.serve.storage import token_hash

    server = Server(db, respondents)
    load = Load(server, respondents * len(ANSWERS) // 2 if kill else None, think)
    client_cpu = time.process_time()
    seconds = asyncio.run(load.run(server.links))
    client_cpu = time.process_time() - client_cpu
    server.stop()
    kept = stored(db)
    acknowledged = {(token_hash(t), i): v for (t, i), v in load.acknowledged.items()}
    lost = [key for key, value in acknowledged.items() if kept.get(key) != value]
    times = sorted(load.times)
    p95 = times[int(0.95 * (len(times) - 1))]
    label = f"{name}{' + kill -9' if kill else ''}"
    run = Run(len(times) / seconds, statistics.median(times) * 1000, p95 * 1000, len(lost))
    print(
        f"{label:<22} {run.rate:5.0f} answers/s  median {run.median:6.1f} ms"
        f"  p95 {run.p95:6.1f} ms  acknowledged {len(acknowledged)}  stored {len(kept)}"
        f"  lost {len(lost)}  CPU s: server {server.cpu:.0f} "
        f"({1000 * server.cpu / max(1, len(times)):.1f} ms an answer, start and entry included), "
        f"client {client_cpu:.0f}  load {os.getloadavg()[0]:.1f}"
        + (f"  (saves refused while down, sent again: {load.failed_saves})" if kill else "")
        + (f"  (entries tried again: {load.failed_entries})" if load.failed_entries else ""),
        flush=True,
    )
    if len(kept) != len(acknowledged):
        run = Run(run.rate, run.median, run.p95, max(run.lost, 1))
    return run


@dataclass(frozen=True)
class Run:
    """One run's figures: answers/s, median and p95 save in ms, answers lost."""

    rate: float
    median: float
    p95: float
    lost: int


def spread(label: str, runs: list[Run]) -> None:
    """The lowest and highest of each figure over the runs."""

    def span(values: list[float], unit: str) -> str:
        return f"{min(values):.0f}–{max(values):.0f}{unit}"

    print(
        f"{label:<22} {len(runs)} runs: {span([r.rate for r in runs], ' answers/s')}"
        f"  median {span([r.median for r in runs], ' ms')}"
        f"  p95 {span([r.p95 for r in runs], ' ms')}"
        f"  lost {sum(r.lost for r in runs)}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--respondents", type=int, default=300)
    parser.add_argument("--runs", type=int, default=1, help="runs of each configuration")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean seconds between a respondent's answers"
    )
    args = parser.parse_args()
    postgres = os.environ.get("PAT_BENCH_POSTGRES_URL") or os.environ.get("PAT_TEST_POSTGRES_URL")
    print(
        f"{args.respondents} respondents x {len(ANSWERS)} answers at once, on loopback, "
        f"{args.think:g} s between a respondent's answers"
    )
    results: dict[str, list[Run]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for k in range(args.runs):
            for kill in (False, True):
                sqlite = f"sqlite:///{Path(folder) / f'bench-{kill}-{k}.db'}"
                label = "SQLite + kill -9" if kill else "SQLite"
                results.setdefault(label, []).append(
                    one("SQLite", sqlite, args.respondents, kill, args.think)
                )
                if postgres:
                    empty_postgres(postgres)
                    label = "PostgreSQL + kill -9" if kill else "PostgreSQL"
                    results.setdefault(label, []).append(
                        one("PostgreSQL", postgres, args.respondents, kill, args.think)
                    )
    if not postgres:
        print("PostgreSQL: skipped (set PAT_BENCH_POSTGRES_URL)")
    if args.runs > 1:
        for label, runs in results.items():
            spread(label, runs)
    if any(run.lost for runs in results.values() for run in runs):
        raise SystemExit("answers were lost")


if __name__ == "__main__":
    main()
