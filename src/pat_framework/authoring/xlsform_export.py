"""An instrument as an XLSForm (https://xlsform.org) for KoboToolbox, ODK and Enketo.

`xlsform_sheets` lays the form out as rows of text per sheet; `xlsform_workbook` writes them
as an .xlsx file. The names are chosen so that the tool's export reads back into pat with
no map: each statement is a `select_one` named by its item id, each choice of a scale is
named by its value (a number) or, for an answer that does not score, by its code (DK, NA),
and the choice labels are the scale's labels, which pat accepts as answers too.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from string import ascii_uppercase

from pat_framework.catalogue import _, speaking
from pat_framework.errors import Problem, ProblemsError
from pat_framework.forms import FIELDS
from pat_framework.languages import language_name
from pat_framework.model import Instrument, Item, Option, Scale, Section
from pat_framework.render.text import format_number
from pat_framework.responses import COMMENT_SUFFIX

SURVEY = ("type", "name", "label", "hint", "required", "appearance", "calculation")
CHOICES = ("list_name", "name", "label")
SETTINGS = ("form_title", "form_id", "version")

#: An XML element name without a namespace prefix (an NCName), as XForms needs.
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
#: Names XLSForm keeps for itself on the survey sheet.
_RESERVED = {"meta"}
_FIELD = {f.name: f for f in FIELDS}

Sheets = dict[str, list[tuple[str, ...]]]


class XLSFormExportError(ProblemsError):
    """An instrument that cannot be written as an XLSForm as it is."""


@dataclass(frozen=True)
class RespondentFields:
    """What the form asks about the respondent: fixed lists, or free text where empty."""

    organisations: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    round: str | None = None
    comments: bool = True


def xlsform_sheets(instrument: Instrument, fields: RespondentFields) -> Sheets:
    """The survey, choices and settings sheets, each a header row then rows of text.

    An instrument in several languages gets a label and hint column per language
    (`label::Cymraeg (cy)`), so the tools offer the respondent a choice of language.
    Raise XLSFormExportError listing every id that cannot be a name in the form.
    """
    if instrument.languages:
        return _in_languages(instrument, fields)
    form = _built(instrument, fields)
    return {
        "survey": [SURVEY, *form.survey],
        "choices": [CHOICES, *form.choices],
        "settings": [SETTINGS, (instrument.title, instrument.id, instrument.version)],
    }


def _built(instrument: Instrument, fields: RespondentFields) -> _Form:
    form = _Form(instrument, fields)
    form.respondent()
    for n, section in enumerate(instrument.sections, 1):
        form.section(n, section)
    form.check()
    return form


def column_language(tag: str) -> str:
    """How XLSForm names a language in its columns: 'Cymraeg (cy)'."""
    return f"{language_name(tag)} ({tag})"


def _in_languages(instrument: Instrument, fields: RespondentFields) -> Sheets:
    """The sheets with the label and hint columns once per language, the default first."""
    tags = instrument.languages
    forms = []
    for tag in tags:
        with speaking(tag):  # pat's own words too, where the catalogue has them
            forms.append(_built(instrument.in_language(tag), fields))
    names = [column_language(tag) for tag in tags]
    survey = [
        (
            "type",
            "name",
            *(f"label::{n}" for n in names),
            *(f"hint::{n}" for n in names),
            *SURVEY[4:],
        )
    ]
    for rows in zip(*(f.survey for f in forms), strict=True):
        first = rows[0]
        labels = [r[2] for r in rows] if first[2] else [""] * len(rows)
        hints = [r[3] for r in rows] if first[3] else [""] * len(rows)
        survey.append((first[0], first[1], *labels, *hints, *first[4:]))
    choices = [("list_name", "name", *(f"label::{n}" for n in names))]
    for rows in zip(*(f.choices for f in forms), strict=True):
        choices.append((rows[0][0], rows[0][1], *(r[2] for r in rows)))
    return {
        "survey": survey,
        "choices": choices,
        "settings": [
            (*SETTINGS, "default_language"),
            (forms[0].instrument.title, instrument.id, instrument.version, names[0]),
        ],
    }


def xlsform_workbook(sheets: Sheets) -> bytes:
    """The sheets as an .xlsx workbook; every cell is text, never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.worksheets[0])
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([cell or None for cell in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in sheet.iter_rows(min_row=2):
            for cell in line:
                if cell.data_type == "f":  # text such as "=x" is kept as text, verbatim
                    cell.data_type = "s"
        for letter, cells in zip(ascii_uppercase, zip(*rows, strict=True), strict=False):
            width = max(len(c.split("\n")[0]) for c in cells)
            sheet.column_dimensions[letter].width = min(max(width, 8), 60) + 2
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _Form:
    """Collects the rows of the survey and choices sheets, and the problems met."""

    def __init__(self, instrument: Instrument, fields: RespondentFields) -> None:
        self.instrument, self.fields = instrument, fields
        self.file = str(instrument.path or instrument.id)
        self.survey: list[tuple[str, ...]] = []
        self.choices: list[tuple[str, ...]] = []
        self.problems: list[Problem] = []
        self.names: dict[str, str] = {}  # name (lower case) -> what has it
        self.lists: set[str] = set()

    def respondent(self) -> None:
        for name, values in (
            ("organisation", self.fields.organisations),
            ("level", self.fields.levels),
        ):
            field = _FIELD[name]
            self._name(name, f"pat's respondent field '{name}'")
            if values:
                self._list(name, [(v, v) for v in self._unique(name, values)])
                self._row(f"select_one {name}", name, _(field.label), required="yes")
            else:
                self._row("text", name, _(field.label), _(field.hint))
        if self.fields.round is not None:
            self._name("round", "pat's respondent field 'round'")
            round_ = self.fields.round.strip()
            if not round_:
                self._problem("an empty round was given", where="--round")
            self._row("calculate", "round", calculation=self._literal(round_))

    def section(self, number: int, section: Section) -> None:
        key = f"sections[{number}]"
        self._name(section.id, f"section '{section.id}'", f"{key}.id")
        self._row("begin_group", section.id, section.title or section.id, appearance="field-list")
        question = self.instrument.question if section.scored else ""
        intro = "\n\n".join(t for t in (section.description, question) if t)
        if intro:
            note = f"{section.id}_note"
            self._name(note, f"the note '{note}' pat adds to section '{section.id}'", f"{key}.id")
            self._row("note", note, intro)
        for k, item in enumerate(section.items, 1):
            self._item(item, f"{key}.items[{k}]")
        self._row("end_group", "")

    def check(self) -> None:
        if self.problems:
            raise XLSFormExportError(
                f"{self.instrument.id} cannot be written as an XLSForm", self.problems
            )

    def _item(self, item: Item, key: str) -> None:
        key = f"{key}.id"
        self._name(item.id, f"item '{item.id}'", key)
        self._scale(item.scale)
        self._row(f"select_one {item.scale.id}", item.id, item.text, item.guidance)
        if self.fields.comments:
            comment = f"{item.id}{COMMENT_SUFFIX}"
            self._name(comment, f"the comment '{comment}' pat adds to item '{item.id}'", key)
            self._row("text", comment, _("Comment on %(item)s") % {"item": item.id})

    def _scale(self, scale: Scale) -> None:
        if scale.id in self.lists:
            return
        what = f"scale '{scale.id}'"
        if not _XML_NAME.match(scale.id):
            self._problem(f"{what}: {_why_not(scale.id)}", f"scales.{scale.id}")
        choices = [(_choice_name(o), o.label) for o in scale.options]
        for option, (name, _label) in zip(scale.options, choices, strict=True):
            if not name:
                self._problem(
                    f"{what}: the answer '{option.label}' does not score and has no code "
                    "without spaces to name it by in the form; give it one, such as DK",
                    f"scales.{scale.id}",
                )
        self._list(scale.id, choices)

    def _list(self, list_name: str, choices: Iterable[tuple[str, str]]) -> None:
        self.lists.add(list_name)
        for name, label in choices:
            self._plain(f"'{list_name}' choice '{name}'", label)
            self.choices.append((list_name, name, label))

    def _unique(self, what: str, values: tuple[str, ...]) -> list[str]:
        seen: dict[str, str] = {}
        for raw in values:
            value = raw.strip()
            if not value:
                self._problem(f"an empty {what} was given", where=f"--{what}")
            elif value.lower() in seen:
                self._problem(
                    f"{what} '{value}' is given twice ('{seen[value.lower()]}' and "
                    f"'{value}'); give each {what} once, spelt as it should appear",
                    where=f"--{what}",
                )
            else:
                seen[value.lower()] = value
        return list(seen.values())

    def _literal(self, text: str) -> str:
        """`text` as an XPath string, which has no escapes: quoted by the quote it lacks."""
        if "'" not in text:
            return f"'{text}'"
        if '"' not in text:
            return f'"{text}"'
        self._problem(
            f"the round '{text}' holds both kinds of quote; leave one out", where="--round"
        )
        return "''"

    def _row(
        self,
        kind: str,
        name: str,
        label: str = "",
        hint: str = "",
        required: str = "",
        appearance: str = "",
        calculation: str = "",
    ) -> None:
        for text in (label, hint):
            self._plain(f"'{name}'", text)
        self.survey.append((kind, name, label, hint, required, appearance, calculation))

    def _plain(self, what: str, text: str) -> None:
        """Refuse text that XLSForm would read as a reference to another question."""
        if "${" in text:
            self._problem(
                f"{what}: the text holds '${{', which XLSForm reads as a reference to another "
                f"question: {text[:60]!r}"
            )

    def _name(self, name: str, what: str, key: str | None = None) -> None:
        """Check a survey name: an XML name, not reserved, unique ignoring case."""
        folded = name.lower()
        if folded in self.names:
            self._problem(
                f"{what} has the name of {self.names[folded]} (ignoring case); every "
                "name in the form must differ",
                key,
            )
            return
        self.names[folded] = what
        if folded in _RESERVED:
            self._problem(f"{what}: '{name}' is a name XLSForm keeps for itself", key)
        elif not _XML_NAME.match(name):
            self._problem(f"{what}: {_why_not(name)}", key)

    def _problem(self, message: str, key: str | None = None, where: str = "") -> None:
        """A problem in the instrument file at `key`, or `where` else (an option's name)."""
        self.problems.append(Problem(where or self.file, message, key=key))


def _choice_name(option: Option) -> str:
    """A scoring answer's value ('4', '0.5'); else its first code without spaces, or ''."""
    if option.value is not None:
        return format_number(option.value)
    return next((c for c in option.codes if c and not any(ch.isspace() for ch in c)), "")


def _why_not(name: str) -> str:
    """Why `name` is not an XML name, in words."""
    if name[:1].isdigit() or name[:1] in "-.":
        return (
            f"'{name}' starts with '{name[0]}'; a name in an XLSForm starts with a letter or '_'"
        )
    return f"'{name}' is not a name an XLSForm accepts: letters, digits, '_', '-' and '.' only"
