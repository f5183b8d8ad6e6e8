"""The instrument model: scales, sections, items, bands and scenarios, as loaded from TOML."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pat_framework.render.text import format_number

DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
MISSING_KINDS = (DONT_KNOW, NOT_APPLICABLE)


@dataclass(frozen=True)
class Option:
    """One answer on a scale: a scoring value, or a non-scoring answer such as Don't know."""

    label: str
    value: float | None = None
    codes: tuple[str, ...] = ()
    missing: str | None = None
    others: tuple[str, ...] = ()  # its labels and codes in the instrument's other languages

    @property
    def score(self) -> float:
        """The value of a scoring answer (one of `Scale.scoring`); other answers have none."""
        if self.value is None:
            raise ValueError(f"'{self.label}' is not a scoring answer")
        return self.value

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every accepted way of writing this answer, as typed (case is ignored on reading)."""
        forms = [self.label, *self.codes, *self.others]
        if self.value is not None:
            forms.append(format_number(self.value))
        return tuple(forms)


@dataclass(frozen=True)
class Scale:
    """A set of answers; `options` are in form order."""

    id: str
    options: tuple[Option, ...]
    title: str = ""

    @property
    def scoring(self) -> tuple[Option, ...]:
        return tuple(o for o in self.options if o.value is not None)

    @property
    def low(self) -> float:
        return min(o.score for o in self.scoring)

    @property
    def high(self) -> float:
        return max(o.score for o in self.scoring)

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2

    @property
    def has_missing_options(self) -> bool:
        return any(o.missing for o in self.options)

    def lookup(self) -> dict[str, Option]:
        """Map each accepted spelling, folded to lower case, to its option."""
        table: dict[str, Option] = {}
        for option in self.options:
            for form in option.spellings:
                table[form.strip().lower()] = option
        return table

    def describe(self) -> str:
        """The accepted answers, for error messages and forms."""
        parts = []
        for o in self.options:
            extra = [format_number(o.value)] if o.value is not None else []
            extra += list(o.codes)
            parts.append(f"{o.label} ({', '.join(extra)})" if extra else o.label)
        return "; ".join(parts)


@dataclass(frozen=True)
class Item:
    """One statement or question."""

    id: str
    text: str
    scale: Scale
    section_id: str
    element: str = ""
    element_title: str = ""
    guidance: str = ""
    reverse: bool = False
    kind: str = ""
    target: str = ""
    subject: str = ""


@dataclass(frozen=True)
class Band:
    """A range of scores with its meaning; `min` and `max` are inclusive."""

    min: float
    max: float
    label: str
    text: str = ""
    rating: str = ""
    concern: bool = False
    scenario: str = ""


@dataclass(frozen=True)
class Section:
    """A principle, area or checklist: a group of items scored together."""

    id: str
    title: str
    items: tuple[Item, ...]
    description: str = ""
    scored: bool = True
    kind: str = ""
    bands: tuple[Band, ...] = ()
    subject: str = ""

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]


@dataclass(frozen=True)
class Scenario:
    """An overall outcome of an assessment, such as the ODPM tool's A, B and C."""

    id: str
    title: str
    text: str = ""


@dataclass(frozen=True)
class Escalation:
    """Raise a group's scenario when some respondents see concerns."""

    from_scenario: str
    to_scenario: str
    reason: str = ""


@dataclass(frozen=True)
class MissingPolicy:
    """How unanswered items are handled by scorers that total a section."""

    max_missing: int = 1
    method: str = "prorate"


@dataclass(frozen=True)
class Source:
    """Where an instrument comes from."""

    title: str
    authors: tuple[str, ...] = ()
    publisher: str = ""
    year: int | None = None
    section: str = ""
    licence: str = ""
    url: str = ""

    def citation(self) -> str:
        parts = [", ".join(self.authors)] if self.authors else []
        parts.append(self.title)
        if self.publisher:
            parts.append(self.publisher)
        if self.year:
            parts.append(str(self.year))
        return ". ".join(parts)


@dataclass(frozen=True)
class Translations:
    """An instrument's languages (the first is the default, the one its fields hold) and its
    texts in the others, by text key (`sections.P1.items.P1A.text`) and language."""

    languages: tuple[str, ...] = ()
    texts: dict[str, dict[str, str]] = field(default_factory=dict)
    codes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)  # every text to translate, by key
    places: dict[str, str] = field(default_factory=dict)  # a text key's key path in the file
    lines: dict[str, int] = field(default_factory=dict)  # and its line
    inline: frozenset[tuple[str, str]] = frozenset()  # (key, language) written in the file

    @property
    def default(self) -> str:
        return self.languages[0] if self.languages else ""

    @property
    def keys(self) -> tuple[str, ...]:
        """The text keys, in file order."""
        return tuple(self.source)

    def missing(self, language: str) -> list[str]:
        """The text keys with no text in `language`."""
        if language == self.default:
            return []
        return [k for k in self.keys if not self.texts.get(k, {}).get(language)]


@dataclass(frozen=True)
class Instrument:
    """A questionnaire with the rules for scoring and interpreting it."""

    id: str
    title: str
    version: str
    source: Source
    scales: dict[str, Scale]
    sections: tuple[Section, ...]
    description: str = ""
    question: str = ""
    scorer: str = "sum"
    interpreter: str = "bands"
    aggregate_title: str = "Aggregate"
    aggregate_bands: tuple[Band, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    escalation: Escalation | None = None
    missing: MissingPolicy = field(default_factory=MissingPolicy)
    options: dict[str, Any] = field(default_factory=dict)
    path: Path | None = None
    translations: Translations = field(default_factory=Translations)
    language: str = ""  # the language its texts are in, when it names its languages

    @property
    def languages(self) -> tuple[str, ...]:
        return self.translations.languages

    def in_language(self, language: str | None) -> Instrument:
        """This instrument with its texts in `language` (None: as it is); untranslated text
        is the default language's, marked. Raises ValueError for a language it lacks."""
        if language is None or language == self.language:
            return self
        from pat_framework.languages import localise

        return localise(self, language)

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @property
    def item_ids(self) -> list[str]:
        return [item.id for item in self.items]

    @property
    def scored_sections(self) -> list[Section]:
        return [s for s in self.sections if s.scored]

    def section(self, section_id: str) -> Section:
        for s in self.sections:
            if s.id.lower() == section_id.lower():
                return s
        known = ", ".join(s.id for s in self.sections)
        raise KeyError(f"no section '{section_id}' in {self.id} (sections: {known})")

    def item(self, item_id: str) -> Item:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    def scenario(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)
