"""The order of round labels: as dates when every label is a date, in whatever way people
write them (2026-03-01, 15/01/2026, Mar 2025, 3 March 2026), else naturally ('round 2'
before 'round 10'). Never as plain text, where '15/01/2026' would come before '20/06/2025'.

Dates written with numbers only are read day first, as in the UK, unless a label shows the
writer put the month first (01/15/2026); a mix of both is not read as dates at all."""

from __future__ import annotations

import datetime
import re

MONTHS = {
    name: k
    for k, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        1,
    )
    for name in names
}  # fmt: skip
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})(?:[-/.](\d{1,2}))?")
_NUMBERS = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_WORDS = re.compile(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?,?\s+(?:(\d{1,2}),?\s+)?(\d{4})")


def ordered(labels: list[str]) -> list[int]:
    """The positions of `labels` in round order."""
    dates = _as_dates(labels)
    if dates is not None:
        return sorted(range(len(labels)), key=lambda k: (dates[k], labels[k]))
    return sorted(range(len(labels)), key=lambda k: natural_key(labels[k]))


def natural_key(label: str) -> list[int | str]:
    """Sort 'round 2' before 'round 10'."""
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", label)]


def _as_dates(labels: list[str]) -> list[datetime.date] | None:
    """Each label as a date, or None unless every one is a date (read one way)."""
    texts = [" ".join(label.strip().lower().split()) for label in labels]
    numeric = [_NUMBERS.fullmatch(t) for t in texts]
    day_first = any(m and int(m[1]) > 12 for m in numeric)
    month_first = any(m and int(m[2]) > 12 for m in numeric)
    if day_first and month_first:
        return None
    dates = []
    for text, match in zip(texts, numeric, strict=True):
        found = _date(text, match, month_first)
        if found is None:
            return None
        dates.append(found)
    return dates


def _date(text: str, numeric: re.Match[str] | None, month_first: bool) -> datetime.date | None:
    try:
        if numeric is not None:
            first, second, year = int(numeric[1]), int(numeric[2]), int(numeric[3])
            year += 2000 if year < 100 else 0
            day, month = (second, first) if month_first else (first, second)
            return datetime.date(year, month, day)
        if iso := _ISO.fullmatch(text):
            return datetime.date(int(iso[1]), int(iso[2]), int(iso[3] or 1))
        if (words := _WORDS.fullmatch(text)) and words[2] in MONTHS:
            day = int(words[1] or words[3] or 1)
            return datetime.date(int(words[4]), MONTHS[words[2]], day)
    except ValueError:  # 31/02/2026: not a date
        return None
    return None
