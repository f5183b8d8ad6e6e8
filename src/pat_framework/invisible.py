"""Characters that never belong in an answer, a name or a comment: control characters (a
pasted Word line break, a terminal escape), line and paragraph separators, and bidi
overrides that reorder what a reader sees. Removed where text enters pat (`clean`), and
shown, never sent raw, where text is printed (`visible`)."""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_SEPARATORS = "\u2028\u2029\u0085"
_BIDI = "\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c"
_ZERO_WIDTH = "\u200b\u2060\ufeff"
#: Any of them, with the line breaks \n and \r too (in a name or a code).
PATTERN = f"[\t\n\r{_CONTROLS}{_SEPARATORS}{_BIDI}{_ZERO_WIDTH}]"
#: Any of them but the line breaks a comment may hold.
IN_PROSE = f"[{_CONTROLS}{_SEPARATORS}{_BIDI}{_ZERO_WIDTH}]"
_ANY = re.compile(PATTERN)
_PROSE = re.compile(IN_PROSE)
_SHOWN = re.compile(f"[{_CONTROLS}\t\n\r{_SEPARATORS}{_BIDI}{_ZERO_WIDTH}\u00a0\u2007\u202f]")


def clean(text: str, lines: bool = False) -> str:
    """Text without invisible characters: each becomes a space (runs of spaces collapse);
    with `lines`, line breaks are kept (as \\n)."""
    if lines:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return re.sub(r"[ \t]+", " ", _PROSE.sub(" ", text)).strip()
    return " ".join(_ANY.sub(" ", text).split())


def has_invisible(text: str, lines: bool = False) -> bool:
    return bool((_PROSE if lines else _ANY).search(text.replace("\r\n", "\n") if lines else text))


def visible(text: str) -> str:
    """Text safe to print to a terminal: invisible and non-breaking characters as \\xNN or
    \\uNNNN, so that an escape code cannot act and a look-alike cannot hide."""
    return _SHOWN.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
