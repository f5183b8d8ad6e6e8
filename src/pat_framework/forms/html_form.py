"""The printable paper form, laid out like the ODPM tool's rapid partnership profile sheets.

One page per section: its title and description, then a table with the statements as rows,
a tick-box column per answer on the scale and a comments column. A section scored as the
sum of its answers gets the profile sheet's "Scores … Total" row and scoring key. Notes on
what lies behind each statement follow the table. The page is self-contained (no scripts,
styles or fonts fetched; a Content Security Policy forbids them) and every piece of text
passes through html.escape.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from pat_framework import __version__
from pat_framework.catalogue import _
from pat_framework.forms import FIELDS, element_text, scale_runs, scoring_key, totals_by_sum
from pat_framework.model import Instrument, Item, Scale, Section
from pat_framework.reports.html import page

STYLE = """
* { box-sizing: border-box; }
body { margin: 0; color: #111; background: #fff;
  font: 14px/1.4 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 960px; margin: 0 auto; padding: 28px 24px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 0 0 6px; }
h2 .id { text-transform: none; font-weight: normal; color: #444; margin-right: 6px; }
p { margin: 6px 0; }
.meta, .source, .notes { color: #444; font-size: 12px; }
.instructions { border: 1px solid #999; padding: 8px 12px; margin: 12px 0; }
table.fields { border-collapse: collapse; margin: 10px 0 16px; width: 100%; }
table.fields th { text-align: left; width: 11em; padding: 6px 8px 2px 0; font-weight: bold;
  vertical-align: bottom; }
table.fields td { border-bottom: 1px solid #333; height: 2em; padding: 2px 6px;
  vertical-align: bottom; }
table.fields td.hint { border: none; color: #555; font-size: 11px; width: 40%; }
section.sheet { margin-top: 26px; }
table.profile { border-collapse: collapse; width: 100%; margin: 6px 0 4px; font-size: 13px; }
table.profile th, table.profile td { border: 1px solid #333; padding: 6px; vertical-align: top; }
table.profile thead th { background: #eee; font-size: 12px; }
table.profile th.question { text-align: left; width: 46%; }
table.profile th .scale { display: block; font-weight: normal; margin-top: 3px; }
table.profile th.option { width: 7%; text-align: center; }
table.profile th.comments, table.profile td.comments { width: 20%; }
table.profile td.box { text-align: center; vertical-align: middle; }
.tick { display: inline-block; width: 15px; height: 15px; border: 1.5px solid #222; }
.item-id { color: #555; font-size: 11px; margin-right: 4px; }
table.profile tr.scores th { text-align: left; background: #f6f6f6; }
table.profile tr.scores td { height: 2.2em; }
table.profile td.none { background: #f0f0f0; }
.key { font-size: 12px; margin: 2px 0 10px; }
dl.notes { margin: 10px 0 0; }
dl.notes dt { font-weight: bold; margin-top: 6px; }
dl.notes dd { margin: 0 0 0 1.5em; }
footer { margin-top: 30px; border-top: 1px solid #bbb; padding-top: 6px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  section.sheet + section.sheet { break-before: page; }
  section.sheet { margin-top: 0; }
  table.profile, tr, dl.notes dt, dl.notes dd { break-inside: avoid; }
  dl.notes dt { break-after: avoid; }
  thead { display: table-header-group; }
}
"""


def form_page(instrument: Instrument, details: Mapping[str, str]) -> str:
    """The whole paper form as one HTML page."""
    title = instrument.title
    parts = [
        "<header>",
        f"<h1>{escape(title)}</h1>",
        '<p class="meta">'
        + escape(
            _("%(id)s, version %(version)s. Source: %(citation)s")
            % {
                "id": instrument.id,
                "version": instrument.version,
                "citation": instrument.source.citation(),
            }
        )
        + "</p>",
    ]
    if instrument.description:
        parts.append(f"<p>{escape(instrument.description)}</p>")
    parts.append(_instructions(instrument))
    parts.append(_fields(details))
    parts.append("</header>")
    for section in instrument.sections:
        parts += _sheet(instrument, section)
    parts.append("<footer>")
    if instrument.source.licence:
        parts.append(f'<p class="source">{escape(instrument.source.licence)}</p>')
    parts.append(
        '<p class="source">'
        + escape(
            _(
                "Paper form made by pat %(version)s. Type the answers into a sheet from "
                "%(command)s to score them."
            )
        )
        % {
            "version": escape(__version__),
            "command": f"<code>pat template {escape(instrument.id)}</code>",
        }
        + "</p>"
    )
    parts.append("</footer>")
    return page(f"{title}: form", parts, STYLE, lang=instrument.language or "en")


def _instructions(instrument: Instrument) -> str:
    text = [
        _("Tick one box for each statement. Leave a statement blank if you cannot answer it."),
        _("You may add comments or observations in the last column."),
    ]
    if any(totals_by_sum(instrument, s) for s in instrument.sections):
        text.append(
            _(
                "Where a table ends in a Scores row, add up the points of your ticks in each "
                "column (see the scoring key under the table) and write the total."
            )
        )
    return f'<p class="instructions">{escape(" ".join(text))}</p>'


def _fields(details: Mapping[str, str]) -> str:
    rows = ['<table class="fields">']
    for f in FIELDS:
        value = escape(details.get(f.name) or "")
        rows.append(
            f'<tr><th scope="row">{escape(_(f.label))}</th><td>{value}</td>'
            f'<td class="hint">{escape(_(f.hint))}</td></tr>'
        )
    rows.append("</table>")
    return "\n".join(rows)


def _sheet(instrument: Instrument, section: Section) -> list[str]:
    """One profile sheet: heading, description, a table per scale and the notes."""
    anchor = escape(section.id, quote=True)
    parts = [
        f'<section class="sheet" id="section-{anchor}">',
        f"<h2>{_heading(section)}</h2>",
    ]
    if section.description:
        parts.append(f"<p>{escape(section.description)}</p>")
    question = instrument.question if section.scored and instrument.question else _("Statement")
    runs = scale_runs(section)
    for scale, items in runs:
        caption = scale.title if len(runs) > 1 else ""
        parts.append(_table(question, caption, scale, items, totals_by_sum(instrument, section)))
        if totals_by_sum(instrument, section):
            key = _("Scoring key: %(key)s") % {"key": scoring_key(scale)}
            parts.append(f'<p class="key">{escape(key)}</p>')
    parts += _notes(section)
    parts.append("</section>")
    return parts


def _heading(section: Section) -> str:
    """'P1 Title', or just the title when the id only repeats it."""
    if not section.title or section.id.lower() == section.title.lower():
        return escape(section.title or section.id)
    return f'<span class="id">{escape(section.id)}</span>{escape(section.title)}'


def _table(question: str, caption: str, scale: Scale, items: list[Item], totals: bool) -> str:
    """One profile table: a statement per row, a tick box per answer, a comments column."""
    answers = escape(_("Answers:"))
    scale_line = f'<span class="scale">{answers} {escape(caption)}</span>' if caption else ""
    head = [f'<th class="question" scope="col">{escape(question)}{scale_line}</th>']
    head += [f'<th class="option" scope="col">{escape(o.label)}</th>' for o in scale.options]
    comments = escape(_("Comments"))
    head.append(f'<th class="comments" scope="col">{comments}</th>')
    rows = [
        '<table class="profile">',
        f"<thead><tr>{''.join(head)}</tr></thead>",
        "<tbody>",
    ]
    box = '<td class="box"><span class="tick"></span></td>' * len(scale.options)
    for item in items:
        rows.append(
            f'<tr id="item-{escape(item.id, quote=True)}"><td class="statement">'
            f'<span class="item-id">{escape(item.id)}</span>{escape(item.text)}</td>'
            f'{box}<td class="comments"></td></tr>'
        )
    if totals:
        cells = "".join(
            "<td></td>" if o.value is not None else '<td class="none"></td>' for o in scale.options
        )
        scores, total = escape(_("Scores")), escape(_("Total:"))
        rows.append(
            f'<tr class="scores"><th scope="row">{scores}</th>{cells}<td>{total}</td></tr>'
        )
    rows += ["</tbody>", "</table>"]
    return "\n".join(rows)


def _notes(section: Section) -> list[str]:
    """What lies behind each statement: the element and the guidance, where there are any."""
    noted = [i for i in section.items if element_text(i) or i.guidance]
    if not noted:
        return []
    parts = ['<dl class="notes">']
    for item in noted:
        head = element_text(item)
        label = _("Element %(element)s") % {"element": head} if item.element else head or item.id
        parts.append(f"<dt>{escape(label)}</dt>")
        if item.guidance:
            parts.append(f"<dd>{escape(item.guidance)}</dd>")
    parts.append("</dl>")
    return parts
