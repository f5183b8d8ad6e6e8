"""The report as one self-contained, printable HTML page: inline CSS, charts as inline SVG.

Nothing is fetched: no scripts, external styles, fonts or images, and a Content Security
Policy forbids them. Every piece of text from a user passes through html.escape.
"""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from pat_framework import __version__
from pat_framework.catalogue import _, ngettext, spoken
from pat_framework.reports import content
from pat_framework.reports.content import Table

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.analysis.ranking import ActionPlan
    from pat_framework.reports import DrawnChart, Report

POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

STYLE = """
:root { --ink: #222; --muted: #555; --rule: #d0d0d0; --fine: #137d5c; --mixed: #c46a00;
  --concern: #b2182b; --none: #888; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 860px; margin: 0 auto; padding: 32px 28px 48px; }
h1 { font-size: 26px; line-height: 1.25; margin: 0 0 6px; }
h2 { font-size: 20px; margin: 34px 0 10px; padding-bottom: 4px;
  border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 20px 0 6px; }
h4 { font-size: 14px; margin: 16px 0 6px; }
p, ul { margin: 6px 0 10px; }
.meta, .note, .how, .source { color: var(--muted); font-size: 13px; }
.headline { border-left: 8px solid var(--none); background: #f7f7f7; padding: 14px 18px;
  margin: 18px 0; }
.headline.fine { border-color: var(--fine); }
.headline.mixed { border-color: var(--mixed); }
.headline.concern { border-color: var(--concern); }
.headline .title { font-size: 20px; font-weight: bold; margin: 0 0 4px; }
.findings li, .key li { margin-bottom: 6px; }
.findings .detail { display: block; color: var(--muted); font-size: 13px; }
figure.chart { margin: 12px 0 28px; }
figure.chart svg { display: block; width: 100%; height: auto; margin: 8px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 6px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 6px; text-align: left;
  vertical-align: top; }
th { background: #efefef; font-weight: bold; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
td.text { min-width: 14em; }
table.plan td { height: 2.6em; }
table.plan th:nth-child(1) { width: 4%; }
table.plan th:nth-child(2) { width: 16%; }
table.plan th:nth-child(3) { width: 37%; }
table.plan th:nth-child(4) { width: 23%; }
table.plan th:nth-child(n+5) { width: 5%; }
table.plan td:nth-child(n+5) { border-left: 1px solid var(--rule); }
table.plan td.text { min-width: 0; }
blockquote { margin: 4px 0 4px 0; padding: 2px 10px; border-left: 3px solid var(--rule);
  font-size: 13px; }
.comments h3 { font-size: 14px; }
nav li a, .note a { display: inline-block; min-height: 24px; padding: 3px 0; }
details.figures { font-size: 13px; margin: 4px 0 8px; }
details.figures summary { min-height: 24px; cursor: pointer; }
footer, .about { margin-top: 40px; border-top: 1px solid var(--rule); padding-top: 8px; }
@page { size: A4; margin: 15mm 13mm;
  @bottom-right { content: PAGE_NUMBERS; font-size: 9pt;
    color: #555; } }
@page plan { size: A4 landscape; }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  h3, h4 { break-after: avoid; }
  .page { break-before: page; }
  figure.chart, .headline, tr, blockquote, ul.key li, .part { break-inside: avoid; }
  /* The finding is stated at a glance; printed it would cost a page. It stays the
     image's text alternative (aria-labelledby reads hidden text too). */
  p.finding { display: none; }
  /* A tall chart comes in parts (each under 200 mm), which may start a new page; a chart
     never prints taller than the printable height. */
  figure.chart.parts { break-inside: auto; }
  figure.chart svg { max-height: 235mm; width: auto; max-width: 100%; margin: 4px auto; }
  a { color: inherit; }
  /* The closing line never takes a page of its own. */
  body > main > footer:last-child { break-before: avoid; margin-top: 12px; }
  section.plan-pages { page: plan; }
  table.plan { font-size: 9pt; }
  #summary figure.chart svg, figure.chart.glance svg { max-height: 110mm; }
  thead { display: table-header-group; }
}
"""


#: Where STYLE numbers the printed pages: filled in by `page` in the reader's language.
PAGE_NUMBERS = "PAGE_NUMBERS"


def page_numbers() -> str:
    """The printed page's footer as a CSS content value: 'Page " counter(page) " of "…'
    with the words of the reader's language around the two counters."""
    said = _("Page %(page)s of %(pages)s")
    parts = re.split(r"(%\((?:page|pages)\)s)", said)
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}
    return " ".join(counters.get(p) or css_string(p) for p in parts if p)


def css_string(text: str) -> str:
    """`text` as a quoted CSS string that cannot end the string or the style element."""
    safe = (f"\\{ord(c):x} " if c in '\\"<>&' or ord(c) < 32 else c for c in text)
    return '"' + "".join(safe) + '"'


class ReportHTML:
    name = "html"
    subject = "report"
    suffixes = (".html", ".htm")
    binary = False
    description = "One self-contained, printable web page with the charts drawn in"

    def render(self, result: Report) -> str:
        analysis = result.analysis
        instrument = content.instrument_of(analysis)
        title = _("%(title)s: assessment report") % {"title": instrument.title}
        n = len(analysis.interpretation.scores.totals)
        said = {"count": n, "id": instrument.id, "version": instrument.version,
                "date": result.created.isoformat()}  # fmt: skip
        meta = ngettext(
            "%(count)s respondent · %(id)s version %(version)s · produced %(date)s",
            "%(count)s respondents · %(id)s version %(version)s · produced %(date)s",
            n,
        )
        header = [
            "<header>",
            f"<h1>{escape(title)}</h1>",
            f'<p class="meta">{escape(meta % said)}</p>',
            "</header>",
        ]
        return page(title, header + ReportBody(result).parts(), lang=spoken() or "en")


def page(title: str, body: list[str], style: str = STYLE, lang: str = "en") -> str:
    """A whole self-contained HTML document around `body`, styled by `style` alone."""
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(lang, quote=True)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>{style.replace(PAGE_NUMBERS, page_numbers())}</style>",
        "</head>",
        "<body>",
        "<main>",
        *body,
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


class ReportBody:
    """One instrument's report as HTML, to stand alone or sit inside a larger page.

    `prefix` keeps element ids unique when several reports share a page; `shift` moves
    every heading down that many levels.
    """

    def __init__(self, report: Report, prefix: str = "", shift: int = 0) -> None:
        self.report = report
        self.analysis = report.analysis
        self.prefix = prefix
        self.shift = shift

    def parts(self, plan: bool = True) -> list[str]:
        """At a glance, the action plan and the detail the report's `detail` asks for, then
        the appendix; `plan=False` (inside a workshop) leaves the glance and plan to it, and
        the notes on reading the figures to the full report."""
        full = self.report.detail == "full"
        parts = self.glance() if plan else self.summary()
        if plan:
            parts += self.plan()
        if self.report.detail != "summary":
            parts.append(f'<section id="{self.id("detail")}">')
            parts.append(self.h(2, _("Scores in detail")))
            parts.append(self.table(content.sections_table(self.analysis), level=3))
            skip = 1 if plan else 0
            charts = self.report.shown_charts
            parts += [self.figure(d, k) for k, d in enumerate(charts) if k >= skip]
            parts.append("</section>")
            parts += self.details(full)
        if plan:
            parts += self.appendix()
        if plan or full:
            parts += self.about()
        return parts

    def glance(self) -> list[str]:
        """The headline, the clearest points, the headline chart and the top actions."""
        parts = self.summary(key=False)
        parts += glance_list(self.analysis, self.shift + 3)
        if self.report.shown_charts:
            parts.append(self.figure(self.report.shown_charts[0], 0, level=3))
        parts += top_actions(self.report.plan, self.shift + 3, self.id("plan"))
        parts.append("</section>")
        return parts

    def plan(self) -> list[str]:
        return [
            f'<section id="{self.id("plan")}" class="page plan-pages">',
            self.h(2, _("Action plan")),
            self.table(content.plan_table(self.report.plan), "plan", level=3),
            "</section>",
        ]

    def appendix(self) -> list[str]:
        others = content.others_table(self.report.plan)
        if others is None:
            return []
        return [
            f'<section id="{self.id("others")}" class="page">',
            self.table(others),
            "</section>",
        ]

    def h(self, level: int, text: str) -> str:
        level += self.shift
        return f"<h{level}>{escape(text)}</h{level}>"

    def id(self, name: str) -> str:
        return escape(f"{self.prefix}{name}", quote=True)

    def summary(self, key: bool = True) -> list[str]:
        """The headline box with the key findings; `key=False`: the box alone, the section
        left open for the glance to fill."""
        head = content.headline(self.analysis)
        parts = [
            f'<section id="{self.id("summary")}">',
            self.h(2, _("Summary") if key else _("At a glance")),
            f'<div class="headline {head.tone}">',
            f'<p class="title">{escape(head.title)}</p>',
        ]
        if head.text:
            parts.append(f"<p>{escape(head.text)}</p>")
        parts.append(f"<p>{escape(head.score)}</p>")
        parts.append(f'<p class="note">{escape(head.reason)}</p>')
        parts.append("</div>")
        if not key:
            return parts
        groups = content.finding_groups(self.analysis)
        if groups:
            parts.append(self.h(3, _("Key findings")))
            parts.append('<ul class="key">')
            for heading, found in groups:
                titles = "; ".join(f.title for f in found[: content.KEY_FINDINGS])
                more = len(found) - content.KEY_FINDINGS
                if more > 0:
                    titles = _("%(findings)s; and %(count)s more") % {
                        "findings": titles,
                        "count": more,
                    }
                parts.append(
                    f"<li><strong>{escape(heading)} ({len(found)}):</strong> {escape(titles)}</li>"
                )
            parts.append("</ul>")
            if self.report.detail == "full":
                below = _("Every finding is set out in full below.")
                parts.append(f'<p class="note">{escape(below)}</p>')
        parts.append("</section>")
        return parts

    def findings(self) -> list[str]:
        groups = content.finding_groups(self.analysis)
        if not groups:
            return []
        parts = [
            f'<section id="{self.id("findings")}" class="page">',
            self.h(2, _("Findings in full")),
        ]
        for heading, found in groups:
            parts.append(self.h(3, heading))
            parts.append('<ul class="findings">')
            for finding in found:
                detail = (
                    f'<span class="detail">{escape(finding.detail)}</span>'
                    if finding.detail
                    else ""
                )
                parts.append(f"<li><strong>{escape(finding.title)}</strong>{detail}</li>")
            parts.append("</ul>")
        parts.append("</section>")
        return parts

    def figure(self, drawn: DrawnChart, k: int, level: int = 3) -> str:
        """A chart drawn in, with what it shows in these answers and how to read it as the
        text alternative (both visible above it); a chart taller than a printed page is
        drawn in parts that each fit one. The figure is a group, so
        that a tagged PDF has a Figure for the image (each part) with its alt text, and not
        one more without."""
        from pat_framework.charts.export import inline_svg, page_parts

        name = escape(drawn.name, quote=True)
        anchor = self.id("chart-" + drawn.name)
        found = self.finding(drawn)
        said = f'<p class="finding" id="{anchor}-finding">{escape(found)}</p>' if found else ""
        head = (
            f"{self.h(level, drawn.title)}{said}"
            f'<p class="how" id="{anchor}-how">{escape(drawn.description)}</p>'
        )
        labels = f"{anchor}-finding {anchor}-how" if found else f"{anchor}-how"
        parts = page_parts(drawn.spec)
        svgs = []
        for j, svg in enumerate(parts):
            inline = inline_svg(svg, f"{self.prefix}c{k}" + (f"p{j}" if j else ""))
            if j == 0:
                svgs.append(labelled_svg(inline, labels))
            else:
                part = {"title": drawn.title, "part": j + 1, "parts": len(parts)}
                svgs.append(
                    continued_svg(inline, _("%(title)s, part %(part)s of %(parts)s") % part)
                )
        if len(svgs) == 1:
            css, drawn_in = "chart", head + svgs[0]
        else:  # the heading and description stay with the first part
            svgs[0] = head + svgs[0]
            css, drawn_in = "chart parts", "".join(f'<div class="part">{s}</div>' for s in svgs)
        return (
            f'<figure class="{css}" role="group" id="{anchor}" data-chart="{name}">'
            f"{drawn_in}{figures_table(drawn)}</figure>"
        )

    def finding(self, drawn: DrawnChart) -> str:
        """What the chart shows in these answers (empty for a chart pat does not know)."""
        from pat_framework.reports.office import finding

        return finding(drawn.name, self.analysis)

    def details(self, full: bool) -> list[str]:
        """Group comparisons, rounds and priorities; with `full`, every finding, the answers
        to each statement and the comments too."""
        analysis = self.analysis
        parts = self.findings() if full else []
        if full:
            parts += [
                f'<section id="{self.id("statements")}" class="page">',
                self.h(2, _("Answers to each statement")),
            ]
            parts += [self.table(t, level=3) for t in content.statement_tables(analysis)]
            parts.append("</section>")
        # The group medians are drawn, labelled, in the subgroups chart: the standard
        # report leaves their tables to the full one.
        drawn = any(c.name == "subgroups" for c in self.report.shown_charts)
        groups = content.subgroup_tables(analysis) if full or not drawn else []
        if groups:
            parts += [f'<section id="{self.id("groups")}">', self.h(2, _("Comparison by group"))]
            parts += [self.table(t, level=3) for t in groups]
            parts.append("</section>")
        for table, anchor in (
            (content.rounds_table(analysis), "rounds"),
            (content.priorities_table(analysis), "priorities"),
        ):
            if table is not None:
                parts += [f'<section id="{self.id(anchor)}">', self.table(table), "</section>"]
        if full:
            parts += self.comments()
        return parts

    def comments(self) -> list[str]:
        said = content.comments(self.analysis)
        if not said:
            return []
        unnamed = _("Comments are shown without names, in alphabetical order.")
        parts = [
            f'<section id="{self.id("comments")}" class="comments page">',
            self.h(2, _("What respondents wrote")),
            f'<p class="note">{escape(unnamed)}</p>',
        ]
        for entry in said:
            parts.append(self.h(3, f"{entry.item} {entry.statement}"))
            parts += [f"<blockquote>{escape(text)}</blockquote>" for text in entry.texts]
            if entry.more:
                more = _("… and %(count)s more (all are in the Excel report).")
                parts.append(f'<p class="note">{escape(more % {"count": entry.more})}</p>')
        parts.append("</section>")
        return parts

    def about(self) -> list[str]:
        source = content.instrument_of(self.analysis).source
        tag = "footer" if self.shift == 0 else "section"
        parts = [
            f'<{tag} id="{self.id("about")}" class="about">',
            self.h(2, _("About this report")),
        ]
        parts.append("<ul>")
        parts += [f"<li>{escape(note)}</li>" for note in content.notes(self.report)]
        parts.append("</ul>")
        cited = _("Source: %(citation)s.") % {"citation": source.citation()}
        parts.append(f'<p class="source">{escape(cited)}</p>')
        if source.licence:
            parts.append(f'<p class="source">{escape(source.licence)}</p>')
        if source.url:
            parts.append(f'<p class="source">{escape(source.url)}</p>')
        produced = _("Produced by pat %(version)s.") % {"version": __version__}
        parts.append(f'<p class="source">{escape(produced)}</p>')
        parts.append(f"</{tag}>")
        return parts

    def table(self, table: Table, css: str = "", level: int = 2) -> str:
        return html_table(table, css, level + self.shift)


def html_table(table: Table, css: str = "", level: int = 2) -> str:
    """A titled table; every value escaped, numeric columns right-aligned."""
    kinds = [
        ' class="num"' if k in table.numeric else ' class="text"' if k == table.wide else ""
        for k in range(len(table.header))
    ]
    head = "".join(
        f"<th{kind}>{escape(str(h))}</th>" for kind, h in zip(kinds, table.header, strict=True)
    )
    body = []
    for row in table.rows:
        cells = "".join(
            f"<td{kind}>{escape(str(v))}</td>" for kind, v in zip(kinds, row, strict=True)
        )
        body.append(f"<tr>{cells}</tr>")
    if not body:
        none = _("None.")
        body.append(f'<tr><td colspan="{len(table.header)}">{escape(none)}</td></tr>')
    note = f'<p class="note">{escape(table.note)}</p>' if table.note else ""
    attribute = f' class="{css}"' if css else ""
    return (
        f"<h{level}>{escape(table.title)}</h{level}>"
        f"<table{attribute}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


def glance_list(analysis: Analysis, level: int, each: int = content.GLANCE) -> list[str]:
    """The clearest strengths, top concerns, widest disagreements and changes, as lists."""
    parts = []
    for heading, points in content.glance(analysis, each):
        parts.append(f"<h{level}>{escape(heading)}</h{level}>")
        parts.append('<ul class="key">')
        parts += [f"<li>{escape(point)}</li>" for point in points]
        parts.append("</ul>")
    return parts


#: Actions named in the at-a-glance part; the plan has them all.
GLANCE_ACTIONS = 5


def top_actions(plan: ActionPlan, level: int, anchor: str, instruments: bool = False) -> list[str]:
    """The plan's first few actions, each with why, linking to the whole plan."""
    # Babel finds no _() inside an f-string's braces: each message is called outside one.
    heading, nothing, whole = _("Top actions"), _("Nothing to act on."), _("The whole action plan")
    if not plan.actions:
        return [f"<h{level}>{escape(heading)}</h{level}>", f"<p>{escape(nothing)}</p>"]
    rows = [
        [a.ref, content.subject_of(a, instruments), a.why()] for a in plan.actions[:GLANCE_ACTIONS]
    ]
    table = Table(heading, [_("Ref"), _("Act on"), _("Why here")], rows, wide=2)
    return [
        html_table(table, "top", level),
        f'<p class="note"><a href="#{anchor}">{escape(whole)}</a>.</p>',
    ]


_ROLES = re.compile(r'\s(?:role|aria-[a-z]+)="[^"]*"')
#: Columns of a chart's data that place marks rather than say anything.
LAYOUT = {"theta", "radius", "align", "start", "end", "inner", "outer", "ring", "x", "y",
          "row", "column", "colour", "stack", "tick", "centre", "low", "high", "min", "max",
          "mark"}  # fmt: skip
#: At most this many rows of a chart's figures are written out.
FIGURE_ROWS = 200


def labelled_svg(svg: str, described_by: str) -> str:
    """The chart as one image whose text alternative is its description; the marks' own
    roles and labels are taken off, the figures being in the table beside it."""
    inner = _ROLES.sub("", svg)
    return inner.replace("<svg ", f'<svg role="img" aria-labelledby="{described_by}" ', 1)


def continued_svg(svg: str, label: str) -> str:
    """A later part of a chart, as one image named by the chart and its part."""
    inner = _ROLES.sub("", svg)
    return inner.replace("<svg ", f'<svg role="img" aria-label="{escape(label, quote=True)}" ', 1)


def figures_table(drawn: DrawnChart) -> str:
    """The figures a chart draws, as a table in a closed details element."""
    datasets = [rows for rows in drawn.spec.get("datasets", {}).values() if len(rows) > 1]
    labelled = [rows for rows in datasets if {"label", "text"} & set(rows[0])]
    chosen = (labelled or sorted(datasets, key=len, reverse=True) or [[]])[-1 if labelled else 0]
    if not chosen:
        return ""
    columns = [c for c in chosen[0] if c not in LAYOUT]
    rows = [[_figure(row.get(c)) for c in columns] for row in chosen[:FIGURE_ROWS]]
    # The columns are the chart's data's names: in the reader's language where the
    # catalogue has the word (a chart's own names, such as "band", are in it).
    heads = [_(c) for c in columns]
    table = Table(_("The figures in “%(title)s”") % {"title": drawn.title}, heads, rows)
    summary = escape(_("The chart's figures as a table"))
    return (
        f'<details class="figures"><summary>{summary}</summary>'
        f"{html_table(table, level=4)}</details>"
    )


def _figure(value: object) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "" if value is None else str(value)
