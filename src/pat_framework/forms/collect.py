"""`pat collect`: returned forms and response files merged into one wide response CSV.

Every file is read and checked on its own by the response reader (`responses.py`), so a
bad file is listed with its problems and the good ones are still collected. Answers are
written as the scale's labels, one row per respondent. Running again with more files onto
the same output adds only respondents not already in it: one whose answers and details
match the row already there is counted and skipped; one whose answers differ is reported
as a conflict and the row already there is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pat_framework.errors import PatError, Problem, ResponseError
from pat_framework.forms.xlsx_form import FormAnswers, FormError, is_form, read_form
from pat_framework.languages import ATTRIBUTE as LANGUAGE
from pat_framework.output import inert_frame, refuse_inputs
from pat_framework.responses import (
    ANSWERED,
    COMMENT_SUFFIX,
    DONT_KNOW_STATE,
    NOT_APPLICABLE_STATE,
    RESPONDENT,
    STANDARD_ATTRIBUTES,
    Responses,
    read_responses,
    read_table,
)

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.model import Instrument, Item
    from pat_framework.runtime.registry import Registry

OUTPUT_SUFFIX = ".csv"
_MISSING_STATES = {"dont_know": DONT_KNOW_STATE, "not_applicable": NOT_APPLICABLE_STATE}


@dataclass
class BadFile:
    """A file left out, with every reason found."""

    file: str
    reasons: list[str]


@dataclass
class Conflict:
    """A respondent already collected whose answers or details in `file` are different."""

    respondent: str
    file: str
    where: str
    columns: list[str]


@dataclass
class Collected:
    """What `collect` found: the table to write and an account of every file."""

    instrument: Instrument
    output: Path
    table: pd.DataFrame | None = None
    before: int = 0
    read: int = 0
    added: list[tuple[str, str]] = field(default_factory=list)
    present: list[tuple[str, str, str]] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    bad: list[BadFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No file was bad and no respondent conflicted."""
        return not self.bad and not self.conflicts


def collect(
    registry: Registry, files: Sequence[Path], output: Path, instrument_id: str | None
) -> Collected:
    """Read every file on its own and merge the good ones onto the output's respondents."""
    if output.suffix.lower() != OUTPUT_SUFFIX:
        raise PatError(f"the collected responses are written as CSV: name {output} *.csv")
    refuse_inputs(output, files)
    forms: list[FormAnswers] = []
    plain: list[Path] = []
    bad: list[BadFile] = []
    for path in files:
        if is_form(path):
            try:
                forms.append(read_form(path))
            except FormError as exc:
                bad.append(BadFile(str(path), [str(exc)]))
        else:
            plain.append(path)
    instrument = registry.instrument(_instrument_id(forms, plain, instrument_id))
    for stray in [f for f in forms if f.instrument_id != instrument.id]:
        forms.remove(stray)
        bad.append(
            BadFile(
                stray.file,
                [
                    f"a form of {stray.instrument_id}, not of {instrument.id} like the others: "
                    "collect it into its own output file"
                ],
            )
        )
    result = Collected(instrument, output, bad=bad)
    collected = _previous(instrument, output, result)
    for path in files:
        name = str(path)
        form = next((f for f in forms if f.file == name), None)
        if form is not None:
            frame = _form_frame(instrument, form, result)
        elif path in plain:
            frame = _file_frame(instrument, path, result)
        else:  # a form that could not be read: already listed as bad
            continue
        if frame is not None:
            result.read += 1
            collected = _merge(collected, frame, name, result)
    order = [str(path) for path in files]
    result.bad.sort(key=lambda b: order.index(b.file))
    if result.added:
        result.table = _ordered(instrument, collected)
    return result


def _instrument_id(forms: list[FormAnswers], plain: list[Path], instrument_id: str | None) -> str:
    """The one instrument the files answer: -i, or else the one most forms answer (forms of
    another are then listed as bad files); an error when that is a tie."""
    by_instrument: dict[str, list[str]] = {}
    for form in forms:
        by_instrument.setdefault(form.instrument_id, []).append(form.file)
    counts = sorted((len(where) for where in by_instrument.values()), reverse=True)
    if instrument_id is None and len(counts) > 1 and counts[0] == counts[1]:
        listed = "; ".join(
            f"{ident}: {', '.join(where)}" for ident, where in by_instrument.items()
        )
        raise PatError(
            f"the files answer different instruments ({listed}), as many of each; collect "
            "each instrument into its own output file, or give -i ID"
        )
    if plain and instrument_id is None:
        raise PatError(
            f"give -i ID for {', '.join(map(str, plain))}: unlike a form, a response file "
            "does not say which instrument it answers"
        )
    if instrument_id is None and by_instrument:
        instrument_id = max(by_instrument, key=lambda ident: len(by_instrument[ident]))
    if instrument_id is None:
        raise PatError("no file could be read as a form; give -i ID for response files")
    return instrument_id


def _previous(instrument: Instrument, output: Path, result: Collected) -> pd.DataFrame:
    """The respondents already in the output, or an empty table."""
    import pandas as pd

    if not output.exists():
        return pd.DataFrame(index=pd.Index([], name=RESPONDENT, dtype=object))
    try:
        responses = read_responses(instrument, [output])
    except ResponseError as exc:
        raise ResponseError(
            f"{output} already exists but is not a response file for {instrument.id} that "
            "pat collect can add to; fix it or choose another output file",
            exc.problems,
        ) from None
    table = _wide(responses)
    result.before = len(table)
    return table


def _file_frame(instrument: Instrument, path: Path, result: Collected) -> pd.DataFrame | None:
    try:
        responses = read_responses(instrument, [path])
    except ResponseError as exc:
        result.bad.append(BadFile(str(path), [str(p) for p in exc.problems]))
        return None
    result.notes += responses.notes
    return _wide(responses)


def _form_frame(
    instrument: Instrument, form: FormAnswers, result: Collected
) -> pd.DataFrame | None:
    """A returned form's answers, checked by the response reader like any file."""
    import pandas as pd

    unknown = [i for i in form.answers if i not in instrument.item_ids]
    if unknown:
        result.bad.append(
            BadFile(
                form.file,
                [
                    f"{form.file}: the form asks {', '.join(unknown[:6])}, which {instrument.id} "
                    f"version {instrument.version} does not have (the form was made for "
                    f"version {form.instrument_version}); make a new form"
                ],
            )
        )
        return None
    if form.instrument_version != instrument.version:
        result.notes.append(
            f"{form.file}: made for {instrument.id} version {form.instrument_version}; "
            f"read as version {instrument.version}, whose items it has"
        )
    if all(v is None for v in form.answers.values()):
        result.bad.append(
            BadFile(form.file, [f"{form.file}: no answers: every answer cell is blank"])
        )
        return None
    fields = dict(form.fields)
    if fields.get(RESPONDENT) is None:
        fields[RESPONDENT] = Path(form.file).stem
        result.notes.append(
            f"{form.file}: the respondent code is blank; using '{fields[RESPONDENT]}' "
            "from the file name"
        )
    row = {name: fields.get(name) for name in (RESPONDENT, *STANDARD_ATTRIBUTES)}
    if LANGUAGE in fields:
        row[LANGUAGE] = fields[LANGUAGE]
    row.update(form.answers)
    row.update({f"{i}{COMMENT_SUFFIX}": c for i, c in form.comments.items()})
    frame = pd.DataFrame([row], index=[1], dtype=object)
    try:
        responses = read_table(instrument, frame, form.file)
    except ResponseError as exc:
        result.bad.append(BadFile(form.file, [str(_at_cell(p, form)) for p in exc.problems]))
        return None
    return _wide(responses)


def _at_cell(problem: Problem, form: FormAnswers) -> Problem:
    """A problem with an answer, placed at the form's cell instead of a table column."""
    cell = form.cells.get(problem.column or "")
    if cell is None:
        return problem
    from openpyxl.utils.cell import coordinate_from_string

    letters, row = coordinate_from_string(cell)
    return Problem(problem.file, problem.message, row=row, column=f"{letters} ({problem.column})")


def _wide(responses: Responses) -> pd.DataFrame:
    """One row per respondent: attributes, each answer as its label, comments; cells inert."""
    import pandas as pd

    columns: dict[str, pd.Series] = {}
    for name in responses.attributes.columns:
        column = responses.attributes[name]
        columns[name] = column.astype(object).where(column.notna(), None)
    for item in responses.instrument.items:
        columns[item.id] = pd.Series(
            _labels(item, responses.values[item.id], responses.state_of(item.id)),
            index=responses.values.index,
            dtype=object,
        )
    if responses.comments is not None:
        for item_id in responses.comments.columns:
            column = responses.comments[item_id]
            columns[f"{item_id}{COMMENT_SUFFIX}"] = column.astype(object).where(
                column.notna(), None
            )
    frame = pd.DataFrame(columns, index=responses.values.index)
    frame.index.name = RESPONDENT
    return inert_frame(frame)


def _labels(item: Item, values: pd.Series, states: pd.Series) -> list[str | None]:
    """Each answer written as its option's label; None where there is no answer."""
    import numpy as np

    out = np.full(len(values), None, dtype=object)
    numbers, kinds = values.to_numpy(), states.to_numpy()
    for option in item.scale.options:
        if option.value is not None:
            out[(kinds == ANSWERED) & (numbers == np.float32(option.value))] = option.label
        elif option.missing in _MISSING_STATES:
            out[kinds == _MISSING_STATES[option.missing]] = option.label
    return list(out)


def _merge(
    collected: pd.DataFrame, frame: pd.DataFrame, file: str, result: Collected
) -> pd.DataFrame:
    """Add the file's new respondents; count the identical ones; report the different ones."""
    import pandas as pd

    known = frame.index.isin(collected.index)
    if known.any():
        items = result.instrument.item_ids
        compared = list(dict.fromkeys([*items, *frame.columns]))
        old = collected.reindex(index=frame.index[known], columns=compared).astype(object)
        new = frame.loc[known].reindex(columns=compared).astype(object)
        same = (old == new) | (old.isna() & new.isna())
        for rid, row in same.iterrows():
            where = _origin(collected, rid, result)
            if row.all():
                result.present.append((str(rid), file, where))
            else:
                differ = [c for c in compared if not row[c]]
                result.conflicts.append(Conflict(str(rid), file, where, differ))
    fresh = frame.loc[~known]
    result.added += [(str(rid), file) for rid in fresh.index]
    if not len(fresh):
        return collected
    if not len(collected):
        return fresh
    return pd.concat([collected, fresh])


def _origin(collected: pd.DataFrame, rid: object, result: Collected) -> str:
    """Where a respondent already collected came from: the output, or a file of this run."""
    position = collected.index.get_loc(rid)
    if isinstance(position, int) and position < result.before:
        return str(result.output)
    return next((file for r, file in result.added if r == rid), str(result.output))


def _ordered(instrument: Instrument, collected: pd.DataFrame) -> pd.DataFrame:
    """Columns in the usual order: respondent, attributes, answers, then comments in use."""
    items = instrument.item_ids
    comments = [f"{i}{COMMENT_SUFFIX}" for i in items]
    others = [c for c in collected.columns if c not in items and c not in comments]
    attributes = [*STANDARD_ATTRIBUTES, *(c for c in others if c not in STANDARD_ATTRIBUTES)]
    used = [c for c in comments if c in collected.columns and collected[c].notna().any()]
    table = collected.reindex(columns=[*attributes, *items, *used])
    return table.reset_index()
