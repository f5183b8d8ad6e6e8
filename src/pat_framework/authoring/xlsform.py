"""Convert an XLSForm (https://xlsform.org) into an instrument: `select_one` questions become
items, groups become sections, choice lists become scales.

The rules, also in docs/instrument-format.md:
- A `select_one LIST` question is an item; its label is the statement, its hint the guidance.
- `begin group` ... `end group` is a section (the innermost group holding the question);
  questions outside any group go to one section, `main`.
- A choice list's answers score their names when every name is a number; otherwise they
  score by their order in the list, the first 1. Answers labelled "Don't know" or
  "Not applicable" (or named dk, na) do not score.
- Every other question type is skipped with a note: `select_multiple` and repeats are not
  supported, `text`, `integer` and the like are not scored (keep such answers as extra
  columns of the response file to compare groups by them, like `organisation`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pat_framework.authoring.xlsform_sheets import (
    Row,
    Sheet,
    XLSFormError,
    read_workbook,
    same_language,
)
from pat_framework.errors import PatError, Problem
from pat_framework.instrument.loader import ID_PATTERN
from pat_framework.instrument.suggest import did_you_mean, suggest_id, suggest_name
from pat_framework.model import DONT_KNOW, NOT_APPLICABLE
from pat_framework.render.text import format_number

DEFAULT_SECTION = "main"
_MISSING_WORDS = {
    DONT_KNOW: {"don't know", "dont know", "do not know", "not sure", "dk", "dont_know"},
    NOT_APPLICABLE: {"not applicable", "n/a", "na", "not_applicable", "does not apply"},
}
_CONTROL = {"begin group", "end group", "begin repeat", "end repeat"}
#: Rows that are not questions: metadata the form records and calculations.
_NOT_QUESTIONS = {
    "start",
    "end",
    "today",
    "deviceid",
    "subscriberid",
    "simserial",
    "phonenumber",
    "username",
    "email",
    "audit",
    "calculate",
    "hidden",
    "start-geopoint",
}


@dataclass(frozen=True)
class Answer:
    """One choice of a list as an answer option."""

    label: str
    value: float | None
    codes: tuple[str, ...] = ()
    missing: str | None = None


@dataclass
class ScalePlan:
    """A choice list turned into a scale, with the rule its values follow."""

    name: str
    answers: list[Answer]
    rule: str


@dataclass(frozen=True)
class ItemPlan:
    id: str
    text: str
    scale: str
    guidance: str = ""


@dataclass
class SectionPlan:
    id: str
    title: str
    row: int
    items: list[ItemPlan] = field(default_factory=list)


@dataclass
class FormPlan:
    """Everything read from the form, ready to write as TOML."""

    id: str
    title: str
    version: str
    file_name: str
    language: str | None
    sections: list[SectionPlan]
    scales: dict[str, ScalePlan]
    notes: list[Problem]


@dataclass
class _Group:
    kind: str  # "group" or "repeat"
    name: str
    label: str
    row: int


def read_xlsform(
    path: Path, language: str | None = None, instrument_id: str | None = None
) -> FormPlan:
    """Read and check an XLSForm; raise XLSFormError naming each bad sheet, row and column."""
    if instrument_id is not None and not ID_PATTERN.match(instrument_id):
        raise PatError(
            f"--id '{instrument_id}' cannot be an instrument id: use lower-case letters, "
            f"digits and '-' (for example '{suggest_id(instrument_id) or 'my-form'}')"
        )
    sheets = read_workbook(path)
    survey = sheets.get("survey")
    if survey is None:
        names = ", ".join(s.name for s in sheets.values()) or "none"
        raise PatError(f"{path}: an XLSForm needs a sheet named 'survey' (sheets: {names})")
    settings_sheet = sheets.get("settings")
    settings = settings_sheet.rows[0].cells if settings_sheet and settings_sheet.rows else {}
    problems = survey.require("type", "name")
    notes: list[Problem] = []
    chosen = _language(survey, language, settings.get("default_language", ""), notes)
    label_column = survey.localised("label", chosen)
    if label_column is None:
        problems += survey.require("label")
    if problems:
        raise XLSFormError(f"{path}: {len(problems)} problem(s) in the XLSForm", problems)
    assert label_column is not None
    walk = _SurveyWalk(survey, label_column, survey.localised("hint", chosen) or "hint")
    walk.run()
    problems, notes = walk.problems, notes + walk.notes
    scales = _scales(sheets.get("choices"), survey, walk.lists, chosen, problems, notes)
    if problems:
        raise XLSFormError(f"{path}: {len(problems)} problem(s) in the XLSForm", problems)
    sections = [s for s in walk.sections if s.items]
    if not sections:
        raise PatError(
            f"{path}: no select_one questions, so nothing to score "
            f"({len(notes)} row(s) skipped: run with a form that has select_one questions)"
        )
    title = settings.get("form_title") or settings.get("form_id") or path.stem
    ident = instrument_id or suggest_id(settings.get("form_id") or path.stem)
    if not ident:
        raise PatError(f"{path}: cannot make an instrument id from the form: give --id")
    return FormPlan(
        id=ident,
        title=title,
        version=settings.get("version") or "1",
        file_name=path.name,
        language=chosen,
        sections=sections,
        scales={name: scales[name] for name in _used_lists(sections)},
        notes=notes,
    )


def _used_lists(sections: list[SectionPlan]) -> list[str]:
    """The choice lists the items use, in the order they are first used."""
    return list(dict.fromkeys(item.scale for section in sections for item in section.items))


def _language(survey: Sheet, wanted: str | None, default: str, notes: list[Problem]) -> str | None:
    """The language whose labels are read: the one asked for, the form's default, the plain
    `label` column, or the first language."""
    languages = survey.languages("label")
    if wanted:
        found = next((lang for lang in languages if same_language(lang, wanted)), None)
        if found is None:
            known = ", ".join(languages) or "none: the form has one 'label' column"
            raise PatError(f"{survey.file}: no labels in '{wanted}' (languages: {known})")
        return found
    found = next((lang for lang in languages if default and same_language(lang, default)), None)
    if found is None and "label" not in survey.letters and languages:
        found = languages[0]
    if len(languages) > 1 or (languages and "label" in survey.letters):
        others = [lang for lang in languages if lang != found]
        notes.append(
            survey.problem(
                1,
                None,
                f"labels read in {found or 'the label column'}; the form also has "
                f"{', '.join(others) or 'the label column'} (choose with --language)",
            )
        )
    return found


class _SurveyWalk:
    """Goes down the survey sheet once, keeping the groups open at each row."""

    def __init__(self, survey: Sheet, label_column: str, hint_column: str) -> None:
        self.survey = survey
        self.label_column = label_column
        self.hint_column = hint_column
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.sections: list[SectionPlan] = []
        self.lists: dict[str, Row] = {}  # list name -> first row that uses it
        self._open: list[_Group] = []
        self._by_group: dict[int, SectionPlan] = {}
        self._item_rows: dict[str, tuple[int, str]] = {}  # folded id -> (row, id)

    def run(self) -> None:
        for row in self.survey.rows:
            raw = " ".join(row.get("type").split())
            control = raw.lower().replace("_", " ")
            if not raw:
                self._note(row, "type", "no type: row skipped")
            elif control in _CONTROL:
                self._control(row, control)
            elif raw.split()[0].lower() == "select_one":
                self._select_one(row, raw)
            elif raw.split()[0].lower() == "select_multiple":
                self._note(
                    row,
                    "type",
                    f"'{row.get('name')}' skipped: select_multiple is not supported (pat "
                    "scores one answer per statement; split it into select_one questions)",
                )
            elif raw.lower() in _NOT_QUESTIONS:
                self._note(
                    row, "type", f"'{row.get('name') or raw}' ({raw}) skipped: not a question"
                )
            else:
                self._note(
                    row,
                    "type",
                    f"'{row.get('name') or raw}' ({raw}) skipped: only select_one questions "
                    "are scored (answers to other questions can stay as extra columns of "
                    "the response file)",
                )
        for group in self._open:
            self.problems.append(
                self.survey.problem(
                    group.row,
                    "type",
                    f"'begin {group.kind}' {group.name} has no 'end {group.kind}'",
                )
            )
        self._check_section_ids()

    def _note(self, row: Row, column: str, message: str) -> None:
        self.notes.append(self.survey.problem(row.number, column, message))

    def _control(self, row: Row, control: str) -> None:
        verb, kind = control.split()
        if verb == "begin":
            name = row.get("name")
            if not name:
                self.problems.append(
                    self.survey.problem(row.number, "name", f"a {kind} needs a name")
                )
            self._open.append(_Group(kind, name, row.get(self.label_column), row.number))
            if kind == "repeat":
                self._note(
                    row,
                    "type",
                    f"repeat '{name}': its questions are skipped (pat takes one answer per "
                    "respondent to each statement)",
                )
            return
        if not self._open or self._open[-1].kind != kind:
            self.problems.append(
                self.survey.problem(
                    row.number, "type", f"'{row.get('type')}' has no 'begin {kind}' above it"
                )
            )
            return
        self._open.pop()

    def _select_one(self, row: Row, raw: str) -> None:
        words = raw.split()
        name = row.get("name")
        if any(group.kind == "repeat" for group in self._open):
            self._note(row, "type", f"'{name}' skipped: it is inside a repeat")
            return
        if len(words) < 2:
            self.problems.append(
                self.survey.problem(
                    row.number,
                    "type",
                    "select_one needs the name of a choice list: select_one LIST",
                )
            )
            return
        if len(words) > 2 and words[2].lower() == "or_other":
            self._note(row, "type", f"'{name}': the 'other' answer of or_other is left out")
        text = row.get(self.label_column)
        if not name:
            self.problems.append(
                self.survey.problem(row.number, "name", "a question needs a name")
            )
            return
        if not text:
            self.problems.append(
                self.survey.problem(
                    row.number,
                    self.label_column,
                    f"'{name}' has no label: a select_one question needs the statement "
                    "people answer",
                )
            )
            return
        item_id = suggest_name(name)
        first = self._item_rows.get(item_id.lower())
        if not item_id or first is not None:
            why = (
                f"row {first[0]} has the item id '{first[1]}' already (ids must differ, "
                "ignoring upper and lower case)"
                if first
                else "it has no letters or digits"
            )
            self.problems.append(
                self.survey.problem(row.number, "name", f"'{name}' cannot be an item id: {why}")
            )
            return
        self._item_rows[item_id.lower()] = (row.number, item_id)
        if item_id != name:
            self._note(row, "name", f"'{name}' becomes the item id '{item_id}'")
        self.lists.setdefault(words[1], row)
        item = ItemPlan(item_id, text, words[1], row.get(self.hint_column))
        self._section(row).items.append(item)

    def _section(self, row: Row) -> SectionPlan:
        """The section of the innermost open group, or the one for questions in no group."""
        group = next((g for g in reversed(self._open) if g.kind == "group"), None)
        key = group.row if group else 0
        if key not in self._by_group:
            if group is None:
                section = SectionPlan(DEFAULT_SECTION, "Questions", row.number)
            else:
                section = SectionPlan(
                    suggest_name(group.name), group.label or group.name, group.row
                )
            self._by_group[key] = section
            self.sections.append(section)
        return self._by_group[key]

    def _check_section_ids(self) -> None:
        seen: dict[str, SectionPlan] = {}
        for section in sorted(self.sections, key=lambda s: s.row):
            if not section.items:
                continue
            first = seen.get(section.id.lower())
            if first is not None or not section.id:
                self.problems.append(
                    self.survey.problem(
                        section.row,
                        "name",
                        f"the group cannot be a section: its id '{section.id}' is taken by "
                        f"the section of row {first.row}"
                        if first
                        else "the group's name cannot be a section id",
                    )
                )
            seen[section.id.lower()] = section
        self.sections.sort(key=lambda s: s.row)


def _scales(
    choices: Sheet | None,
    survey: Sheet,
    used: dict[str, Row],
    language: str | None,
    problems: list[Problem],
    notes: list[Problem],
) -> dict[str, ScalePlan]:
    """A scale for every choice list a select_one question uses."""
    if not used:
        return {}
    if choices is None:
        first = next(iter(used.values()))
        problems.append(survey.problem(first.number, "type", "no 'choices' sheet for the lists"))
        return {}
    missing_headers = choices.require("list_name", "name")
    if missing_headers:
        problems += missing_headers
        return {}
    label = choices.localised("label", language) or choices.localised("label", None)
    lists: dict[str, list[Row]] = {}
    for row in choices.rows:
        if row.get("list_name"):
            lists.setdefault(row.get("list_name"), []).append(row)
    scales = {}
    for name, first_use in used.items():
        if name not in lists:
            known = ", ".join(lists) or "none"
            problems.append(
                survey.problem(
                    first_use.number,
                    "type",
                    f"the choices sheet has no list '{name}' (lists: {known})"
                    + did_you_mean(name, lists),
                )
            )
            continue
        scale = _scale(choices, name, lists[name], label, problems)
        if scale is not None:
            notes.append(choices.problem(lists[name][0].number, "list_name", scale.rule))
            scales[name] = scale
    return scales


def _scale(
    choices: Sheet, name: str, rows: list[Row], label: str | None, problems: list[Problem]
) -> ScalePlan | None:
    count = len(problems)
    seen_names: dict[str, int] = {}
    for row in rows:
        key = row.get("name").lower()
        if not key:
            problems.append(
                choices.problem(row.number, "name", f"a choice of '{name}' has no name")
            )
        elif key in seen_names:
            problems.append(
                choices.problem(
                    row.number,
                    "name",
                    f"'{row.get('name')}' is in list '{name}' already (row {seen_names[key]})",
                )
            )
        seen_names.setdefault(key, row.number)
    if len(problems) > count:
        return None
    kinds = [_missing_kind(row, label) for row in rows]
    scoring = [row for row, kind in zip(rows, kinds, strict=True) if kind is None]
    if not scoring:
        problems.append(
            choices.problem(rows[0].number, "name", f"list '{name}' has no answer that scores")
        )
        return None
    numbers = [_number(row.get("name")) for row in scoring]
    by_name = all(n is not None for n in numbers)
    values = numbers if by_name else [float(k) for k in range(1, len(scoring) + 1)]
    value_of = {row.number: value for row, value in zip(scoring, values, strict=True)}
    answers: list[Answer] = []
    spelled: dict[str, int] = {}
    for row, kind in zip(rows, kinds, strict=True):
        text = (row.get(label) if label else "") or row.get("name")
        value = value_of.get(row.number)
        code = row.get("name")
        forms = {text.lower(), *([format_number(value)] if value is not None else [])}
        codes = () if (by_name and kind is None) or code.lower() in forms else (code,)
        for form in forms | {c.lower() for c in codes}:
            if form in spelled and spelled[form] != row.number:
                problems.append(
                    choices.problem(
                        row.number,
                        label or "name",
                        f"'{form}' also names the answer of row {spelled[form]} in list "
                        f"'{name}': each answer needs a label of its own",
                    )
                )
            spelled.setdefault(form, row.number)
        answers.append(Answer(text, value, codes, kind))
    if len(problems) > count:
        return None
    shown = ", ".join(
        f"{a.label} = {format_number(a.value)}" for a in answers if a.value is not None
    )
    rule = (
        f"list '{name}': each answer scores its name, a number ({shown})"
        if by_name
        else f"list '{name}': the names are not all numbers, so answers score by their order "
        f"in the list, the first 1 ({shown}). Check this; if a higher score should mean "
        "better, swap the values in the file"
    )
    return ScalePlan(name, answers, rule)


def _missing_kind(row: Row, label: str | None) -> str | None:
    for text in (row.get(label) if label else "", row.get("name")):
        folded = text.strip().lower().replace("\u2019", "'")
        for kind, words in _MISSING_WORDS.items():
            if folded in words:
                return kind
    return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
