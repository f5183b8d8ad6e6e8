"""Read response files (CSV, XLSX, JSON; wide or long) into one validated answer table."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pat_framework import invisible, workbooks
from pat_framework.errors import Problem, ResponseError
from pat_framework.labels import check_allowed, merge_spellings
from pat_framework.model import DONT_KNOW, NOT_APPLICABLE, Instrument, Item
from pat_framework.progress import Progress
from pat_framework.render.text import format_number
from pat_framework.sheet_checks import (
    LIMIT,
    short_rows,
    unreadable_workbook,
    workbook_problems,
)
from pat_framework.textfiles import sniff, typed_frames

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

RESPONDENT = "respondent"
STANDARD_ATTRIBUTES = ("organisation", "level", "round", "date")
ALIASES = {"respondent_id": RESPONDENT, "organization": "organisation", "wave": "round"}
LONG_COLUMNS = ("item", "answer")
COMMENT_SUFFIX = "_comment"
TEXT_SUFFIXES = (".csv", ".tsv")
SUFFIXES = (*TEXT_SUFFIXES, ".xlsx", ".json")
CHUNK_ROWS = 1_000_000
PER_COLUMN_LIMIT = 5

#: Answer states held in `Responses.states`.
ANSWERED, BLANK, DONT_KNOW_STATE, NOT_APPLICABLE_STATE = 0, 1, 2, 3
_STATE_OF_MISSING = {DONT_KNOW: DONT_KNOW_STATE, NOT_APPLICABLE: NOT_APPLICABLE_STATE}


@dataclass
class Imported:
    """A response file that another tool wrote, put into pat's wide layout by an importer.

    `frame` has pat's columns (respondent, attributes, item ids, ITEM_comment) and the cells
    as read; its index is the file's row numbers, so messages name the rows a user sees.
    A `frame` of None means the file is in pat's own layout after all, read as usual, and
    the notes still apply.
    """

    frame: pd.DataFrame | None
    notes: list[str] = field(default_factory=list)


#: Puts one file into pat's layout, or returns None for a file already in it.
Translate = Callable[[Path], Imported | None]


@dataclass
class Responses:
    """Answers of many respondents to one instrument.

    `values` has one float32 column per item id, NaN where there is no scoring answer.
    `states` (same shape, int8) tells blank from Don't know and Not applicable; it is None
    when no scale of the instrument has such answers, and then NaN simply means blank.
    `attributes` holds organisation, level, round, date and any other column, as text
    (pandas' string dtype; a blank cell is missing, never an empty string).
    All frames are indexed by respondent id.
    """

    instrument: Instrument
    attributes: pd.DataFrame
    values: pd.DataFrame
    states: pd.DataFrame | None = None
    comments: pd.DataFrame | None = None
    sources: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.values)

    def subset(self, keep: pd.Series, note: str) -> Responses:
        """The respondents where `keep` (a boolean series on the respondent index) is true."""
        mask = keep.to_numpy(dtype=bool)
        comments = self.comments
        if comments is not None:
            comments = comments[comments.index.isin(self.values.index[mask])]
        return Responses(
            self.instrument,
            self.attributes[mask],
            self.values[mask],
            None if self.states is None else self.states[mask],
            comments,
            self.sources,
            [*self.notes, note],
        )

    def state_of(self, item_id: str) -> pd.Series:
        """Answer states for one item (ANSWERED, BLANK, DONT_KNOW_STATE, NOT_APPLICABLE_STATE)."""
        if self.states is not None:
            return self.states[item_id]
        answered = self.values[item_id].notna()
        return answered.map({True: ANSWERED, False: BLANK}).astype("int8")


def read_responses(
    instrument: Instrument,
    paths: Sequence[str | Path],
    translate: Translate | None = None,
    sheet: str | None = None,
    allowed: Mapping[str, Sequence[str]] | None = None,
) -> Responses:
    """Read and validate response files; raise ResponseError listing every problem found.

    `translate` puts a file another tool wrote into pat's layout (see `Imported`); it returns
    None for a file already in pat's layout. `sheet` names the sheet to read of a workbook
    (default: the first). `allowed` gives the only values some attributes may take
    (`organisation`: the partners), matched as `labels.key` does.
    """
    problems: list[Problem] = []
    parts: list[_Part] = []
    for path in paths:
        part = _read_one(instrument, Path(path), problems, translate, sheet)
        if part is not None:
            if allowed:
                part.attributes = check_allowed(
                    part.attributes, part.rows, allowed, part.file, problems
                )
            parts.append(part)
    return _combine(instrument, parts, problems, tuple(str(p) for p in paths))


def read_table(instrument: Instrument, frame: pd.DataFrame, file: str) -> Responses:
    """Validate answers held in a frame exactly as `read_responses` validates a file.

    `frame` has the columns of a wide or long response file and the cells as read (text or
    numbers); its index gives the row numbers messages name, and `file` the file they name.
    For answers that reach pat by another way than a response file, such as a returned form.
    """
    problems: list[Problem] = []
    frame = frame.set_axis([str(c) for c in frame.columns], axis=1).dropna(how="all")
    part = _read_chunks(instrument, file, list(frame.columns), iter([frame]), problems)
    return _combine(instrument, [part] if part is not None else [], problems, (file,))


def _combine(
    instrument: Instrument, parts: list[_Part], problems: list[Problem], sources: tuple[str, ...]
) -> Responses:
    """One table from the parts read, or ResponseError with every problem found."""
    import pandas as pd

    if not parts and not problems:
        problems.append(Problem("(no files)", "give at least one response file"))
    if parts:
        _check_duplicates(parts, problems)
        for part in parts:
            if not len(part.values) and not any(p.file == part.file for p in problems):
                problems.append(
                    Problem(
                        part.file, "no respondents: the file has a header but no rows of answers"
                    )
                )
    if problems:
        files = sorted({p.file for p in problems})
        raise ResponseError(f"{len(problems)} problem(s) in {', '.join(files)}", problems)

    attributes = (
        pd.concat([p.attributes for p in parts]) if len(parts) > 1 else parts[0].attributes
    )
    attributes, merged = merge_spellings(attributes)
    merged += _dates_are_not_rounds(attributes)
    values = _stack([p.values for p in parts])
    state_parts = [p.states for p in parts if p.states is not None]  # all or none of them
    states = _stack(state_parts) if state_parts else None
    comment_parts = [p.comments for p in parts if p.comments is not None]
    comments = pd.concat(comment_parts) if comment_parts else None
    return Responses(
        instrument,
        attributes,
        values,
        states,
        comments,
        sources,
        [*(n for p in parts for n in p.notes), *merged],
    )


def _dates_are_not_rounds(attributes: pd.DataFrame) -> list[str]:
    """A note when the answers have several dates and no round: they are one round."""
    if "date" not in attributes.columns or "round" in attributes.columns:
        return []
    dates = attributes["date"].nunique(dropna=True)
    if dates < 2:
        return []
    return [
        f"the answers have {dates} dates and no round column, so they are one round: pat "
        "never takes dates as rounds (a form returned late would be a round of one); add a "
        "round column to compare rounds"
    ]


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    import pandas as pd

    return frames[0] if len(frames) == 1 else pd.concat(frames)


@dataclass
class _Part:
    file: str
    attributes: pd.DataFrame
    values: pd.DataFrame
    states: pd.DataFrame | None
    comments: pd.DataFrame | None
    rows: np.ndarray
    notes: list[str]


def _check_duplicates(parts: list[_Part], problems: list[Problem]) -> None:
    import pandas as pd

    if len(parts) == 1 and parts[0].attributes.index.is_unique:  # the usual case, fast
        return
    ids = pd.concat([pd.Series(p.attributes.index) for p in parts], ignore_index=True)
    dup = ids.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    where = [(p.file, row) for p in parts for row in p.rows]
    seen: dict[str, tuple[str, int]] = {}
    for position in dup.nonzero()[0][:50]:
        rid, (file, row) = ids.iloc[position], where[position]
        if rid in seen:
            first_file, first_row = seen[rid]
            also = f"row {first_row}" + ("" if first_file == file else f" of {first_file}")
            problems.append(
                Problem(
                    file,
                    f"duplicate respondent id '{rid}' (also at {also})",
                    row=int(row),
                    column=RESPONDENT,
                )
            )
        else:
            seen[rid] = (file, int(row))


def _read_one(
    instrument: Instrument,
    path: Path,
    problems: list[Problem],
    translate: Translate | None,
    sheet: str | None,
) -> _Part | None:
    file = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        problems.append(
            Problem(file, f"unknown file type '{suffix}'; expected {', '.join(SUFFIXES)}")
        )
        return None
    if not path.is_file():
        problems.append(Problem(file, "no such file"))
        return None
    with Progress(f"reading {file}") as shown:
        try:
            imported = translate(path) if translate is not None else None
            if imported is not None and imported.frame is not None:
                frame = imported.frame
                header, chunks, notes = list(frame.columns), iter([frame]), imported.notes
            else:
                header, chunks, notes = _open(
                    path, suffix, {*instrument.item_ids, LONG_COLUMNS[1]}, sheet
                )
                notes[:0] = imported.notes if imported is not None else []
        except ResponseError as exc:
            problems.extend(exc.problems)
            return None
        except ValueError as exc:
            problems.append(Problem(file, str(exc)))
            return None
        part = _read_chunks(instrument, file, header, _counted(chunks, shown), problems)
    if part is not None:
        part.notes[:0] = notes
    return part


def _counted(chunks: Iterator[pd.DataFrame], shown: Progress) -> Iterator[pd.DataFrame]:
    for chunk in chunks:
        shown.rows += len(chunk)
        yield chunk


def _read_chunks(
    instrument: Instrument,
    file: str,
    header: list[str],
    chunks: Iterator[pd.DataFrame],
    problems: list[Problem],
) -> _Part | None:
    columns = _Columns(instrument, file, header)
    if columns.problems:
        problems.extend(columns.problems)
        return None
    try:
        if columns.long:
            return _LongReader(instrument, file, columns).read(chunks, problems)
        return _WideReader(instrument, file, columns).read(chunks, problems)
    except ValueError as exc:  # a parser error part-way through a file
        problems.append(Problem(file, str(exc)))
        return None


def _open(
    path: Path, suffix: str, answers: set[str], sheet: str | None = None
) -> tuple[list[str], Iterator[pd.DataFrame], list[str]]:
    """The header, the data rows as frames whose index is the file's row number, and notes;
    of a workbook, the first sheet or the one named `sheet`.

    Every column but the `answers` columns is read as text, so that a code such as 007 in
    the respondent, organisation or any other column keeps its zeros. A text file is read
    by pyarrow's typed reader where it can be (`textfiles.typed_frames`), else by pandas'."""
    import pandas as pd

    if suffix in TEXT_SUFFIXES:
        table = sniff(path)
        options: dict[str, Any] = {
            "encoding": table.encoding,
            "sep": table.delimiter,
            "skiprows": table.skip_lines,
        }
        try:
            header = list(pd.read_csv(path, nrows=0, **options).columns)
        except pd.errors.EmptyDataError:
            raise ValueError("the file is empty; expected a header row") from None
        except UnicodeError as exc:
            raise ValueError(f"cannot read the text ({exc}); save it as CSV UTF-8") from None
        note = table.note(str(path))
        names = [str(c) for c in header]
        groups = {
            c for c in names if ALIASES.get(key := c.strip().lower(), key) in STANDARD_ATTRIBUTES
        }
        typed = typed_frames(path, table, names, answers, CHUNK_ROWS, groups)
        if typed is not None:
            numbered = _numbered(iter(typed), first_row=2 + table.skip_lines)
            return names, numbered, [note] if note else []
        cut = short_rows(path, table, len(header))
        if cut:
            raise ResponseError(f"{path}: {len(cut)} row(s) cut short", cut)
        text_columns = {c: str for c in header if str(c).strip() not in answers}
        reader = pd.read_csv(
            path,
            **options,
            dtype=text_columns,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            chunksize=CHUNK_ROWS,
        )
        return (
            names,
            _numbered(reader, first_row=2 + table.skip_lines),
            [note] if note else [],
        )
    if suffix == ".xlsx":
        wrong, notes, chosen = workbook_problems(path, {a.lower() for a in answers}, sheet)
        if wrong:
            raise ResponseError(f"{path}: {len(wrong)} problem(s) in the workbook", wrong)
        try:
            frame = workbooks.frame(path, chosen)
        except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
            raise ValueError(unreadable_workbook(path, exc)) from None
        return [str(c) for c in frame.columns], _numbered(iter([frame]), first_row=2), notes
    header, chunks = _open_json(path)
    return header, chunks, []


def _numbered(frames: Iterator[pd.DataFrame], first_row: int) -> Iterator[pd.DataFrame]:
    import pandas as pd

    row = first_row
    for frame in frames:
        frame.index = pd.RangeIndex(row, row + len(frame))
        row += len(frame)
        frame.columns = [str(c) for c in frame.columns]
        if frame.shape[1] and frame.iloc[:, 0].notna().all():  # no row is blank: fast
            yield frame
        else:
            yield frame.dropna(how="all")


def _open_json(path: Path) -> tuple[list[str], Iterator[pd.DataFrame]]:
    import pandas as pd

    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("responses"), list):
        data = data["responses"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValueError('expected a list of respondent objects, or {"responses": [...]}')
    rows = []
    nested: list[Problem] = []
    for number, record in enumerate(data, 1):
        row = {k: v for k, v in record.items() if k not in ("answers", "comments")}
        answers = record.get("answers", {})
        comments = record.get("comments", {})
        if not isinstance(answers, dict) or not isinstance(comments, dict):
            raise ValueError("'answers' and 'comments' must be objects keyed by item id")
        row.update(answers)
        row.update({f"{k}{COMMENT_SUFFIX}": v for k, v in comments.items()})
        nested += [
            Problem(
                str(path),
                f"holds {'an object' if isinstance(v, dict) else 'a list'}: expected one "
                "value, text or a number",
                row=number,
                column=str(k),
            )
            for k, v in row.items()
            if isinstance(v, dict | list)
        ][: LIMIT - len(nested)]
        rows.append(row)
    if nested:
        raise ResponseError(f"{path}: {len(nested)} value(s) that are not single values", nested)
    frame = pd.DataFrame(rows, dtype=object)
    return [str(c) for c in frame.columns], _numbered(iter([frame]), first_row=1)


_MANGLED = re.compile(r"^(.+)\.(\d+)$")
#: A text pat wrote with an apostrophe so that a spreadsheet would not run it as a formula.
_NEUTRALISED = re.compile(r"^'[=+\-@\t\r]")


class _Columns:
    """What each column of a file holds: an item, a comment, or a respondent attribute."""

    def __init__(self, instrument: Instrument, file: str, header: list[str]) -> None:
        self.problems: list[Problem] = []
        items = {i.lower(): i for i in instrument.item_ids}
        self.items: dict[str, str] = {}
        self.comments: dict[str, str] = {}
        self.attributes: dict[str, str] = {}
        self.respondent: str | None = None
        names: dict[str, str] = {}
        given = set(header)
        for column in header:
            copy = _MANGLED.match(column)
            if copy is not None and copy[1] in given:  # pandas names a second 'P1A' 'P1A.1'
                self.problems.append(
                    Problem(file, f"a second column named '{copy[1]}'", column=copy[1])
                )
                continue
            plain = column.strip()
            plain = plain[1:] if _NEUTRALISED.match(plain) else plain  # as pat wrote it
            key = ALIASES.get(plain.lower(), plain.lower())
            if key in names:
                self.problems.append(
                    Problem(
                        file, f"column '{column}' repeats column '{names[key]}'", column=column
                    )
                )
                continue
            names[key] = column
            if key in items:
                self.items[column] = items[key]
            elif key.endswith(COMMENT_SUFFIX) and key[: -len(COMMENT_SUFFIX)] in items:
                self.comments[column] = items[key[: -len(COMMENT_SUFFIX)]]
            elif key == RESPONDENT:
                self.respondent = column
            elif key.startswith("unnamed:") or not key:
                continue
            else:
                self.attributes[column] = key if key in STANDARD_ATTRIBUTES else plain
        self.long = all(k in names for k in LONG_COLUMNS) and not self.items
        if self.long:
            self.item_column, self.answer_column = names["item"], names["answer"]
            for key in LONG_COLUMNS:
                self.attributes.pop(names[key], None)
            if self.respondent is None:
                self.problems.append(
                    Problem(file, "a long file (one row per answer) needs a 'respondent' column")
                )
        elif self.items and len(self.items) * 2 < len(items):
            self._mostly_missing(instrument, file)
        elif not self.items:
            example = ", ".join(instrument.item_ids[:3])
            self.problems.append(
                Problem(
                    file,
                    f"no answer columns for {instrument.id}: expected "
                    f"columns named by item id ({example}, …) or the "
                    "long layout respondent,item,answer",
                )
            )

    def _mostly_missing(self, instrument: Instrument, file: str) -> None:
        """Most statements without a column while other columns are unexplained: the file is
        likely another tool's, read wrong, so it is refused rather than scored as blanks."""
        extra = [c for c, name in self.attributes.items() if name not in STANDARD_ATTRIBUTES]
        if len(extra) < 3:
            return
        shown = ", ".join(extra[:4]) + (" …" if len(extra) > 4 else "")
        self.problems.append(
            Problem(
                file,
                f"only {len(self.items)} of {len(instrument.item_ids)} statements have a column "
                f"and {len(extra)} columns are not item ids ({shown}): if another tool wrote "
                f"the file, say which with --from TOOL, or match the columns with "
                f"`pat map {instrument.id} {file}`",
            )
        )


class _Answers:
    """Turns raw cells into values and states for one scale, collecting problems."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems

    def convert(self, cells: pd.Series, item: Item, column: str) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np
        import pandas as pd

        if pd.api.types.is_numeric_dtype(cells.dtype) and not pd.api.types.is_bool_dtype(
            cells.dtype
        ):
            return self._numbers(cells, item, column)
        codes, uniques = pd.factorize(cells, use_na_sentinel=True)
        lookup = item.scale.lookup()
        unique_values = np.full(len(uniques) + 1, np.nan, dtype=np.float32)
        unique_states = np.full(len(uniques) + 1, BLANK, dtype=np.int8)
        bad: list[int] = []
        for k, raw in enumerate(uniques):
            key = _cell_text(raw)
            if key == "":
                continue
            if _NEUTRALISED.match(key):
                key = key[1:]
            option = lookup.get(key.lower()) or lookup.get(_number_text(key))
            if option is None:
                bad.append(k)
            elif option.value is not None:
                unique_values[k], unique_states[k] = option.value, ANSWERED
            else:
                unique_states[k] = _STATE_OF_MISSING[option.missing or ""]
        values, states = unique_values[codes], unique_states[codes]  # code -1 picks the blank
        if bad:
            self._report(cells, codes, uniques, bad, item, column)
        return values, states

    def _numbers(self, cells: pd.Series, item: Item, column: str) -> tuple[np.ndarray, np.ndarray]:
        """A column that holds only numbers: checked against the scale's values at once."""
        import numpy as np

        values = cells.to_numpy(dtype=np.float32, na_value=np.nan)
        blank = np.isnan(values)
        allowed = np.array([o.value for o in item.scale.scoring], dtype=np.float32)
        bad = ~blank & ~np.isin(values, allowed)
        states = np.where(blank, BLANK, ANSWERED).astype(np.int8)
        if bad.any() and not values.flags.writeable:  # a view of what pyarrow read
            values = values.copy()
        if bad.any() and item.scale.has_missing_options:  # a code such as -99 for Don't know
            lookup = item.scale.lookup()
            for number in np.unique(values[bad]):
                option = lookup.get(format_number(float(number)))
                if option is not None and option.missing:
                    hit = values == number
                    states[hit] = _STATE_OF_MISSING[option.missing]
                    values[hit] = np.nan
                    bad &= ~hit
        if bad.any():
            uniques = [float(u) for u in np.unique(values[bad])]
            codes = np.full(len(values), -1)
            codes[bad] = np.searchsorted(uniques, values[bad])
            self._report(cells, codes, uniques, list(range(len(uniques))), item, column)
            values[bad] = np.nan
            states[bad] = BLANK
        return values, states

    def _report(
        self,
        cells: pd.Series,
        codes: np.ndarray,
        uniques: Any,
        bad: list[int],
        item: Item,
        column: str,
    ) -> None:
        import numpy as np

        positions = np.isin(codes, bad).nonzero()[0]
        expected = f"expected {item.scale.describe()}"
        for position in positions[:PER_COLUMN_LIMIT]:
            raw = uniques[codes[position]]
            self.problems.append(
                Problem(
                    self.file,
                    f"'{invisible.visible(_cell_text(raw))}' is not an answer on the "
                    f"{item.scale.title or item.scale.id} scale; {expected}",
                    row=int(cells.index[position]),
                    column=column,
                )
            )
        if len(positions) > PER_COLUMN_LIMIT:
            self.problems.append(
                Problem(
                    self.file,
                    f"… {len(positions) - PER_COLUMN_LIMIT} more bad answers in this column",
                    column=column,
                )
            )


def _number_text(text: str) -> str:
    """A number typed as text ('4.0', ' 4 ') in the form scale values are looked up by."""
    try:
        return format_number(float(text))
    except ValueError:
        return text


def _cell_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int | float):
        return format_number(float(raw))
    return str(raw).strip()


class _WideReader:
    """One row per respondent, one column per item."""

    def __init__(self, instrument: Instrument, file: str, columns: _Columns) -> None:
        self.instrument, self.file, self.columns = instrument, file, columns
        self.cleaned: set[str] = set()  # columns where invisible characters were removed

    def read(self, chunks: Iterator[pd.DataFrame], problems: list[Problem]) -> _Part:
        import numpy as np
        import pandas as pd

        answers = _Answers(self.file, problems)
        items = {self.columns.items[c]: c for c in self.columns.items}
        blocks = _Blocks(self.instrument)
        ids: list[pd.Series] = []
        attributes: list[pd.DataFrame] = []
        comments: list[pd.DataFrame] = []
        rows: list[np.ndarray] = []
        for chunk in chunks:
            rows.append(chunk.index.to_numpy())
            ids.append(self._ids(chunk, problems))
            attributes.append(
                _text(chunk[list(self.columns.attributes)], self.cleaned).rename(
                    columns=self.columns.attributes
                )
            )
            if self.columns.comments:
                comments.append(
                    _text(chunk[list(self.columns.comments)], self.cleaned, lines=True).rename(
                        columns=self.columns.comments
                    )
                )
            block = blocks.new(len(chunk), complete=len(items) == len(blocks.columns))
            for item_id, column in items.items():
                v, s = answers.convert(chunk[column], self.instrument.item(item_id), column)
                blocks.put(block, item_id, v, s)
        chunk = pd.DataFrame()  # the last cells as read let go while the table is made
        index = pd.Index(
            pd.concat(ids, ignore_index=True) if ids else [], name=RESPONDENT, dtype=object
        )
        values, states = blocks.frames(index)
        return _Part(
            self.file,
            _concat(attributes, index),
            values,
            states,
            _concat(comments, index).dropna(how="all") if comments else None,
            np.concatenate(rows) if rows else np.array([], int),
            self._notes(items),
        )

    def _ids(self, chunk: pd.DataFrame, problems: list[Problem]) -> pd.Series:
        import pandas as pd

        if self.columns.respondent is None:
            stem = Path(self.file).stem
            return pd.Series([f"{stem}-{row}" for row in chunk.index], dtype=object)
        ids = _text(chunk[[self.columns.respondent]], self.cleaned).iloc[:, 0]
        for row in ids.index[ids.isna()][:PER_COLUMN_LIMIT]:
            problems.append(
                Problem(
                    self.file,
                    "respondent id is blank",
                    row=int(row),
                    column=self.columns.respondent,
                )
            )
        return ids.reset_index(drop=True)

    def _notes(self, present: dict[str, str]) -> list[str]:
        notes = []
        absent = [i for i in self.instrument.item_ids if i not in present]
        if absent:
            shown = ", ".join(absent[:8]) + (" …" if len(absent) > 8 else "")
            notes.append(
                f"{self.file}: no column for {len(absent)} item(s) ({shown}); "
                "they are treated as unanswered"
            )
        extra = [
            c for c, name in self.columns.attributes.items() if name not in STANDARD_ATTRIBUTES
        ]
        if extra:
            notes.append(f"{self.file}: kept as respondent attributes: {', '.join(extra)}")
        return [*notes, *_cleaned_note(self.file, self.cleaned)]


class _LongReader:
    """One row per answer: respondent, item, answer, and optional attribute columns."""

    def __init__(self, instrument: Instrument, file: str, columns: _Columns) -> None:
        self.instrument, self.file, self.columns = instrument, file, columns
        self.cleaned: set[str] = set()  # columns where invisible characters were removed

    def read(self, chunks: Iterator[pd.DataFrame], problems: list[Problem]) -> _Part | None:
        import numpy as np
        import pandas as pd

        frame = pd.concat(list(chunks))
        c = self.columns
        respondent = _text(frame[[c.respondent]], self.cleaned).iloc[:, 0]
        for row in respondent.index[respondent.isna()][:PER_COLUMN_LIMIT]:
            problems.append(
                Problem(self.file, "respondent id is blank", row=int(row), column=c.respondent)
            )
        items = {i.lower(): i for i in self.instrument.item_ids}
        item_ids = frame[c.item_column].map(lambda v: items.get(_cell_text(v).lower()))
        for row in item_ids.index[item_ids.isna()][: PER_COLUMN_LIMIT * 4]:
            problems.append(
                Problem(
                    self.file,
                    f"unknown item '{invisible.visible(_cell_text(frame.at[row, c.item_column]))}'"
                    f" (items: {', '.join(self.instrument.item_ids[:6])}, …)",
                    row=int(row),
                    column=c.item_column,
                )
            )
        pairs = pd.DataFrame({"r": respondent, "i": item_ids})
        for row in pairs.index[pairs.duplicated() & item_ids.notna()][: PER_COLUMN_LIMIT * 4]:
            problems.append(
                Problem(
                    self.file,
                    f"a second answer to {item_ids[row]} for respondent '{respondent[row]}'",
                    row=int(row),
                    column=c.item_column,
                )
            )
        order = list(dict.fromkeys(respondent.dropna()))
        index = pd.Index(order, name=RESPONDENT, dtype=object)
        position = pd.Series(range(len(order)), index=order)
        answers = _Answers(self.file, problems)
        blocks = _Blocks(self.instrument)
        block = blocks.new(len(order))
        for item_id, group in frame.groupby(item_ids, sort=False):
            v, s = answers.convert(
                group[c.answer_column], self.instrument.item(item_id), c.answer_column
            )
            where = position.reindex(respondent[group.index]).to_numpy(dtype=float)
            keep = ~np.isnan(where)
            blocks.put(block, item_id, v[keep], s[keep], where[keep].astype(int))
        values, states = blocks.frames(index)
        attributes = self._attributes(frame, respondent, index, problems)
        first_rows = respondent.reset_index().drop_duplicates(respondent.name)
        rows = first_rows.set_index(respondent.name).reindex(order).iloc[:, 0].to_numpy()
        return _Part(
            self.file,
            attributes,
            values,
            states,
            None,
            rows,
            _cleaned_note(self.file, self.cleaned),
        )

    def _attributes(
        self, frame: pd.DataFrame, respondent: pd.Series, index: pd.Index, problems: list[Problem]
    ) -> pd.DataFrame:
        table = _text(frame[list(self.columns.attributes)], self.cleaned).rename(
            columns=self.columns.attributes
        )
        table.insert(0, RESPONDENT, respondent)
        table = table.dropna(subset=[RESPONDENT])
        for name in table.columns[1:]:
            counts = table.dropna(subset=[name]).groupby(RESPONDENT)[name].nunique()
            for rid in counts.index[counts > 1][:PER_COLUMN_LIMIT]:
                row = table.index[(table[RESPONDENT] == rid)][-1]
                problems.append(
                    Problem(
                        self.file,
                        f"respondent '{rid}' has more than one {name}",
                        row=int(row),
                        column=name,
                    )
                )
        first = table.groupby(RESPONDENT, sort=False).first()
        return first.reindex(index)


def _cleaned_note(file: str, cleaned: set[str]) -> list[str]:
    if not cleaned:
        return []
    return [
        f"{file}: invisible characters (control characters such as a pasted line break or "
        f"a terminal code) were removed from {', '.join(sorted(cleaned))}"
    ]


def _text(
    frame: pd.DataFrame, cleaned: set[str] | None = None, lines: bool = False
) -> pd.DataFrame:
    """Cells as stripped text (pandas' string dtype), missing for blanks.

    Invisible characters (`pat_framework.invisible`) become spaces, line breaks too unless
    `lines` (comments); the names of the columns where any were found are added to
    `cleaned`. A leading apostrophe that pat put before a formula-like text is dropped.
    """
    import numpy as np
    import pandas as pd

    columns = {}
    for name in frame.columns:
        column = frame[name]
        if isinstance(column.dtype, pd.StringDtype):  # text columns of a CSV: vectorised
            columns[name] = _stripped(column, name, cleaned, lines)
            continue
        if isinstance(column.dtype, pd.CategoricalDtype) and isinstance(
            column.cat.categories.dtype, pd.StringDtype
        ):  # a CSV's organisation, level, round: each distinct text done once
            columns[name] = _categories_stripped(column, name, cleaned, lines)
            continue
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
        texts = [_cell_text(u) for u in uniques]
        if any(invisible.has_invisible(u, lines) for u in texts):
            texts = [invisible.clean(u, lines) for u in texts]
            if cleaned is not None:
                cleaned.add(str(name))
        texts = [u[1:] if _NEUTRALISED.match(u) else u for u in texts]
        values = np.array([*(u or None for u in texts), None], dtype=object)
        columns[name] = pd.Series(values[codes], index=frame.index, dtype="str")
    return pd.DataFrame(columns, index=frame.index, columns=frame.columns)


def _stripped(column: pd.Series, name: Any, cleaned: set[str] | None, lines: bool) -> pd.Series:
    """Text cells stripped, cleaned of invisible characters and of pat's apostrophe."""
    stripped = column.str.strip()
    pattern = invisible.IN_PROSE if lines else invisible.PATTERN
    if stripped.str.contains(pattern, regex=True).fillna(False).any():
        stripped = stripped.map(lambda v: invisible.clean(v, lines), na_action="ignore")
        if cleaned is not None:
            cleaned.add(str(name))
    quoted = stripped.str.match(_NEUTRALISED).fillna(False)
    if quoted.any():
        stripped = stripped.mask(quoted, stripped.str.slice(1))
    return stripped.mask(stripped == "")


def _categories_stripped(
    column: pd.Series, name: Any, cleaned: set[str] | None, lines: bool
) -> pd.Series:
    """`_stripped` of a categorical column, worked out on its distinct texts and spread
    to its cells with pyarrow (no Python object per cell)."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    kind = column.cat.categories.dtype
    done = _stripped(pd.Series(column.cat.categories, dtype=kind), name, cleaned, lines)
    table = pa.array([*(None if pd.isna(v) else str(v) for v in done), None], pa.string())
    codes = column.cat.codes.to_numpy()
    cells = table.take(pa.array(np.where(codes < 0, len(done), codes)))
    return pd.Series(cells.to_pandas().array, index=column.index, dtype=kind)


def _concat(frames: list[pd.DataFrame], index: pd.Index) -> pd.DataFrame:
    import pandas as pd

    if not frames:
        return pd.DataFrame(index=index)
    joined = pd.concat(frames, ignore_index=True)
    joined.index = index
    return joined


class _Blocks:
    """Answers gathered as 2-D blocks (rows × every item), joined once at the end."""

    def __init__(self, instrument: Instrument) -> None:
        self.columns = {item_id: k for k, item_id in enumerate(instrument.item_ids)}
        self.track_states = any(i.scale.has_missing_options for i in instrument.items)
        self.values: list[np.ndarray] = []
        self.states: list[np.ndarray] = []

    def new(self, rows: int, complete: bool = False) -> int:
        """A block for `rows` respondents; `complete` when every item column will be put."""
        import numpy as np

        shape = (rows, len(self.columns))
        if complete:  # no need to pre-fill what will be overwritten
            self.values.append(np.empty(shape, dtype=np.float32, order="F"))
            if self.track_states:
                self.states.append(np.empty(shape, dtype=np.int8, order="F"))
            return len(self.values) - 1
        self.values.append(np.full(shape, np.nan, dtype=np.float32, order="F"))
        if self.track_states:
            self.states.append(np.full(shape, BLANK, dtype=np.int8, order="F"))
        return len(self.values) - 1

    def put(
        self,
        block: int,
        item_id: str,
        values: np.ndarray,
        states: np.ndarray,
        rows: np.ndarray | slice = slice(None),
    ) -> None:
        k = self.columns[item_id]
        self.values[block][rows, k] = values
        if self.track_states:
            self.states[block][rows, k] = states

    def frames(self, index: pd.Index) -> tuple[pd.DataFrame, pd.DataFrame | None]:
        import numpy as np
        import pandas as pd

        def join(blocks: list[np.ndarray], dtype: type) -> np.ndarray:
            if len(blocks) == 1:
                return blocks.pop()
            if not blocks:
                return np.empty((0, len(self.columns)), dtype=dtype)
            joined = np.concatenate(blocks, axis=0)
            blocks.clear()
            return joined

        names = list(self.columns)
        values = pd.DataFrame(
            join(self.values, np.float32), index=index, columns=names, copy=False
        )
        if not self.track_states:
            return values, None
        return values, pd.DataFrame(
            join(self.states, np.int8), index=index, columns=names, copy=False
        )
