"""The map file: how the columns of one export are read, written by `pat map` for a person to
review and edit, then used with `--map` (or a workshop's `map = "..."`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pat_framework.errors import PatError, Problem, ResponseError
from pat_framework.importers.base import Export
from pat_framework.importers.matching import SUBMITTED, Match
from pat_framework.model import Instrument
from pat_framework.responses import RESPONDENT

FORMAT = 1
_TABLES = ("items", "comments", "attributes", "left_out")
_KEYS = {"format", "instrument", "tool", *_TABLES}


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


def map_text(instrument: Instrument, export: Export, matches: list[Match], file: str,
             tool: str) -> str:  # fmt: skip
    """The map file for an export, every column in it, unsure matches commented out."""
    lines = [
        f"# How pat reads the columns of {Path(file).name} (a {export.tool} export) as answers",
        f"# to {instrument.id}. Review it: put the right item id where a match is wrong, move",
        "# a line to another table, or delete it. Then use it with",
        f"#   pat score {instrument.id} {Path(file).name} --map THIS_FILE",
        f"format = {FORMAT}",
        f"instrument = {_quote(instrument.id)}",
        f"tool = {_quote(tool)}",
        "",
        "# Column = item id; the comment says how the column was matched.",
        "[items]",
    ]
    for m in matches:
        if m.kind == "item":
            how = m.how if m.how != "similar text" else f"text {m.confidence:.2f} similar: check"
            lines.append(f"{_quote(m.column.header)} = {_quote(m.target)}  # {how}")
        elif m.kind == "unsure":
            why = m.how if m.how.startswith("repeats") else f"only {m.confidence:.2f} similar"
            lines.append(
                f"# {_quote(m.column.header)} = {_quote(m.target)}  # {why}: check, then "
                "remove the leading '# '"
            )
    comments = [m for m in matches if m.kind == "comment"]
    if comments:
        lines += ["", "# Column = the item its comments are about.", "[comments]"]
        lines += [f"{_quote(m.column.header)} = {_quote(m.target)}" for m in comments]
    lines += [
        "",
        "# Column = respondent attribute: organisation, level, round or a name of your own;",
        f"# '{RESPONDENT}' is the response id, '{SUBMITTED}' when the answers were sent.",
        "[attributes]",
    ]
    for m in matches:
        if m.kind in ("attribute", "respondent", "submitted"):
            lines.append(f"{_quote(m.column.header)} = {_quote(m.target)}  # {m.how}")
    personal = [m.column.header for m in matches if m.kind == "personal"]
    other = [m.column.header for m in matches if m.kind in ("meta", "unmatched", "unsure")]
    lines += [
        "",
        "# Columns left out of pat's outputs. Personal data stays out unless you move a",
        "# column to [attributes] on purpose.",
        "[left_out]",
        f"personal = [{', '.join(_quote(h) for h in personal)}]",
        f"other = [{', '.join(_quote(h) for h in other)}]",
    ]
    return "\n".join(lines) + "\n"


@dataclass
class MapFile:
    """A reviewed map: column header -> what it is taken as."""

    file: str
    instrument: Instrument
    items: dict[str, str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)

    def apply(self, export: Export, file: str) -> list[Match]:
        """The matches this map gives the export's columns; a header it names that the
        file lacks, or most statements left without a column, is an error."""
        headers = {c.header for c in export.columns}
        problems = [
            Problem(self.file, f"no column '{header}' in {file}", key=f"{table}.{_quote(header)}")
            for table, entries in (
                ("items", self.items),
                ("comments", self.comments),
                ("attributes", self.attributes),
            )
            for header in entries
            if header not in headers
        ]
        left = len(self.instrument.items) - len(set(self.items.values()))
        if left > len(self.instrument.items) / 2:
            problems.append(
                Problem(
                    self.file,
                    f"{left} of {len(self.instrument.items)} statements have no "
                    f"column: is this the map of {file}?",
                    key="items",
                )
            )
        if problems:
            raise ResponseError(f"{self.file}: the map does not fit {file}", problems)
        matches = []
        for column in export.columns:
            header = column.header
            if header in self.items:
                matches.append(Match(column, "item", self.items[header], how="map file"))
            elif header in self.comments:
                matches.append(Match(column, "comment", self.comments[header], how="map file"))
            elif header in self.attributes:
                target = self.attributes[header]
                kind = {RESPONDENT: "respondent", SUBMITTED: "submitted"}.get(target, "attribute")
                matches.append(Match(column, kind, target, how="map file"))  # type: ignore[arg-type]
            else:
                matches.append(Match(column, "personal" if column.role == "personal" else "meta"))
        return matches


def read_map(path: Path, instrument: Instrument) -> MapFile:
    """A map file checked against the instrument; every problem names its TOML key."""
    import tomli

    file = str(path)
    try:
        data: dict[str, Any] = tomli.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise PatError(f"{file}: no such map file") from None
    except (tomli.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        raise PatError(f"{file}: not a map file pat can read: {exc}") from None
    problems = [
        Problem(file, f"unknown key; expected {', '.join(sorted(_KEYS))}", key=key)
        for key in data
        if key not in _KEYS
    ]
    if data.get("format") != FORMAT:
        problems.append(Problem(file, f"expected format = {FORMAT}", key="format"))
    if data.get("instrument") != instrument.id:
        problems.append(
            Problem(
                file,
                f"this map is for {data.get('instrument')!r}, not {instrument.id}",
                key="instrument",
            )
        )
    mapping = MapFile(file, instrument)
    ids = set(instrument.item_ids)
    for table in ("items", "comments", "attributes"):
        entries = data.get(table, {})
        if not isinstance(entries, dict):
            problems.append(Problem(file, "expected a table of column = name", key=table))
            continue
        for header, target in entries.items():
            key = f"{table}.{_quote(header)}"
            if not isinstance(target, str) or not target.strip():
                problems.append(Problem(file, "expected a name in quotes", key=key))
            elif table != "attributes" and target not in ids:
                shown = ", ".join(instrument.item_ids[:6])
                problems.append(Problem(file, f"no item '{target}' in {instrument.id} "
                                              f"(items: {shown}, …)", key=key))  # fmt: skip
            elif table == "attributes" and target in ids:
                problems.append(
                    Problem(file, f"'{target}' is an item: put it in [items]", key=key)
                )
            else:
                getattr(mapping, table)[header] = target.strip()
    seen: dict[str, str] = {}
    for header, item_id in mapping.items.items():
        if item_id in seen:
            problems.append(
                Problem(
                    file,
                    f"columns '{seen[item_id]}' and '{header}' both give {item_id}",
                    key=f"items.{_quote(header)}",
                )
            )
        seen[item_id] = header
    if problems:
        raise ResponseError(f"{file}: {len(problems)} problem(s) in the map file", problems)
    return mapping
