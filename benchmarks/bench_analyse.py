"""Benchmark: `pat analyse` on a million respondents against a pandas floor.

Run with `.venv/bin/python benchmarks/bench_analyse.py [--respondents N] [--repeat R]`.
The floor reads the same CSV with pandas, totals the six principles and writes the totals.
Target: `pat analyse pat-odpm FILE --by organisation --by level --format json` within 2x the
floor's time and 2x its peak memory. Prints figures; asserts nothing.
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
from common import PAT, floor_command, generate_odpm, measure, report

TARGET = 2.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "answers.csv"
        start = time.perf_counter()
        generate_odpm(source, args.respondents)
        size = source.stat().st_size / 2**20
        print(
            f"generated {args.respondents:,} respondents ({size:.0f} MiB) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        floor = measure(floor_command(source, Path(folder) / "floor.csv"), args.repeat)
        output = Path(folder) / "out.json"
        command = [PAT, "analyse", "pat-odpm", str(source), "--by", "organisation",
                   "--by", "level", "--format", "json", "-o", str(output)]  # fmt: skip
        analysis = measure(command, args.repeat)
        document = json.loads(output.read_text(encoding="utf-8"))
        report("floor (pandas read+sum)", floor, floor)
        report("pat analyse --format json", analysis, floor)
        print(
            f"analysed {document['respondents']:,} respondents, "
            f"{len(document['items'])} statements, "
            f"{len(document['subgroups'])} breakdowns; output {output.stat().st_size:,} bytes"
        )
        print(f"targets: time {TARGET:.0f}x, memory {TARGET:.0f}x")


if __name__ == "__main__":
    main()
