"""Shared benchmark pieces: sample data made on the fly, the floor script, measuring runs."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
PAT = str(BIN / "pat")
ITEMS = [f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF"]
EXTRA = [f"W{p}" for p in range(1, 7)] + ["S1"]
ORGANISATIONS = ["Council", "Health Trust", "Police", "Housing Association", "Voluntary Sector"]
LEVELS = ["board", "senior", "frontline"]

# The floor: read the same CSV with pandas, total the six principles, write the totals.
FLOOR = """
import sys
import pandas as pd
frame = pd.read_csv(sys.argv[1])
totals = pd.DataFrame({"respondent": frame["respondent"]})
for p in range(1, 7):
    totals[f"P{p}"] = frame[[f"P{p}{e}" for e in "ABCDEF"]].sum(axis=1)
totals["aggregate"] = totals[[f"P{p}" for p in range(1, 7)]].sum(axis=1)
totals.to_csv(sys.argv[2], index=False)
"""


# The same read, sums and write with polars (the `bench` extra), text columns as text.
POLARS = """
import sys
import polars as pl
frame = pl.read_csv(sys.argv[1], schema_overrides={c: pl.String for c in
                    ("respondent", "organisation", "level", "round")})
sums = [pl.sum_horizontal([f"P{p}{e}" for e in "ABCDEF"]).alias(f"P{p}") for p in range(1, 7)]
totals = frame.select("respondent", *sums)
totals = totals.with_columns(aggregate=pl.sum_horizontal([f"P{p}" for p in range(1, 7)]))
totals.write_csv(sys.argv[2])
"""

# The same with DuckDB (the `bench` extra): one query from the CSV to the CSV.
DUCKDB = """
import sys
import duckdb
sums = ", ".join("+".join(f"P{p}{e}" for e in "ABCDEF") + f" AS P{p}" for p in range(1, 7))
everything = "+".join(f"P{p}{e}" for p in range(1, 7) for e in "ABCDEF")
duckdb.sql(
    f"COPY (SELECT respondent, {sums}, {everything} AS aggregate FROM read_csv('{sys.argv[1]}', "
    "types={'respondent': 'VARCHAR', 'round': 'VARCHAR'})) TO '" + sys.argv[2] + "' (HEADER)"
)
"""


def floors(source: Path, folder: Path) -> dict[str, list[str]]:
    """The floor commands that can run here: pandas always; polars and DuckDB when the
    `bench` extra is installed (`pip install -e '.[bench]'`)."""
    import importlib.util

    found = {"pandas": floor_command(source, folder / "floor-pandas.csv")}
    for name, script in (("polars", POLARS), ("duckdb", DUCKDB)):
        if importlib.util.find_spec(name) is None:
            print(f"({name} is not installed: pip install -e '.[bench]' to compare with it)")
            continue
        found[name] = [
            sys.executable,
            "-c",
            script,
            str(source),
            str(folder / f"floor-{name}.csv"),
        ]
    return found


@dataclass
class Sample:
    """One run: wall time, CPU time (user + system, both cores) and peak resident memory."""

    wall: float
    cpu: float
    peak_mib: float


def run_once(command: list[str]) -> Sample:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"failed: {' '.join(command)}\n{error}")
    if process.stderr:
        process.stderr.close()
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def paired(commands: dict[str, list[str]], repeat: int) -> dict[str, list[Sample]]:
    """Each command run `repeat` times, all of them in each round (their order turned
    round by round), so that a ratio compares runs made under the same load."""
    runs: dict[str, list[Sample]] = {name: [] for name in commands}
    names = list(commands)
    for k in range(repeat):
        for name in names[k % len(names) :] + names[: k % len(names)]:
            runs[name].append(run_once(commands[name]))
    return runs


def spread(values: list[float]) -> str:
    """'1.23x (1.10–1.40)': the median and the range."""
    return f"{statistics.median(values):.2f}x ({min(values):.2f}–{max(values):.2f})"


def compare(name: str, runs: list[Sample], base: list[Sample], against: str) -> dict[str, float]:
    """Print the paired ratios of `runs` to `base` (wall, CPU, peak); return the medians."""
    ratios = {
        attr: [getattr(a, attr) / getattr(b, attr) for a, b in zip(runs, base, strict=True)]
        for attr in ("wall", "cpu", "peak_mib")
    }
    print(
        f"  {name} / {against}: wall {spread(ratios['wall'])}, CPU {spread(ratios['cpu'])}, "
        f"peak {spread(ratios['peak_mib'])}"
    )
    return {attr: statistics.median(values) for attr, values in ratios.items()}


def describe(name: str, runs: list[Sample]) -> None:
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    peak = max(r.peak_mib for r in runs)
    print(f"  {name:<34} wall {wall:7.2f} s  CPU {cpu:7.2f} s  peak {peak:7.0f} MiB")


def generate_odpm(path: Path, respondents: int, seed: int = 2003, rounds: int = 2) -> Path:
    """A wide ODPM answer sheet with numeric answers 1–4, as typed in from paper forms."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    leaning = rng.normal(2.8, 0.5, size=(respondents, 1))
    answers = np.clip(np.rint(leaning + rng.normal(0, 0.7, size=(respondents, 36))), 1, 4)
    frame = pd.DataFrame(answers.astype(np.int8), columns=ITEMS)
    frame.insert(0, "respondent", [f"R{k:07d}" for k in range(respondents)])
    frame.insert(1, "organisation", np.array(ORGANISATIONS)[rng.integers(0, 5, respondents)])
    frame.insert(2, "level", np.array(LEVELS)[rng.integers(0, 3, respondents)])
    frame.insert(3, "round", rng.integers(1, rounds + 1, respondents))
    for name in EXTRA:
        frame[name] = rng.integers(1, 5, respondents).astype(np.int8)
    frame.to_csv(path, index=False)
    return path


def generated(path: Path, respondents: int) -> Path:
    """`generate_odpm` in a process of its own: the measuring process stays small, as a
    child's peak memory counts what it was forked from."""
    code = (
        f"import sys; sys.path.insert(0, {str(HERE)!r}); from pathlib import Path; "
        "from common import generate_odpm; generate_odpm(Path(sys.argv[1]), int(sys.argv[2]))"
    )
    subprocess.run([sys.executable, "-c", code, str(path), str(respondents)], check=True)
    return path


@dataclass
class Run:
    seconds: float
    peak_mib: float


def measure(command: list[str], repeat: int = 3) -> Run:
    """Median wall time and the largest peak resident memory over `repeat` runs."""
    times, peaks = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            error = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"failed: {' '.join(command)}\n{error}")
        peaks.append(usage.ru_maxrss / 1024)
    return Run(statistics.median(times), max(peaks))


def floor_command(source: Path, output: Path) -> list[str]:
    return [sys.executable, "-c", FLOOR, str(source), str(output)]


def report(name: str, run: Run, floor: Run) -> None:
    print(
        f"{name:<28} {run.seconds:8.2f} s {run.peak_mib:9.0f} MiB   "
        f"time {run.seconds / floor.seconds:4.2f}x  memory {run.peak_mib / floor.peak_mib:4.2f}x"
    )


def write_xlsx(source: Path, book: Path) -> None:
    """The CSV `source` as a one-sheet workbook, written straight as SpreadsheetML the way
    Excel writes one: numbers as numbers, text in the shared-strings table, the sheet's
    dimension given. Minutes faster than openpyxl for 300,000 rows."""
    import csv
    import zipfile
    from xml.sax.saxutils import escape

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    parts = {
        "[Content_Types].xml": f'{head}<Types xmlns="{package}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'{head}<Relationships xmlns="{package}/relationships"><Relationship '
        f'Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'{head}<workbook xmlns="{main}" xmlns:r="{office}"><sheets>'
        '<sheet name="answers" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{head}<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{office}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{office}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
    }
    strings: dict[str, int] = {}

    def cell(value: str) -> str:
        if value.isdigit() and not value.startswith("0"):
            return f"<c><v>{value}</v></c>"
        return f'<c t="s"><v>{strings.setdefault(value, len(strings))}</v></c>'

    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    last = _column_letter(max(map(len, rows)))
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(
                f'{head}<worksheet xmlns="{main}"><dimension ref="A1:{last}{len(rows)}"/>'
                "<sheetData>".encode()
            )
            for row in rows:
                sheet.write(("<row>" + "".join(map(cell, row)) + "</row>").encode())
            sheet.write(b"</sheetData></worksheet>")
        table = "".join(f"<si><t>{escape(text)}</t></si>" for text in strings)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'{head}<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">'
            f"{table}</sst>",
        )


def _column_letter(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
