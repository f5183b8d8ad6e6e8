"""A collection's answers in pat's layouts: the long CSV `pat score` reads, and the
answers read straight from the database for `pat run` (a workshop's `responses` naming
`sqlite:///FILE.db#COLLECTION`)."""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import TYPE_CHECKING

from pat_framework.catalogue import ngettext
from pat_framework.errors import PatError
from pat_framework.languages import ATTRIBUTE as LANGUAGE
from pat_framework.output import inert
from pat_framework.responses import COMMENT_SUFFIX, RESPONDENT
from pat_framework.serve.storage import Collection, ExportRow, Store

if TYPE_CHECKING:
    from pat_framework.analysis import Analysis
    from pat_framework.responses import Responses
    from pat_framework.runtime.registry import Registry


def instrument_of(collection: Collection, instrument_id: str | None) -> str:
    """The instrument to export: the collection's only one, or the one asked for."""
    if instrument_id is None:
        if len(collection.instruments) > 1:
            raise PatError(
                f"collection {collection.name} has {len(collection.instruments)} instruments: "
                f"choose one with --instrument ({', '.join(collection.instruments)})"
            )
        return collection.instruments[0]
    if instrument_id not in collection.instruments:
        raise PatError(
            f"--instrument: collection {collection.name} has no instrument '{instrument_id}' "
            f"(it has {', '.join(collection.instruments)})"
        )
    return instrument_id


def find(store: Store, name: str) -> Collection:
    collection = store.collection(name)
    if collection is None:
        known = ", ".join(store.collection_names()) or "none yet"
        raise PatError(f"no collection '{name}' in {store.safe_url} (collections: {known})")
    return collection


def _attributes(collection: Collection, row: ExportRow, languages: bool) -> list[str]:
    values = [row.organisation or "", row.level or ""]
    values += [collection.round] if collection.round else []
    return [*values, row.language or ""] if languages else values


def _attribute_names(collection: Collection, languages: bool) -> list[str]:
    """The respondent columns; `languages`: some respondent chose a language."""
    names = ["organisation", "level"]
    names += ["round"] if collection.round else []
    return [*names, LANGUAGE] if languages else names


def long_csv(store: Store, collection: Collection, instrument_id: str) -> str:
    """One row per answer: respondent, organisation, level (round), item, answer."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    rows = store.export(collection, instrument_id)
    languages = any(row.language for row in rows)
    writer.writerow([RESPONDENT, *_attribute_names(collection, languages), "item", "answer"])
    for row in rows:
        if row.answer is not None:
            cells = [row.respondent, *_attributes(collection, row, languages), row.item]
            cells.append(row.answer)
            writer.writerow([inert(cell) for cell in cells])
    return out.getvalue()


def split_reference(text: str) -> tuple[str, str]:
    """A workshop's `DATABASE-URL#COLLECTION` as (url, collection name)."""
    url, _, name = text.rpartition("#")
    if not url or not name:
        raise PatError(f"{text!r}: name the collection after '#', as sqlite:///FILE.db#NAME")
    return url, name


def read_collection(registry: Registry, instrument_id: str, reference: str) -> Responses:
    """The collection's current answers and comments, checked as a response file is."""
    url, name = split_reference(reference)
    store = Store(url, pool_size=1)
    try:
        collection = find(store, name)
        return collection_responses(registry, store, collection, instrument_id)
    finally:
        store.close()


def collection_responses(
    registry: Registry,
    store: Store,
    collection: Collection,
    instrument_id: str | None,
) -> Responses:
    """The answers and comments held in `collection`, checked as a response file is;
    without a remainder of fewer than min_group beside what the live results showed."""
    from pat_framework.serve.live import beside_shown

    ident = instrument_of(collection, instrument_id)
    rows = store.export(collection, ident)
    if not rows:
        raise PatError(f"collection {collection.name} in {store.safe_url} has no answers yet")
    rows, left_out = beside_shown(store, collection, ident, rows)
    answers = responses_of(
        registry, ident, collection, rows, f"{store.safe_url}#{collection.name}"
    )
    if left_out:
        note = ngettext(
            "The answers of %(count)s respondent are left out: the live results showed "
            "those of the first %(shown)s to submit, and with fewer than %(least)s more, "
            "comparing the two would show their answers.",
            "The answers of %(count)s respondents are left out: the live results showed "
            "those of the first %(shown)s to submit, and with fewer than %(least)s more, "
            "comparing the two would show their answers.",
            left_out,
        ) % {
            "count": left_out,
            "shown": len({r.respondent for r in rows}),
            "least": collection.min_group,
        }
        answers = dataclasses.replace(answers, notes=[*answers.notes, note])
    return answers


def responses_of(
    registry: Registry,
    instrument_id: str,
    collection: Collection,
    rows: list[ExportRow],
    source: str,
) -> Responses:
    """Export rows of one instrument as answers, checked as a response file is (`source`
    names them in messages)."""
    import pandas as pd

    from pat_framework.responses import read_table

    wide: dict[str, dict[str, str]] = {}
    languages = any(row.language for row in rows)
    names = _attribute_names(collection, languages)
    for row in rows:
        record = wide.setdefault(
            row.respondent,
            dict(zip(names, _attributes(collection, row, languages), strict=True)),
        )
        if row.answer is not None:
            record[row.item] = row.answer
        if row.comment is not None:
            record[row.item + COMMENT_SUFFIX] = row.comment
    frame = pd.DataFrame.from_dict(wide, orient="index").rename_axis(RESPONDENT).reset_index()
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    return read_table(registry.instrument(instrument_id), frame, source)


def analysed_collection(
    registry: Registry,
    instrument_id: str,
    reference: str,
    by: tuple[str, ...],
    min_group: int,
    which: str,
    min_comments: int,
) -> Analysis:
    """`runtime.pipeline.analysed` for answers held in a collection."""
    responses = read_collection(registry, instrument_id, reference)
    return analysed_responses(registry, responses, by, min_group, which, min_comments)


def analysed_responses(
    registry: Registry,
    responses: Responses,
    by: tuple[str, ...],
    min_group: int,
    which: str,
    min_comments: int,
) -> Analysis:
    """`analysed_collection` for a collection's answers already read (the live dashboard
    reads those of its submitted respondents only)."""
    from pat_framework.runtime.pipeline import analysed_rounds, interpret_responses

    everything = interpret_responses(registry, responses)
    return analysed_rounds(registry, everything, by, min_group, which, False, min_comments)


def analysed_submitted(
    registry: Registry, store: Store, collection: Collection, instrument_id: str
) -> Analysis:
    """The analysis `pat report` makes of the collection's submitted answers, under the
    collection's min_group (the room view's): those of the live results' batch, the first
    floor(S/m)·m of the S to submit, so that the room and the dashboard never show two sets
    of people fewer than m apart."""
    from pat_framework.disclosure.rules import DEFAULT_COMMENTS
    from pat_framework.runtime.pipeline import analysed_rounds, interpret_responses
    from pat_framework.serve.live import batch_rows, remember_shown

    ident = instrument_of(collection, instrument_id)
    figures = collection.min_group
    submitted = sum(stage.submitted for stage in store.progress(collection))
    size = submitted // figures * figures
    rows = batch_rows(store, collection, size)[ident] if size else []
    if rows:
        remember_shown(store, collection, size)
    if not rows:
        raise PatError(
            f"fewer than {figures} respondents have submitted answers to {ident}, the "
            "smallest group shown"
        )
    source = f"{store.safe_url}#{collection.name}"
    everything = interpret_responses(
        registry, responses_of(registry, ident, collection, rows, source)
    )
    return analysed_rounds(
        registry, everything, (), figures, "latest", False, max(figures, DEFAULT_COMMENTS)
    )
