"""Benchmark: `pat run` of the demo workshop against one 50-respondent report.

Run with `.venv/bin/python benchmarks/bench_run.py [--repeat R]`. The demo holds four
instruments (the ODPM tool's 50 respondents among them); the one report is `pat report` of
the demo's ODPM answers. Compared as HTML alone, and with every format each writes by
default (the workshop: HTML, Word, slides, workbook, JSON). Paired runs; each ratio is the
median with its range. Target (issue 17): at most 1.3x. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PAT, compare, describe, paired

ROOT = Path(__file__).resolve().parents[1]
WORKSHOP = ROOT / "examples" / "workshop" / "anytown.toml"
ODPM = ROOT / "examples" / "workshop" / "responses" / "odpm.csv"
TARGET = 1.3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        report = [PAT, "report", "pat-odpm", str(ODPM), "--by", "organisation", "--by", "level"]
        commands = {
            "pat report -o report.html": [*report, "-o", str(folder / "report.html")],
            "pat run -f html": [
                PAT,
                "run",
                str(WORKSHOP),
                "-o",
                str(folder / "html"),
                "-f",
                "html",
            ],
            "pat report -o report.docx": [*report, "-o", str(folder / "report.docx")],
            "pat run (its five formats)": [PAT, "run", str(WORKSHOP), "-o", str(folder / "all")],
        }
        runs = paired(commands, args.repeat)
    print(f"{args.repeat} paired rounds:")
    for label, found in runs.items():
        describe(label, found)
    compare("pat run -f html", runs["pat run -f html"], runs["pat report -o report.html"],
            "one report (HTML)")  # fmt: skip
    compare("pat run (five formats)", runs["pat run (its five formats)"],
            runs["pat report -o report.docx"], "one report (Word)")  # fmt: skip
    print(f"    target {TARGET:g}x")


if __name__ == "__main__":
    main()
