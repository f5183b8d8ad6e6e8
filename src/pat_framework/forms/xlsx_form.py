"""The per-respondent Excel form, and reading one back when it is returned.

The visible sheet "Form" holds a title, instructions, the respondent fields, then for each
section a heading, its description and a table: item, element, statement, answer (a
drop-down of the scale's labels), comment and guidance. The sheet is protected; only the
respondent fields, the answers and the comments are unlocked.

A very hidden sheet "pat-form" holds what `read_form` needs: the form format and version,
the instrument id and version, the cell of every respondent field, answer and comment, and
the label lists the drop-downs show. `read_form` also checks that each answer cell's row
still names its item, so a form whose layout was changed is refused, never misread.
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pat_framework import __version__
from pat_framework.catalogue import N_, _
from pat_framework.errors import PatError
from pat_framework.forms import (
    FIELD_NAMES,
    FIELDS,
    element_text,
    scale_runs,
)
from pat_framework.languages import ATTRIBUTE as LANGUAGE
from pat_framework.model import Instrument, Item, Scale, Section
from pat_framework.output import active_sheet, inert

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMAT = "pat-form"
FORM_VERSION = 1
SHEET = "Form"
META = "pat-form"
#: Columns of the statement tables: (header, width in characters).
COLUMNS = (
    (N_("Item"), 7),
    (N_("Element"), 26),
    (N_("Statement"), 58),
    (N_("Answer"), 22),
    (N_("Comment"), 36),
    (N_("Guidance"), 58),
)
ITEM_COLUMN, ANSWER_COLUMN, COMMENT_COLUMN = "A", "D", "E"
FIELD_COLUMN = "C"
LINE_HEIGHT = 15.0
ANSWER_FILL = "FFF2CC"
HEADING_FILL = "DDEBF7"
HEADER_FILL = "EFEFEF"


class FormError(PatError):
    """A returned form that cannot be read reliably."""


@dataclass
class FormAnswers:
    """What a respondent wrote on a returned form, with the cell each answer came from."""

    file: str
    instrument_id: str
    instrument_version: str
    fields: dict[str, Any]
    answers: dict[str, Any]
    comments: dict[str, Any]
    cells: dict[str, str]


def form_workbook(instrument: Instrument, details: Mapping[str, str]) -> bytes:
    """The Excel form for one respondent, as the bytes of an .xlsx file."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    book = Workbook()
    sheet = active_sheet(book)
    sheet.title = SHEET
    meta = book.create_sheet(META)
    layout = _FormLayout(instrument, sheet)
    layout.write(details)
    _write_meta(meta, instrument, layout)
    _add_drop_downs(book, sheet, meta, layout)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False  # respondents may widen columns and rows
    sheet.protection.formatRows = False
    meta.protection.sheet = True
    meta.sheet_state = "veryHidden"
    book.security = WorkbookProtection(lockStructure=True)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class _FormLayout:
    """Writes the visible sheet and remembers where each answer and field is."""

    def __init__(self, instrument: Instrument, sheet: Worksheet) -> None:
        self.instrument, self.sheet = instrument, sheet
        self.row = 1
        self.fields: dict[str, str] = {}
        self.answers: dict[str, str] = {}
        self.comments: dict[str, str] = {}
        self.scales: dict[Scale, list[str]] = {}

    def write(self, details: Mapping[str, str]) -> None:
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        for k, (_name, width) in enumerate(COLUMNS, 1):
            self.sheet.column_dimensions[get_column_letter(k)].width = width
        self._title()
        self._fields(details)
        for section in self.instrument.sections:
            self._section(section)
        self._footer()
        setup = self.sheet.page_setup
        setup.orientation, setup.paperSize = "landscape", self.sheet.PAPERSIZE_A4
        setup.fitToWidth, setup.fitToHeight = 1, 0
        self.sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)

    def _title(self) -> None:
        from openpyxl.styles import Font

        instrument = self.instrument
        self._wide(instrument.title, Font(bold=True, size=16), height=24)
        self._wide(
            _("%(id)s, version %(version)s. Source: %(citation)s")
            % {
                "id": instrument.id,
                "version": instrument.version,
                "citation": instrument.source.citation(),
            },
            Font(italic=True, size=9, color="555555"),
        )
        self._wide(
            _(
                "Choose your answer to each statement from the list in the Answer column (click "
                "the yellow cell, then the arrow beside it). Leave an answer blank if you cannot "
                "answer. You may add a comment beside any statement. Only the yellow cells can "
                "be changed. Save the file under the same name and return it to your facilitator."
            ),
            Font(size=11),
        )
        if instrument.question:
            self._wide(instrument.question, Font(bold=True))
        self.row += 1

    def _fields(self, details: Mapping[str, str]) -> None:
        from openpyxl.styles import Alignment, Font

        for f in FIELDS:
            label = self.sheet.cell(self.row, 2, _(f.label))
            label.font = Font(bold=True)
            label.alignment = Alignment(horizontal="right", vertical="top")
            value = self.sheet[f"{FIELD_COLUMN}{self.row}"]
            value.value = inert(details[f.name]) if details.get(f.name) else None
            value.number_format = "@"  # typed as text: a code such as 007 keeps its zeros
            self._unlock(value)
            hint = self.sheet.cell(self.row, 4, _(f.hint))
            hint.font = Font(italic=True, size=9, color="555555")
            hint.alignment = Alignment(vertical="top")
            self.sheet.merge_cells(
                start_row=self.row, start_column=4, end_row=self.row, end_column=6
            )
            self.fields[f.name] = value.coordinate
            self.row += 1
        self.row += 1

    def _section(self, section: Section) -> None:
        from openpyxl.styles import Font, PatternFill

        heading = section.title or section.id
        if section.title and section.id.lower() != section.title.lower():
            heading = f"{section.id}  {section.title}"
        self._wide(heading, Font(bold=True, size=13), fill=PatternFill("solid", HEADING_FILL))
        if section.description:
            self._wide(section.description, Font(size=10, color="333333"))
        for scale, items in scale_runs(section):
            self._header(section, scale)
            for item in items:
                self._item(item)
        self.row += 1

    def _header(self, section: Section, scale: Scale) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        statement = self.instrument.question if section.scored and self.instrument.question else ""
        names = [_(name) for name, _width in COLUMNS]
        names[2] = statement or _("Statement")
        names[3] = _("Answer: %(scale)s") % {"scale": scale.title} if scale.title else _("Answer")
        for k, name in enumerate(names, 1):
            cell = self.sheet.cell(self.row, k, inert(name))
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", HEADER_FILL)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        self._fit(names)
        self.row += 1

    def _item(self, item: Item) -> None:
        from openpyxl.styles import Alignment, Border, Side

        texts = [item.id, element_text(item), item.text, None, None, item.guidance]
        line = Side(style="thin", color="BBBBBB")
        for k, text in enumerate(texts, 1):
            cell = self.sheet.cell(self.row, k, inert(text) if text else None)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = Border(bottom=line)
        answer = self.sheet[f"{ANSWER_COLUMN}{self.row}"]
        comment = self.sheet[f"{COMMENT_COLUMN}{self.row}"]
        for cell in (answer, comment):
            self._unlock(cell)
        self.answers[item.id] = answer.coordinate
        self.comments[item.id] = comment.coordinate
        self.scales.setdefault(item.scale, []).append(answer.coordinate)
        self._fit([str(t or "") for t in texts])
        self.row += 1

    def _footer(self) -> None:
        from openpyxl.styles import Font

        licence = self.instrument.source.licence
        if licence:
            self._wide(licence, Font(italic=True, size=9, color="555555"))
        self._wide(
            _(
                "Form made by pat %(version)s (form format %(format)s). Please do not change "
                "its layout: pat collect reads the answers from their cells."
            )
            % {"version": __version__, "format": FORM_VERSION},
            Font(italic=True, size=9, color="555555"),
        )

    def _wide(self, text: str, font: Any, fill: Any = None, height: float = 0) -> None:
        """A line of text across the whole table, wrapped."""
        from openpyxl.styles import Alignment

        cell = self.sheet.cell(self.row, 1, inert(text))
        cell.font = font
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if fill is not None:
            for k in range(1, len(COLUMNS) + 1):
                self.sheet.cell(self.row, k).fill = fill
        self.sheet.merge_cells(start_row=self.row, start_column=1, end_row=self.row, end_column=6)
        total = sum(width for _, width in COLUMNS)
        lines = _lines(text, total)
        self.sheet.row_dimensions[self.row].height = max(height, LINE_HEIGHT * lines)
        self.row += 1

    def _fit(self, texts: list[str]) -> None:
        """Row height for wrapped text: Excel does not grow rows when a file is opened."""
        lines = max(_lines(t, width) for t, (_, width) in zip(texts, COLUMNS, strict=True))
        self.sheet.row_dimensions[self.row].height = LINE_HEIGHT * max(lines, 1) + 2

    @staticmethod
    def _unlock(cell: Any) -> None:
        from openpyxl.styles import Border, PatternFill, Protection, Side

        cell.protection = Protection(locked=False)
        cell.fill = PatternFill("solid", ANSWER_FILL)
        line = Side(style="thin", color="999999")
        cell.border = Border(left=line, right=line, top=line, bottom=line)


def _lines(text: str, width: int) -> int:
    """About how many lines `text` takes wrapped in a column `width` characters wide."""
    usable = max(width - 2, 1)
    return sum(max(1, math.ceil(len(part) / usable)) for part in str(text).split("\n"))


def _write_meta(meta: Worksheet, instrument: Instrument, layout: _FormLayout) -> None:
    """Keys in A:B, the cell map in D:F, the drop-down lists from column H on."""
    for row in (
        ("key", "value"),
        ("format", FORMAT),
        ("form_version", FORM_VERSION),
        ("instrument", instrument.id),
        ("instrument_version", instrument.version),
        ("sheet", SHEET),
        ("made_by", f"pat {__version__}"),
        *((("language", instrument.language),) if instrument.languages else ()),
    ):
        meta.append([inert(v) for v in row])
    cells = [("name", "cell", "comment_cell")]
    cells += [(name, layout.fields[name], "") for name in FIELD_NAMES]
    cells += [(i, layout.answers[i], layout.comments[i]) for i in instrument.item_ids]
    for r, entry in enumerate(cells, 1):
        for c, value in enumerate(entry, 4):
            meta.cell(r, c, inert(value) or None)


def _add_drop_downs(book: Any, sheet: Worksheet, meta: Worksheet, layout: _FormLayout) -> None:
    """One list validation per scale, its labels kept on the hidden sheet under a name."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    for k, (scale, cells) in enumerate(layout.scales.items()):
        column = 8 + k
        letter = get_column_letter(column)
        meta.cell(1, column, inert(scale.id))
        for r, option in enumerate(scale.options, 2):
            meta.cell(r, column, inert(option.label))
        name = f"pat_scale_{k + 1}"
        last = len(scale.options) + 1
        reference = f"{quote_sheetname(META)}!${letter}$2:${letter}${last}"
        book.defined_names[name] = DefinedName(name, attr_text=reference)
        rule = DataValidation(
            type="list",
            formula1=name,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Not an answer"),
            error=(
                _("Choose one of: %(options)s")
                % {"options": ", ".join(o.label for o in scale.options)}
            )[:255],
            showInputMessage=True,
            promptTitle=_("Your answer"),
            prompt=_("Choose from the list, or leave blank."),
        )
        for cell in cells:
            rule.add(cell)
        sheet.add_data_validation(rule)


def is_form(path: Path) -> bool:
    """Whether `path` is an Excel form made by `pat form` (judged by its hidden sheet)."""
    from openpyxl import load_workbook

    if path.suffix.lower() != ".xlsx" or not path.is_file():
        return False
    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # not a workbook at all: the response reader says why
        return False
    try:
        return META in book.sheetnames
    finally:
        book.close()


def read_form(path: Path) -> FormAnswers:
    """The respondent fields, answers and comments of a returned form, cells as typed."""
    from openpyxl import load_workbook

    file = str(path)
    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise FormError(f"{file}: cannot read the workbook: {exc}") from None
    try:
        keys, cell_map = _read_meta(file, book)
        if keys.get("sheet") not in book.sheetnames:
            raise FormError(f"{file}: the form's sheet '{keys.get('sheet')}' is missing")
        grid = _grid(book[keys["sheet"]])
    finally:
        book.close()

    def at(address: str) -> Any:
        return _clean(grid.get(_split(file, address)))

    answers: dict[str, Any] = {}
    comments: dict[str, Any] = {}
    cells: dict[str, str] = {}
    for name, (cell, comment_cell) in cell_map.items():
        if name in FIELD_NAMES:
            continue
        row, _ = _split(file, cell)
        written = _clean(grid.get((row, 1)))
        if str(written or "").strip() != name:
            raise FormError(
                f"{file}, row {row}: expected item {name} in column {ITEM_COLUMN}, found "
                f"'{written or ''}'; the form's layout was changed (rows moved, added or "
                "deleted). Copy the answers into a fresh form or a response sheet."
            )
        answers[name], cells[name] = at(cell), cell
        comments[name] = at(comment_cell) if comment_cell else None
    fields = {name: at(cell_map[name][0]) for name in FIELD_NAMES if name in cell_map}
    if keys.get(LANGUAGE):  # the language the form was made in
        fields[LANGUAGE] = str(keys[LANGUAGE])
    return FormAnswers(
        file,
        str(keys["instrument"]),
        str(keys.get("instrument_version") or ""),
        fields,
        answers,
        comments,
        cells,
    )


def _read_meta(file: str, book: Any) -> tuple[dict[str, Any], dict[str, tuple[str, str]]]:
    rows = list(book[META].iter_rows(values_only=True))
    keys = {str(r[0]): r[1] for r in rows[1:] if len(r) > 1 and r[0] is not None}
    if keys.get("format") != FORMAT or "instrument" not in keys:
        raise FormError(f"{file}: the hidden sheet '{META}' is not a pat form's")
    version = keys.get("form_version")
    if not isinstance(version, int) or version > FORM_VERSION:
        raise FormError(
            f"{file}: form format {version} is newer than this pat reads ({FORM_VERSION}); "
            "update pat"
        )
    cell_map = {
        str(r[3]): (str(r[4]), str(r[5] or ""))
        for r in rows[1:]
        if len(r) > 5 and r[3] is not None and r[4] is not None
    }
    return keys, cell_map


def _grid(sheet: Any) -> dict[tuple[int, int], Any]:
    """Every non-empty cell of a read-only sheet by (row, column)."""
    grid: dict[tuple[int, int], Any] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if getattr(cell, "value", None) is not None:
                grid[(cell.row, cell.column)] = cell.value
    return grid


def _split(file: str, address: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    try:
        letters, row = coordinate_from_string(address)
    except ValueError:
        raise FormError(f"{file}: the hidden sheet names a bad cell '{address}'") from None
    return row, column_index_from_string(letters)


def _clean(value: Any) -> Any:
    """A cell as a respondent meant it: dates as ISO text, blank text as nothing."""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip() or None
    return value
