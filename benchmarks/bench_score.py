"""Benchmark: `pat --help` start-up, and `pat score` against a pandas floor.

Run with `make bench` or `.venv/bin/python benchmarks/bench_score.py [--respondents N]`.
Targets: start-up at most 1.5x `import click, pluggy`; scoring at most 1.5x the floor's time
and peak memory. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PAT, floor_command, generate_odpm, measure, report


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

    def median_time(command: list[str]) -> float:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    baseline = median_time([sys.executable, "-c", "import click, pluggy"])
    help_time = median_time([PAT, "--help"])
    print(
        f"start-up: pat --help {help_time * 1000:.0f} ms, import click, pluggy "
        f"{baseline * 1000:.0f} ms, ratio {help_time / baseline:.2f}x (target 1.5x)"
    )


def scoring(respondents: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "answers.csv"
        start = time.perf_counter()
        generate_odpm(source, respondents)
        size = source.stat().st_size / 2**20
        print(
            f"generated {respondents:,} respondents ({size:.0f} MiB) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        floor = measure(floor_command(source, Path(folder) / "floor.csv"), repeat)
        pat = measure(
            [
                PAT,
                "score",
                "pat-odpm",
                str(source),
                "--format",
                "csv",
                "-o",
                str(Path(folder) / "scores.csv"),
            ],
            repeat,
        )
        report("floor (pandas read+sum)", floor, floor)
        report("pat score --format csv", pat, floor)
        print("targets: time 1.5x, memory 1.5x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    startup(max(args.repeat, 11))
    scoring(args.respondents, args.repeat)


if __name__ == "__main__":
    main()
