"""Write a form read by `xlsform.read_xlsform` as a commented instrument TOML file, with
bands that tile each score range in thirds for the author to review."""

from __future__ import annotations

import textwrap

from pat_framework.authoring.toml_text import schema_comment, toml_key, toml_number, toml_string
from pat_framework.authoring.xlsform import FormPlan, ScalePlan, SectionPlan
from pat_framework.render.text import format_number

THIRDS = ("Low", "Middle", "High")


def thirds(low: float, high: float, whole: bool) -> list[tuple[float, float, str]]:
    """(min, max, label) bands that cover low..high with no gap or overlap, in thirds.

    Whole-number scores: consecutive runs of whole numbers, the larger runs at the top;
    fewer than three possible scores give one band per score. Other scores: three equal
    parts (rounded to 2 decimals) that meet at their ends.
    """
    if whole:
        count = int(high - low) + 1
        if count < 3:
            labels = ("All",) if count == 1 else ("Low", "High")
            return [(low + k, low + k, labels[k]) for k in range(count)]
        base, extra = divmod(count, 3)
        sizes = [base, base + (extra == 2), base + (extra >= 1)]
        bands, start = [], low
        for size, label in zip(sizes, THIRDS, strict=True):
            bands.append((start, start + size - 1, label))
            start += size
        return bands
    step = (high - low) / 3
    cuts = [low, round(low + step, 2), round(low + 2 * step, 2), high]
    if not low < cuts[1] < cuts[2] < high:
        return [(low, high, "All")]
    return [(cuts[k], cuts[k + 1], THIRDS[k]) for k in range(3)]


def instrument_toml(
    plan: FormPlan, file_name: str, others: dict[str, FormPlan] | None = None
) -> str:
    """The instrument file for `plan`; `file_name` is where it will be written. `others`:
    the form read in its other languages (by tag), written as texts by language."""
    said = _Said(plan, others or {})
    out = [
        *schema_comment(file_name),
        "#",
        f"# {plan.title}: imported from the XLSForm {plan.file_name} by `pat import xlsform`.",
        "#",
        "# REVIEW BEFORE USE:",
        "#   - Answer values: the comment above each scale says how they were chosen.",
        "#   - Bands: made as thirds of each score range (Low, Middle, High) so that the file",
        "#     validates. Give them the labels and sentences that say what the scores mean,",
        "#     and move their limits where the thirds do not fit.",
        "#   - Rows of the form that were skipped were listed when the form was imported.",
        "#",
        f"# Check the file after each change:  pat validate {file_name}",
        "# docs/instrument-format.md explains every setting.",
        *_attributes(plan),
        "",
        "format = 1",
        f"id = {toml_string(plan.id)}",
        *said.languages(),
        f"title = {toml_string(plan.title)}",
        f"version = {toml_string(plan.version)}",
        f"description = {toml_string(f'Imported from the XLSForm {plan.file_name}.')}",
        'scorer = "sum"',
        'interpreter = "bands"',
        "",
        "[source]",
        f"title = {toml_string(plan.title)}",
        f"section = {toml_string(_source_section(plan))}",
    ]
    for scale in plan.scales.values():
        out += ["", *_scale(scale, said)]
    total_low = total_high = 0.0
    whole_everywhere = True
    for section in plan.sections:
        low, high, whole = _reach(section, plan.scales)
        total_low, total_high = total_low + low, total_high + high
        whole_everywhere = whole_everywhere and whole
        out += ["", *_section(section, said)]
        out += _bands("sections.bands", thirds(low, high, whole), low, high)
    out += ["", "[aggregate]", 'title = "Overall"']
    out += _bands(
        "aggregate.bands", thirds(total_low, total_high, whole_everywhere), total_low, total_high
    )
    return "\n".join(out) + "\n"


def _attributes(plan: FormPlan) -> list[str]:
    """Comment lines naming the questions about the respondent and the columns they fill."""
    if not plan.attributes:
        return []
    lines = [
        "#",
        "# Questions about the respondent, not statements: keep their answers in the response",
        "# file as these columns (pat reports and compares groups by them):",
    ]
    return lines + [
        f"#   {a.name} (survey row {a.row}) -> column {a.column}" for a in plan.attributes
    ]


def _source_section(plan: FormPlan) -> str:
    language = f", labels in {plan.language}" if plan.language else ""
    return f"XLSForm {plan.file_name}{language}"


class _Said:
    """A text as the file writes it: plain, or a table by language where the form's other
    languages say it differently (a text they leave blank or the same is left out, so it
    falls back to the default language, marked)."""

    def __init__(self, plan: FormPlan, others: dict[str, FormPlan]) -> None:
        self.plan, self.others = plan, others

    def languages(self) -> list[str]:
        if not self.others:
            return []
        tags = [self.plan.language or "", *self.others]
        return [f"languages = [{', '.join(toml_string(t) for t in tags)}]"]

    def option(self, scale: str, k: int, text: str) -> str:
        return self.text(
            text, {t: o.scales[scale].answers[k].label for t, o in self.others.items()}
        )

    def section(self, at: int, text: str) -> str:
        return self.text(text, {t: o.sections[at].title for t, o in self.others.items()})

    def item(self, at: int, j: int, field: str, text: str) -> str:
        found = {t: getattr(o.sections[at].items[j], field) for t, o in self.others.items()}
        return self.text(text, found)

    def text(self, text: str, by_language: dict[str, str]) -> str:
        given = {tag: t for tag, t in by_language.items() if t and t != text}
        if not given:
            return toml_string(text)
        pairs = [(self.plan.language or "", text), *given.items()]
        return "{ " + ", ".join(f"{toml_key(t)} = {toml_string(v)}" for t, v in pairs) + " }"


def _scale(scale: ScalePlan, said: _Said) -> list[str]:
    key = f"scales.{toml_key(scale.name)}"
    rule = scale.rule[0].upper() + scale.rule[1:] + "."
    lines = [f"# {line}" for line in textwrap.wrap(rule, 86)]
    lines += [f"[{key}]", f"title = {toml_string(scale.name)}"]
    for k, answer in enumerate(scale.answers):
        lines += ["", f"[[{key}.options]]"]
        if answer.value is not None:
            lines.append(f"value = {toml_number(answer.value)}")
        label = said.option(scale.name, k, answer.label)
        lines.append(f"label = {label}")
        if answer.codes:
            lines.append(f"codes = [{', '.join(toml_string(c) for c in answer.codes)}]")
        if answer.missing:
            lines.append(f"missing = {toml_string(answer.missing)}")
    return lines


def _section(section: SectionPlan, said: _Said) -> list[str]:
    used = {item.scale for item in section.items}
    shared = used.pop() if len(used) == 1 else None
    at = next(i for i, s in enumerate(said.plan.sections) if s is section)
    lines = [
        "[[sections]]",
        f"id = {toml_string(section.id)}",
        f"title = {said.section(at, section.title)}",
    ]
    if shared is not None:
        lines.append(f"scale = {toml_string(shared)}")
    for j, item in enumerate(section.items):
        lines += ["", "[[sections.items]]", f"id = {toml_string(item.id)}"]
        text = said.item(at, j, "text", item.text)
        lines.append(f"text = {text}")
        if item.guidance:
            guidance = said.item(at, j, "guidance", item.guidance)
            lines.append(f"guidance = {guidance}")
        if shared is None:
            lines.append(f"scale = {toml_string(item.scale)}")
    return lines


def _reach(section: SectionPlan, scales: dict[str, ScalePlan]) -> tuple[float, float, bool]:
    """The lowest and highest totals of a section and whether only whole numbers occur."""
    low = high = 0.0
    whole = True
    for item in section.items:
        values = [a.value for a in scales[item.scale].answers if a.value is not None]
        low, high = low + min(values), high + max(values)
        whole = whole and all(float(v).is_integer() for v in values)
    return low, high, whole


def _bands(
    table: str, bands: list[tuple[float, float, str]], low: float, high: float
) -> list[str]:
    span = f"{format_number(low)}–{format_number(high)}"
    lines = ["", f"# Review: made as thirds of the totals {span}."]
    for band_low, band_high, label in bands:
        part = format_number(band_low)
        if band_high != band_low:
            part = f"scores {part}–{format_number(band_high)}"
        else:
            part = f"score {part}"
        lines += [
            f"[[{table}]]",
            f"min = {toml_number(band_low)}",
            f"max = {toml_number(band_high)}",
            f"label = {toml_string(label)}",
            f"text = {toml_string(f'Review: {part} of {span}. Say here what it means.')}",
            "",
        ]
    return lines[:-1]
