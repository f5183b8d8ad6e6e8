"""TOML syntax errors explained in plain words, with the line and a pointer to the place."""

from __future__ import annotations

import re

from pat_framework.errors import Problem

_REPEATED = (
    "this setting or [block] is already given above: remove one of them. A block that "
    "repeats (each option, section, item or band) needs double brackets [[...]] every time"
)
_UNCLOSED_TEXT = (
    'the text is missing its closing double quote ". Text must end on the line it starts '
    'on; for text over several lines use three quotes: """ ... """'
)
#: The start of a TOML parser message, and what to do about it.
HINTS = (
    ("Cannot overwrite a value", _REPEATED),
    ("Cannot declare", _REPEATED),
    ("Cannot redefine namespace", _REPEATED),
    ("Cannot mutate immutable namespace", _REPEATED),
    ("Duplicate inline table key", "a key is given twice inside { ... }: remove one"),
    ("Illegal character '\\n'", _UNCLOSED_TEXT),
    ("Unterminated string", _UNCLOSED_TEXT),
    (
        "Invalid value",
        'a value must be text in double quotes ("like this"), a number (4 or 0.5), '
        'true or false, or a list in square brackets (["SA", "A"])',
    ),
    (
        "Expected '=' after a key",
        'each setting is written as  name = value,  for example  title = "Team health"',
    ),
    (
        "Expected newline or end of document after a statement",
        "something follows the value on this line. If the text holds double quotes, "
        'write each as \\" or put the whole text in single quotes: \'He said "yes"\'',
    ),
    (
        "Invalid statement",
        "each line must be a setting (name = value), a [block] header, "
        "a comment starting with #, or empty",
    ),
    (
        "Invalid initial character for a key part",
        "a setting name may use only letters, digits, _ and -; put text values in double quotes",
    ),
    (
        "Unclosed array",
        "a list [ ... ] is missing its closing ] or a comma between entries; a list may run "
        "over several lines, so look at the lines above too",
    ),
    ("Unclosed inline table", "a table { ... } is missing its closing } or a comma"),
    ("Expected ']' at the end", "the [block] header is missing its closing ]"),
    ("Expected ']]' at the end", "the [[block]] header is missing its closing ]]"),
    (
        "Unescaped '\\' in a string",
        "a backslash in double-quoted text must be written \\\\; or put the text in single quotes",
    ),
    ("Illegal character", "remove the character (a tab or control character inside text)"),
)
_AT = re.compile(r"^(?P<msg>.*) \(at line (?P<line>\d+), column (?P<col>\d+)\)$", re.S)


def syntax_problem(file: str, exc: ValueError, text: str) -> Problem:
    """A TOML parser error as a Problem: where, what the parser said, what to do."""
    msg = getattr(exc, "msg", None)
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if msg is None or line is None:
        match = _AT.match(str(exc))
        msg = match["msg"] if match else str(exc)
        line = int(match["line"]) if match else None
        column = int(match["col"]) if match else None
    hint = next((h for start, h in HINTS if msg.startswith(start)), "")
    message = f"{msg}: {hint}" if hint else msg
    lines = text.splitlines()
    if line is not None and 0 < line <= len(lines):
        raw = lines[line - 1]
        message += f"\n      | {raw.rstrip().expandtabs()}"
        if column:
            message += "\n      | " + " " * len(raw[: column - 1].expandtabs()) + "^"
    return Problem(file, message, line=line, column=str(column) if column else None)
