"""Erasing one respondent on their request: found by their link, their invitation's note,
or, for a respondent who joined a room, the reference their done page shows.

A room respondent has no link or note the facilitator knows, so the done page shows a
short reference to quote. It is worked out from the device's token (a hash of it, so
the page can show it again), and the database keeps only its SHA-256, as it keeps
tokens: a copy of the database gives neither the token nor the reference.
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

from pat_framework.serve import keys, schema
from pat_framework.serve.storage import Collection, Store
from pat_framework.serve.unlinking import refuse_if_cut, scrub

#: Ten letters and digits from the room code's alphabet (about 2**49).
REFERENCE_LENGTH = 10


def reference_of(token: str) -> str:
    """The reference shown to the holder of `token`, as XXXXX-XXXXX."""
    number = int.from_bytes(hashlib.sha256(b"pat-reference\0" + token.encode()).digest())
    letters = []
    for _ in range(REFERENCE_LENGTH):
        number, k = divmod(number, len(keys.ROOM_ALPHABET))
        letters.append(keys.ROOM_ALPHABET[k])
    half = REFERENCE_LENGTH // 2
    return "".join(letters[:half]) + "-" + "".join(letters[half:])


def reference_hash(reference: str) -> str:
    """What the database keeps of a reference (as typed: any case, spaces or dashes)."""
    return keys.token_hash("reference:" + keys.normal_room_code(reference))


def keep_reference(store: Store, respondent_id: int, token: str) -> str:
    """The respondent's reference, its hash stored the first time it is shown."""
    reference = reference_of(token)
    r = schema.respondents.c
    with store.writing() as connection:
        connection.execute(
            sa.update(schema.respondents)
            .where(r.id == respondent_id, r.reference_hash.is_(None))
            .values(reference_hash=reference_hash(reference))
        )
    return reference


def erase(
    store: Store,
    collection: Collection,
    token: str | None = None,
    note: str | None = None,
    reference: str | None = None,
) -> tuple[int, str | None]:
    """Delete the one respondent found by `token`, `note` or `reference`, with their
    answers and history, then rewrite the database without them: the number of answers
    removed, and why the database could not be rewritten, if it could not."""
    refuse_if_cut(
        store,
        collection,
        "no respondent can be found by a link, note or reference any more: the answers "
        "no longer belong to anyone the database knows",
    )
    hashed = None if reference is None else reference_hash(reference)
    removed = store.erase(collection, token, note, hashed)
    return removed, scrub(store)
