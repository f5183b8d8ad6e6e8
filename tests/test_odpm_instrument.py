"""The ODPM Partnership Assessment Tool, checked against its source (seed 004) word for word."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import PatCli

from pat_framework.model import Instrument

SEED = Path("/work/shared/seeds/004_a9ad7968a72f9536.txt")
if not SEED.is_file():  # the seeds live beside the repository in the project's workspace
    SEED = Path(__file__).resolve().parents[2] / "shared/seeds/004_a9ad7968a72f9536.txt"
PRINCIPLES = [f"P{n}" for n in range(1, 7)]

pytestmark = pytest.mark.skipif(not SEED.is_file(), reason="the ODPM seed text is not present")


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


def _between(text: str, start: str, end: str) -> str:
    begin = text.index(start)
    return text[begin : text.index(end, begin + len(start))]


def profile_sheet(seed: str, n: int) -> str:
    """Principle n's elements and rapid partnership profile sheet, as printed."""
    start = re.search(rf"^principle {n}: .*$", seed, re.M)
    assert start is not None
    return _between(seed, start.group(0), "\nScoring Key")


def seed_statements(seed: str, n: int) -> list[str]:
    """The six statements on principle n's profile sheet, bullets stripped."""
    sheet = profile_sheet(seed, n)
    table = _between(sheet, "To what extent", "\nScores")
    rows = table.splitlines()[1:]
    return [row.split("\t")[0].replace("•", "").strip() for row in rows if row.strip()]


def test_six_principles_of_six_statements(odpm: Instrument) -> None:
    principles = [s for s in odpm.sections if s.kind == "principle"]
    assert [s.id for s in principles] == PRINCIPLES
    assert [s.id for s in odpm.scored_sections] == PRINCIPLES
    for section in principles:
        assert [i.id for i in section.items] == [f"{section.id}{e}" for e in "ABCDEF"]
        assert [i.element for i in section.items] == list("ABCDEF")
        assert all(i.scale.id == "agree4" and not i.reverse for i in section.items)


def test_the_agreement_scale(odpm: Instrument) -> None:
    scale = odpm.scales["agree4"]
    assert [(o.label, o.value, o.codes) for o in scale.options] == [
        ("Strongly agree", 4, ("SA",)),
        ("Agree", 3, ("A",)),
        ("Disagree", 2, ("D",)),
        ("Strongly disagree", 1, ("SD",)),
    ]


@pytest.mark.parametrize("n", range(1, 7))
def test_statements_word_for_word_in_the_seeds_order(odpm: Instrument, seed: str, n: int) -> None:
    statements = seed_statements(seed, n)
    assert len(statements) == 6
    assert [i.text for i in odpm.section(f"P{n}").items] == statements


def test_all_36_statements_occur_in_the_seed(odpm: Instrument, seed: str) -> None:
    plain = seed.replace("• ", "").replace("•", "")
    texts = [i.text for s in PRINCIPLES for i in odpm.section(s).items]
    assert len(set(texts)) == 36
    for text in texts:
        assert text in plain


@pytest.mark.parametrize("n", range(1, 7))
def test_principle_titles_and_element_titles(odpm: Instrument, seed: str, n: int) -> None:
    section = odpm.section(f"P{n}")
    header = re.search(rf"^principle {n}: (.*)$", seed, re.M)
    assert header is not None and section.title.lower() == header.group(1).strip()
    elements = dict(re.findall(r"^- ([A-F])\. (.*)$", profile_sheet(seed, n), re.M))
    assert {i.element: i.element_title for i in section.items} == {
        k: v.strip() for k, v in elements.items()
    }


@pytest.mark.parametrize("n", range(1, 7))
def test_principle_bands_match_the_seed(odpm: Instrument, seed: str, n: int) -> None:
    outline = _between(seed, "1. Understanding the results: in outline", "Aggregate scores")
    parts = re.split(r"^Principle (\d): .*$", outline, flags=re.M)
    block = dict(zip(parts[1::2], parts[2::2], strict=True))[str(n)]
    printed = re.findall(r"^- (\d+)(?:-(\d+))?: (.*)$", block, re.M)
    expected = sorted((float(lo), float(hi or lo), text.strip()) for lo, hi, text in printed)
    bands = odpm.section(f"P{n}").bands
    assert sorted((b.min, b.max, b.text) for b in bands) == expected
    assert [b.min for b in bands] == [19, 13, 7, 6]
    assert {b.label: b.concern for b in bands} == {
        "19–24": False,
        "13–18": False,
        "7–12": True,
        "6": True,
    }


def test_aggregate_bands_match_the_seed(odpm: Instrument, seed: str) -> None:
    block = _between(seed, "Aggregate scores", "See diagram")
    printed = re.findall(r"^- (\d+)(?:–(\d+))? (.*)$", block, re.M)
    assert len(printed) == 4
    expected = sorted((float(lo), float(hi or lo), text.strip()) for lo, hi, text in printed)
    assert sorted((b.min, b.max, b.text) for b in odpm.aggregate_bands) == expected
    assert [b.label for b in odpm.aggregate_bands] == ["109–144", "73–108", "37–72", "36"]


def test_scenarios_match_the_seed(odpm: Instrument, seed: str) -> None:
    table = _between(seed, "Stage 4 : Action Planning for Alternative Findings", "\n\n")
    texts = [t.strip() for t in table.splitlines()[2].split("\t") if t.strip()]
    assert [s.id for s in odpm.scenarios] == ["A", "B", "C"]
    assert [s.text for s in odpm.scenarios] == texts
    assert odpm.escalation is not None
    assert (odpm.escalation.from_scenario, odpm.escalation.to_scenario) == ("A", "B")


def test_weighting_and_success_statement(odpm: Instrument, seed: str) -> None:
    weighting = odpm.section("W")
    assert not weighting.scored
    assert [i.target for i in weighting.items] == PRINCIPLES
    for item, section in zip(weighting.items, PRINCIPLES, strict=True):
        assert odpm.section(section).title in item.text
    scale = weighting.items[0].scale
    assert [o.value for o in scale.options] == [4, 3, 2, 1]
    assert "more significant" in scale.options[0].label
    assert "less significant" in scale.options[-1].label
    assert "The Relative Significance of the 6 Principles" in seed
    success = odpm.section("S")
    assert not success.scored
    assert [i.text for i in success.items] == [
        "The partnership is achieving its aims and objectives"
    ]
    assert "• The partnership is achieving its aims and objectives" in seed


def test_question_source_and_crown_copyright(odpm: Instrument, seed: str) -> None:
    assert odpm.question in seed
    cover = odpm.source.title.upper().replace(":", "")
    assert cover in seed  # the cover: ASSESSING STRATEGIC PARTNERSHIP THE PARTNERSHIP ...
    assert ", ".join(odpm.source.authors) in seed
    assert odpm.source.year == 2003
    assert "© Crown copyright 2003" in odpm.source.licence
    assert "© Crown copyright 2003." in seed
    assert odpm.missing.max_missing == 1 and odpm.missing.method == "prorate"


def test_pat_show_prints_the_seeds_statements(seed: str, pat_cli: PatCli) -> None:
    everything = pat_cli("show", "pat-odpm").stdout
    only_p2 = pat_cli("show", "pat-odpm", "--section", "P2").stdout
    for n in range(1, 7):
        for statement in seed_statements(seed, n):
            assert statement in everything
            assert (statement in only_p2) == (n == 2)
