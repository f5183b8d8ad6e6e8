"""Read an instrument TOML file into the model, reporting every mistake with its key path."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pat_framework.errors import InstrumentError
from pat_framework.instrument.checker import TomlChecker, read_toml
from pat_framework.instrument.hints import PLACES
from pat_framework.instrument.lines import with_lines
from pat_framework.instrument.subjects import Subjects
from pat_framework.instrument.suggest import did_you_mean, suggest_id, suggest_name
from pat_framework.instrument.translations import (
    Inline,
    add_companions,
    has_inline,
    take_inline,
    with_others,
)
from pat_framework.model import (
    MISSING_KINDS,
    Band,
    Escalation,
    Instrument,
    Item,
    MissingPolicy,
    Option,
    Scale,
    Scenario,
    Section,
    Source,
)

FORMAT_VERSION = 1
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
RATINGS = ("green", "amber", "red")


def load_instrument(path: str | Path) -> Instrument:
    """Load and validate an instrument file; raise InstrumentError listing every problem."""
    path = Path(path)
    data, text = read_toml(path, "instrument file", InstrumentError)
    try:
        instrument = instrument_from_dict(data, str(path), path=path)
        return add_companions(instrument, path, text)
    except InstrumentError as exc:
        raise InstrumentError(exc.summary, with_lines(exc.problems, text, str(path))) from None


def instrument_from_dict(data: dict[str, Any], file: str, path: Path | None = None) -> Instrument:
    """Build an instrument from parsed TOML; `file` names it in messages."""
    c = TomlChecker(file, PLACES)
    inline = Inline()
    given = has_inline(data)
    if given:  # the texts by language are replaced: never in the caller's dict
        data = copy.deepcopy(data)
    if given or "languages" in data:
        inline = take_inline(c, data)
    c.unknown(
        data,
        "",
        {
            "format",
            "languages",
            "id",
            "title",
            "version",
            "description",
            "question",
            "scorer",
            "interpreter",
            "source",
            "scales",
            "sections",
            "aggregate",
            "scenarios",
            "escalation",
            "missing",
            "options",
        },
    )
    fmt = c.get(data, "format", "", int, required=True)
    if fmt is not None and fmt != FORMAT_VERSION:
        c.add("format", f"unsupported format {fmt}; this version of pat reads format 1")
    ident = c.get(data, "id", "", str, required=True, default="")
    if "id" in data and isinstance(data["id"], str) and not ident.strip():
        c.add("id", "is empty: give the instrument an id, such as 'my-partnership-check'")
    elif ident and not ID_PATTERN.match(ident):
        example = f" (for example '{suggest_id(ident)}')" if suggest_id(ident) else ""
        c.add("id", f"'{ident}' must be lower-case letters, digits and '-'{example}")
    title = c.get(data, "title", "", str, required=True, default="")
    version = c.get(data, "version", "", str, required=True, default="")

    source = _source(c, c.get(data, "source", "", dict, required=True, default={}))
    scales = _scales(c, c.get(data, "scales", "", dict, required=True, default={}))
    sections = _sections(c, c.get(data, "sections", "", list, required=True, default=[]), scales)
    scenarios = _scenarios(c, c.get(data, "scenarios", "", list, default=[]))
    scenario_ids = {s.id for s in scenarios}

    aggregate = c.get(data, "aggregate", "", dict, default={})
    c.unknown(aggregate, "aggregate", {"title", "bands"})
    aggregate_title = c.get(aggregate, "title", "aggregate", str, default="Aggregate")
    aggregate_bands = _bands(
        c,
        c.get(aggregate, "bands", "aggregate", list, required="aggregate" in data, default=[]),
        "aggregate.bands",
    )
    for i, band in enumerate(aggregate_bands, 1):
        if band.scenario and band.scenario not in scenario_ids:
            c.add(
                f"aggregate.bands[{i}].scenario",
                f"unknown scenario '{band.scenario}' (scenarios: {_ids(scenario_ids)})"
                + did_you_mean(band.scenario, scenario_ids),
            )

    escalation = _escalation(c, c.get(data, "escalation", "", dict), scenario_ids)
    missing = _missing(c, c.get(data, "missing", "", dict, default={}))
    description = c.get(data, "description", "", str, default="")
    question = c.get(data, "question", "", str, default="")
    scorer = c.get(data, "scorer", "", str, default="sum")
    interpreter = c.get(data, "interpreter", "", str, default="bands")
    options = c.get(data, "options", "", dict, default={})

    if c.problems:
        raise InstrumentError(
            f"{file}: {len(c.problems)} problem(s) in instrument file", c.problems
        )
    instrument = Instrument(
        id=ident,
        title=title,
        version=version,
        source=source,
        scales=scales,
        sections=tuple(sections),
        description=description,
        question=question,
        scorer=scorer,
        interpreter=interpreter,
        aggregate_title=aggregate_title,
        aggregate_bands=tuple(aggregate_bands),
        scenarios=tuple(scenarios),
        escalation=escalation,
        missing=missing,
        options=options,
        path=path,
        translations=inline.translations(),
        language=inline.languages[0] if inline.languages else "",
    )
    return with_others(instrument)


def _ids(ids: Iterable[str]) -> str:
    return ", ".join(sorted(ids)) or "none defined"


def _source(c: TomlChecker, table: dict[str, Any]) -> Source:
    c.unknown(
        table, "source", {"title", "authors", "publisher", "year", "section", "licence", "url"}
    )
    authors = c.get(table, "authors", "source", list, default=[])
    if not all(isinstance(a, str) for a in authors):
        c.add("source.authors", "expected a list of names (text)")
        authors = []
    return Source(
        title=c.get(table, "title", "source", str, required=True, default=""),
        authors=tuple(authors),
        publisher=c.get(table, "publisher", "source", str, default=""),
        year=c.get(table, "year", "source", int),
        section=c.get(table, "section", "source", str, default=""),
        licence=c.get(table, "licence", "source", str, default=""),
        url=c.get(table, "url", "source", str, default=""),
    )


def _scales(c: TomlChecker, table: dict[str, Any]) -> dict[str, Scale]:
    if not table:
        c.add("scales", "at least one scale is required")
    scales = {}
    for name, body in table.items():
        path = f"scales.{name}"
        if not isinstance(body, dict):
            c.add(path, "expected a table with 'options'")
            continue
        c.unknown(body, path, {"title", "options"})
        options = []
        for i, raw in enumerate(c.get(body, "options", path, list, required=True, default=[]), 1):
            opt_path = f"{path}.options[{i}]"
            if not isinstance(raw, dict):
                c.add(opt_path, "expected a table with 'label' and 'value'")
                continue
            c.unknown(raw, opt_path, {"value", "label", "codes", "missing"})
            value = c.get(raw, "value", opt_path, (int, float))
            missing = c.get(raw, "missing", opt_path, str)
            if missing is not None and missing not in MISSING_KINDS:
                c.add(f"{opt_path}.missing", f"expected one of {', '.join(MISSING_KINDS)}")
            if ("value" in raw) == ("missing" in raw):
                c.add(
                    opt_path,
                    "give either 'value' (a scoring answer) or 'missing' "
                    "(dont_know or not_applicable), not both or neither",
                )
            codes = c.get(raw, "codes", opt_path, list, default=[])
            if not all(isinstance(code, str) for code in codes):
                c.add(f"{opt_path}.codes", "expected a list of text codes")
                codes = []
            options.append(
                Option(
                    label=c.get(raw, "label", opt_path, str, required=True, default=""),
                    value=float(value) if value is not None else None,
                    codes=tuple(codes),
                    missing=missing,
                )
            )
        title = c.get(body, "title", path, str, default="")
        scale = Scale(id=name, options=tuple(options), title=title)
        if "options" in body and not scale.scoring:
            c.add(f"{path}.options", "at least one option needs a 'value'")
        _check_spellings(c, scale, path)
        scales[name] = scale
    return scales


def _check_spellings(c: TomlChecker, scale: Scale, path: str) -> None:
    seen: dict[str, int] = {}
    for i, option in enumerate(scale.options, 1):
        for form in dict.fromkeys(f.strip().lower() for f in option.spellings):
            if form in seen and seen[form] != i:
                c.add(
                    f"{path}.options[{i}]",
                    f"'{form}' already names option {seen[form]} of this scale (the "
                    "labels, codes and values of a scale's options must all differ)",
                )
            seen.setdefault(form, i)


def _sections(c: TomlChecker, raw: list[Any], scales: dict[str, Scale]) -> list[Section]:
    if not raw:
        c.add("sections", "at least one [[sections]] block is required")
    sections: list[Section] = []
    section_ids: dict[str, str] = {}
    item_ids: dict[str, str] = {}
    targets: list[tuple[str, str]] = []
    subjects = Subjects()
    for si, body in enumerate(raw, 1):
        path = f"sections[{si}]"
        if not isinstance(body, dict):
            c.add(path, "expected a table")
            continue
        c.unknown(
            body,
            path,
            {"id", "title", "description", "scale", "scored", "kind", "items", "bands", "subject"},
        )
        sid = _name(c, body, path, section_ids, "section")
        default_scale = c.get(body, "scale", path, str)
        bad_section_scale = default_scale is not None and default_scale not in scales
        if bad_section_scale:
            c.add(
                f"{path}.scale",
                f"unknown scale '{default_scale}' (known scales: {_ids(scales)})"
                + did_you_mean(default_scale, scales),
            )
            default_scale = None
        items = []
        raw_items = c.get(body, "items", path, list, required=True, default=[])
        if "items" in body and not raw_items:
            c.add(f"{path}.items", "a section needs at least one item")
        for ii, item in enumerate(raw_items, 1):
            ipath = f"{path}.items[{ii}]"
            if not isinstance(item, dict):
                c.add(ipath, "expected a table")
                continue
            c.unknown(
                item,
                ipath,
                {
                    "id",
                    "text",
                    "element",
                    "element_title",
                    "guidance",
                    "scale",
                    "reverse",
                    "kind",
                    "target",
                    "subject",
                },
            )
            iid = _name(c, item, ipath, item_ids, "item")
            scale_name = c.get(item, "scale", ipath, str, default=default_scale)
            scale = scales.get(scale_name) if scale_name else None
            if scale is None:
                if scale_name:
                    c.add(
                        f"{ipath}.scale",
                        f"unknown scale '{scale_name}' (known scales: {_ids(scales)})"
                        + did_you_mean(scale_name, scales),
                    )
                elif not bad_section_scale:  # else reported once, for the section
                    c.add(f"{ipath}.scale", "no scale: give the item or its section a 'scale'")
                continue
            target = c.get(item, "target", ipath, str, default="")
            if target:
                targets.append((f"{ipath}.target", target))
            items.append(
                Item(
                    id=iid,
                    text=c.get(item, "text", ipath, str, required=True, default=""),
                    scale=scale,
                    section_id=sid,
                    element=str(c.get(item, "element", ipath, (str, int), default="")),
                    element_title=c.get(item, "element_title", ipath, str, default=""),
                    guidance=c.get(item, "guidance", ipath, str, default=""),
                    reverse=c.get(item, "reverse", ipath, bool, default=False),
                    kind=c.get(item, "kind", ipath, str, default=""),
                    target=target,
                    subject=subjects.check(c, item, ipath),
                )
            )
        sections.append(
            Section(
                id=sid,
                title=c.get(body, "title", path, str, required=True, default=""),
                items=tuple(items),
                description=c.get(body, "description", path, str, default=""),
                scored=c.get(body, "scored", path, bool, default=True),
                kind=c.get(body, "kind", path, str, default=""),
                bands=tuple(
                    _bands(c, c.get(body, "bands", path, list, default=[]), f"{path}.bands")
                ),
                subject=subjects.check(c, body, path),
            )
        )
    for key, target in targets:
        if target not in section_ids:
            c.add(
                key,
                f"unknown section '{target}' (sections: {_ids(section_ids)})"
                + did_you_mean(target, section_ids),
            )
    return sections


def _name(
    c: TomlChecker, table: dict[str, Any], path: str, seen: dict[str, str], what: str
) -> str:
    """Read an `id` that must be unique (ignoring case) among `seen`: id -> its key path."""
    value: str = c.get(table, "id", path, str, required=True, default="")
    first = next((where for s, where in seen.items() if s.lower() == value.lower()), None)
    if value and not NAME_PATTERN.match(value):
        example = f" (for example '{suggest_name(value)}')" if suggest_name(value) else ""
        c.add(f"{path}.id", f"'{value}' must be letters, digits, '_' and '-'{example}")
    elif first is not None:
        c.add(
            f"{path}.id",
            f"duplicate {what} id '{value}': {first} has it already (every {what} id must "
            "be different, ignoring upper and lower case)",
        )
    seen.setdefault(value, f"{path}.id")
    return value


def _bands(c: TomlChecker, raw: list[Any], path: str) -> list[Band]:
    bands = []
    for i, body in enumerate(raw, 1):
        bpath = f"{path}[{i}]"
        if not isinstance(body, dict):
            c.add(bpath, "expected a table")
            continue
        c.unknown(body, bpath, {"min", "max", "label", "text", "rating", "concern", "scenario"})
        low = c.get(body, "min", bpath, (int, float), required=True)
        high = c.get(body, "max", bpath, (int, float), required=True)
        if low is not None and high is not None and low > high:
            c.add(bpath, f"min {low} is above max {high} (swap them?)")
        rating = c.get(body, "rating", bpath, str, default="")
        if rating and rating not in RATINGS:
            case = " (in lower case)" if rating.strip().lower() in RATINGS else ""
            c.add(f"{bpath}.rating", f"expected one of {', '.join(RATINGS)}{case}, got '{rating}'")
        if low is None or high is None:
            continue
        bands.append(
            Band(
                min=float(low),
                max=float(high),
                label=c.get(body, "label", bpath, str, required=True, default=""),
                text=c.get(body, "text", bpath, str, default=""),
                rating=rating,
                concern=c.get(body, "concern", bpath, bool, default=False),
                scenario=c.get(body, "scenario", bpath, str, default=""),
            )
        )
    return bands


def _scenarios(c: TomlChecker, raw: list[Any]) -> list[Scenario]:
    scenarios: list[Scenario] = []
    seen: dict[str, str] = {}
    for i, body in enumerate(raw, 1):
        path = f"scenarios[{i}]"
        if not isinstance(body, dict):
            c.add(path, "expected a table")
            continue
        c.unknown(body, path, {"id", "title", "text"})
        sid = _name(c, body, path, seen, "scenario")
        scenarios.append(
            Scenario(
                id=sid,
                title=c.get(body, "title", path, str, required=True, default=""),
                text=c.get(body, "text", path, str, default=""),
            )
        )
    return scenarios


def _escalation(c: TomlChecker, table: dict[str, Any] | None, ids: set[str]) -> Escalation | None:
    if table is None:
        return None
    c.unknown(table, "escalation", {"from", "to", "reason"})
    ends = {}
    for key in ("from", "to"):
        ends[key] = c.get(table, key, "escalation", str, required=True, default="")
        if ends[key] and ends[key] not in ids:
            c.add(
                f"escalation.{key}",
                f"unknown scenario '{ends[key]}' (scenarios: {_ids(ids)})"
                + did_you_mean(ends[key], ids),
            )
    return Escalation(
        ends["from"], ends["to"], c.get(table, "reason", "escalation", str, default="")
    )


def _missing(c: TomlChecker, table: dict[str, Any]) -> MissingPolicy:
    c.unknown(table, "missing", {"max_missing", "method"})
    most = c.get(table, "max_missing", "missing", int, default=1)
    if most < 0:
        c.add("missing.max_missing", "expected 0 or more")
    method = c.get(table, "method", "missing", str, default="prorate")
    if method != "prorate":
        c.add("missing.method", "expected 'prorate' (the only method so far)")
    return MissingPolicy(max_missing=most, method=method)
