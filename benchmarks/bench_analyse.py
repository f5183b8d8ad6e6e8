"""Benchmark: `pat analyse --by organisation --by level` against the pandas, polars and
DuckDB floors (the same read, sums and write).

Run with `.venv/bin/python benchmarks/bench_analyse.py [--sizes N …] [--repeat R]` (polars
and DuckDB with `pip install -e '.[bench]'`). Paired runs; each ratio is the median with
its range over the rounds. Target (issue 17): at 1M respondents at most 2x the polars
script. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PAT, compare, describe, floors, generated, paired

TARGET = 2.0


def analysing(respondents: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = folder / "answers.csv"
        start = time.perf_counter()
        generated(source, respondents)
        size = source.stat().st_size / 2**20
        print(
            f"\n{respondents:,} respondents ({size:.0f} MiB), generated in "
            f"{time.perf_counter() - start:.1f} s; {repeat} paired rounds:"
        )
        commands = floors(source, folder)
        output = folder / "out.json"
        commands["pat analyse"] = [PAT, "analyse", "pat-odpm", str(source), "--by",
                                   "organisation", "--by", "level", "--round", "all",
                                   "--format", "json", "-o", str(output)]  # fmt: skip
        runs = paired(commands, repeat)
        for label, found in runs.items():
            describe(label, found)
        for floor in [n for n in runs if n != "pat analyse"]:
            compare("pat analyse", runs["pat analyse"], runs[floor], floor)
        print(f"    target vs polars: {TARGET:g}x")
        document = json.loads(output.read_text(encoding="utf-8"))
        print(
            f"  analysed {document['respondents']:,} respondents, "
            f"{len(document['items'])} statements, {len(document['subgroups'])} breakdowns"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    for respondents in args.sizes:
        analysing(respondents, args.repeat)


if __name__ == "__main__":
    main()
