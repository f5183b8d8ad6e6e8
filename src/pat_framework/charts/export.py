"""Export a chart to PNG, SVG, vega-lite JSON or a self-contained offline HTML page."""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from typing import Any

from pat_framework.catalogue import _
from pat_framework.charts.style import configured
from pat_framework.errors import PatError

#: File suffix -> what is written.
FORMATS = {
    ".png": "PNG image",
    ".svg": "SVG image",
    ".json": "vega-lite JSON specification",
    ".html": "web page that draws the chart with no network access",
}
PNG_SCALE = 2.0
_LT = "\ue000"  # stands in for "<" while vl-convert writes the page
_ID = re.compile(r'\bid="([^"]+)"')


#: Images kept per process: a report's charts drawn once for every format that shows them.
DRAWN = 64


def chart_spec(chart: Any) -> dict[str, Any]:
    """The chart's vega-lite specification, with the shared look applied. Altair's schema
    check is left to the tests (tests/test_chart_schema.py): it cost a third of a report."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    return configured(spec)


def to_png(chart: Any, scale: float = PNG_SCALE) -> bytes:
    return _png(_key(chart_spec(chart)), scale)


def to_svg(chart: Any) -> str:
    return _svg(_key(chart_spec(chart)))


def _key(spec: dict[str, Any]) -> str:
    """The spec as JSON text, a cache key that reads back as the same spec in its order."""
    return json.dumps(spec, ensure_ascii=False)


@lru_cache(maxsize=DRAWN)
def _png(spec: str, scale: float) -> bytes:
    """The chart's SVG (shared with the HTML report's) made a PNG: byte for byte what
    `vegalite_to_png` gives, without drawing the chart again."""
    import vl_convert

    return bytes(vl_convert.svg_to_png(_svg(spec), scale=scale))


@lru_cache(maxsize=DRAWN)
def _svg(spec: str) -> str:
    import vl_convert

    _ready()
    return vl_convert.vegalite_to_svg(json.loads(spec), allowed_base_urls=[])


#: The suffixes of the formats that draw charts as images (the others hold specs or none).
DRAWN_SUFFIXES = (".html", ".htm", ".pdf", ".docx", ".pptx", ".md", ".markdown")
_WARMING: list[threading.Thread] = []
_WARM_SPEC = {"data": {"values": [{"x": 1}]}, "mark": "point"}


def warm_up(suffixes: Iterable[str]) -> None:
    """Start vl-convert's JavaScript runtime (about half a second) on another thread, once
    per process, while the answers are still being analysed (it releases the GIL); only
    when one of these output suffixes draws images."""
    if _WARMING or not any(x.lower() in DRAWN_SUFFIXES for x in suffixes):
        return

    def start() -> None:
        import vl_convert

        vl_convert.vegalite_to_svg(_WARM_SPEC, allowed_base_urls=[])

    _WARMING.append(threading.Thread(target=start, name="vl-convert warm-up", daemon=True))
    _WARMING[0].start()


def draw_ahead(specs: Iterable[dict[str, Any]], suffixes: Iterable[str]) -> None:
    """Draw these charts, cut into page parts as the HTML report cuts them, on every core
    before the formats ask for them (vl-convert releases the GIL, so two draw at once); the
    images are kept where the formats look for them. Only when a suffix draws images."""
    if not any(x.lower() in DRAWN_SUFFIXES for x in suffixes):
        return
    todo = list({_key(chart_spec(spec)): spec for spec in specs}.values())[: DRAWN // 2]
    workers = min(len(todo), os.cpu_count() or 1)
    if workers < 2:
        return
    from concurrent.futures import ThreadPoolExecutor

    _ready()
    with ThreadPoolExecutor(workers, thread_name_prefix="vl-convert") as pool:
        list(pool.map(page_parts, todo))


def _ready() -> None:
    """Wait for a warm-up under way: one conversion at a time."""
    for thread in _WARMING:
        thread.join()


#: The printed height (mm) a chart may take: an A4 page's text column, less room for the
#: chart's heading and description. Its width: the column (184 mm, 695 CSS pixels).
PART_MM = 200.0
COLUMN_PX = 695.0
_SIZE = re.compile(r'<svg[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


def printed_mm(svg: str) -> float:
    """How tall an SVG prints in the text column: scaled down to its width, never up."""
    found = _SIZE.search(svg)
    if found is None:
        return 0.0
    width, height = float(found.group(1)), float(found.group(2))
    return height * 25.4 / 96 * min(1.0, COLUMN_PX / width) if width else 0.0


def page_parts(spec: dict[str, Any], most: float = PART_MM) -> list[str]:
    """The chart as SVG in parts that each print within `most` mm: a chart of stacked
    panels (vconcat) taller than that is cut between panels, the later parts titled
    "(continued)"; any other chart is one part."""
    whole = to_svg(spec)
    panels = spec.get("vconcat")
    if printed_mm(whole) <= most or not isinstance(panels, list) or len(panels) < 2:
        return [whole]
    heights = [printed_mm(to_svg(_part(spec, [panel], k == 0))) for k, panel in enumerate(panels)]
    groups: list[list[int]] = [[]]
    for k, height in enumerate(heights):
        if groups[-1] and sum(heights[j] for j in groups[-1]) + height > most:
            groups.append([])
        groups[-1].append(k)
    return [to_svg(_part(spec, [panels[j] for j in g], n == 0)) for n, g in enumerate(groups)]


def _part(spec: dict[str, Any], panels: list[Any], first: bool) -> dict[str, Any]:
    """The spec with only these panels; after the first part, its title says continued."""
    part = {**spec, "vconcat": panels}
    title = spec.get("title")
    if not first and title:
        text = title.get("text", "") if isinstance(title, dict) else title
        more = f"{text} " + _("(continued)")
        part["title"] = {"text": more} if isinstance(text, str) else title
    return part


def to_json(chart: Any) -> str:
    return json.dumps(chart_spec(chart), indent=2, ensure_ascii=False) + "\n"


def to_html(chart: Any) -> str:
    """One HTML file with the vega JavaScript bundled in, so it renders offline.

    vl-convert writes the spec into a <script> block as it is, so a label holding
    `</script>` would end the block: every `<` in the spec's text is written as the
    JavaScript escape `\\u003c` instead, which reads back as the same character.
    """
    import vl_convert

    spec = chart_spec(chart)
    _ready()
    page = vl_convert.vegalite_to_html(_masked(spec), bundle=True).replace(_LT, "\\u003c")
    return _accessible_page(page, _title(spec))


def _title(spec: dict[str, Any]) -> str:
    title = spec.get("title", "")
    text = title.get("text", "") if isinstance(title, dict) else title
    return " ".join(text) if isinstance(text, list) else str(text or _("Chart"))


def _accessible_page(page: str, title: str) -> str:
    """The page with its language set, its title named and the chart in a main landmark
    under a level-one heading (the script's own text is left alone)."""
    head, split, body = page.rpartition("</head>")
    head = head.replace("<html>", '<html lang="en">', 1)
    # The embed's actions menu is an unlabelled <summary>; the page is for reading.
    body = body.replace(
        'const opts = {"renderer":"svg"}', 'const opts = {"renderer":"svg","actions":false}', 1
    )
    head = head.replace("<title>Chart</title>", f"<title>{escape(title)}</title>", 1)
    opening, tag, rest = body.partition("<body>")
    content, close, tail = rest.rpartition("</body>")
    if not (split and tag and close):
        return page
    return (
        f"{head}{split}{opening}{tag}<main><h1>{escape(title)}</h1>{content}</main>{close}{tail}"
    )


def export(chart: Any, suffix: str) -> str | bytes:
    """The chart in the format the file suffix names."""
    writers: dict[str, Callable[[Any], str | bytes]] = {
        ".png": to_png,
        ".svg": to_svg,
        ".json": to_json,
        ".html": to_html,
    }
    writer = writers.get(suffix.lower())
    if writer is None:
        known = ", ".join(FORMATS)
        raise PatError(f"cannot write a chart as '{suffix or 'no suffix'}': use {known}")
    return writer(chart)


def _masked(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("<", _LT)
    if isinstance(value, dict):
        return {_masked(k): _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def inline_svg(svg: str, prefix: str) -> str:
    """An SVG ready to sit inside an HTML page beside others: ids made unique by `prefix`."""
    ids = set(_ID.findall(svg))
    if not ids:
        return svg
    names = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    pattern = re.compile(rf'(\bid="|url\(#|href="#)({names})(?=["\)])')
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
