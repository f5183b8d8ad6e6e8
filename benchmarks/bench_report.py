"""Benchmark: `pat report` to HTML for a national programme against one partnership.

Run with `.venv/bin/python benchmarks/bench_report.py [--large N] [--small N]`.
Charts are drawn from aggregated frames, so a report of 10,000 respondents should cost at
most 3x the time of one of 50, and its HTML be no more than 20% larger. Prints figures;
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PAT, Run, generate_odpm, measure

TIME_TARGET = 3.0
SIZE_TARGET = 1.2


def report_run(folder: Path, respondents: int, repeat: int) -> tuple[Run, int]:
    source = generate_odpm(folder / f"answers-{respondents}.csv", respondents)
    output = folder / f"report-{respondents}.html"
    command = [PAT, "report", "pat-odpm", str(source), "--by", "organisation", "--by",
               "level", "-o", str(output)]  # fmt: skip
    run = measure(command, repeat)
    return run, output.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        small, small_size = report_run(folder, args.small, args.repeat)
        large, large_size = report_run(folder, args.large, args.repeat)
    for label, run, size in ((args.small, small, small_size), (args.large, large, large_size)):
        print(f"pat report --format html, {label:>7,} respondents: {run.seconds:6.2f} s "
              f"{run.peak_mib:6.0f} MiB  HTML {size / 1024:7.1f} KiB")  # fmt: skip
    print(
        f"ratio {args.large:,} / {args.small:,}: time {large.seconds / small.seconds:.2f}x "
        f"(target {TIME_TARGET:g}x), HTML size {large_size / small_size:.2f}x "
        f"(target {SIZE_TARGET:g}x), memory {large.peak_mib / small.peak_mib:.2f}x"
    )


if __name__ == "__main__":
    main()
