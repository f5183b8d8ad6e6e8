"""The thresholds: how many respondents a figure, and a comment, needs behind it."""

from __future__ import annotations

from dataclasses import dataclass

from pat_framework.catalogue import gettext
from pat_framework.errors import PatError

#: The smallest group a figure is shown for, unless lowered deliberately (never below FLOOR).
DEFAULT_FIGURES = 5
#: The fewest respondents whose verbatim comments are shown.
DEFAULT_COMMENTS = 10
#: No threshold can be set below this: with two, each of them can read the other's answers.
FLOOR = 3

HOW_TO_LOWER = (
    "to show them anyway, lower the threshold deliberately with --min-group N "
    f"(or min_group in a workshop file; never below {FLOOR}), which the output records"
)


class Withheld(PatError):
    """Answers from too few respondents for any figure to be shown."""


@dataclass(frozen=True)
class Rules:
    """The smallest group shown (`figures`) and the fewest respondents for comments
    (`comments`, raised to `figures` where it is set lower)."""

    figures: int = DEFAULT_FIGURES
    comments: int = DEFAULT_COMMENTS

    def __post_init__(self) -> None:
        for name, value in (("smallest group shown", self.figures),
                            ("fewest respondents for comments", self.comments)):  # fmt: skip
            if isinstance(value, bool) or value < FLOOR:
                raise PatError(
                    f"the {name} must be a whole number of at least {FLOOR}, not {value!r}: "
                    "with fewer, respondents could read each other's answers"
                )
        if self.comments < self.figures:  # a comment is never shown where a figure is not
            object.__setattr__(self, "comments", self.figures)

    @property
    def lowered(self) -> bool:
        """Whether a threshold was set below its default, which every output then says."""
        return self.figures < DEFAULT_FIGURES or self.comments < DEFAULT_COMMENTS

    def statement(self) -> str:
        """The rule in one sentence, for a report's notes (a lowered threshold has a note
        of its own: `release`)."""
        return gettext(
            "Groups of fewer than %(figures)s respondents are never shown, nor any "
            "difference between two figures that would reveal one; comments are shown "
            "only from %(comments)s respondents up, and no respondent is named."
        ) % {"figures": self.figures, "comments": self.comments}

    def as_dict(self) -> dict[str, object]:
        """The rules as the JSON documents hold them."""
        return {
            "min_group": self.figures,
            "min_comments": self.comments,
            "lowered": self.lowered,
        }
