"""What the live dashboard tests share: respondents who answer every statement of a
collection's instruments and (or not) submit, written straight to the store."""

from __future__ import annotations

import random
from collections.abc import Sequence

from pat_framework.model import Instrument
from pat_framework.serve.storage import Collection, Store, now


def answer(
    store: Store,
    collection: Collection,
    instruments: dict[str, Instrument],
    groups: Sequence[tuple[str, str]],
    submit: bool = True,
    seed: int = 0,
) -> list[int]:
    """One respondent per (organisation, level), answering every statement (the answers
    drawn from `seed`), started and, with `submit`, submitted; their ids."""
    rng = random.Random(seed)
    ids = []
    for token, (organisation, level) in zip(
        store.invite(collection, [None] * len(groups)), groups, strict=True
    ):
        found = store.visit(token)
        assert found is not None
        respondent = found[0]
        for ident in collection.instruments:
            for item in instruments[ident].items:
                label = rng.choice(item.scale.options).label
                store.save(respondent.id, ident, item.id, "answer", label)
        store.update_respondent(
            respondent.id, organisation=organisation, level=level, first_seen_at=now()
        )
        if submit:
            store.update_respondent(respondent.id, submitted_at=now())
        ids.append(respondent.id)
    return ids
