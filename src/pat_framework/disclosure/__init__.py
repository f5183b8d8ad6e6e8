"""Disclosure control: what any output may show of a group of respondents.

`analyse` passes every set of answers through `release` before working anything out, and
breaks them down with `breakdowns`, so the figures that reach a renderer, a chart, a
workshop report or a web page have already had the rules applied (`docs/anonymity.md`):

- no figures at all for fewer than `Rules.figures` respondents (default 5, never below 3),
  and no verbatim comments for fewer than `Rules.comments` (default 10);
- a statement or section answered by fewer than `figures` is not shown;
- a group below `figures`, with a second group hidden where a total would reveal it;
- no two figures whose difference is a group below `figures`: a group nested in a group of
  another breakdown, or every round pooled against the rounds reported alone.
"""

from pat_framework.disclosure.rules import (
    DEFAULT_COMMENTS,
    DEFAULT_FIGURES,
    FLOOR,
    Rules,
    Withheld,
)

__all__ = ["DEFAULT_COMMENTS", "DEFAULT_FIGURES", "FLOOR", "Rules", "Withheld"]
