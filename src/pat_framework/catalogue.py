"""The words pat itself writes on reports and forms (headings, legends, instructions), in
the reader's language: a gettext message catalogue, read with Babel.

A string is marked for translation by wrapping it: `_("Action plan")` (or `gettext(…)`;
`N_(…)` marks a constant translated where it is used). `make catalogue`
extracts every marked string into `locale/pat.pot`; a translator copies it to
`LANG/LC_MESSAGES/pat.po` (`pybabel init`) and fills it in. Catalogues are looked for in
the folders of `PAT_LOCALE_PATH` first (an organisation's own, which win), then in the
package's `locale` folder. A string with no translation stays as written (English).

The language is set for a run with `speaking(language)`; outside it, `_` returns the
text unchanged and reads no catalogue.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

DOMAIN = "pat"
#: Folders of an organisation's own catalogues, before the package's (os.pathsep apart).
PATH_VARIABLE = "PAT_LOCALE_PATH"
PACKAGE_LOCALE = Path(__file__).resolve().parent / "locale"

_language: ContextVar[str] = ContextVar("pat_catalogue_language", default="")


def gettext(text: str) -> str:
    """`text` in the language being spoken, when a catalogue translates it (`_` for
    short; `gettext` where a module uses `_` for a throwaway variable)."""
    language = _language.get()
    if not language:
        return text
    return _messages(language, _folders(os.environ.get(PATH_VARIABLE, ""))).get(text) or text


_ = gettext


def N_(text: str) -> str:
    """Mark `text` for the catalogue where it cannot be translated yet (a constant defined
    at import); `_(constant)` translates it where it is shown."""
    return text


def spoken() -> str:
    """The language pat's words are in just now, when a catalogue has it; else ""."""
    return _language.get()


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """pat's own words in `language` (None or "": as written) until the block ends."""
    folders = _folders(os.environ.get(PATH_VARIABLE, ""))
    token = _language.set(language if language and _messages(language, folders) else "")
    try:
        yield
    finally:
        _language.reset(token)


@functools.cache
def _folders(variable: str) -> tuple[Path, ...]:
    """The catalogue folders for a value of PAT_LOCALE_PATH, the package's last."""
    return (*(Path(p) for p in variable.split(os.pathsep) if p), PACKAGE_LOCALE)


def _file(folder: Path, language: str) -> Path:
    return folder / language.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


_FIELD = re.compile(r"%\(([A-Za-z_]+)\)s")


def _same_fields(source: str, translated: str) -> bool:
    """Whether a translation keeps the source's %(name)s fields and fills in as the source
    does (else it would fail when filled in, and is left out: the source is shown)."""
    fields = _FIELD.findall(source)
    if sorted(fields) != sorted(_FIELD.findall(translated)):
        return False
    if fields or "%%" in source:  # the caller fills it in
        try:
            translated % dict.fromkeys(fields, "")
        except (KeyError, ValueError, TypeError):
            return False
    return True


@functools.cache
def _messages(language: str, folders: tuple[Path, ...]) -> dict[str, str]:
    """Every translated message of `language`, the first folder's winning; fuzzy entries
    (a translator's guess awaiting review) are left out."""
    from babel.messages.pofile import read_po

    found: dict[str, str] = {}
    for folder in reversed(folders):
        path = _file(folder, language)
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=None)
        for message in catalog:
            text = message.string
            ready = isinstance(text, str) and text and not message.fuzzy  # fuzzy: a guess
            if isinstance(message.id, str) and ready and _same_fields(message.id, str(text)):
                found[message.id] = str(text)
    return found
