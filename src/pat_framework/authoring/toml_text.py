"""Writing TOML by hand: text values and keys quoted so that any text reads back unchanged."""

from __future__ import annotations

import re
from pathlib import PurePath

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"


def toml_string(text: str) -> str:
    """`text` as a TOML basic string in double quotes, with control characters escaped."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(name: str) -> str:
    """A key as TOML needs it: bare when it can be, quoted otherwise."""
    return name if _BARE_KEY.match(name) else toml_string(name)


def toml_number(value: float) -> str:
    """A number as TOML writes it: 4 for 4.0, 0.5 as it is."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


#: The schema file, beside the instrument files, that their first line points editors at.
SCHEMA_FILE = "instrument.schema.json"
#: The first line of every instrument file pat writes (the Taplo / Even Better TOML directive).
SCHEMA_DIRECTIVE = f"#:schema ./{SCHEMA_FILE}"


def schema_comment(file_name: str) -> list[str]:
    """The directive and the comment lines saying how to put the schema beside `file_name`."""
    folder = str(PurePath(file_name).parent)
    beside = SCHEMA_FILE if folder == "." else str(PurePath(folder) / SCHEMA_FILE)
    return [
        SCHEMA_DIRECTIVE,
        "# The line above lets an editor that reads JSON Schema (VS Code with Even Better TOML,",
        "# or any editor using Taplo) check this file as you type, once the schema is beside it:",
        f"#   pat schema -o {beside}",
    ]
