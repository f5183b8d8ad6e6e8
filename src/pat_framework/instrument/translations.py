"""An instrument's texts in its other languages: written inline (`text = { en = "…",
cy = "…" }`) or in a companion file per language (`odpm.cy.toml`) that a translator works
on alone, checked for missing and extra texts with their key paths and lines."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pat_framework.errors import InstrumentError, Problem
from pat_framework.instrument.checker import TomlChecker, read_toml
from pat_framework.instrument.lines import key_lines, with_lines
from pat_framework.instrument.suggest import did_you_mean
from pat_framework.languages import TAG, raw_codes, raw_texts
from pat_framework.model import Instrument, Translations


@dataclass
class Inline:
    """What the main file says about languages: its languages and the texts written inline."""

    languages: tuple[str, ...] = ()
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)
    places: dict[str, str] = field(default_factory=dict)

    def translations(self) -> Translations:
        return Translations(
            languages=self.languages,
            texts=self.texts,
            codes=self.codes,
            source=self.source,
            places=self.places,
            inline=frozenset((k, lang) for k, by in self.texts.items() for lang in by),
        )


def has_inline(data: dict[str, Any]) -> bool:
    """Whether a parsed instrument file gives any text or codes by language."""
    return any(isinstance(t[name], dict) for _, _, t, name in raw_texts(data)) or any(
        isinstance(t.get("codes"), dict) for _, _, t in raw_codes(data)
    )


def take_inline(c: TomlChecker, data: dict[str, Any]) -> Inline:
    """Read `languages` and replace each text given per language by its default-language
    text in `data` (which is changed), keeping the others."""
    found = Inline(languages=_languages(c, data))
    default = found.languages[0] if found.languages else ""
    for path, key, table, name in raw_texts(data):
        value = table[name]
        if isinstance(value, dict):
            table[name] = _per_language(c, value, path, found.languages, str, found.texts, key)
            value = table[name]
        if isinstance(value, str) and any(ch.isalpha() for ch in value):
            found.source[key] = value  # figures alone ('19–24') read the same in any language
            found.places[key] = path
    for path, key, table in raw_codes(data):
        codes = table.get("codes")
        if isinstance(codes, dict):
            table["codes"] = _per_language(c, codes, path, found.languages, list, found.codes, key)
    for key, by_language in found.codes.items():
        found.codes[key] = {lang: tuple(v) for lang, v in by_language.items() if lang != default}
    return found


def _languages(c: TomlChecker, data: dict[str, Any]) -> tuple[str, ...]:
    raw = c.get(data, "languages", "", list, default=[])
    tags: list[str] = []
    for i, tag in enumerate(raw, 1):
        if not isinstance(tag, str) or not TAG.match(tag):
            c.add(
                f"languages[{i}]",
                f"expected a language tag such as 'en', 'cy' or 'pt-BR' (BCP 47), got {tag!r}",
            )
        elif tag.lower() in (t.lower() for t in tags):
            c.add(f"languages[{i}]", f"'{tag}' is listed twice")
        else:
            tags.append(tag)
    if "languages" in data and not raw:
        c.add("languages", "list at least one language; the first is the default")
    return tuple(tags)


def _per_language(
    c: TomlChecker,
    table: dict[str, Any],
    path: str,
    languages: tuple[str, ...],
    kind: type,
    into: dict[str, dict[str, Any]],
    key: str,
) -> Any:
    """The default language's value of a table of values by language; the others go `into`."""
    what = "text" if kind is str else "a list of codes"
    if not languages:
        c.add(
            path,
            f"gives {what} per language, but the file names no languages: add "
            'languages = ["en", "cy"] (the first is the default) at the top',
        )
        return "" if kind is str else []
    for lang, value in table.items():
        if lang not in languages:
            c.add(
                f"{path}.{lang}",
                f"'{lang}' is not one of the file's languages ({', '.join(languages)})"
                + did_you_mean(lang, languages),
            )
        elif not isinstance(value, kind) or (
            isinstance(value, list) and not all(isinstance(v, str) for v in value)
        ):
            c.add(f"{path}.{lang}", f"expected {what}, got {type(value).__name__}")
        elif lang != languages[0]:
            into.setdefault(key, {})[lang] = value
    if languages[0] not in table:
        c.add(
            f"{path}.{languages[0]}",
            f"is required: the text in the default language, '{languages[0]}' (the first of "
            "languages), is what a missing translation falls back to",
        )
    value = table.get(languages[0])
    return value if isinstance(value, kind) else ("" if kind is str else [])


def companion_path(path: Path, language: str) -> Path:
    """The companion file of an instrument file for one language: odpm.toml -> odpm.cy.toml."""
    return path.with_name(f"{path.stem}.{language}.toml")


def is_companion(path: Path) -> bool:
    """Whether a .toml file is the language file of an instrument file beside it."""
    stem, dot, tag = path.stem.rpartition(".")
    return bool(dot and TAG.match(tag)) and path.with_name(f"{stem}.toml").is_file()


def add_companions(instrument: Instrument, path: Path, text: str) -> Instrument:
    """The instrument with the texts of its companion files, and the lines of its texts;
    InstrumentError for a companion file's mistakes or a text given twice."""
    book = instrument.translations
    if not book.languages:
        return instrument
    lines = key_lines(text)
    places = {k: lines[p] for k, p in book.places.items() if p in lines}
    texts = {k: dict(v) for k, v in book.texts.items()}
    codes = {k: dict(v) for k, v in book.codes.items()}
    problems: list[Problem] = []
    for language in book.languages[1:]:
        companion = companion_path(path, language)
        if not companion.is_file():
            continue
        found = read_companion(companion, instrument, language)
        problems += found.problems
        for key, value in found.texts.items():
            if language in texts.get(key, {}):
                problems.append(_twice(found, key, path, places))
            texts.setdefault(key, {})[language] = value
        for key, spellings in found.code_lists.items():
            codes.setdefault(key, {})[language] = spellings
    if problems:
        raise InstrumentError(
            f"{path}: {len(problems)} problem(s) in its language files", problems
        )
    book = replace(book, texts=texts, codes=codes, lines=places)
    return with_others(replace(instrument, translations=book))


def _twice(found: Companion, key: str, path: Path, lines: dict[str, int]) -> Problem:
    where = f" (line {lines[key]})" if key in lines else ""
    return Problem(
        str(found.path),
        f"given here and inline in {path.name}{where}: keep one",
        key=key,
        line=found.lines.get(key),
    )


def with_others(instrument: Instrument) -> Instrument:
    """The instrument whose options accept their labels and codes in every language;
    InstrumentError when one spelling would name two options."""
    book = instrument.translations
    if len(book.languages) < 2:
        return instrument
    scales, sections = _option_others(instrument, book.texts, book.codes)
    problems = []
    for name, scale in scales.items():
        seen: dict[str, int] = {}
        for i, option in enumerate(scale.options, 1):
            for form in dict.fromkeys(f.strip().lower() for f in option.spellings):
                if form in seen and seen[form] != i:
                    problems.append(
                        Problem(
                            str(instrument.path or instrument.id),
                            f"'{form}' names option {seen[form]} and option {i} of this scale "
                            "in one language or another: a translated label or code must "
                            "differ from every other option's labels and codes",
                            key=f"scales.{name}.options[{i}]",
                        )
                    )
                seen.setdefault(form, i)
    if problems:
        raise InstrumentError(f"{problems[0].file}: {len(problems)} problem(s)", problems)
    return replace(instrument, scales=scales, sections=sections)


def _option_others(
    instrument: Instrument,
    texts: dict[str, dict[str, str]],
    codes: dict[str, dict[str, tuple[str, ...]]],
) -> tuple[dict[str, Any], tuple[Any, ...]]:
    from pat_framework.languages import mark

    languages = instrument.translations.languages
    scales = {}
    for name, scale in instrument.scales.items():
        options = []
        for i, option in enumerate(scale.options, 1):
            key = f"scales.{name}.options.{i}"
            others: list[str] = []
            for lang in languages[1:]:
                label = texts.get(f"{key}.label", {}).get(lang)
                others.append(label or mark(option.label, languages[0]))
                others += codes.get(f"{key}.codes", {}).get(lang, ())
            kept = [o for o in dict.fromkeys(others) if o not in (option.label, *option.codes)]
            options.append(replace(option, others=tuple(kept)))
        scales[name] = replace(scale, options=tuple(options))
    sections = tuple(
        replace(s, items=tuple(replace(item, scale=scales[item.scale.id]) for item in s.items))
        for s in instrument.sections
    )
    return scales, sections


@dataclass
class Companion:
    """A language file as read: its texts and codes by text key, their lines, its mistakes."""

    path: Path
    language: str
    texts: dict[str, str] = field(default_factory=dict)
    code_lists: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def read_companion(path: Path, instrument: Instrument, language: str | None = None) -> Companion:
    """Read a language file of `instrument`: its `language` (which must be `language` when
    given), the texts it gives, and a problem for each key the instrument has no text for."""
    data, text = read_toml(path, "language file", InstrumentError)
    c = TomlChecker(str(path))
    book = instrument.translations
    tag = c.get(data, "language", "", str, required=True, default="")
    if language is not None and tag and tag != language:
        c.add("language", f"is '{tag}', but this file is read as the '{language}' file")
    elif tag and tag not in book.languages[1:]:
        others = ", ".join(book.languages[1:]) or "none: it names no languages"
        c.add(
            "language",
            f"'{tag}' is not one of instrument '{instrument.id}''s other languages ({others})",
        )
    ident = c.get(data, "instrument", "", str, required=True, default="")
    if ident and ident != instrument.id:
        c.add("instrument", f"is '{ident}', but this file is read for '{instrument.id}'")
    found = Companion(path, tag or language or "")
    code_keys = {f"{k.rsplit('.', 1)[0]}.codes" for k in book.keys if ".options." in k}
    for key, value in _flatten(
        {k: v for k, v in data.items() if k not in ("language", "instrument")}
    ):
        if key in code_keys and isinstance(value, list):
            if all(isinstance(v, str) for v in value):
                found.code_lists[key] = tuple(value)
            else:
                c.add(key, "expected a list of text codes")
        elif key not in book.keys:
            c.add(
                key,
                f"instrument '{instrument.id}' has no text here" + did_you_mean(key, book.keys),
            )
        elif not isinstance(value, str):
            c.add(key, f"expected text, got {type(value).__name__}")
        elif value.strip():
            found.texts[key] = value
    found.problems = with_lines(c.problems, text)
    found.lines = key_lines(text)
    return found


def _flatten(table: dict[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            out += _flatten(value, path)
        else:
            out.append((path, value))
    return out


def completeness(instrument: Instrument, language: str) -> str:
    """How complete a language is, and each missing text with its key, line and source text:
    'cy (Cymraeg): 35 of 37 texts, 2 missing (shown in en, marked [en]):' then one a line."""
    from pat_framework.languages import language_name

    book = instrument.translations
    missing = book.missing(language)
    total = len(book.keys)
    head = f"{language} ({language_name(language)}): {total - len(missing)} of {total} texts"
    if not missing:
        return head + ", complete"
    file = str(instrument.path or instrument.id)
    lines = [f"{head}, {len(missing)} missing (shown in {book.default}, marked [{book.default}]):"]
    for key in missing:
        line = f", line {book.lines[key]}" if key in book.lines else ""
        lines.append(f"  {file}{line}, {key}: {_short(book.source[key])}")
    return "\n".join(lines)


def _short(text: str) -> str:
    one = " ".join(text.split())
    return repr(one if len(one) <= 60 else one[:59] + "…")
