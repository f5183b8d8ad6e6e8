"""The language file a translator fills in: every text of an instrument as a key, its
text in the default language in a comment above it, and any translation already made."""

from __future__ import annotations

from pat_framework.authoring.toml_text import toml_string
from pat_framework.languages import language_name
from pat_framework.model import Instrument


def translation_skeleton(instrument: Instrument, language: str, command: str) -> str:
    """The TOML text of `instrument`'s language file for `language`; `command` checks it."""
    book = instrument.translations
    default = book.default
    name = instrument.path.name if instrument.path else instrument.id
    out = [
        f"# {language_name(language)} ({language}) text of the instrument "
        f"'{instrument.id}' ({name}).",
        "#",
        "# Write each text between the quotes after its '='; the comment above it is the text",
        f'# in {language_name(default)} ({default}). A text left empty ("") is shown in '
        f"{language_name(default)},",
        f"# marked [{default}], until it is written. Keep the keys as they are: they name the",
        "# texts by their ids.",
        f"# Check the file with: {command}",
        f"language = {toml_string(language)}",
        f"instrument = {toml_string(instrument.id)}",
    ]
    for key, source in book.source.items():
        if (key, language) in book.inline:
            continue  # translated in the instrument file itself
        lines = source.splitlines() or [""]
        out.append("")
        out.append(f"# {default}: {lines[0]}".rstrip())
        out += [f"#     {line}".rstrip() for line in lines[1:]]
        out.append(f"{key} = {toml_string(book.texts.get(key, {}).get(language, ''))}")
    return "\n".join(out) + "\n"
