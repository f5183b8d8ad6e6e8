"""Another tool's export put into pat's layout: which tool wrote it, which column is which
statement (found, or read from a reviewed map file), personal data left out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pat_framework.errors import PatError, Problem, ResponseError
from pat_framework.importers.base import Export, Sheet, read_sheet
from pat_framework.importers.matching import SUBMITTED, Match, match_columns
from pat_framework.invisible import visible
from pat_framework.model import Instrument
from pat_framework.responses import (
    COMMENT_SUFFIX,
    LONG_COLUMNS,
    Imported,
    Translate,
)

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.interfaces import Importer
    from pat_framework.runtime.registry import Registry

#: `--from pat`: the file is in pat's own layout, whatever it looks like.
PAT = "pat"
_PEEK_ROWS = 3


@dataclass(frozen=True)
class Source:
    """How to read response files: the tool that wrote them (None: find out), a map file,
    the sheet of a workbook (None: the first), and the only values some attributes may take
    (a workshop's `[groups]`)."""

    tool: str | None = None
    map: Path | None = None
    sheet: str | None = None
    allowed: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def plain(self) -> bool:
        return self.tool is None and self.map is None


def translator(registry: Registry, instrument: Instrument, source: Source) -> Translate:
    """The `translate` function of `read_responses` for these importers and this source."""
    importers: dict[str, Importer] = {
        name: registry.get("importer", name) for name in registry.names("importer")
    }
    if source.tool not in (None, PAT) and source.tool not in importers:
        known = ", ".join([PAT, *importers])
        raise PatError(f"--from: no importer '{source.tool}' (installed: {known})")
    mapping = None
    if source.map is not None:
        from pat_framework.importers.mapfile import read_map

        mapping = read_map(source.map, instrument)

    def translate(path: Path) -> Imported | None:
        if source.tool == PAT or path.suffix.lower() == ".json":
            return None
        importer = importers.get(source.tool or "")
        notes: list[str] = []
        if importer is None:
            importer = _detect(path, importers, mapping is not None, notes, source.sheet)
            if importer is None:
                return None if not notes else Imported(None, notes)
        sheet = read_sheet(path, sheet=source.sheet)
        export = importer.read(sheet)
        if mapping is not None:
            matches = mapping.apply(export, str(path))
        else:
            matches = match_columns(instrument, export)
            _check(instrument, export, matches, str(path), importer.name)
        return Imported(
            _frame(export, matches, str(path)),
            [
                *notes,
                *sheet.notes,
                *export.notes,
                *describe(instrument, export, matches, str(path)),
            ],
        )

    return translate


def detect(
    path: Path, importers: dict[str, Importer], notes: list[str], sheet: str | None = None
) -> Importer | None:
    """The importer whose tool wrote the file, from its first rows; PatError if several.

    An importer whose `detect` fails is passed over, with a line in `notes`: one broken
    importer plugin must not stop every file from being read."""
    peeked = _peek(path, sheet)
    found = []
    for importer in importers.values():
        try:
            if importer.detect(peeked):
                found.append(importer)
        except Exception as exc:
            why = visible(f"{type(exc).__name__}: {exc}")
            notes.append(
                f"{path}: importer '{importer.name}' failed to look at it ({why}), so it was "
                "passed over"
            )
    if len(found) > 1:
        names = ", ".join(f"{i.title} (--from {i.name})" for i in found)
        raise PatError(f"{path}: the file looks like an export of {names}: say which with --from")
    return found[0] if found else None


def _detect(
    path: Path, importers: dict[str, Importer], mapped: bool, notes: list[str], sheet: str | None
) -> Importer | None:
    importer = detect(path, importers, notes, sheet)
    if importer is None and mapped:
        raise PatError(
            f"{path}: a map file was given but pat cannot tell which tool wrote the file: "
            f"say which with --from ({', '.join(importers)})"
        )
    return importer


def _peek(path: Path, sheet: str | None) -> Sheet:
    import pandas as pd

    try:
        return read_sheet(path, _PEEK_ROWS, sheet)
    except ValueError:  # pat's own reader, which runs next, says what is wrong
        return Sheet(str(path), pd.DataFrame())


def _check(
    instrument: Instrument, export: Export, matches: list[Match], file: str, tool: str
) -> None:
    """Unsure or missing matches are an error that lists them, with the command to review."""
    problems = []
    for match in matches:
        if match.kind == "unsure":
            why = (
                match.how
                if match.how.startswith("repeats")
                else (
                    f"only {match.confidence:.2f} like {match.target} "
                    f'"{_short(instrument.item(match.target).text)}"'
                )
            )
            problems.append(
                Problem(file, f"not matched for sure: {why}", column=match.column.header)
            )
    found = {m.target for m in matches if m.kind == "item"}
    missing = [i for i in instrument.item_ids if i not in found]
    if missing:
        shown = ", ".join(missing[:10]) + (" …" if len(missing) > 10 else "")
        problems.append(
            Problem(
                file,
                f"no column found for {len(missing)} of {len(instrument.items)} "
                f"statements: {shown}",
            )
        )
    if problems:
        hint = (
            f"review the match with `pat map {instrument.id} {file} -o map.toml` "
            "(edit what it got wrong), then add --map map.toml"
        )
        problems.append(Problem(file, hint))
        raise ResponseError(
            f"{file}: a {export.tool} export whose columns pat could not all match", problems
        )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_DAY = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def day(stamp: str) -> str:
    """The day of a timestamp: ISO when the year comes first, else its date part as written."""
    stamp = stamp.strip()
    found = _DAY.match(stamp)
    if found:
        year, month, date = found.groups()
        return f"{year}-{int(month):02d}-{int(date):02d}"
    return re.split(r"[ T]", stamp, maxsplit=1)[0]


def _frame(export: Export, matches: list[Match], file: str) -> pd.DataFrame:
    import pandas as pd

    data: dict[str, pd.Series] = {}
    given: dict[str, str] = {}
    problems = []
    for match in matches:
        if not match.used:
            continue
        name = match.target + (COMMENT_SUFFIX if match.kind == "comment" else "")
        if name in given:
            problems.append(
                Problem(
                    file,
                    f"both this column and '{given[name]}' give {name}",
                    column=match.column.header,
                )
            )
            continue
        given[name] = match.column.header
        cells = export.rows[match.column.position]
        data[name] = cells.map(day) if match.kind == "submitted" else cells
    clash = [n for n in data if n in LONG_COLUMNS]
    if clash:
        problems.append(Problem(file, f"an export column cannot be named {clash[0]}"))
    if problems:
        raise ResponseError(f"{file}: columns that give the same thing", problems)
    return pd.DataFrame(data, index=export.rows.index)


def describe(instrument: Instrument, export: Export, matches: list[Match], file: str) -> list[str]:
    """What the import did, for the user: the tool, how columns matched, what was left out."""
    items = [m for m in matches if m.kind == "item"]
    by: dict[str, int] = {}
    for m in items:
        by[m.how] = by.get(m.how, 0) + 1
    ways = ", ".join(f"{n} by {how}" for how, n in sorted(by.items()))
    notes = [
        f"{file}: read as an export of {export.tool}; {len(items)} of {len(instrument.items)} "
        f"statements matched" + (f" ({ways})" if items else "")
    ]
    for m in items:
        if m.how == "similar text":
            notes.append(
                f"{file}: column '{_short(m.column.header)}' taken as {m.target} "
                f"(text {m.confidence:.2f} similar): check it"
            )
    personal = [m.column.header for m in matches if m.kind == "personal"]
    if personal:
        notes.append(f"{file}: personal data left out: {', '.join(personal)}")
    unmatched = [_short(m.column.header) for m in matches if m.kind == "unmatched"]
    if unmatched:
        notes.append(
            f"{file}: questions that are not statements of {instrument.id}, left out: "
            + "; ".join(unmatched)
        )
    other = [m.column.header for m in matches if m.kind == "meta"]
    if other:
        shown = ", ".join(_short(h, 30) for h in other[:8]) + (" …" if len(other) > 8 else "")
        notes.append(f"{file}: {len(other)} column(s) that {export.tool} adds, left out: {shown}")
    if any(m.kind == "submitted" for m in matches):
        notes.append(
            f"{file}: when each response was sent is kept as '{SUBMITTED}' (the day only); "
            "it is not taken as the round"
        )
    if not any(m.kind == "respondent" for m in matches):
        notes.append(f"{file}: no response id column: respondents are numbered by row")
    return notes
