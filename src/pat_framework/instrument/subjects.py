"""The `subject` of a statement or section: a short phrase saying what it is about, so
that points from different instruments about the same thing share one action."""

from __future__ import annotations

from typing import Any

from pat_framework.instrument.checker import TomlChecker

#: A subject is a heading in the action plan: a few words, not a sentence.
MAX_LENGTH = 60


def subject_key(subject: str) -> str:
    """What two spellings of a subject share: case and runs of spaces ignored."""
    return " ".join(subject.split()).casefold()


class Subjects:
    """Checks each `subject` of one instrument: short text, and spelt one way throughout
    (two spellings would read as two headings)."""

    def __init__(self) -> None:
        self.seen: dict[str, tuple[str, str]] = {}

    def check(self, c: TomlChecker, table: dict[str, Any], path: str) -> str:
        """The table's subject ('' when it has none), its mistakes added to `c`."""
        raw = c.get(table, "subject", path, str, default="")
        subject = " ".join(raw.split())
        key = f"{path}.subject"
        if "subject" in table and isinstance(table["subject"], str) and not subject:
            c.add(key, 'is empty: name what this is about ("Roles and responsibilities")')
            return ""
        if len(subject) > MAX_LENGTH:
            c.add(
                key,
                f"is {len(subject)} characters long: a subject is a heading of at most "
                f"{MAX_LENGTH} characters, not a sentence",
            )
            return ""
        if not subject:
            return ""
        first, where = self.seen.setdefault(subject_key(subject), (subject, key))
        if first != subject:
            c.add(key, f"'{subject}' is spelt '{first}' at {where}: spell a subject one way")
        return subject
