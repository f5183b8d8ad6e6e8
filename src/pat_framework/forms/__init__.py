"""Forms to send to respondents: an Excel form per respondent and a printable paper form.

`make_form` picks the kind by the output file's suffix. The respondent fields are the
same on both: an anonymous code, organisation, level, round and date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby

from pat_framework.catalogue import N_
from pat_framework.errors import PatError
from pat_framework.model import Instrument, Item, Scale, Section
from pat_framework.render.text import format_number

XLSX_SUFFIXES = (".xlsx",)
HTML_SUFFIXES = (".html", ".htm")


@dataclass(frozen=True)
class Field:
    """A respondent field at the top of a form."""

    name: str
    label: str
    hint: str = ""


#: The labels and hints are marked for the catalogue, and translated where they are shown.
FIELDS = (
    Field(
        "respondent",
        N_("Respondent code"),
        N_("The code your facilitator gave you. Please do not write your name."),
    ),
    Field("organisation", N_("Organisation"), N_("The partner organisation you belong to.")),
    Field("level", N_("Level"), N_("For example board, senior manager or front line.")),
    Field("round", N_("Round"), N_("Which assessment round this is, if there are several.")),
    Field("date", N_("Date"), N_("The date you completed the form.")),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)


def make_form(instrument: Instrument, suffix: str, details: Mapping[str, str]) -> str | bytes:
    """The form for `suffix` (.xlsx or .html), with respondent fields pre-filled from `details`."""
    unknown = sorted(set(details) - set(FIELD_NAMES))
    if unknown:
        raise PatError(f"no respondent field named {', '.join(unknown)}")
    if suffix in XLSX_SUFFIXES:
        from pat_framework.forms.xlsx_form import form_workbook

        return form_workbook(instrument, details)
    if suffix in HTML_SUFFIXES:
        from pat_framework.forms.html_form import form_page

        return form_page(instrument, details)
    known = ", ".join((*XLSX_SUFFIXES, *HTML_SUFFIXES))
    raise PatError(f"cannot make a form as '{suffix or '(no suffix)'}': use one of {known}")


def scale_runs(section: Section) -> list[tuple[Scale, list[Item]]]:
    """The section's items in runs that share a scale: one table (and header) per run."""
    return [(scale, list(items)) for scale, items in groupby(section.items, lambda i: i.scale)]


def totals_by_sum(instrument: Instrument, section: Section) -> bool:
    """Whether the section's score is the plain sum of its answers, as on the ODPM sheets."""
    scales = {item.scale for item in section.items}
    return instrument.scorer == "sum" and section.scored and len(scales) == 1


def scoring_key(scale: Scale) -> str:
    """'Strongly agree 4; Agree 3; …': the points of each scoring answer."""
    return "; ".join(f"{o.label} {format_number(o.score)}" for o in scale.scoring)


def element_text(item: Item) -> str:
    """'A. Identify principal partnership achievements.', or just the letter, or ''."""
    if item.element and item.element_title:
        return f"{item.element}. {item.element_title}"
    return item.element or item.element_title
