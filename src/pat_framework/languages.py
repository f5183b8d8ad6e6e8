"""An instrument's languages: the key of every respondent-facing text, the mark on text
shown in the default language for want of a translation, and the instrument in a chosen
language."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pat_framework.model import Band, Instrument, Option, Scale

#: A BCP 47 tag as instruments write them: a language, then optional subtags (`cy`, `pt-BR`).
TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")

#: The respondent attribute (a column of a response file) holding the language answered in.
ATTRIBUTE = "language"


def mark(text: str, language: str) -> str:
    """`text` (in the default `language`) marked as not translated: '[en] Strongly agree'."""
    return f"[{language}] {text}"


@functools.cache
def language_name(tag: str) -> str:
    """The language's name in itself, from Babel's locale data ('Cymraeg' for cy), or the
    tag when it is not known."""
    from babel import Locale, UnknownLocaleError

    try:
        locale = Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return tag
    name = locale.get_display_name(locale)
    return name[:1].upper() + name[1:] if name else tag


# The texts of an instrument, by kind of table: the keys a table may carry text under.
TOP_TEXTS = ("title", "description", "question")
SCALE_TEXTS = ("title",)
OPTION_TEXTS = ("label",)
SECTION_TEXTS = ("title", "description")
ITEM_TEXTS = ("text", "element_title", "guidance")
BAND_TEXTS = ("label", "text")
SCENARIO_TEXTS = ("title", "text")


def raw_texts(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    """Every place of a parsed instrument file that holds respondent-facing text, as
    (key path in the file, text key, table, field). The text key names the text by ids
    (`sections.P1.items.P1A.text`), so that it stays the same when blocks move."""
    yield from _fields(data, "", "", TOP_TEXTS)
    scales = data.get("scales")
    for name, scale in scales.items() if isinstance(scales, dict) else ():
        if not isinstance(scale, dict):
            continue
        yield from _fields(scale, f"scales.{name}", f"scales.{name}", SCALE_TEXTS)
        for i, option in _blocks(scale.get("options")):
            where = f"scales.{name}.options"
            yield from _fields(option, f"{where}[{i}]", f"{where}.{i}", OPTION_TEXTS)
    for i, section in _blocks(data.get("sections")):
        sid = section.get("id")
        if not isinstance(sid, str) or not sid:
            continue
        path, key = f"sections[{i}]", f"sections.{sid}"
        yield from _fields(section, path, key, SECTION_TEXTS)
        for j, item in _blocks(section.get("items")):
            iid = item.get("id")
            if isinstance(iid, str) and iid:
                yield from _fields(item, f"{path}.items[{j}]", f"{key}.items.{iid}", ITEM_TEXTS)
        yield from _bands(section.get("bands"), f"{path}.bands", f"{key}.bands")
    aggregate = data.get("aggregate")
    if isinstance(aggregate, dict):
        yield from _fields(aggregate, "aggregate", "aggregate", ("title",))
        yield from _bands(aggregate.get("bands"), "aggregate.bands", "aggregate.bands")
    for i, scenario in _blocks(data.get("scenarios")):
        sid = scenario.get("id")
        if isinstance(sid, str) and sid:
            yield from _fields(scenario, f"scenarios[{i}]", f"scenarios.{sid}", SCENARIO_TEXTS)
    escalation = data.get("escalation")
    if isinstance(escalation, dict):
        yield from _fields(escalation, "escalation", "escalation", ("reason",))


def raw_codes(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every option's table, as (key path in the file, text key of its codes, table)."""
    scales = data.get("scales")
    for name, scale in scales.items() if isinstance(scales, dict) else ():
        if isinstance(scale, dict):
            for i, option in _blocks(scale.get("options")):
                where = f"scales.{name}.options"
                yield f"{where}[{i}].codes", f"{where}.{i}.codes", option


def _fields(
    table: dict[str, Any], path: str, key: str, names: tuple[str, ...]
) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    for name in names:
        if name in table:
            yield (
                (f"{path}.{name}" if path else name),
                (f"{key}.{name}" if key else name),
                table,
                name,
            )


def _blocks(raw: Any) -> Iterator[tuple[int, dict[str, Any]]]:
    for i, block in enumerate(raw if isinstance(raw, list) else (), 1):
        if isinstance(block, dict):
            yield i, block


def _bands(raw: Any, path: str, key: str) -> Iterator[tuple[str, str, dict[str, Any], str]]:
    for i, band in _blocks(raw):
        yield from _fields(band, f"{path}[{i}]", f"{key}.{i}", BAND_TEXTS)


def localise(instrument: Instrument, language: str) -> Instrument:
    """The instrument with its texts in `language`; a text not translated is the default
    language's, marked. Ids, values and rules are unchanged, so scores are the same."""
    book = instrument.translations
    if not book.languages:
        raise ValueError(
            f"instrument '{instrument.id}' is in one language only (its file names no `languages`)"
        )
    if language not in book.languages:
        raise ValueError(
            f"instrument '{instrument.id}' has no language '{language}' (languages: "
            f"{', '.join(book.languages)})"
        )
    if instrument.language not in ("", book.default):
        raise ValueError(f"instrument '{instrument.id}' is already in '{instrument.language}'")
    if language == book.default:
        return replace(instrument, language=language)

    def say(key: str, text: str) -> str:
        if key not in book.source:
            return text  # empty, or figures alone
        return book.texts.get(key, {}).get(language) or mark(text, book.default)

    def band(b: Band, key: str) -> Band:
        return replace(b, label=say(f"{key}.label", b.label), text=say(f"{key}.text", b.text))

    def option(o: Option, key: str) -> Option:
        label = say(f"{key}.label", o.label)
        codes = book.codes.get(f"{key}.codes", {}).get(language, o.codes)
        others = tuple(s for s in (o.label, *o.codes, *o.others) if s not in (label, *codes))
        return replace(o, label=label, codes=codes, others=others)

    def scale(s: Scale) -> Scale:
        key = f"scales.{s.id}"
        options = tuple(option(o, f"{key}.options.{i}") for i, o in enumerate(s.options, 1))
        return replace(s, title=say(f"{key}.title", s.title), options=options)

    scales = {name: scale(s) for name, s in instrument.scales.items()}
    sections = []
    for s in instrument.sections:
        key = f"sections.{s.id}"
        items = tuple(
            replace(
                item,
                text=say(f"{key}.items.{item.id}.text", item.text),
                element_title=say(f"{key}.items.{item.id}.element_title", item.element_title),
                guidance=say(f"{key}.items.{item.id}.guidance", item.guidance),
                scale=scales[item.scale.id],
            )
            for item in s.items
        )
        sections.append(
            replace(
                s,
                title=say(f"{key}.title", s.title),
                description=say(f"{key}.description", s.description),
                items=items,
                bands=tuple(band(b, f"{key}.bands.{i}") for i, b in enumerate(s.bands, 1)),
            )
        )
    escalation = instrument.escalation
    if escalation is not None:
        escalation = replace(escalation, reason=say("escalation.reason", escalation.reason))
    return replace(
        instrument,
        title=say("title", instrument.title),
        description=say("description", instrument.description),
        question=say("question", instrument.question),
        scales=scales,
        sections=tuple(sections),
        aggregate_title=say("aggregate.title", instrument.aggregate_title),
        aggregate_bands=tuple(
            band(b, f"aggregate.bands.{i}") for i, b in enumerate(instrument.aggregate_bands, 1)
        ),
        scenarios=tuple(
            replace(
                sc,
                title=say(f"scenarios.{sc.id}.title", sc.title),
                text=say(f"scenarios.{sc.id}.text", sc.text),
            )
            for sc in instrument.scenarios
        ),
        escalation=escalation,
        language=language,
    )
