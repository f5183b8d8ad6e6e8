"""Benchmark: start-up, and `pat score` against the pandas, polars and DuckDB floors.

Run with `make bench` or `.venv/bin/python benchmarks/bench_score.py [--sizes 100000 1000000]`
(polars and DuckDB with `pip install -e '.[bench]'`). Every figure is a paired ratio: the
commands compared are run in the same rounds, and each ratio is given as its median with
its range over the rounds. Targets (issue 17): at 1M respondents `pat score -o csv` at most
1.5x the polars script's CPU time and at most its peak memory; `-o json` under 2x the CSV
path's peak and within 3x its time; the cost per respondent flat from 10k to 3M;
`pat --help` at most 1.2x `import click, pluggy`; `pat instruments` and `pat show` at most
1.3x `pat --help`. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PAT, compare, describe, floors, generated, paired

HELP_TARGET, LISTING_TARGET = 1.2, 1.3
CPU_TARGET, JSON_TIME_TARGET, JSON_PEAK_TARGET = 1.5, 3.0, 2.0


def compile_bytecode() -> None:
    """Write pat's bytecode first, as `pip install` does; an editable install (or
    PYTHONDONTWRITEBYTECODE) would otherwise time the compiling of every module."""
    import compileall
    import importlib

    for package in ("pat_framework", "pat_odpm", "governance_matrix", "review_questions"):
        folder = Path(importlib.import_module(package).__file__).parent
        compileall.compile_dir(folder, quiet=1)


def startup(repeat: int) -> None:
    compile_bytecode()
    runs = paired(
        {
            "click+pluggy": [sys.executable, "-c", "import click, pluggy"],
            "pat --help": [PAT, "--help"],
            "pat instruments": [PAT, "instruments"],
            "pat show pat-odpm": [PAT, "show", "pat-odpm"],
        },
        repeat,
    )
    print(f"start-up ({repeat} paired rounds):")
    for name, found in runs.items():
        describe(name, found)
    compare("pat --help", runs["pat --help"], runs["click+pluggy"], "import click, pluggy")
    print(f"    target {HELP_TARGET}x wall")
    for name in ("pat instruments", "pat show pat-odpm"):
        compare(name, runs[name], runs["pat --help"], "pat --help")
    print(f"    target {LISTING_TARGET}x wall")


def scoring(respondents: int, repeat: int, json_too: bool) -> float:
    """Paired runs at one size; returns pat's median CPU seconds."""
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
        score = [PAT, "score", "pat-odpm", str(source), "--round", "all", "-o"]
        commands["pat score -o csv"] = [*score, str(folder / "scores.csv")]
        if json_too:
            commands["pat score -o json"] = [*score, str(folder / "scores.json")]
        runs = paired(commands, repeat)
        for name, found in runs.items():
            describe(name, found)
        pat = runs["pat score -o csv"]
        for floor in [n for n in runs if not n.startswith("pat")]:
            compare("pat score -o csv", pat, runs[floor], floor)
        if "polars" in runs:
            print(f"    target vs polars: CPU {CPU_TARGET}x, peak 1.0x")
        if json_too:
            compare("pat score -o json", runs["pat score -o json"], pat, "pat score -o csv")
            print(f"    target: wall {JSON_TIME_TARGET}x, peak under {JSON_PEAK_TARGET}x")
        cpu = statistics.median(r.cpu for r in pat)
        print(f"  pat score -o csv: {cpu / respondents * 1e6:.2f} CPU s per million respondents")
        return cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json-at", type=int, default=1_000_000, help="size to time -o json at")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    startup(max(args.repeat, 15))
    cpu = {n: scoring(n, args.repeat, n == args.json_at) for n in args.sizes}
    print("\nCPU s per million respondents; beyond the smallest size, the cost of the extra")
    print("respondents alone (start-up left out), flat when the cost is linear:")
    first = min(cpu)
    for n, seconds in cpu.items():
        extra = (seconds - cpu[first]) / (n - first) * 1e6 if n > first else float("nan")
        print(f"  {n:>10,}: {seconds / n * 1e6:7.2f} overall, {extra:5.2f} for the extra")


if __name__ == "__main__":
    main()
