"""Convert an XLSForm (https://xlsform.org; .xlsx, .xls or .ods) into an instrument:
`select_one` questions become items, groups become sections, choice lists become scales.

The rules, also in docs/instrument-format.md:
- Types are read as pyxform reads them, with its spellings (`select one from LIST`,
  `select1 LIST`, `begin_group`, `begin lgroup` ...). A `select_one LIST` question is an
  item; its label is the statement, its hint the guidance.
- `begin group` ... `end group` is a section (the innermost group holding the question);
  questions outside any group go to one section, `main`. A KoboToolbox rating group
  (`begin_score` with `kobo--score-choices` naming the list, one `score__row` per
  statement, `end_score`) is a section too: each row a statement on that list.
- A choice list's answers score their names when every name is a number; otherwise they
  score by their order in the list, the first 1. Answers that say "Don't know" (or
  "not sure") are `dont_know`; "Not applicable", "Refused", "Prefer not to say" or "No
  answer" are `not_applicable`; so are the usual missing-value codes (-99, -9, 99, 98,
  999, ...) when the list's other names are numbers that do not reach them, or are not
  numbers. None of them scores; a note names each.
- A question about the respondent (named or labelled organisation, organization, org,
  level, role, round or wave) is never a statement: its answers belong in the response
  file as an attribute column (`organisation`, `level`, `role`, `round`), which a note says.
- An item id that is one of pat's own response-file columns (`respondent`, `date`, `item`,
  `answer`, ...) is an error naming the row: the form's export would put answers under a
  column pat reads as something else.
- Labels and hints are read in one language (`--language`, else the form's
  `default_language`, else the plain `label` column, else the first language); a cell
  left blank in that language is read in the default one, with a note.
- Skipped with a note: `select_multiple`; `select_one` inside a repeat (a repeat asks its
  questions any number of times per respondent, pat takes one answer per statement);
  `select_one` with a `choice_filter` (a cascading select: its choices hang on an earlier
  answer); `select_one_from_file` and `select_one_external` (their choices are not in the
  form); `rank` and Kobo `begin_rank` groups (rankings order choices, they do not score
  statements); `text`, `integer` and other types (not scored).
"""

from __future__ import annotations

import re
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
from pat_framework.responses import ALIASES, LONG_COLUMNS, RESPONDENT, STANDARD_ATTRIBUTES

DEFAULT_SECTION = "main"
_MISSING_TEXT = {
    DONT_KNOW: re.compile(r"\b(don'?t|do not|dont) know\b|\bnot sure\b|\bcan'?t say\b", re.I),
    NOT_APPLICABLE: re.compile(
        r"\bnot applicable\b|^n/?a$|\bdoes not apply\b|\brefused?\b|\bprefer(s)? not to\b"
        r"|\bdeclined?\b|\bno (answer|response)\b",
        re.I,
    ),
}
_MISSING_NAMES = {
    DONT_KNOW: {"dk", "dont_know", "don_t_know", "do_not_know", "not_sure"},
    NOT_APPLICABLE: {"na", "n_a", "not_applicable", "refused", "refuse", "rf", "no_answer"},
}
#: Choice names that surveys use for "no answer" rather than for a score.
SENTINEL_CODES = {-999, -99, -98, -97, -9, -8, -7, 77, 88, 97, 98, 99, 777, 888, 997, 998, 999}
_KIND_WORDS = {DONT_KNOW: "don't know", NOT_APPLICABLE: "not applicable"}
#: Questions about the respondent, by name or label, and the response-file column they fill.
RESPONDENT_QUESTIONS = {
    "organisation": "organisation",
    "organization": "organisation",
    "org": "organisation",
    "level": "level",
    "role": "role",
    "round": "round",
    "wave": "round",
}
#: Column names a response file gives a meaning of its own.
PAT_COLUMNS = (RESPONDENT, *STANDARD_ATTRIBUTES, *ALIASES, *LONG_COLUMNS)
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
_KOBO_CONTROL = re.compile(r"^(?P<verb>begin|end)[ _](?P<kind>score|rank)$", re.I)
_SKIP_WHY = {
    "select all that apply": "select_multiple is not supported (pat scores one answer per "
    "statement; split it into select_one questions)",
    "select from file": "its choices are in the file {list}, not in the form, so pat cannot "
    "make a scale of them (copy them into the choices sheet and use select_one LIST)",
    "select one external": "its choices are on the external_choices sheet, outside the form "
    "(copy them into the choices sheet and use select_one LIST)",
    "rank": "a ranking orders choices, it does not score statements",
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


@dataclass(frozen=True)
class AttributePlan:
    """A question about the respondent: its name in the form and the column it fills."""

    name: str
    column: str
    row: int


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
    attributes: list[AttributePlan] = field(default_factory=list)


@dataclass
class _Group:
    kind: str  # "group", "repeat", "score" or "rank"
    name: str
    label: str
    row: int
    list: str = ""


class _Text:
    """Labels and hints of one sheet in the chosen language; a cell left blank there is
    read in the fallback language, then in the plain column, and the row remembered."""

    def __init__(self, sheet: Sheet, chosen: str | None, fallback: str | None) -> None:
        self.sheet, self.chosen, self.fallback = sheet, chosen, fallback
        self.fell_back: dict[tuple[str, str | None], list[int]] = {}

    def key(self, column: str) -> str | None:
        """The column of `column` in the chosen language, if the sheet has one."""
        return self.sheet.localised(column, self.chosen)

    def get(self, row: Row, column: str) -> str:
        sources = [self.chosen]
        if self.chosen is not None:
            sources += [self.fallback, None, *self.sheet.languages(column)]
        for k, language in enumerate(dict.fromkeys(sources)):
            key = self.sheet.localised(column, language)
            text = row.get(key) if key else ""
            if text:
                if k:
                    self.fell_back.setdefault((column, language), []).append(row.number)
                return text
        return ""

    def notes(self) -> list[Problem]:
        """One note per column and language its blank cells were read in instead."""
        return [
            self.sheet.problem(
                None,
                self.key(column),
                f"{len(rows)} {column}(s) not given in {self.chosen}, read in "
                f"{language or 'the plain ' + column + ' column'} instead (rows "
                f"{', '.join(map(str, rows))})",
            )
            for (column, language), rows in self.fell_back.items()
        ]


def read_xlsform(
    path: Path,
    language: str | None = None,
    instrument_id: str | None = None,
    every_language: bool = False,
) -> FormPlan:
    """Read and check an XLSForm; raise XLSFormError naming each bad sheet, row and column.
    `every_language`: the other languages are read too (no note that they are left out)."""
    from pyxform.aliases import yes_no  # type: ignore[import-untyped]

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
    default = settings.get("default_language", "")
    chosen = _language(survey, language, default, [] if every_language else notes)
    fallback = _language(survey, None, default, []) if language else chosen
    if survey.localised("label", chosen) is None:
        problems += survey.require("label")
    if problems:
        raise XLSFormError(f"{path}: {len(problems)} problem(s) in the XLSForm", problems)
    walk = _SurveyWalk(survey, _Text(survey, chosen, fallback))
    walk.run()
    problems, notes = walk.problems, notes + walk.notes
    choices = sheets.get("choices")
    choice_text = _Text(choices, chosen, fallback) if choices else None
    duplicates_allowed = yes_no.get(settings.get("allow_choice_duplicates", ""), False)
    scales = _scales(choices, choice_text, survey, walk.lists, duplicates_allowed, problems, notes)
    notes += walk.text.notes() + (choice_text.notes() if choice_text else [])
    if problems:
        raise XLSFormError(f"{path}: {len(problems)} problem(s) in the XLSForm", problems)
    sections = [s for s in walk.sections if s.items]
    if not sections:
        raise PatError(f"{path}: {_nothing_to_score(walk, len(notes))}")
    title = settings.get("title") or settings.get("id_string") or path.stem
    ident = instrument_id or suggest_id(settings.get("id_string") or path.stem)
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
        attributes=walk.attributes,
    )


def read_xlsform_languages(
    path: Path, instrument_id: str | None = None
) -> tuple[FormPlan, dict[str, FormPlan]]:
    """The form read in its default language, and in each other language of its label
    columns by BCP 47 tag; a language column without a tag, as in 'English (en)', is an
    error (pat names languages by tag)."""
    from pat_framework.languages import TAG

    first = read_xlsform(path, None, instrument_id, every_language=True)
    sheets = read_workbook(path)
    columns = sheets["survey"].languages("label")
    tags: dict[str, str] = {}
    for column in columns:
        tag = column.rpartition("(")[2].rstrip(")").strip() if column.endswith(")") else ""
        if not TAG.match(tag):
            raise PatError(
                f"{path}: the survey's 'label::{column}' column names no language tag: name "
                "each language as XLSForm advises, 'English (en)', 'Cymraeg (cy)'"
            )
        tags[column] = tag
    if first.language is None or first.language not in tags:
        raise PatError(
            f"{path}: the form has one language only: import it without --all-languages"
        )
    others = {
        tags[column]: read_xlsform(path, column, instrument_id)
        for column in columns
        if column != first.language
    }
    first.language = tags[first.language]
    return first, others


def _nothing_to_score(walk: _SurveyWalk, skipped: int) -> str:
    if walk.in_repeats:
        rows = ", ".join(map(str, walk.in_repeats))
        return (
            f"no select_one question outside a repeat, so nothing to score: the "
            f"{len(walk.in_repeats)} select_one question(s) (rows {rows}) are inside repeats, "
            "which ask them any number of times per respondent, and pat scores one answer per "
            "respondent to each statement (move them out of the repeat to score them)"
        )
    return (
        f"no select_one questions, so nothing to score ({skipped} row(s) skipped: run with a "
        "form that has select_one questions)"
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


def _parse_type(raw: str) -> tuple[str, str, str]:
    """(kind, list name, 'or other' words) of a type as pyxform reads it; kind is one of
    pyxform's select kinds, 'begin group' and the like, 'score row', 'rank level' or ''."""
    from pyxform.aliases import control, select, select_from_file
    from pyxform.xls2json import (  # type: ignore[import-untyped]
        RE_BEGIN_CONTROL,
        RE_END_CONTROL,
        RE_SELECT,
    )

    if raw.lower() in select:  # the command without its list
        return select[raw.lower()], "", ""
    for text in (raw, raw.lower()):
        match = RE_SELECT.match(text)
        if match:
            command = match["select_command"]
            kind = "select from file" if command in select_from_file else select[command]
            start, end = match.span("list_name")
            return kind, raw[start:end], match["specify_other"] or ""
        match = RE_BEGIN_CONTROL.match(text) or RE_END_CONTROL.match(text)
        if match:
            verb = "begin" if match.groupdict().get("begin") else "end"
            kind = "group" if control[match["type"]] == "group" else "repeat"
            return f"{verb} {kind}", "", ""
        match = _KOBO_CONTROL.match(text)
        if match:
            return f"{match['verb'].lower()} {match['kind'].lower()}", "", ""
    folded = raw.lower()
    if folded in ("score__row", "rank__level"):
        return folded.replace("__", " "), "", ""
    return "", "", ""


def respondent_column(*texts: str) -> str | None:
    """The response-file column a question about the respondent fills ('organisation' for
    a question named org or labelled 'Your organisation:'), or None."""
    for text in texts:
        words = re.findall(r"[a-z]+", text.lower())
        while words and words[0] in ("your", "my", "the", "respondent", "respondents", "s"):
            words = words[1:]
        if words and words[-1] == "name":
            words = words[:-1]
        if len(words) == 1 and words[0] in RESPONDENT_QUESTIONS:
            return RESPONDENT_QUESTIONS[words[0]]
    return None


class _SurveyWalk:
    """Goes down the survey sheet once, keeping the groups open at each row."""

    def __init__(self, survey: Sheet, text: _Text) -> None:
        self.survey = survey
        self.text = text
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []
        self.sections: list[SectionPlan] = []
        self.attributes: list[AttributePlan] = []
        self.in_repeats: list[int] = []  # rows of select_one questions skipped in repeats
        self.lists: dict[str, Row] = {}  # list name -> first row that uses it
        self._open: list[_Group] = []
        self._by_group: dict[int, SectionPlan] = {}
        self._item_rows: dict[str, tuple[int, str]] = {}  # folded id -> (row, id)

    def run(self) -> None:
        for row in self.survey.rows:
            raw = " ".join(row.get("type").split())
            kind, list_name, other = _parse_type(raw)
            name = row.get("name")
            if not raw:
                self._note(row, "type", "no type: row skipped")
            elif kind.startswith(("begin ", "end ")):
                self._control(row, kind, raw)
            elif any(g.kind == "rank" for g in self._open):
                continue  # the levels of a ranking, noted at its begin_rank
            elif raw.lower() in _NOT_QUESTIONS:
                self._note(row, "type", f"'{name or raw}' ({raw}) skipped: not a question")
            elif self._about_respondent(row, raw):
                continue
            elif kind == "select one":
                self._select_one(row, raw, list_name, other)
            elif kind == "score row":
                self._score_row(row)
            elif kind in _SKIP_WHY:
                why = _SKIP_WHY[kind].format(list=list_name)
                self._note(row, "type", f"'{name}' ({raw}) skipped: {why}")
            else:
                self._note(
                    row,
                    "type",
                    f"'{name or raw}' ({raw}) skipped: only select_one questions "
                    "are scored (answers to other questions can stay as extra columns of "
                    "the response file)",
                )
        for group in self._open:
            self.problems.append(
                self.survey.problem(
                    group.row,
                    "type",
                    f"'{_begin(group.kind)}' {group.name} has no '{_end(group.kind)}'",
                )
            )
        self._check_section_ids()

    def _note(self, row: Row, column: str, message: str) -> None:
        self.notes.append(self.survey.problem(row.number, column, message))

    def _about_respondent(self, row: Row, raw: str) -> bool:
        """Note a question about the respondent (never a statement); True if it is one."""
        name = row.get("name")
        labels = [row.get(k) for k, parts in self.survey.tokens.items() if parts[0] == "label"]
        column = respondent_column(name, *labels)
        if column is None:
            return False
        self.attributes.append(AttributePlan(name, column, row.number))
        self._note(
            row,
            "name",
            f"'{name}' ({raw}) is about the respondent, not a statement: not scored. Keep its "
            f"answers in the response file as the column '{column}', to compare groups by",
        )
        return True

    def _control(self, row: Row, kind: str, raw: str) -> None:
        verb, what = kind.split()
        if verb == "begin":
            name = row.get("name")
            if not name:
                self.problems.append(
                    self.survey.problem(row.number, "name", f"a {what} needs a name")
                )
            group = _Group(what, name, self.text.get(row, "label"), row.number)
            self._open.append(group)
            if what == "repeat":
                self._note(
                    row,
                    "type",
                    f"repeat '{name}': its questions are skipped (a repeat asks them any "
                    "number of times per respondent; pat takes one answer per respondent to "
                    "each statement)",
                )
            elif what == "rank":
                self._note(
                    row,
                    "type",
                    f"'{name}' ({raw}) skipped with its rank__level rows: a ranking orders "
                    "choices, it does not score statements",
                )
            elif what == "score":
                group.list = row.get("kobo--score-choices")
                if not group.list:
                    self.problems.append(
                        self.survey.problem(
                            row.number,
                            "kobo--score-choices",
                            f"the rating group '{name}' needs the name of its choice list in "
                            "a column kobo--score-choices",
                        )
                    )
            return
        if not self._open or self._open[-1].kind != what:
            self.problems.append(
                self.survey.problem(
                    row.number, "type", f"'{raw}' has no '{_begin(what)}' above it"
                )
            )
            return
        self._open.pop()

    def _select_one(self, row: Row, raw: str, list_name: str, other: str) -> None:
        name = row.get("name")
        repeat = next((g for g in reversed(self._open) if g.kind == "repeat"), None)
        if repeat is not None:
            self.in_repeats.append(row.number)
            self._note(
                row,
                "type",
                f"'{name}' ({raw}) skipped: it is inside the repeat '{repeat.name}' (row "
                f"{repeat.row}), answered any number of times per respondent; pat scores one "
                "answer per respondent (move it out of the repeat to score it)",
            )
            return
        if row.get("choice_filter"):
            self._note(
                row,
                "choice_filter",
                f"'{name}' ({raw}) skipped: its choices hang on an earlier answer "
                f"({row.get('choice_filter')}), a cascading select such as a place, not a "
                "statement (its answers can stay as an extra column of the response file)",
            )
            return
        if other:
            self._note(row, "type", f"'{name}': the 'other' answer of {other} is left out")
        self._item(row, list_name)

    def _score_row(self, row: Row) -> None:
        group = next((g for g in reversed(self._open) if g.kind in ("score", "repeat")), None)
        if group is None or group.kind != "score":
            if group is None:
                self.problems.append(
                    self.survey.problem(
                        row.number,
                        "type",
                        "a score__row belongs between begin_score and end_score",
                    )
                )
            else:
                self.in_repeats.append(row.number)
                self._note(row, "type", f"'{row.get('name')}' skipped: it is inside a repeat")
            return
        if group.list:
            self._item(row, group.list)

    def _item(self, row: Row, list_name: str) -> None:
        name = row.get("name")
        if not list_name:
            self.problems.append(
                self.survey.problem(
                    row.number,
                    "type",
                    "select_one needs the name of a choice list: select_one LIST",
                )
            )
            return
        text = self.text.get(row, "label")
        if not name:
            self.problems.append(
                self.survey.problem(row.number, "name", "a question needs a name")
            )
            return
        if not text:
            self.problems.append(
                self.survey.problem(
                    row.number,
                    self.text.key("label") or "label",
                    f"'{name}' has no label: a select_one question needs the statement "
                    "people answer",
                )
            )
            return
        item_id = suggest_name(name)
        if not self._check_item_id(row, name, item_id):
            return
        self._item_rows[item_id.lower()] = (row.number, item_id)
        if item_id != name:
            self._note(row, "name", f"'{name}' becomes the item id '{item_id}'")
        self.lists.setdefault(list_name, row)
        item = ItemPlan(item_id, text, list_name, self.text.get(row, "hint"))
        self._section(row).items.append(item)

    def _check_item_id(self, row: Row, name: str, item_id: str) -> bool:
        first = self._item_rows.get(item_id.lower())
        if not item_id:
            why = "it has no letters or digits"
        elif first is not None:
            why = (
                f"row {first[0]} has the item id '{first[1]}' already (ids must differ, "
                "ignoring upper and lower case)"
            )
        elif item_id.lower() in PAT_COLUMNS:
            why = (
                f"pat reads a response-file column '{item_id.lower()}' as its own, not as an "
                f"answer (pat's columns: {', '.join(PAT_COLUMNS)}); rename the question, "
                f"for example '{item_id}_q'"
            )
        else:
            return True
        self.problems.append(
            self.survey.problem(row.number, "name", f"'{name}' cannot be an item id: {why}")
        )
        return False

    def _section(self, row: Row) -> SectionPlan:
        """The section of the innermost open group, or the one for questions in no group."""
        group = next((g for g in reversed(self._open) if g.kind in ("group", "score")), None)
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


def _begin(kind: str) -> str:
    return f"begin_{kind}" if kind in ("score", "rank") else f"begin {kind}"


def _end(kind: str) -> str:
    return f"end_{kind}" if kind in ("score", "rank") else f"end {kind}"


def _scales(
    choices: Sheet | None,
    text: _Text | None,
    survey: Sheet,
    used: dict[str, Row],
    duplicates_allowed: bool,
    problems: list[Problem],
    notes: list[Problem],
) -> dict[str, ScalePlan]:
    """A scale for every choice list a select_one question uses."""
    if not used:
        return {}
    if choices is None or text is None:
        first = next(iter(used.values()))
        problems.append(survey.problem(first.number, "type", "no 'choices' sheet for the lists"))
        return {}
    missing_headers = choices.require("list_name", "name")
    if missing_headers:
        problems += missing_headers
        return {}
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
        scale = _scale(choices, text, name, lists[name], duplicates_allowed, problems)
        if scale is not None:
            notes.append(choices.problem(lists[name][0].number, "list_name", scale.rule))
            scales[name] = scale
    return scales


def _scale(
    choices: Sheet,
    text: _Text,
    name: str,
    rows: list[Row],
    duplicates_allowed: bool,
    problems: list[Problem],
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
            allowed = (
                " (allow_choice_duplicates lets a cascading select repeat names; a scored "
                "list needs each once)"
                if duplicates_allowed
                else ""
            )
            problems.append(
                choices.problem(
                    row.number,
                    "name",
                    f"'{row.get('name')}' is in list '{name}' already (row {seen_names[key]})"
                    + allowed,
                )
            )
        seen_names.setdefault(key, row.number)
    if len(problems) > count:
        return None
    labels = [text.get(row, "label") or row.get("name") for row in rows]
    kinds = _missing_kinds(rows, labels)
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
    for row, label, kind in zip(rows, labels, kinds, strict=True):
        value = value_of.get(row.number)
        code = row.get("name")
        forms = {label.lower(), *([format_number(value)] if value is not None else [])}
        codes = () if (by_name and kind is None) or code.lower() in forms else (code,)
        for form in forms | {c.lower() for c in codes}:
            if form in spelled and spelled[form] != row.number:
                problems.append(
                    choices.problem(
                        row.number,
                        text.key("label") or "name",
                        f"'{form}' also names the answer of row {spelled[form]} in list "
                        f"'{name}': each answer needs a label of its own",
                    )
                )
            spelled.setdefault(form, row.number)
        answers.append(Answer(label, value, codes, kind))
    if len(problems) > count:
        return None
    return ScalePlan(name, answers, _rule(name, answers, rows, by_name))


def _rule(name: str, answers: list[Answer], rows: list[Row], by_name: bool) -> str:
    """The note on how a list's answers score, naming the answers that do not."""
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
    unscored = [
        f"{a.label} ({row.get('name')}) as {_KIND_WORDS[a.missing]}"
        for a, row in zip(answers, rows, strict=True)
        if a.missing
    ]
    if unscored:
        rule += f". Not scored: {', '.join(unscored)}"
    return rule


def _missing_kinds(rows: list[Row], labels: list[str]) -> list[str | None]:
    """For each choice, the kind of non-answer it is (by its words, then by a sentinel code
    the other numeric names do not reach), or None for an answer that scores."""
    kinds = [
        _missing_by_words(row.get("name"), label) for row, label in zip(rows, labels, strict=True)
    ]
    numbers = [_number(row.get("name")) for row in rows]
    for k, number in enumerate(numbers):
        if kinds[k] is not None or number not in SENTINEL_CODES:
            continue
        others = [n for j, n in enumerate(numbers) if j != k and kinds[j] is None]
        numeric = [n for n in others if n is not None]
        if len(numeric) < len(others) or not numeric or not min(numeric) <= number <= max(numeric):
            kinds[k] = NOT_APPLICABLE
    return kinds


def _missing_by_words(name: str, label: str) -> str | None:
    folded_name = re.sub(r"[^a-z0-9]+", "_", name.lower().replace("'", "")).strip("_")
    for kind in (DONT_KNOW, NOT_APPLICABLE):
        if _MISSING_TEXT[kind].search(label.strip()) or folded_name in _MISSING_NAMES[kind]:
            return kind
    return None


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None
