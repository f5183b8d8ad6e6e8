"""What the catalogue tests share: the strings the sources mark, the template's messages,
and a pseudo-translation of them all."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "src/pat_framework/locale/pat.pot"
EXAMPLES = ROOT / "examples/instruments"


def marked(folder: str = "") -> set[str]:
    """Every string the sources (of one `folder`) mark, as `make catalogue` extracts them."""
    method_map = [("**.py", "python"), ("**/serve/templates/**.html", "jinja2")]
    found = extract_from_dir(
        ROOT / "src/pat_framework" / folder,
        method_map,
        options_map={
            "**/serve/templates/**.html": {"trim_blocks": "true", "lstrip_blocks": "true"}
        },
        keywords={"_": None, "N_": None, "gettext": None, "ngettext": (1, 2)},
    )
    return {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}


def template_ids() -> set[str]:
    """The template's messages: a sentence with plural forms by its singular."""
    with TEMPLATE.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def template_plurals() -> dict[str, str]:
    """The plural of each message that has one, by its singular."""
    with TEMPLATE.open("rb") as handle:
        return {m.id[0]: m.id[1] for m in read_po(handle) if m.id and not isinstance(m.id, str)}


def pseudo_catalogue(folder: Path, language: str) -> dict[str, str]:
    """A catalogue of `language` in `folder` translating every word of the template (a
    stand-in, so the test needs no real translation)."""

    def shout(text: str) -> str:  # placeholders such as %(version)s kept as they are
        parts = re.split(r"(%\([a-z_]+\)s)", text)
        return "".join(p if p.startswith("%(") else p.upper() for p in parts)

    words = {text: f"«{shout(text)}»" for text in template_ids()}
    plurals = template_plurals()
    catalog = Catalog(locale=None)
    for text, translated in words.items():
        if text in plurals:
            plural = plurals[text]
            catalog.add((text, plural), (translated, f"«{shout(plural)}»"))
        else:
            catalog.add(text, translated)
    target = folder / language / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "pat.po").open("wb") as handle:
        write_po(handle, catalog)
    return words


def called(folder: str) -> set[str]:
    """Every literal message the modules of `folder` pass to _, gettext, N_ or ngettext,
    read from their syntax trees: Babel misses one inside an f-string's braces."""
    found = set()
    for path in (ROOT / "src/pat_framework" / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "gettext", "N_", "ngettext")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found
