"""Benchmark: `pat score` on a 300,000-row workbook, against the same answers as CSV and
against pandas' own calamine reader (how pat read workbooks before `workbooks.py`).

Run with `make bench` or `.venv/bin/python benchmarks/bench_xlsx.py [--respondents N]`.
The workbook is written straight as SpreadsheetML (`common.write_xlsx`, as Excel lays one
out), in seconds where openpyxl takes minutes. Target (issue 19): 300,000 rows read and
scored well under a minute; the ratios show it on any machine. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PAT, generate_odpm, measure, report, write_xlsx

PANDAS_READ = """
import sys
import pandas as pd
pd.read_excel(sys.argv[1], dtype=object, engine="calamine")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "answers.csv"
        generate_odpm(source, args.respondents)
        book = Path(folder) / "answers.xlsx"
        start = time.perf_counter()
        write_xlsx(source, book)
        seconds = time.perf_counter() - start
        print(f"wrote {args.respondents:,} respondents as xlsx in {seconds:.0f} s")
        floor = measure([sys.executable, "-c", PANDAS_READ, str(book)], args.repeat)
        text = measure([PAT, "score", "pat-odpm", str(source), "-f", "csv"], args.repeat)
        pat = measure([PAT, "score", "pat-odpm", str(book), "-f", "csv"], args.repeat)
        report("pandas read_excel (before)", floor, floor)
        report("pat score csv", text, floor)
        report("pat score workbook", pat, floor)


if __name__ == "__main__":
    main()
