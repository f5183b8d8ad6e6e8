"""What a report says, as plain text and tables; each format escapes and lays it out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pat_framework.analysis.rows import dict_rows
from pat_framework.catalogue import N_, gettext, ngettext
from pat_framework.charts.common import attribute_title, section_word
from pat_framework.model import Instrument
from pat_framework.render.text import format_number, missing, number
from pat_framework.results import AGGREGATE, Finding

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.analysis.ranking import Action, ActionPlan
    from pat_framework.reports import Report

#: Headings for the kinds of finding, in the order the analysis ranks them.
KIND_HEADINGS = {
    "concern": N_("Concerns"),
    "disagreement": N_("Where partners disagree"),
    "difference": N_("Differences between groups"),
    "priority": N_("Priorities"),
    "success": N_("Is the partnership achieving its aims?"),
    "strength": N_("Strengths"),
}
#: Findings shown in the summary box rather than the list.
SUMMARY_KINDS = ("scenario", "overall")
#: Findings of each kind named in the summary; all of them follow later.
KEY_FINDINGS = 4
#: At most this many comments per statement in a report; the workbook holds them all.
COMMENTS_SHOWN = 20


@dataclass
class Table:
    """A table of plain values; `numeric` columns are right-aligned."""

    title: str
    header: list[str]
    rows: list[list[Any]]
    note: str = ""
    numeric: set[int] = field(default_factory=set)
    wide: int | None = None


@dataclass
class Comments:
    """What respondents wrote about one statement, without saying who wrote it."""

    item: str
    statement: str
    texts: list[str]
    more: int = 0


@dataclass
class Headline:
    """The summary box: scenario, the rule's reason and the overall score."""

    title: str
    text: str
    reason: str
    score: str
    tone: str


def instrument_of(analysis: Analysis) -> Instrument:
    return analysis.instrument


def headline(analysis: Analysis) -> Headline:
    """The group's scenario (or overall band), with its reason and the aggregate median."""
    instrument = instrument_of(analysis)
    group = analysis.interpretation.group
    band = group.aggregate_band
    said = {"title": instrument.aggregate_title, "median": number(group.median_aggregate)}
    if band and band.text:
        score = gettext("%(title)s: median %(median)s, band %(band)s: %(meaning)s") % {
            **said, "band": band.label, "meaning": band.text}  # fmt: skip
    elif band:
        score = gettext("%(title)s: median %(median)s, band %(band)s") % {
            **said,
            "band": band.label,
        }
    else:
        score = gettext("%(title)s: median %(median)s") % said
    if group.scenario:
        scenario = group.scenario
        title = gettext("Scenario %(id)s: %(title)s") % {
            "id": scenario.id,
            "title": scenario.title,
        }
        text = scenario.text
    elif band:
        title, text = f"{instrument.aggregate_title}: {band.label}", band.text
    else:
        title, text = gettext("No overall result"), ""
    return Headline(title, text, group.reason, score, _tone(instrument, analysis))


def _tone(instrument: Instrument, analysis: Analysis) -> str:
    """fine, mixed or concern: the scenario's place in the instrument's list (first is
    best), or without scenarios, the overall band's RAG rating, or whether it is the top
    band or one of concern."""
    group = analysis.interpretation.group
    if group.scenario and len(instrument.scenarios) > 1:
        place = [s.id for s in instrument.scenarios].index(group.scenario.id)
        last = len(instrument.scenarios) - 1
        return "fine" if place == 0 else "concern" if place == last else "mixed"
    band = group.aggregate_band
    if band is None:
        return "none"
    if band.rating:
        return {"green": "fine", "amber": "mixed", "red": "concern"}[band.rating]
    if band.concern:
        return "concern"
    return "fine" if band == max(instrument.aggregate_bands, key=lambda b: b.min) else "mixed"


def finding_groups(analysis: Analysis) -> list[tuple[str, list[Finding]]]:
    """Findings under a heading per kind, in the analysis's order; the summary's left out."""
    groups: dict[str, list[Finding]] = {}
    for finding in analysis.findings:
        if finding.kind in SUMMARY_KINDS:
            continue
        groups.setdefault(finding.kind, []).append(finding)
    return [(gettext(KIND_HEADINGS[kind]) if kind in KIND_HEADINGS else kind.capitalize(), found)
            for kind, found in groups.items()]  # fmt: skip


def sections_table(analysis: Analysis) -> Table:
    """One row per scored section: median, band and its meaning, range and agreement."""
    instrument = instrument_of(analysis)
    word = section_word(instrument).capitalize()
    rows = []
    for record in analysis.sections.to_dict("records"):
        section = instrument.section(str(record["section"]))
        meaning = next((b.text for b in section.bands if b.label == record["band"]), "")
        spread = (
            f"{number(record['min'])}–{number(record['max'])}"
            if not missing(record["min"])
            else "–"
        )
        rows.append(
            [
                section.id,
                section.title,
                number(record["median"]),
                record["band"] or "–",
                meaning,
                spread,
                number(record["rwg_j"], 2),
                _count(record["n"]),
            ]
        )
    group = analysis.interpretation.group
    if instrument.aggregate_bands:
        band = group.aggregate_band
        totals = analysis.interpretation.scores.totals[AGGREGATE].dropna()
        rows.append(
            [
                "",
                instrument.aggregate_title,
                number(group.median_aggregate),
                band.label if band else "–",
                band.text if band else "",
                f"{number(totals.min())}–{number(totals.max())}" if len(totals) else "–",
                "",
                str(group.scored),
            ]
        )
    return Table(
        gettext("%(word)s scores") % {"word": word},
        [
            gettext("Id"),
            word,
            gettext("Median"),
            gettext("Band"),
            gettext("What the band means"),
            gettext("Lowest–highest"),
            gettext("Agreement rWG(J)"),
            gettext("Respondents"),
        ],
        rows,
        note=gettext("rWG(J) runs from 0 (no more agreement than chance) to 1 (everyone agrees)."),
        numeric={2, 3, 5, 6, 7},
        wide=4,
    )


def statement_tables(analysis: Analysis) -> list[Table]:
    """One table per section: how many gave each answer to each statement, and agreement."""
    from pat_framework.analysis.findings import answer_label

    instrument = instrument_of(analysis)
    divided = {f.item_id for f in analysis.findings if f.kind == "disagreement"}
    by_section: dict[str, list[dict[str, Any]]] = {}
    for record in dict_rows(analysis.items):
        by_section.setdefault(str(record["section"]), []).append(record)
    tables = []
    for section in instrument.sections:
        records = by_section.get(section.id, [])
        if not records:
            continue
        # In statement order, and a stable sort: answers with the same score keep the
        # order their scales first appear in (a set here made the columns' order vary).
        scales = dict.fromkeys(instrument.item(str(r["item"])).scale for r in records)
        options = sorted(
            dict.fromkeys((o.score, o.label, o.codes[0] if o.codes else o.label) for s in scales
                          for o in s.scoring),
            key=lambda p: -p[0],
        )  # fmt: skip
        labels = list(dict.fromkeys(label for _, label, _ in options))
        short = {label: code for _, label, code in options}
        key = [f"{short[label]} {label}" for label in labels if short[label] != label]
        rows = []
        for record in records:
            item = instrument.item(str(record["item"]))
            counts = {
                o.label: record.get(f"count_{format_number(o.score)}") for o in item.scale.scoring
            }
            median = (
                "–" if missing(record["median"]) else answer_label(item.scale, record["median"])
            )
            agreement = str(record.get("agreement") or "")
            if item.id in divided:
                # One word for one state: a divided statement never also reads "agreement".
                rwg = record.get("rwg")
                agreement = (
                    gettext("divided")
                    if missing(rwg)
                    else gettext("divided (rWG %(rwg)s)") % {"rwg": number(rwg, 2)}
                )
            rows.append(
                [
                    item.id,
                    item.text,
                    *(_count(counts.get(label)) for label in labels),
                    median,
                    agreement,
                ]
            )
        tables.append(
            Table(
                f"{section.id} {section.title}",
                [gettext("Id"), gettext("Statement"), *(short[label] for label in labels),
                 gettext("Median answer"), gettext("Agreement")],
                rows,
                note=gettext("Answers: %(key)s.") % {"key": ", ".join(key)} if key else "",
                numeric=set(range(2, 2 + len(labels))),
                wide=1,
            )
        )  # fmt: skip
    return tables


def subgroup_tables(analysis: Analysis) -> list[Table]:
    """For each attribute: a row per group shown, a column per section and the aggregate."""
    instrument = instrument_of(analysis)
    tables = []
    for attribute, frame in analysis.subgroups.items():
        shown = frame[~frame["suppressed"].astype(bool)]
        groups = list(dict.fromkeys(str(g) for g in shown["group"]))
        hidden = frame["group"].nunique() - len(groups)
        columns = _columns(instrument)
        rows = []
        for group in groups:
            mine = frame[frame["group"].astype(str) == group]
            cells = {str(r["section"]): r for r in dict_rows(mine)}
            sizes = [r["n"] for r in cells.values() if not r["suppressed"] and not missing(r["n"])]
            rows.append(
                [group, str(max(sizes)) if sizes else "–"]
                + [_cell(cells.get(c)) for c, _ in columns]
            )
        said = {"min_group": analysis.min_group, "hidden": hidden}
        note = (
            gettext("Groups of fewer than %(min_group)s respondents are not shown (%(hidden)s "
                    "hidden).") % said
            if hidden
            else gettext("Groups of fewer than %(min_group)s respondents are not shown.") % said
        )  # fmt: skip
        note += " " + gettext("Each cell is the group's median score; a dash marks a figure "
                              "withheld so that a small group cannot be worked out.")  # fmt: skip
        tables.append(
            Table(
                gettext("By %(attribute)s") % {"attribute": attribute},
                [
                    attribute_title(attribute),
                    gettext("Respondents"),
                    *(title for _, title in columns),
                ],
                rows,
                note=note,
                numeric=set(range(1, 2 + len(columns))),
            )
        )
    return tables


def rounds_table(analysis: Analysis) -> Table | None:
    """A row per round: each section's median, band and which way it moved."""
    frame = analysis.rounds
    if frame is None or frame.empty:
        return None
    instrument = instrument_of(analysis)
    columns = _columns(instrument)
    arrows = {"up": " ↑", "down": " ↓", "same": " ="}
    rows = []
    for label in dict.fromkeys(str(r) for r in frame["round"]):
        mine = frame[frame["round"].astype(str) == label]
        cells = {str(r["section"]): r for r in dict_rows(mine)}
        row = [label]
        for column, _ in columns:
            record = cells.get(column)
            text = _cell(record)
            if record is not None and not record["suppressed"]:
                text += arrows.get(str(record.get("direction") or ""), "")
            row.append(text)
        rows.append(row)
    return Table(
        gettext("Change between rounds"),
        [gettext("Round"), *(title for _, title in columns)],
        rows,
        note=gettext("↑ up, ↓ down, = unchanged since the round before."),
        numeric=set(range(1, 1 + len(columns))),
    )


def priorities_table(analysis: Analysis) -> Table | None:
    frame = analysis.priorities
    if frame is None or frame.empty:
        return None
    instrument = instrument_of(analysis)
    ordered = frame.sort_values("rank", na_position="last")
    rows = [
        [
            "–" if missing(r["rank"]) else str(int(r["rank"])),
            f"{r['section']} {r['title']}",
            number(r["significance"], 2),
            number(r["score"]),
            gettext(str(r["quadrant"])) if r["quadrant"] else "–",
        ]
        for r in ordered.to_dict("records")
    ]
    word = section_word(instrument).capitalize()
    return Table(
        gettext("Priorities"),
        [
            gettext("Priority"),
            word,
            gettext("Mean significance"),
            gettext("Median score"),
            gettext("Reading"),
        ],
        rows,
        wide=1,
        note=gettext(
            "The priority is the action plan's ranking: how significant partners "
            "rate it, how far it scores below the top band, how many scored low and "
            "how divided they are."
        ),
        numeric={0, 2, 3},
    )


#: The plan's columns to fill in at the workshop: SMART, as staff-survey action plans are.
FILL_IN = [N_("Owner"), N_("Due by"), N_("Success measure"), N_("Review date")]


def plan_table(plan: ActionPlan, instruments: bool = False) -> Table:
    """The ranked action plan: its top actions, why each ranks where it does, a first step
    from the instrument's guidance and empty columns to agree at the workshop."""
    rows = []
    for action in plan.shown:
        subject = subject_of(action, instruments)
        rows.append(
            [action.ref, subject,
             gettext("%(why)s Raised at: %(where)s.") % {"why": action.why(),
                                                         "where": action.cited()},
             action.first_step(),
             *([""] * len(FILL_IN))]
        )  # fmt: skip
    more = len(plan.others)
    note = gettext(
        "Ranked by priority: importance × (shortfall + breadth + disagreement), see About."
    )
    if more:
        note += " " + ngettext(
            "%(count)s further action(s) are listed under Other points raised.",
            "%(count)s further action(s) are listed under Other points raised.",
            more,
        ) % {"count": more}
    return Table(
        gettext("Ranked actions"),
        [
            gettext("Ref"),
            gettext("Act on"),
            gettext("Why here"),
            gettext("Suggested first step"),
            *(gettext(head) for head in FILL_IN),
        ],
        rows,
        note=note,
        wide=2,
    )


def subject_of(action: Action, instruments: bool) -> str:
    """What to act on, with its instrument where several share a plan (unless the section
    is named as the instrument is, or the action is on a subject several raised)."""
    if not instruments or action.subject or action.heading == action.instrument.title:
        return action.heading
    return f"{action.heading} ({action.instrument.title})"


def others_table(plan: ActionPlan, instruments: bool = False) -> Table | None:
    """The actions below the plan's top ones, with their evidence, for the appendix."""
    if not plan.others:
        return None
    rows = [[a.ref, subject_of(a, instruments), a.why()] for a in plan.others]
    return Table(
        gettext("Other points raised"),
        [gettext("Ref"), gettext("Subject"), gettext("Why")],
        rows,
        wide=2,
    )


def comments(analysis: Analysis, limit: int | None = COMMENTS_SHOWN) -> list[Comments]:
    """Respondents' comments per statement, in alphabetical order so no one is singled out."""
    table = analysis.responses.comments
    if table is None:
        return []
    instrument = instrument_of(analysis)
    found = []
    for item in instrument.items:
        if item.id not in table.columns:
            continue
        texts = sorted(t for t in (" ".join(str(c).split()) for c in table[item.id].dropna()) if t)
        if not texts:
            continue
        shown = texts if limit is None else texts[:limit]
        found.append(Comments(item.id, item.text, shown, len(texts) - len(shown)))
    return found


def notes(report: Report) -> list[str]:
    """How to read the figures, and anything left out."""
    analysis = report.analysis
    instrument = instrument_of(analysis)
    n = len(analysis.interpretation.scores.totals)
    files = len(analysis.responses.sources)
    read = ngettext(
        "%(count)s respondent(s) from %(files)s file(s).",
        "%(count)s respondent(s) from %(files)s file(s).",
        n,
    ) % {"count": n, "files": files}
    out = [
        read + " " + gettext("Scores follow the instrument's own scoring and bands."),
        gettext(
            "Agreement: rWG compares the spread of answers with the spread of random answers "
            "(1 = full agreement, 0 = none); AD is the mean distance of answers from their "
            "mean. Agreement is not given for fewer than three answers."
        ),
        analysis.rules.statement(),
    ]
    if most := instrument.missing.max_missing:
        out.append(
            ngettext(
                "A %(word)s with at most %(count)s statement(s) unanswered is scored from the "
                "answers given (prorated); with more, it has no score. Blanks never count as "
                "zero.",
                "A %(word)s with at most %(count)s statement(s) unanswered is scored from the "
                "answers given (prorated); with more, it has no score. Blanks never count as "
                "zero.",
                most,
            )
            % {"word": section_word(instrument), "count": most}
        )
    out += list(analysis.responses.notes)
    out += [gettext("Not drawn: %(reason)s") % {"reason": reason} for reason in report.not_drawn]
    return out


def _columns(instrument: Instrument) -> list[tuple[str, str]]:
    columns = [(s.id, _short(instrument, s.id)) for s in instrument.scored_sections]
    if instrument.aggregate_bands:
        columns.append((AGGREGATE, gettext("Overall")))
    return columns


def _cell(record: dict[str, Any] | None) -> str:
    if record is None or record["suppressed"] or missing(record["median"]):
        return "–"
    return number(record["median"])


def _count(value: Any) -> str:
    return "–" if missing(value) else str(int(value))


#: Points of each kind the at-a-glance part names.
GLANCE = 3


def glance(analysis: Analysis, each: int = GLANCE) -> list[tuple[str, list[str]]]:
    """The at-a-glance points: the clearest strengths, the top concerns (in the action plan's
    order, so the two never disagree), where partners disagree most (most divided first) and
    what changed since the last round, a few of each."""
    from pat_framework.analysis.ranking import evidence_of

    priority = {s: e.priority for s, e in evidence_of(analysis).items()}
    concerns = sorted(
        (f for f in analysis.findings if f.kind == "concern"),
        key=lambda f: -priority.get(f.section_id, 0.0),
    )
    points = [
        (gettext("Clearest strengths"),
         [f.title for f in analysis.findings if f.kind == "strength"]),
        (gettext("Top concerns"), [f.title for f in concerns]),
        (gettext("Where partners disagree most"),
         [f.title for f in analysis.findings if f.kind == "disagreement"]),
        (gettext("Since the last round"), changes(analysis)),
    ]  # fmt: skip
    return [(heading, found[:each]) for heading, found in points if found]


def changes(analysis: Analysis) -> list[str]:
    """Each section that moved between the last two rounds shown, and which way."""
    frame = analysis.rounds
    if frame is None or frame.empty:
        return []
    shown = frame[~frame["suppressed"].astype(bool)]
    rounds = list(dict.fromkeys(str(r) for r in shown["round"]))
    if len(rounds) < 2:
        return []
    last = shown[shown["round"].astype(str) == rounds[-1]]
    instrument = instrument_of(analysis)
    sentences = {"up": N_("%(name)s up to %(median)s in %(round)s"),
                 "down": N_("%(name)s down to %(median)s in %(round)s")}  # fmt: skip
    found = []
    for record in dict_rows(last):
        sentence = sentences.get(str(record.get("direction") or ""))
        if sentence is None:
            continue
        section = str(record["section"])
        name = instrument.aggregate_title if section == AGGREGATE else _short(instrument, section)
        said = {"name": name, "median": number(record["median"]), "round": rounds[-1]}
        line = gettext(sentence) % said
        found.append(line[0].upper() + line[1:])
    return found


def _short(instrument: Instrument, section_id: str) -> str:
    """A section as a changes line names it: 'P4' by its code, 'behaviours' by its title."""
    if section_id.replace("-", "").isalpha() and section_id.islower():
        return instrument.section(section_id).title
    return section_id
