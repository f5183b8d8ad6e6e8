"""Workshop files: one partnership, several instruments, one combined report.

A workshop file is TOML. Relative paths in it are resolved against the folder the file is
in, so a workshop folder can be moved or shared as a whole.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pat_framework.catalogue import N_, gettext
from pat_framework.disclosure.rules import DEFAULT_COMMENTS, DEFAULT_FIGURES, FLOOR
from pat_framework.errors import ProblemsError
from pat_framework.importers.convert import Source
from pat_framework.instrument.checker import TomlChecker

#: The three reasons the ODPM tool's first stage asks partners to agree on, in our words.
PURPOSES = {
    "developmental": N_(
        "Developmental: a new partnership looks at what its members hope for and what to "
        "avoid, to build healthy ways of working from the start."
    ),
    "audit": N_(
        "Routine audit: an established partnership takes stock of how well it works, as a "
        "regular health check."
    ),
    "diagnostic": N_(
        "Diagnostic: a partnership in difficulty looks systematically for where partners "
        "agree and disagree, as the first step of a remedial action plan."
    ),
}
#: What `pat run` writes when the file does not say.
FORMATS = ("html", "xlsx", "json")
#: The workshop's title when the file gives none (in the reader's language where shown).
TITLE = N_("Partnership assessment workshop")
TOP_KEYS = {"partnership", "title", "purpose", "date", "facilitator", "by", "min_group",
            "min_comments", "round", "instruments_dir", "instruments", "output",
            "groups", "language"}  # fmt: skip
INSTRUMENT_KEYS = {"id", "responses", "by", "round", "from", "map", "sheet"}
OUTPUT_KEYS = {"folder", "name", "formats"}


class WorkshopError(ProblemsError):
    """A workshop file that cannot be run as written."""


@dataclass(frozen=True)
class WorkshopInstrument:
    """One instrument of the workshop and the files holding its answers."""

    id: str
    responses: tuple[Path, ...]
    by: tuple[str, ...]
    round: str
    key: str
    source: Source = field(default_factory=Source)
    #: A `pat serve` collection read instead of files: DATABASE-URL#COLLECTION.
    collection: str | None = None

    @property
    def database_files(self) -> tuple[Path, ...]:
        """The SQLite file of the collection and its WAL and shared-memory files, if any."""
        if self.collection is None or not self.collection.startswith("sqlite:///"):
            return ()
        db = Path(self.collection.removeprefix("sqlite:///").rpartition("#")[0])
        return (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"))


@dataclass(frozen=True)
class Workshop:
    """A workshop file, read and checked; every path in it is absolute."""

    file: Path
    partnership: str
    title: str
    purpose: str
    date: datetime.date | None
    facilitator: str
    min_group: int
    min_comments: int
    instruments_dirs: tuple[Path, ...]
    instruments: tuple[WorkshopInstrument, ...]
    output_folder: Path
    output_name: str
    formats: tuple[str, ...]
    #: The reports' language (a BCP 47 tag): pat's words from its catalogue, and each
    #: instrument's texts where the instrument has that language; "" as written.
    language: str = ""

    @property
    def shown_title(self) -> str:
        """The title as the reports show it: the file's own, or TITLE translated."""
        return gettext(TITLE) if self.title == TITLE else self.title

    @property
    def purpose_text(self) -> str:
        """The purpose in words, as written (translated where it is shown)."""
        return PURPOSES[self.purpose]

    @property
    def inputs(self) -> tuple[Path, ...]:
        """Every file the workshop reads: outputs must never land on one of these."""
        maps = (i.source.map for i in self.instruments if i.source.map is not None)
        databases = (p for i in self.instruments for p in i.database_files)
        return (self.file, *(p for i in self.instruments for p in i.responses), *maps, *databases)


def load_workshop(path: str | Path) -> Workshop:
    """Read a workshop file; raise WorkshopError listing every mistake and missing file,
    each with its line."""
    from pat_framework.instrument.checker import read_toml
    from pat_framework.instrument.lines import with_lines

    path = Path(path)
    data, text = read_toml(path, "the workshop file", WorkshopError)
    reader = _Reader(path)
    workshop = reader.workshop(data)
    if reader.problems:
        problems = with_lines(reader.problems, text)
        raise WorkshopError(f"{path}: {len(problems)} problem(s)", problems)
    assert workshop is not None
    return workshop


class _Reader(TomlChecker):
    """Checks a parsed workshop file key by key, collecting every problem."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path
        self.base = path.resolve().parent
        self.allowed: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def text(self, table: dict[str, Any], key: str, where: str, default: str | None) -> str:
        value = table.get(key, default)
        if value is None:
            self.add(where, "is required but missing")
            return ""
        if not isinstance(value, str) or not value.strip():
            self.add(where, f"expected some text, got {value!r}")
            return ""
        return value.strip()

    def texts(self, table: dict[str, Any], key: str, where: str) -> tuple[str, ...] | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            self.add(where, f"expected a list of text, got {value!r}")
            return ()
        return tuple(value)

    def existing(self, text: str, where: str, folder: bool = False) -> Path:
        """An existing file (or folder), resolved against the workshop file's folder."""
        found = (self.base / text).resolve()
        exists = found.is_dir() if folder else found.is_file()
        if not exists:
            what = "folder" if folder else "file"
            self.add(where, f"no such {what}: {text} (looked for {found})")
        return found

    def workshop(self, data: dict[str, Any]) -> Workshop | None:
        self.unknown(data, "", TOP_KEYS)
        purpose = self.text(data, "purpose", "purpose", None)
        if purpose and purpose not in PURPOSES:
            self.add("purpose", f"'{purpose}' is not one of: {', '.join(PURPOSES)}")
        date = data.get("date")
        if date is not None and not isinstance(date, datetime.date):
            self.add("date", f"expected a date written as 2026-11-30 (no quotes), got {date!r}")
            date = None
        min_group = self.threshold(data, "min_group", DEFAULT_FIGURES)
        min_comments = max(self.threshold(data, "min_comments", DEFAULT_COMMENTS), min_group)
        by = self.texts(data, "by", "by") or ()
        round_ = self.text(data, "round", "round", "latest")
        self.allowed = self.groups(data.get("groups", {}))
        dirs = self.texts(data, "instruments_dir", "instruments_dir") or ()
        entries = data.get("instruments")
        instruments: list[WorkshopInstrument] = []
        if not isinstance(entries, list) or not entries:
            self.add(
                "instruments",
                "is required: add an [[instruments]] table for each instrument, with its id "
                "and responses",
            )
        else:
            for k, entry in enumerate(entries):
                found = self.instrument(entry, f"instruments[{k + 1}]", by, round_)
                if found is not None:
                    instruments.append(found)
            self.repeated(instruments)
        folder, name, formats = self.output(data.get("output", {}))
        return Workshop(
            file=self.path.resolve(),
            partnership=self.text(data, "partnership", "partnership", None),
            title=self.text(data, "title", "title", TITLE),
            purpose=purpose,
            date=date,
            facilitator=self.text(data, "facilitator", "facilitator", "–"),
            min_group=min_group,
            min_comments=min_comments,
            instruments_dirs=tuple(self.existing(d, "instruments_dir", folder=True) for d in dirs),
            instruments=tuple(instruments),
            output_folder=folder,
            output_name=name,
            formats=formats,
            language=self.language(data),
        )

    def language(self, data: dict[str, Any]) -> str:
        from pat_framework.languages import TAG

        value = data.get("language", "")
        if not isinstance(value, str) or (value and not TAG.match(value)):
            self.add("language", f'expected a language tag such as "cy" or "en-GB", got {value!r}')
            return ""
        return value

    def threshold(self, data: dict[str, Any], key: str, default: int) -> int:
        """A disclosure threshold: a whole number, never below the floor."""
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < FLOOR:
            self.add(
                key,
                f"expected a whole number of at least {FLOOR} (with fewer, respondents could "
                f"read each other's answers), got {value!r}",
            )
            return default
        return value

    def instrument(
        self, entry: Any, where: str, by: tuple[str, ...], round_: str
    ) -> WorkshopInstrument | None:
        if not isinstance(entry, dict):
            self.add(where, "expected a table with id and responses")
            return None
        self.unknown(entry, f"{where}.", INSTRUMENT_KEYS)
        ident = self.text(entry, "id", f"{where}.id", None)
        files = self.texts(entry, "responses", f"{where}.responses")
        if not files:
            if files is None:
                self.add(f"{where}.responses", "is required: list the response files")
            elif entry.get("responses") == []:
                self.add(f"{where}.responses", "is empty: list at least one response file")
            return None
        own_by = self.texts(entry, "by", f"{where}.by")
        own_round = self.text(entry, "round", f"{where}.round", round_)
        if any("://" in text for text in files):
            if len(files) > 1:
                self.add(f"{where}.responses", "a collection must be the only response source")
            for key in ("from", "map", "sheet"):
                if key in entry:
                    self.add(f"{where}.{key}", "applies to response files, not to a collection")
            collection = self.collection(files[0], f"{where}.responses[1]")
            own = by if own_by is None else own_by
            return WorkshopInstrument(ident, (), own, own_round, where, collection=collection)
        paths = tuple(
            self.existing(text, f"{where}.responses[{k + 1}]") for k, text in enumerate(files)
        )
        tool = self.text(entry, "from", f"{where}.from", None) if "from" in entry else None
        mapped = None
        if "map" in entry:
            mapped = self.existing(self.text(entry, "map", f"{where}.map", None), f"{where}.map")
        sheet = self.text(entry, "sheet", f"{where}.sheet", None) if "sheet" in entry else None
        return WorkshopInstrument(
            ident,
            paths,
            by if own_by is None else own_by,
            own_round,
            where,
            Source(tool, mapped, sheet, self.allowed),
        )

    def collection(self, text: str, where: str) -> str | None:
        """A `pat serve` collection, DATABASE-URL#NAME; a SQLite file is found as any file."""
        url, _, name = text.rpartition("#")
        if not url or not name:
            self.add(where, f"name the collection after '#', as sqlite:///anytown.db#odpm: {text}")
            return None
        if url.startswith("sqlite:///"):
            url = f"sqlite:///{self.existing(url.removeprefix('sqlite:///'), where)}"
        return f"{url}#{name}"

    def repeated(self, instruments: list[WorkshopInstrument]) -> None:
        seen: dict[str, str] = {}
        for entry in instruments:
            if entry.id in seen:
                self.add(f"{entry.key}.id", f"'{entry.id}' is already listed at {seen[entry.id]}")
            seen.setdefault(entry.id, entry.key)

    def groups(self, table: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """`[groups]`: the only values an attribute may take, such as the partners."""
        if not isinstance(table, dict):
            self.add("groups", "expected a table: [groups] with a list for each attribute")
            return ()
        found = []
        for name in table:
            if table[name] == []:
                self.add(f"groups.{name}", "is empty: list the values, or leave the key out")
            elif values := self.texts(table, name, f"groups.{name}"):
                found.append((name, tuple(v.strip() for v in values)))
        return tuple(found)

    def output(self, table: Any) -> tuple[Path, str, tuple[str, ...]]:
        if not isinstance(table, dict):
            self.add("output", "expected a table: [output] with folder, name and formats")
            table = {}
        self.unknown(table, "output.", OUTPUT_KEYS)
        folder = self.base / self.text(table, "folder", "output.folder", "report")
        name = self.text(table, "name", "output.name", self.path.stem)
        problem = _file_name_problem(name)
        if problem:
            self.add("output.name", problem)
        formats = self.texts(table, "formats", "output.formats")
        return folder.resolve(), name, formats or FORMATS


#: Names Windows keeps for devices, whatever the suffix (CON.html is the console there).
_RESERVED = {
    "con",
    "prn",
    "aux",
    "nul",
    *(f"com{k}" for k in range(10)),
    *(f"lpt{k}" for k in range(10)),
}
#: Room left for a suffix (`.html`) and the temporary name a write uses, within 255 bytes.
_LONGEST = 200


def _file_name_problem(name: str) -> str | None:
    """Why `name` cannot be the stem of the output files on every system, or None."""
    if "/" in name or "\\" in name:
        return f"expected a file name without folders, got {name!r}"
    if name in (".", "..") or name.endswith((".", " ")):
        return f"expected a file name, got {name!r} (a name may not end with a dot or space)"
    if name.split(".")[0].strip().lower() in _RESERVED:
        return f"{name!r} is a name Windows keeps for a device: choose another"
    if len(name.encode("utf-8")) > _LONGEST:
        return f"the name is {len(name.encode('utf-8'))} bytes long; at most {_LONGEST} fit"
    if any(c in name for c in '<>:"|?*'):
        return f'expected a file name without any of < > : " | ? *, got {name!r}'
    return None
