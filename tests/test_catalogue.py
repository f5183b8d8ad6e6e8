"""pat's own words through the message catalogue: the template holds every marked string,
and a report in a language with a catalogue has none of those words left in English."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from pat_framework.catalogue import _, speaking
from pat_framework.testing import invoke

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


def test_the_catalogue_template_holds_every_marked_string() -> None:
    assert template_ids() == marked(), "run `make catalogue` and commit locale/pat.pot"


def test_words_stay_as_written_without_a_catalogue() -> None:
    assert _("Action plan") == "Action plan"
    with speaking("xx"):
        assert _("Action plan") == "Action plan"


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


def test_a_report_in_welsh_has_no_english_left_where_the_catalogue_has_words(
    tmp_path: Path,
) -> None:
    words = pseudo_catalogue(tmp_path / "locale", "cy")
    answers = tmp_path / "answers.csv"
    with answers.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent", "organisation", "W1A", "W1B", "W1C", "W2A", "W2B", "W2C"])
        for n in range(6):
            writer.writerow([f"r{n}", "Council" if n % 2 else "Trust", *["Cytuno", "SA", "D"] * 2])
    report = tmp_path / "report.html"
    result = invoke(
        "--instruments-dir", EXAMPLES, "report", "example-bilingual", answers,
        "--language", "cy", "--detail", "full", "-o", report,
        env={"PAT_LOCALE_PATH": str(tmp_path / "locale")},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = report.read_text(encoding="utf-8")
    assert '<html lang="cy">' in html  # the report's words are Welsh where it has them
    text = re.sub(r"<[^>]+>", "\n", html.replace("&#x27;", "'").replace("&#39;", "'"))
    lines = {line.strip() for line in text.splitlines()}
    for english in marked("reports"):  # the report's own words
        assert english not in lines, english
    shown = [words[w] for w in ("Action plan", "Top actions", "About this report", "Why here")]
    assert set(shown) <= lines
    assert "Cydweithio" in html and "Working together" not in html  # the instrument's text


def test_a_paper_form_in_welsh_takes_its_own_words_from_the_catalogue(tmp_path: Path) -> None:
    words = pseudo_catalogue(tmp_path / "locale", "cy")
    form = tmp_path / "form.html"
    result = invoke(
        "--instruments-dir", EXAMPLES, "form", "example-bilingual", "--language", "cy",
        "-o", form, env={"PAT_LOCALE_PATH": str(tmp_path / "locale")},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    html = form.read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "\n", html)
    assert not [w for w in marked("forms") if w in text.splitlines()]
    assert words["Respondent code"] in text
    assert "Mae gan y partneriaid nod clir cyffredin." in text


def test_a_translation_that_drops_a_field_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = Catalog(locale=None)
    source = "Page %(number)s of %(pages)s"
    catalog.add(source, "Tudalen %(number)s")  # %(pages)s lost: filling it in would fail
    catalog.add("Guidance", "Canllawiau")
    catalog.add("Only %(share)s%%", "Dim ond %(share)s%")  # a lone %: filling it in fails
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "pat.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setenv("PAT_LOCALE_PATH", str(tmp_path))
    with speaking("cy"):
        assert _(source) == source
        assert _("Guidance") == "Canllawiau"
        assert _("Only %(share)s%%") == "Only %(share)s%%"


def test_plural_forms_follow_the_languages_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pat_framework.catalogue import ngettext

    catalog = Catalog(locale="cy")  # Welsh: six plural forms (0, 1, 2, 3, 6, other)
    source = ("%(count)s respondent", "%(count)s respondents")
    catalog.add(source, tuple(f"form{k} %(count)s" for k in range(6)))
    catalog.add(
        ("one page", "%(count)s pages"), ("un dudalen", "%(count)s %(oops)s", "", "", "", "")
    )
    folder = tmp_path / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "pat.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setenv("PAT_LOCALE_PATH", str(tmp_path))
    assert ngettext(*source, 2) == "%(count)s respondents"  # not speaking Welsh yet
    with speaking("cy"):
        shown = {n: ngettext(*source, n) % {"count": n} for n in (0, 1, 2, 3, 6, 7)}
        # a form with a field its source lacks would fail when filled in: not used
        assert ngettext("one page", "%(count)s pages", 1) == "one page"
    assert shown == {0: "form0 0", 1: "form1 1", 2: "form2 2", 3: "form3 3", 6: "form4 6",
                     7: "form5 7"}  # fmt: skip
