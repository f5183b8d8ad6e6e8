"""Benchmark: a refresh of the live results dashboard (`GET /f/c/NAME/live.json`, what the
page's script asks for every 5 s) over the sample workshop's four instruments
(examples/workshop/anytown.toml), for 50, 500 and 5,000 submitted respondents.

Cold: a submitted respondent has just changed an answer, so the whole analysis is worked
out again (every instrument read, scored, analysed as `pat report` does, its main chart
drawn: the drawing cache is emptied first, as a new batch usually changes the chart).
Warm: nothing new since the last refresh (two small queries, the page part rendered).
Cold and warm runs take turns, so that their ratio compares runs under the same load.
Prints the median and the range (min–max) of each, the cold/warm ratio, and how each grows
from one size to the next. The answers are made on the fly in a temporary SQLite database
(never kept): random answers with a per-respondent leaning, as the other benchmarks make.

Run with `make bench` or `.venv/bin/python benchmarks/bench_serve_live.py [--repeat N]
[--sizes 50,500,5000]`. Target on 2 cores: a warm refresh under 100 ms at 5,000, and a cold
one at 500 within one poll (5 s).
"""

from __future__ import annotations

import argparse
import itertools
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKSHOP = ROOT / "examples/workshop/anytown.toml"
PASSWORD = "benchmark password"


def populate(store: object, collection: object, registry: object, size: int) -> list[int]:
    """`size` respondents who answered every statement of every instrument and submitted,
    written in bulk (one history row per answer, as `Store.save` writes); their ids."""
    import numpy as np
    import sqlalchemy as sa

    from pat_framework.serve import schema
    from pat_framework.serve.keys import token_hash
    from pat_framework.serve.storage import Collection, Store, now

    assert isinstance(store, Store) and isinstance(collection, Collection)
    rng = np.random.default_rng(size)
    moment = now()
    people = [
        {
            "collection_id": collection.id,
            "code": secrets.token_hex(6).upper(),
            "token_hash": token_hash(secrets.token_urlsafe(16)),
            "via": "invitation",
            "organisation": collection.organisations[k % len(collection.organisations)],
            "level": collection.levels[(k // 3) % len(collection.levels)],
            "created_at": moment,
            "first_seen_at": moment,
            "submitted_at": moment,
        }
        for k in range(size)
    ]
    r = schema.respondents.c
    with store.writing() as connection:
        connection.execute(sa.insert(schema.respondents), people)
        ids = list(connection.scalars(sa.select(r.id).where(r.collection_id == collection.id)))
    leaning = rng.normal(0.35, 0.2, size=len(ids))
    answers, events = [], []
    for ident in collection.instruments:
        for item in registry.instrument(ident).items:  # type: ignore[attr-defined]
            labels = [o.label for o in item.scale.options]
            picks = np.clip(rng.normal(leaning, 0.3) * len(labels), 0, len(labels) - 1)
            for who, pick in zip(ids, picks.astype(int), strict=True):
                row = {"respondent_id": who, "instrument_id": ident, "item_id": item.id}
                answers.append({**row, "answer": labels[pick], "updated_at": moment})
                events.append({**row, "field": "answer", "value": labels[pick],
                               "saved_at": moment})  # fmt: skip
    with store.writing() as connection:
        connection.execute(sa.insert(schema.answers), answers)
        connection.execute(sa.insert(schema.answer_events), events)
    return ids


def timed(client: object, path: str) -> float:
    start = time.perf_counter()
    reply = client.get(path)  # type: ignore[attr-defined]
    seconds = time.perf_counter() - start
    if reply.status_code != 200 or "version" not in reply.json():
        raise SystemExit(f"{path}: {reply.status_code} {reply.text[:300]}")
    return seconds


def spread(values: list[float], unit: float = 1000.0) -> str:
    """'12.3 ms (11.0–15.2)': the median and the range, in milliseconds."""
    return (
        f"{statistics.median(values) * unit:8.1f} ms "
        f"({min(values) * unit:.1f}–{max(values) * unit:.1f})"
    )


def ratio(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}x ({min(values):.1f}–{max(values):.1f})"


def bench(size: int, repeat: int, folder: Path) -> tuple[list[float], list[float]]:
    """Cold and warm refresh times of one size, in turns."""
    from starlette.testclient import TestClient

    from pat_framework.charts import export
    from pat_framework.runtime.registry import build_registry
    from pat_framework.serve import facilitators
    from pat_framework.serve.app import build_app, load_instruments
    from pat_framework.serve.collections import Opening, open_collection
    from pat_framework.serve.storage import Store

    registry = build_registry()
    store = Store(f"sqlite:///{folder / f'live-{size}.db'}")
    store.migrate()
    collection = open_collection(registry, store, Opening(str(WORKSHOP), name="anytown"))
    ids = populate(store, collection, registry, size)
    facilitators.add_account(store, "bench", PASSWORD, [], True)
    app = build_app(store, load_instruments([collection]))
    client = TestClient(app)
    page = client.get("/f/sign-in")
    csrf = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    client.post("/f/sign-in", data={"csrf": csrf, "name": "bench", "password": PASSWORD})
    path = "/f/c/anytown/live.json"
    first = timed(client, path)  # plugins loaded, vl-convert started: once per process
    cold, warm = [], []
    item = registry.instrument("pat-odpm").items[0]
    labels = [o.label for o in item.scale.options]
    for k in range(repeat):
        # A submitted respondent changes an answer: the results must be worked out again.
        store.save(ids[k % len(ids)], "pat-odpm", item.id, "answer", labels[k % len(labels)])
        export._svg.cache_clear()
        cold.append(timed(client, path))
        warm.append(timed(client, path))
    store.close()
    print(
        f"{size:>6} respondents  first {first * 1000:8.1f} ms  cold {spread(cold)}  "
        f"warm {spread(warm)}  cold/warm {ratio([c / w for c, w in zip(cold, warm, strict=True)])}"
    )
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=7, help="cold and warm runs per size")
    parser.add_argument("--sizes", default="50,500,5000", help="respondents, comma-separated")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",")]
    print(f"Live dashboard refresh, {WORKSHOP.name} (4 instruments), SQLite, "
          f"{options.repeat} runs each; load average {os.getloadavg()[0]:.2f}")  # fmt: skip
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            results[size] = bench(size, options.repeat, Path(folder))
    for small, large in itertools.pairwise(sizes):
        for name, index in (("cold", 0), ("warm", 1)):
            grown = statistics.median(results[large][index]) / statistics.median(
                results[small][index]
            )
            print(f"  {name} {small} → {large} respondents: {grown:.2f}x the time")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    sys.exit(main())
