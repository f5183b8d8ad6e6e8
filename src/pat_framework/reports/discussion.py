"""Discussion prompts for a section's slide at the feedback workshop.

The ODPM tool's third stage (seed 004) asks partners to "share, discuss and interpret
findings" and "agree next steps": to look behind the bald scores at where they agree and
differ, at individual statements and at the weighting of the principles. Each prompt here
points at one of those, worked out from the answers, with the instrument's own guidance.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from pat_framework.catalogue import _
from pat_framework.render.text import number
from pat_framework.reports.office import leaning

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.analysis.ranking import Action
    from pat_framework.model import Item, Section

#: Prompts on one slide.
PROMPTS = 4
#: Longest statement quoted in a prompt, in characters.
QUOTED = 90


def quote(item: Item) -> str:
    """The statement's id and text (its full stop left to the sentence quoting it), cut at
    a word to QUOTED characters."""
    text = " ".join(item.text.split()).rstrip(".")
    if len(text) > QUOTED:
        text = text[: QUOTED - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return f"{item.id} “{text}”"


def prompts(analysis: Analysis, section: Section, word: str, action: Action | None) -> list[str]:
    """Up to PROMPTS questions for the room: a divided statement, the weakest (or the
    strongest) statement, the weighting, the guidance, and the next step."""
    ids = dict.fromkeys(f.item_id for f in analysis.findings if f.kind == "disagreement")
    divided = [item for item_id in ids for item in section.items if item.id == item_id]
    out = []
    if divided:
        out.append(_("Partners are divided on %(statement)s: what lies behind the "
                     "different views?") % {"statement": quote(divided[0])})  # fmt: skip
    leaning_items = [(lean, item) for item in section.items
                     if item not in divided[:1] and (lean := leaning(analysis, item))]  # fmt: skip
    named = None
    if leaning_items:
        (share, words), named = min(leaning_items, key=lambda p: p[0][0])
        if share < 0.5:
            who = (_("Only %(share)s%%") % {"share": number(share * 100, 0)} if share
                   else _("No one"))  # fmt: skip
            out.append(_("%(who)s answered %(words)s to %(statement)s: what gets in the way, "
                         "and what would change it?")
                       % {"who": who, "words": words, "statement": quote(named)})  # fmt: skip
        else:
            (share, words), named = max(leaning_items, key=lambda p: p[0][0])
            out.append(_("%(share)s%% answered %(words)s to %(statement)s: what makes this "
                         "work, and how can it be kept?")
                       % {"share": number(share * 100, 0), "words": words,
                          "statement": quote(named)})  # fmt: skip
    significance = _significance(analysis, section)
    if significance is not None:
        out.append(_("Partners rated this %(word)s %(share)s%% of the way to most "
                     "significant: is that how much it matters now?")
                   % {"word": word, "share": number(significance * 100, 0)})  # fmt: skip
    guidance = _guidance(section, named)
    if guidance and len(out) < PROMPTS - 1:
        out.append(_("The guidance: %(guidance)s") % {"guidance": guidance})
    if action is not None:
        out.append(_("Action %(ref)s: agree an owner, a due date, a success measure and a "
                     "review date, or why none is needed.") % {"ref": action.ref})  # fmt: skip
    else:
        out.append(_("Nothing to act on here: agree when to look at it again."))
    return out[:PROMPTS]


def _significance(analysis: Analysis, section: Section) -> float | None:
    """The section's mean significance weight placed on 0–1 (1 most significant)."""
    from pat_framework.analysis.ranking import evidence_of

    evidence = evidence_of(analysis).get(section.id)
    if evidence is None or math.isnan(evidence.significance):  # no weighting items
        return None
    return evidence.significance


def _guidance(section: Section, item: Item | None) -> str:
    """The first sentence of the guidance on the statement, or on the section."""
    text = (item.guidance if item is not None else "") or section.description
    head, dot, _ = " ".join(text.split()).partition(". ")
    return head + "." if dot else head
