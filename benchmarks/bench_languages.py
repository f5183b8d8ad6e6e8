"""Benchmark: answers typed in Welsh against the same answers typed in English.

`pat score` reads a sheet of the bilingual example instrument whose answers are its
English labels, and the same sheet with its Welsh labels; both score alike. Target: the
Welsh sheet at most 1.1x the English one's time (a scale's labels in every language are one
lookup). Runs are paired (English then Welsh, repeated) so that the machine's load falls on
both. Prints figures; asserts nothing.

Run with `make bench` or `.venv/bin/python benchmarks/bench_languages.py [--respondents N]`.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import PAT, measure

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "instruments"
ITEMS = ["W1A", "W1B", "W1C", "W2A", "W2B", "W2C"]
ENGLISH = ["Strongly agree", "Agree", "Disagree", "Strongly disagree", "Don't know"]
WELSH = ["Cytuno'n gryf", "Cytuno", "Anghytuno", "Anghytuno'n gryf", "Ddim yn gwybod"]


def sheets(folder: Path, respondents: int) -> tuple[Path, Path]:
    """The same answers as two sheets: English labels, and Welsh ones."""
    rng = random.Random(2026)
    choices = [[rng.randrange(5) for _ in ITEMS] for _ in range(respondents)]
    paths = []
    for name, labels in (("en", ENGLISH), ("cy", WELSH)):
        path = folder / f"answers-{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["respondent", "organisation", *ITEMS])
            for k, row in enumerate(choices):
                writer.writerow([f"R{k:07d}", f"Org {k % 5}", *(labels[c] for c in row)])
        paths.append(path)
    return paths[0], paths[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        english, welsh = sheets(Path(folder), args.respondents)
        ratios, times = [], {"en": [], "cy": []}
        for _ in range(args.pairs):
            runs = {}
            for name, sheet in (("en", english), ("cy", welsh)):
                out = Path(folder) / f"scores-{name}.csv"
                command = [PAT, "--instruments-dir", str(EXAMPLES), "score", "example-bilingual"]
                runs[name] = measure([*command, str(sheet), "-o", str(out)], repeat=1)
                times[name].append(runs[name].seconds)
            ratios.append(runs["cy"].seconds / runs["en"].seconds)
        same = (Path(folder) / "scores-en.csv").read_text() == (
            Path(folder) / "scores-cy.csv"
        ).read_text().replace("answers-cy", "answers-en")
    low, high = min(ratios), max(ratios)
    print(
        f"{args.respondents:,} respondents: English {statistics.median(times['en']):.2f} s, "
        f"Welsh {statistics.median(times['cy']):.2f} s (medians of {args.pairs} pairs); "
        f"Welsh/English ratio median {statistics.median(ratios):.2f}x "
        f"(range {low:.2f}–{high:.2f}, target 1.1x); scores identical: {same}"
    )


if __name__ == "__main__":
    main()
