"""A collection's privacy notice: `pat serve start --privacy FILE` (Markdown or plain text)
kept in `collection_facilitation.privacy_notice`, and shown to respondents on their first
page, before any answer, as simple blocks: headings (`#`), lists (`-` or `*`) and
paragraphs. Every word is shown as written, escaped; no Markdown markup is followed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from pat_framework.errors import PatError
from pat_framework.serve import facilitators, schema
from pat_framework.serve.storage import Collection, Store
from pat_framework.textfiles import _encoding

#: A notice longer than this is not a notice respondents read.
MAX_CHARACTERS = 20_000


@dataclass(frozen=True)
class Block:
    """A heading, a list (one line an item) or a paragraph (its lines run together)."""

    kind: str  # heading, list, paragraph
    lines: tuple[str, ...]


def read_notice(path: Path) -> tuple[str, str | None]:
    """The notice's text, and a note when it was not UTF-8 (read as Windows-1252, as pat
    reads any text file). A missing, unreadable, empty or overlong file is a PatError."""
    where = f"--privacy: {path}"
    if not path.exists():
        raise PatError(f"{where}: no such file")
    if path.is_dir():
        raise PatError(f"{where}: is a folder; give the notice's Markdown or text file")
    try:
        data = path.read_bytes()
        encoding, fallback = _encoding(path, data[:65536])
    except OSError as exc:
        raise PatError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    text = data.decode(encoding, errors="replace").replace("\r\n", "\n").strip()
    if not text:
        raise PatError(f"{where}: is empty; write what respondents should know")
    if len(text) > MAX_CHARACTERS:
        raise PatError(
            f"{where}: has {len(text)} characters; a notice of at most {MAX_CHARACTERS} "
            "is one respondents read"
        )
    if fallback:
        return text, f"{where}: not UTF-8, read as Windows-1252; check accented letters"
    return text, None


def blocks(text: str) -> list[Block]:
    """The notice as blocks, separated by blank lines; a line starting with `#` is a
    heading, and lines starting with `-` or `*` are a list."""
    found: list[Block] = []
    for chunk in text.split("\n\n"):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        for line in lines:
            if line.startswith("#"):
                found.extend(_flush(paragraph, items))
                found.append(Block("heading", (line.lstrip("#").strip(),)))
            elif line[:2] in ("- ", "* "):
                found.extend(_flush(paragraph, []))
                items.append(line[2:].strip())
            elif items and not paragraph:
                items[-1] += " " + line  # an item's next line
            else:
                paragraph.append(line)
        found.extend(_flush(paragraph, items))
    return found


def _flush(paragraph: list[str], items: list[str]) -> list[Block]:
    made = []
    if items:
        made.append(Block("list", tuple(items)))
    if paragraph:
        made.append(Block("paragraph", (" ".join(paragraph),)))
    paragraph.clear()
    items.clear()
    return made


def set_notice(store: Store, collection: Collection, text: str) -> None:
    facilitators.set_facilitation(store, collection, privacy_notice=text)


def notice(store: Store, collection: Collection) -> list[Block]:
    """The collection's notice as blocks; none without one."""
    f = schema.facilitation.c
    with store.reading() as connection:
        text = connection.scalar(
            sa.select(f.privacy_notice).where(f.collection_id == collection.id)
        )
    return blocks(text) if text else []
