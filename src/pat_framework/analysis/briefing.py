"""The analysis as a briefing for the facilitator of a feedback workshop, in plain text."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from pat_framework.analysis.consensus import MIN_AGREEMENT, MIN_ALPHA
from pat_framework.analysis.document import visible_groups
from pat_framework.analysis.findings import ORDER, difference_title, section_name
from pat_framework.analysis.rows import priority_rows, row_at, section_rows
from pat_framework.catalogue import _, ngettext
from pat_framework.render.text import fixed, number
from pat_framework.results import AGGREGATE, Finding

if TYPE_CHECKING:
    import pandas as pd

    from pat_framework.analysis import Analysis

WIDTH = 92
LIST_LIMIT = 12
TITLE_WIDTH = 38
INDIVIDUAL_LIMIT = 200
ARROWS = {"up": "↑", "down": "↓", "same": "=", "": ""}


def briefing(analysis: Analysis) -> str:
    """The whole briefing, section by section."""
    parts = [
        _heading(analysis),
        _overall(analysis),
        _findings(_("What to celebrate"), _kind(analysis, "strength"),
                  _("No section or statement stands out as a shared strength.")),
        _findings(_("What to explore: concerns"), _kind(analysis, "concern"),
                  _("No section or statement gives cause for concern.")),
        _findings(_("Where partners disagree (most divided first)"),
                  _kind(analysis, "disagreement"),
                  _("No statement divides the partners: on each, fewer than a third answered "
                    "on the other side of the scale and agreement (rWG) is above 0.50.")),
        *(_findings(_("Also noted (%(kind)s)") % {"kind": kind}, _kind(analysis, kind), "")
          for kind in _other_kinds(analysis)),
        _success(analysis),
        _glance(analysis),
        *(_subgroup(analysis, attribute, frame)
          for attribute, frame in analysis.subgroups.items()),
        _rounds(analysis),
        _priorities(analysis),
        _plan(analysis),
        _individuals(analysis),
        _reading(analysis),
        _notes(analysis),
    ]  # fmt: skip
    return "\n\n".join(p for p in parts if p) + "\n"


def wrap(text: str, indent: str = "  ", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Columns padded to their widest cell; numbers and text left-aligned alike."""
    widths = [max(len(str(r[k])) for r in [header, *rows]) for k in range(len(header))]
    return [
        indent + "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]


def clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _title(text: str) -> str:
    return f"{text}\n{'-' * len(text)}"


def _kind(analysis: Analysis, kind: str) -> list[Finding]:
    return [f for f in analysis.findings if f.kind == kind]


def _other_kinds(analysis: Analysis) -> list[str]:
    """Kinds of finding an interpreter made that have no place of their own here."""
    return list(dict.fromkeys(f.kind for f in analysis.findings if f.kind not in ORDER))


def _heading(analysis: Analysis) -> str:
    instrument = analysis.instrument
    responses = analysis.responses
    line = _("Briefing for the feedback workshop")
    count = len(responses)
    return "\n".join(
        [
            line,
            "=" * len(line),
            _("%(title)s (%(id)s, version %(version)s)")
            % {"title": instrument.title, "id": instrument.id, "version": instrument.version},
            ngettext(
                "%(count)s respondent(s), from %(sources)s",
                "%(count)s respondent(s), from %(sources)s",
                count,
            )
            % {"count": count, "sources": ", ".join(responses.sources)},
        ]
    )


def _overall(analysis: Analysis) -> str:
    group = analysis.interpretation.group
    instrument = analysis.instrument
    lines = [_title(_("The overall picture"))]
    if group.scenario:
        scenario = {"id": group.scenario.id, "title": group.scenario.title}
        lines.append("  " + _("Scenario %(id)s: %(title)s") % scenario)
        if group.scenario.text:
            lines += wrap(group.scenario.text, "    ")
    band = group.aggregate_band
    if group.median_aggregate is not None:
        meaning = ""
        if band:
            meaning = _(", band %(band)s") % {"band": band.label}
            meaning += f": {band.text}" if band.text else ""
        median = {
            "aggregate": instrument.aggregate_title,
            "median": number(group.median_aggregate),
        }
        lines += wrap(_("%(aggregate)s: median %(median)s") % median + meaning, "    ", "  ")
    lines += wrap(_("Why: %(reason)s") % {"reason": group.reason}, "    ", "  ")
    return "\n".join(lines)


def _findings(heading: str, found: list[Finding], none: str) -> str:
    lines = [_title(heading)]
    if not found:
        return "\n".join([*lines, *wrap(none)])
    for finding in found[:LIST_LIMIT]:
        lines += wrap(finding.title, "    ", "  • ")
        if finding.detail:
            lines += wrap(finding.detail, "    ")
    if len(found) > LIST_LIMIT:
        more = len(found) - LIST_LIMIT
        lines.append(
            "  "
            + ngettext(
                "… and %(count)s more: every one is in the JSON output (--format json) and the "
                "action plan below.",
                "… and %(count)s more: every one is in the JSON output (--format json) and the "
                "action plan below.",
                more,
            )
            % {"count": more}
        )
    return "\n".join(lines)


def _success(analysis: Analysis) -> str:
    found = _kind(analysis, "success")
    if not found:
        return ""
    lines = [_title(_("Is the partnership achieving its aims? (beside the scores)"))]
    for finding in found:
        lines += wrap(finding.title, "    ", "  • ")
        lines += wrap(finding.detail, "    ")
    return "\n".join(lines)


def _glance(analysis: Analysis) -> str:
    group = analysis.interpretation.group
    instrument = analysis.instrument
    rows = [
        [
            clip(section_name(r.section, r.title), TITLE_WIDTH),
            str(r.n),
            number(r.median),
            number(r.iqr),
            r.band or "–",
            _("yes") if r.concern else "",
            fixed(r.rwg_j),
            fixed(r.alpha),
        ]
        for r in section_rows(analysis.sections)
    ]
    rows.append(
        [
            instrument.aggregate_title,
            str(group.scored),
            number(group.median_aggregate),
            "",
            group.aggregate_band.label if group.aggregate_band else "–",
            _("yes") if group.aggregate_band and group.aggregate_band.concern else "",
            "",
            "",
        ]
    )
    header = ["", "n", _("median"), "IQR", _("band"), _("concern"), "rWG(J)", "alpha"]
    lines = [_title(_("Scores at a glance")), *table(header, rows)]
    pooled = analysis.sections["alpha_n"]
    if len(pooled) and (pooled < MIN_ALPHA).any():
        lines += wrap(
            _(
                "alpha (Cronbach's, pooled over every respondent who answered all of a "
                "section) is shown only when at least %(least)s such respondents are pooled."
            )
            % {"least": MIN_ALPHA}
        )
    elif len(pooled):
        lines += wrap(
            _(
                "alpha is Cronbach's, pooled over every respondent who answered all of a "
                "section (at least %(least)s), across organisations, levels and rounds."
            )
            % {"least": int(pooled.min())}
        )
    return "\n".join(lines)


def _subgroup(analysis: Analysis, attribute: str, frame: pd.DataFrame) -> str:
    shown, hidden = visible_groups(frame)
    columns = list(dict.fromkeys(frame["section"]))
    instrument = analysis.instrument
    names = [instrument.aggregate_title if c == AGGREGATE else c for c in columns]
    lines = [
        _title(
            _("How the groups compare: by %(attribute)s (group medians)")
            % {"attribute": attribute}
        )
    ]
    rows = []
    for label in shown:
        mine = frame[frame["group"] == label].set_index("section")
        counts = mine.loc[~mine["suppressed"], "n"]
        rows.append(
            [clip(label, TITLE_WIDTH), number(counts.max(), 0)]
            + [_cell(row_at(mine, c)) for c in columns]
        )
    if rows:
        lines += table([attribute, "n", *names], rows)
        lines += wrap(_legend(frame, "group", shown))
    if hidden:
        lines += wrap(
            ngettext(
                "%(count)s group(s) not shown: a group with fewer than %(least)s respondents is "
                "hidden, and so is the next smallest when the total would reveal it.",
                "%(count)s group(s) not shown: a group with fewer than %(least)s respondents is "
                "hidden, and so is the next smallest when the total would reveal it.",
                hidden,
            )
            % {"count": hidden, "least": analysis.min_group}
        )
    titles = {difference_title(name, attribute) for name in _section_titles(analysis)}
    for finding in _kind(analysis, "difference"):
        if finding.title in titles:
            lines += wrap(f"{finding.title}: {finding.detail}", "    ", "  • ")
    return "\n".join(lines)


def _section_titles(analysis: Analysis) -> list[str]:
    """What findings call the aggregate and each scored section."""
    instrument = analysis.instrument
    named = [section_name(s.id, s.title) for s in instrument.scored_sections]
    return [instrument.aggregate_title, *named]


def _legend(frame: pd.DataFrame, key: str, shown: list[str]) -> str:
    """What the marks in a table of medians mean, for the marks it has."""
    visible = frame[frame[key].isin(shown)]
    legend = []
    if visible["concern"].any():
        legend.append(_("* median in a band of concern."))
    if visible["suppressed"].any():
        legend.append(_("'hidden': too few respondents to show."))
    return " ".join(legend)


def _cell(row: pd.Series) -> str:
    if row["suppressed"]:
        return _("hidden")
    return number(row["median"]) + ("*" if row["concern"] else "")


def _rounds(analysis: Analysis) -> str:
    frame = analysis.rounds
    if frame is None:
        return ""
    shown, hidden = visible_groups(frame, "round")
    instrument = analysis.instrument
    lines = [_title(_("Change between rounds (group medians)"))]
    rows = []
    for column, mine in frame.groupby("section", sort=False):
        by_round = mine.set_index("round")
        name = instrument.aggregate_title if column == AGGREGATE else str(column)
        cells = [_cell(row_at(by_round, r)) for r in shown]
        last = row_at(by_round, shown[-1]) if shown else None
        change = ""
        if last is not None and not last["suppressed"] and last["direction"]:
            change = f"{ARROWS[last['direction']]} {number(last['change'])}"
        rows.append([name, *cells, change])
    lines += table(["", *shown, _("last change")], rows)
    lines += wrap(
        _legend(frame, "round", shown) + " " + _("↑ up, ↓ down, = the same as the round before.")
    )
    if hidden:
        lines += wrap(
            ngettext(
                "%(count)s round(s) not shown: a round with fewer than %(least)s respondents is "
                "hidden, and so is the next smallest when the total would reveal it.",
                "%(count)s round(s) not shown: a round with fewer than %(least)s respondents is "
                "hidden, and so is the next smallest when the total would reveal it.",
                hidden,
            )
            % {"count": hidden, "least": analysis.min_group}
        )
    for line in _band_moves(analysis, frame, shown):
        lines += wrap(line, "    ", "  • ")
    return "\n".join(lines)


def _band_moves(analysis: Analysis, frame: pd.DataFrame, shown: list[str]) -> list[str]:
    """Sentences for sections whose band changed between consecutive rounds."""
    moves = []
    title = analysis.instrument.aggregate_title
    for column, mine in frame.groupby("section", sort=False):
        by_round = mine.set_index("round")
        name = title if column == AGGREGATE else str(column)
        for before, after in pairwise(shown):
            a, b = row_at(by_round, before), row_at(by_round, after)
            if a["suppressed"] or b["suppressed"] or a["band"] == b["band"]:
                continue
            moves.append(
                f"{name}: {before} {number(a['median'])} ({a['band']}) → {after} "
                f"{number(b['median'])} ({b['band']}), {b['direction']}."
            )
    return moves


def _priorities(analysis: Analysis) -> str:
    frame = analysis.priorities
    if frame is None:
        return ""
    rows = [
        [
            number(r.rank, 0),
            clip(section_name(r.section, r.title), TITLE_WIDTH),
            number(r.significance, 2),
            number(r.score),
            _(r.quadrant),
        ]
        for r in priority_rows(frame.sort_values("rank"))
    ]
    lines = [_title(_("Priorities: significance against score"))]
    lines += table([_("rank"), "", _("significance"), _("score"), _("quadrant")], rows)
    lines += wrap(
        _(
            "Significance is the mean weight partners gave; score is the group median. Both "
            "are compared with the other sections: 'concentrate here' means rated more "
            "significant and scored lower than most. The rank is the action plan's: "
            "importance, how far below the top band, how many scored low and how divided "
            "partners are, together."
        )
    )
    return "\n".join(lines)


def _plan(analysis: Analysis) -> str:
    """The ranked actions (the same ranking as the priorities), each with why and the
    points it gathers, and blanks to fill in."""
    from pat_framework.analysis.ranking import rank_actions

    plan = rank_actions([analysis])
    lines = [_title(_("Action plan skeleton (to fill in at the workshop)"))]
    if not plan.actions:
        return "\n".join([*lines, *wrap(_("No concerns or disagreements to plan for."))])
    blanks = "       " + _("Action: ______________________  Owner: ____________  Due: __________")
    for action in plan.actions:
        lines += wrap(action.heading, "       ", f"  {action.ref:>3}. ")
        lines += wrap(_("Why here: %(why)s") % {"why": action.why()}, "       ")
        for source in action.sources:
            lines += wrap(f"{source.where}: {source.issue}", "         ", "       - ")
        lines.append(blanks)
    lines += wrap(
        _(
            "Actions are ranked by priority: importance × (shortfall + breadth + disagreement) "
            "/ 3, the order of the priorities above. The JSON output (--format json) holds "
            "every point with empty action, owner and due fields."
        )
    )
    return "\n".join(lines)


def _individuals(analysis: Analysis) -> str:
    frame = analysis.individuals
    if frame is None:
        return ""
    lines = [_title(_("Individual scores (shown because --show-individuals was given)"))]
    rows = [
        [str(rid), *(number(v) if not isinstance(v, str) else v for v in row)]
        for rid, row in zip(
            frame.index[:INDIVIDUAL_LIMIT],
            frame.head(INDIVIDUAL_LIMIT).itertuples(index=False),
            strict=True,
        )
    ]
    lines += table([_("respondent"), *map(str, frame.columns)], rows)
    if len(frame) > INDIVIDUAL_LIMIT:
        more = {"count": len(frame) - INDIVIDUAL_LIMIT}
        lines.append("  " + _("… %(count)s more: use --format json for all.") % more)
    return "\n".join(lines)


def _reading(analysis: Analysis) -> str:
    lines = [_title(_("How to read the agreement figures"))]
    for text in (
        _(
            "rWG compares how spread out the answers to a statement are with answers given at "
            "random: 1 is full agreement, 0 no more agreement than chance. Labels: above 0.90 "
            "very strong, 0.71–0.90 strong, 0.51–0.70 moderate, 0.31–0.50 weak, 0.30 or less "
            "lack of agreement (LeBreton & Senter). rWG(J) does the same for a whole section."
        ),
        _(
            "AD is the average distance of the answers from their mean; at or below A/6 (A = "
            "number of answers on the scale, 0.67 on a four-point scale) counts as agreement."
        ),
        _(
            "A statement is split when some answered below the middle of the scale and some "
            "above; it is listed as a disagreement when at least a third are on each side or "
            "rWG is 0.50 or less."
        ),
        _(
            "With fewer than %(least)s answers no agreement figure is given. Details: "
            "docs/analysis.md."
        )
        % {"least": MIN_AGREEMENT},
    ):
        lines += wrap(text, "    ", "  • ")
    return "\n".join(lines)


def _notes(analysis: Analysis) -> str:
    notes = analysis.responses.notes
    if not notes:
        return ""
    lines = [_title(_("Notes"))]
    for note in notes:
        lines += wrap(note, "    ", "  • ")
    return "\n".join(lines)
