"""Open a collection from an instrument id or a workshop file."""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pat_framework.disclosure.rules import DEFAULT_FIGURES
from pat_framework.errors import PatError
from pat_framework.serve.storage import Collection, Store

if TYPE_CHECKING:
    from pat_framework.runtime.registry import Registry
    from pat_framework.workshop import Workshop

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


@dataclass(frozen=True)
class Opening:
    """What `pat serve` was asked to open; empty lists keep what the collection has."""

    source: str
    name: str | None = None
    organisations: Sequence[str] = ()
    levels: Sequence[str] = ()
    round: str | None = None
    min_group: int | None = None
    opens_at: datetime.datetime | None = None
    closes_at: datetime.datetime | None = None


def default_name(source: str) -> str:
    stem = Path(source).stem if source.endswith(".toml") else source
    return re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-")[:64] or "collection"


def open_collection(registry: Registry, store: Store, opening: Opening) -> Collection:
    """Create or update the collection; lists not given come from the stored collection,
    else from the organisation and level columns of a workshop's response files."""
    name = opening.name or default_name(opening.source)
    if not NAME.match(name):
        raise PatError(
            f"--name: {name!r} is not a collection name: use lower-case letters, digits, "
            "- and _ (at most 64)"
        )
    if opening.closes_at and opening.opens_at and opening.closes_at <= opening.opens_at:
        raise PatError("--closes must be after --opens")
    workshop = None
    if opening.source.endswith(".toml"):
        from pat_framework.workshop import load_workshop

        workshop = load_workshop(opening.source)
        instruments = [entry.id for entry in workshop.instruments]
        title = f"{workshop.partnership}: {workshop.title}"
        source = str(workshop.file)
        min_group = workshop.min_group
    else:
        instrument = registry.get("instrument", opening.source)
        instruments, title, source = [instrument.id], instrument.title, instrument.id
        min_group = DEFAULT_FIGURES
    for ident in instruments:
        registry.get("instrument", ident)
    existing = store.collection(name)
    organisations, levels = list(opening.organisations), list(opening.levels)
    if existing is not None:
        organisations = organisations or list(existing.organisations)
        levels = levels or list(existing.levels)
    elif workshop is not None and not (organisations and levels):
        found = attribute_values(registry, workshop)
        organisations = organisations or found["organisation"]
        levels = levels or found["level"]
    return store.open_collection(
        name,
        title,
        source,
        instruments,
        organisations,
        levels,
        opening.round,
        opening.min_group or min_group,
        opening.opens_at,
        opening.closes_at,
    )


def attribute_values(registry: Registry, workshop: Workshop) -> dict[str, list[str]]:
    """The organisations and levels named in a workshop's response files, in first-seen
    order, so that a collection offers the same groups the earlier rounds used."""
    from pat_framework.runtime.pipeline import read

    found: dict[str, dict[str, None]] = {"organisation": {}, "level": {}}
    for entry in workshop.instruments:
        if not entry.responses:
            continue
        responses = read(registry, entry.id, entry.responses, entry.source)
        for attribute, seen in found.items():
            if attribute in responses.attributes:
                for value in responses.attributes[attribute].dropna():
                    seen.setdefault(str(value), None)
    return {attribute: list(seen) for attribute, seen in found.items()}
