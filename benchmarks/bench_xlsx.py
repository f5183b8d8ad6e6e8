"""Benchmark: `pat score` on a workbook against reading the same workbook with openpyxl.

Run with `make bench` or `.venv/bin/python benchmarks/bench_xlsx.py [--respondents N]`.
The workbook is written once (slowly: openpyxl writes it). Target (issue 19): reading well
under a minute for 300,000 rows, which the ratio to openpyxl's read shows on any machine.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PAT, generate_odpm, measure, report

OPENPYXL_READ = """
import sys
import pandas as pd
pd.read_excel(sys.argv[1], dtype=object, engine="openpyxl")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import pandas as pd

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "answers.csv"
        generate_odpm(source, args.respondents)
        book = Path(folder) / "answers.xlsx"
        start = time.perf_counter()
        pd.read_csv(source, dtype=str).to_excel(book, index=False)
        seconds = time.perf_counter() - start
        print(f"wrote {args.respondents:,} respondents as xlsx in {seconds:.0f} s")
        floor = measure([sys.executable, "-c", OPENPYXL_READ, str(book)], args.repeat)
        pat = measure([PAT, "score", "pat-odpm", str(book), "-f", "csv"], args.repeat)
        report("openpyxl read (floor)", floor, floor)
        report("pat score workbook", pat, floor)


if __name__ == "__main__":
    main()
