"""Turnout: how many of a collection's respondents have started and submitted, by
organisation and level, under the rules every report follows (`pat_framework.disclosure`).

A group smaller than the threshold is not shown, nor a second group where the total would
give it away, so a facilitator watching the counts cannot tell that the one finance
officer has answered. Nothing here reads an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pat_framework.invisible import visible
from pat_framework.serve.storage import Stage

if TYPE_CHECKING:
    from collections.abc import Sequence

NOT_CHOSEN = "(not chosen yet)"
ATTRIBUTES = ("organisation", "level")


@dataclass(frozen=True)
class Tally:
    """One group shown: its respondents, how many have started and submitted."""

    group: str
    respondents: int
    started: int
    submitted: int


@dataclass(frozen=True)
class Turnout:
    """The collection's turnout, with the groups that may be shown of each attribute."""

    respondents: int
    started: int
    submitted: int
    figures: int
    groups: dict[str, list[Tally]] = field(default_factory=dict)
    hidden: dict[str, int] = field(default_factory=dict)

    @property
    def results_shown(self) -> bool:
        """Whether enough have submitted for any result to be shown."""
        return self.submitted >= self.figures


def turnout(stages: Sequence[Stage], figures: int) -> Turnout:
    """Count the stages; each attribute's groups below `figures` left out, with a second
    group where a total would give one away, and a group lying inside another attribute's
    group that differs from it by fewer than `figures` (`disclosure.differences`)."""
    import numpy as np

    from pat_framework.analysis.subgroups import suppression
    from pat_framework.disclosure.differences import nested

    labels = {a: list(dict.fromkeys(_group(s, a) for s in stages)) for a in ATTRIBUTES}
    codes = {
        a: np.array([labels[a].index(_group(s, a)) for s in stages], dtype=np.int64)
        for a in ATTRIBUTES
    }
    sizes = {a: np.bincount(codes[a], minlength=len(labels[a])) for a in ATTRIBUTES}
    forced = {a: np.zeros(len(labels[a]), dtype=bool) for a in ATTRIBUTES}
    everyone = np.ones(len(stages), dtype=bool)
    while True:
        hide = {a: suppression(sizes[a], sizes[a], figures, labels[a], forced[a])
                for a in ATTRIBUTES}  # fmt: skip
        shown = {a: ~hide[a] for a in ATTRIBUTES}
        more = {a: nested(a, codes, shown, everyone, figures) & shown[a] for a in ATTRIBUTES}
        if not any(m.any() for m in more.values()):
            break
        for a in ATTRIBUTES:
            forced[a] |= more[a]
    groups = {
        a: [_tally(label, [s for s in stages if _group(s, a) == label])
            for label, hidden in zip(labels[a], hide[a], strict=True) if not hidden]
        for a in ATTRIBUTES
    }  # fmt: skip
    return Turnout(
        respondents=len(stages),
        started=sum(s.started for s in stages),
        submitted=sum(s.submitted for s in stages),
        figures=figures,
        groups=groups,
        hidden={a: int(hide[a].sum()) for a in ATTRIBUTES},
    )


def _group(stage: Stage, attribute: str) -> str:
    value: str | None = getattr(stage, attribute)
    return value or NOT_CHOSEN


def _tally(label: str, stages: list[Stage]) -> Tally:
    return Tally(label, len(stages), sum(s.started for s in stages),
                 sum(s.submitted for s in stages))  # fmt: skip


def as_text(name: str, seen: Turnout) -> str:
    """The turnout as `pat serve status` prints it."""
    lines = [
        f"{name}: {seen.respondents} respondent(s), {seen.started} started, "
        f"{seen.submitted} submitted",
        (
            f"Results can be shown: {seen.submitted} submitted (at least {seen.figures})."
            if seen.results_shown
            else f"No results yet: they are shown from {seen.figures} submitted."
        ),
    ]
    for attribute, tallies in seen.groups.items():
        if not tallies and not seen.hidden[attribute]:
            continue
        names = [visible(t.group) for t in tallies]
        width = max([len(attribute), *(len(n) for n in names)])
        lines += ["", f"{attribute:<{width}}  respondents  started  submitted"]
        lines += [
            f"{n:<{width}}  {t.respondents:>11}  {t.started:>7}  {t.submitted:>9}"
            for n, t in zip(names, tallies, strict=True)
        ]
        if seen.hidden[attribute]:
            lines.append(
                f"({seen.hidden[attribute]} group(s) not shown: fewer than {seen.figures} "
                "respondents, or a total would give one away)"
            )
    return "\n".join(lines) + "\n"
