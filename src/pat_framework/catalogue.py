"""The words pat itself writes on reports and forms (headings, legends, instructions), in
the reader's language: a gettext message catalogue, read with Babel.

A string is marked for translation by wrapping it: `_("Action plan")` (or `gettext(…)`;
`N_(…)` marks a constant translated where it is used; `ngettext(one, many, count)` a
sentence whose words change with a number). `make catalogue`
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
from gettext import GNUTranslations
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Message

DOMAIN = "pat"
#: Folders of an organisation's own catalogues, before the package's (os.pathsep apart).
PATH_VARIABLE = "PAT_LOCALE_PATH"
PACKAGE_LOCALE = Path(__file__).resolve().parent / "locale"

_language: ContextVar[str] = ContextVar("pat_catalogue_language", default="")


def gettext(text: str) -> str:
    """`text` in the language being spoken, when a catalogue translates it (`_` for
    short; `gettext` where a module uses `_` for a throwaway variable)."""
    translations = _now()
    return text if translations is None else translations.gettext(text)


_ = gettext


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` (`%(count)s respondents`): the catalogue's plural forms in
    its language's rule, else `singular` for 1 and `plural` for any other count."""
    translations = _now()
    if translations is None:
        return singular if count == 1 else plural
    return translations.ngettext(singular, plural, count)


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
    has = bool(language) and _translations(language or "", folders) is not None
    token = _language.set(language if language and has else "")
    try:
        yield
    finally:
        _language.reset(token)


def _now() -> GNUTranslations | None:
    language = _language.get()
    if not language:
        return None
    return _translations(language, _folders(os.environ.get(PATH_VARIABLE, "")))


@functools.cache
def _folders(variable: str) -> tuple[Path, ...]:
    """The catalogue folders for a value of PAT_LOCALE_PATH, the package's last."""
    return (*(Path(p) for p in variable.split(os.pathsep) if p), PACKAGE_LOCALE)


def _file(folder: Path, language: str) -> Path:
    return folder / language.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


_FIELD = re.compile(r"%\(([A-Za-z_]+)\)s")


def _same_fields(source: str, translated: str, exact: bool = True) -> bool:
    """Whether a translation keeps the source's %(name)s fields (with `exact`; else it may
    leave some out, as a singular form may leave out the count) and fills in as the source
    does (else it would fail when filled in, and is left out: the source is shown)."""
    fields = _FIELD.findall(source)
    found = _FIELD.findall(translated)
    if (sorted(fields) != sorted(found)) if exact else not set(found) <= set(fields):
        return False
    if fields or "%%" in source:  # the caller fills it in
        try:
            translated % dict.fromkeys(fields, "")
        except (KeyError, ValueError, TypeError):
            return False
    return True


def _usable(message: Message) -> bool:
    """A translation that can be filled in as its source is; fuzzy ones (a translator's
    guess awaiting review) and empty ones are left out when compiled."""
    if isinstance(message.id, str):
        return isinstance(message.string, str) and _same_fields(message.id, message.string)
    plural, forms = str(message.id[1]), message.string or ()
    return all(_same_fields(plural, str(form), exact=False) for form in forms)


@functools.cache
def _translations(language: str, folders: tuple[Path, ...]) -> GNUTranslations | None:
    """The catalogues of `language`, the first folder's winning and each falling back to
    the next, with its plural rule; None when no folder has one."""
    chain: GNUTranslations | None = None
    for folder in folders:
        path = _file(folder, language)
        if not path.is_file():
            continue
        found = _compiled(path)
        if chain is None:
            chain = found
        else:
            chain.add_fallback(found)
    return chain


def _compiled(path: Path) -> GNUTranslations:
    """A .po file as gettext reads a compiled one, without the translations that would
    fail when filled in."""
    from io import BytesIO

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        catalog = read_po(handle, locale=None)
    for message in list(catalog):
        if message.id and message.string and not _usable(message):
            del catalog[message.id]
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return GNUTranslations(compiled)
