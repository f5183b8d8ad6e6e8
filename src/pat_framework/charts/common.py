"""Small helpers the chart builders share: section names, band lookups and numbers."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from pat_framework.bands import ordered
from pat_framework.catalogue import _
from pat_framework.model import Band, Instrument, Section
from pat_framework.results import AGGREGATE

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis


def section_word(instrument: Instrument, plural: bool = False) -> str:
    """What the instrument calls its scored sections ('principle'), or 'section' (in the
    reader's language)."""
    kinds = Counter(s.kind for s in instrument.scored_sections if s.kind)
    if not kinds:
        return _("sections") if plural else _("section")
    word = kinds.most_common(1)[0][0]
    return word + "s" if plural else word


def attribute_title(attribute: str) -> str:
    """An attribute's name as a title: pat's own (organisation, level, round) in the
    reader's language, any other as the answers name it."""
    from pat_framework.forms import FIELDS

    label = next((f.label for f in FIELDS if f.name == attribute), "")
    return _(label) if label == attribute.capitalize() else attribute.capitalize()


def worded(template: str, word: str) -> str:
    """A chart's description in an instrument's own word for its sections: `{section}`,
    `{sections}` and their capitalised forms replaced ('principle', 'areas', …)."""
    for token, value in (("section", word), ("sections", word + "s")):
        template = template.replace("{" + token + "}", value)
        template = template.replace("{" + token.capitalize() + "}", value.capitalize())
    return template


class Worded:
    """A chart whose `description` says 'section' and whose `describe` says what the
    instrument calls its sections (a report shows the latter)."""

    template = ""

    def describe(self, instrument: Instrument) -> str:
        return worded(_(self.template), section_word(instrument))


def bands_of(instrument: Instrument, section_id: str) -> list[Band]:
    """A section's bands (or the aggregate's) from lowest to highest."""
    if section_id == AGGREGATE:
        return ordered(instrument.aggregate_bands)
    return ordered(instrument.section(section_id).bands)


def section_label(section: Section) -> str:
    """'P1 Recognise and accept…': a short code before the title; a word-like id is left out."""
    if len(section.id) <= 4 and section.id.lower() not in section.title.lower():
        return f"{section.id} {section.title}"
    return section.title


def half_step(bands: list[Band]) -> float:
    """0.5 when bands hold whole scores (7–12, 13–18), so strips meet half-way; else 0."""
    run = ordered(bands)
    whole = all(float(b.min).is_integer() and float(b.max).is_integer() for b in run)
    steps = all(b.min == a.max + 1 for a, b in pairwise(run))
    return 0.5 if whole and steps else 0.0


def band_names(sections: list[Section]) -> list[str]:
    """Names for band ranks, lowest first: the labels when every section shares them."""
    runs = [[b.label for b in ordered(s.bands)] for s in sections]
    if runs and all(run == runs[0] for run in runs):
        return runs[0]
    depth = max((len(run) for run in runs), default=0)
    return [
        _("band %(rank)s of %(depth)s") % {"rank": k + 1, "depth": depth} for k in range(depth)
    ]


def position_of(instrument: Instrument, section_id: str, label: Any) -> int:
    """The rank of a band label within a section's bands, -1 when there is none."""
    for k, band in enumerate(bands_of(instrument, section_id)):
        if band.label == label:
            return k
    return -1


def respondents(analysis: Analysis) -> int:
    return len(analysis.interpretation.scores.totals)
