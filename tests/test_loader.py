"""The instrument loader: every bundled instrument loads, and every mistake is located."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import tomli
from conftest import ROOT
from instrument_support import BASE, BUNDLED

from pat_framework.errors import InstrumentError
from pat_framework.instrument.loader import instrument_from_dict, load_instrument
from pat_framework.model import DONT_KNOW
from pat_framework.runtime.registry import Registry


def base() -> dict[str, Any]:
    return tomli.loads(BASE)


def problems_of(data: dict[str, Any]) -> list[str]:
    """Every problem the loader reports for a parsed document, as the user sees it."""
    with pytest.raises(InstrumentError) as caught:
        instrument_from_dict(data, "x.toml")
    return [str(p) for p in caught.value.problems]


def check(registry: Registry, data: dict[str, Any]) -> list[str]:
    """Problems found after loading: scorer, interpreter and bands."""
    instrument = instrument_from_dict(data, "x.toml", path=Path("x.toml"))
    return [str(p) for p in registry.check(instrument)]


def test_base_document_loads_into_the_model(registry: Registry) -> None:
    instrument = instrument_from_dict(base(), "x.toml")
    assert instrument.id == "team-health"
    assert instrument.scorer == "sum" and instrument.interpreter == "bands"
    assert instrument.aggregate_title == "Aggregate"
    assert instrument.item_ids == ["T1A", "T1B", "T2A", "T2B", "T2C", "T2D"]
    agree = instrument.scales["agree4"]
    assert [(o.label, o.value, o.codes) for o in agree.options] == [
        ("Strongly agree", 4.0, ("SA",)),
        ("Agree", 3.0, ("A",)),
        ("Disagree", 2.0, ("D",)),
        ("Strongly disagree", 1.0, ("SD",)),
    ]
    assert instrument.scales["yesno"].options[2].missing == DONT_KNOW
    assert instrument.item("T1B").reverse and not instrument.item("T1A").reverse
    assert instrument.item("T2C").section_id == "T2"
    assert instrument.item("T2C").scale is agree
    assert [b.label for b in instrument.section("T1").bands] == ["Strong", "Weak"]
    assert instrument.aggregate_bands[0].scenario == "C"
    assert instrument.source.year == 2026
    assert registry.check(instrument) == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_every_bundled_instrument_loads_and_passes_the_registry_check(
    registry: Registry, path: Path
) -> None:
    instrument = load_instrument(path)
    assert instrument.path == path
    assert instrument.items, "an instrument without items"
    missing = [
        f"{kind} '{name}'"
        for kind, name in (("scorer", instrument.scorer), ("interpreter", instrument.interpreter))
        if name not in registry.names(kind)
    ]
    if missing:
        pytest.skip(f"{path.name} needs {' and '.join(missing)}, not installed yet")
    assert [str(p) for p in registry.check(instrument)] == []


def test_bundled_instruments_are_all_registered_without_problems(registry: Registry) -> None:
    ids = {load_instrument(path).id for path in BUNDLED}
    assert ids <= set(registry.names("instrument"))
    assert "pat-odpm" in ids
    assert [p for p in registry.problems if "skipped" in p] == []


def test_unknown_scale_is_reported_with_its_key_path() -> None:
    data = base()
    data["sections"][1]["items"][3]["scale"] = "agree5"
    assert problems_of(data) == [
        "x.toml, sections[2].items[4].scale: unknown scale 'agree5' (known scales: agree4, yesno)"
        "; did you mean 'agree4'?"
    ]


def test_unknown_section_scale_is_one_problem_and_items_with_no_scale_are_named() -> None:
    data = base()
    data["sections"][0]["scale"] = "nope"
    assert problems_of(data) == [
        "x.toml, sections[1].scale: unknown scale 'nope' (known scales: agree4, yesno)"
    ]
    del data["sections"][0]["scale"]
    assert problems_of(data) == [
        "x.toml, sections[1].items[1].scale: no scale: give the item or its section a 'scale'",
        "x.toml, sections[1].items[2].scale: no scale: give the item or its section a 'scale'",
    ]


def test_toml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text('format = 1\nid = "x"\ntitle = "unterminated\nversion = "1"\n')
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    message = str(caught.value)
    assert str(path) in message
    assert "not valid TOML" in message
    assert "line 3" in message


def test_unreadable_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(InstrumentError, match="cannot read instrument file"):
        load_instrument(tmp_path / "absent.toml")
    latin = tmp_path / "latin.toml"
    latin.write_bytes('title = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(InstrumentError, match="not UTF-8"):
        load_instrument(latin)


def test_several_problems_are_reported_together() -> None:
    data = base()
    data["id"] = "Team Health"
    del data["title"]
    data["sections"][0]["items"][0]["colour"] = "red"
    data["sections"][1]["bands"][0]["rating"] = "purple"
    found = problems_of(data)
    assert found == [
        "x.toml, id: 'Team Health' must be lower-case letters, digits and '-' "
        "(for example 'team-health')",
        'x.toml, title: is required but missing (add a line  title = "...")',
        "x.toml, sections[1].items[1].colour: unknown key (allowed: element, element_title, "
        "guidance, id, kind, reverse, scale, subject, target, text)",
        "x.toml, sections[2].bands[1].rating: expected one of green, amber, red, got 'purple'",
    ]


@pytest.mark.parametrize(
    ("where", "key_path"),
    [
        ((), "colour"),
        (("source",), "source.colour"),
        (("scales", "agree4"), "scales.agree4.colour"),
        (("scales", "agree4", "options", 0), "scales.agree4.options[1].colour"),
        (("sections", 1), "sections[2].colour"),
        (("sections", 1, "items", 2), "sections[2].items[3].colour"),
        (("sections", 0, "bands", 1), "sections[1].bands[2].colour"),
        (("aggregate",), "aggregate.colour"),
        (("aggregate", "bands", 0), "aggregate.bands[1].colour"),
        (("scenarios", 1), "scenarios[2].colour"),
    ],
)
def test_unknown_keys_are_rejected_wherever_they_are(where: tuple, key_path: str) -> None:
    data = base()
    table = data
    for step in where:
        table = table[step]
    table["colour"] = "red"
    found = problems_of(data)
    assert len(found) == 1
    assert found[0].startswith(f"x.toml, {key_path}: unknown key (allowed: ")


def test_duplicate_item_ids_across_sections_are_rejected() -> None:
    data = base()
    data["sections"][1]["items"][2]["id"] = "t1a"
    assert problems_of(data) == [
        "x.toml, sections[2].items[3].id: duplicate item id 't1a': sections[1].items[1].id has "
        "it already (every item id must be different, ignoring upper and lower case)"
    ]


def test_duplicate_section_and_scenario_ids() -> None:
    data = base()
    data["sections"][1]["id"] = "T1"
    data["scenarios"][1]["id"] = "A"
    found = problems_of(data)
    assert "x.toml, sections[2].id: duplicate section id 'T1': sections[1].id has it" in found[0]
    assert "x.toml, scenarios[2].id: duplicate scenario id 'A': scenarios[1].id has it" in found[1]


def test_a_scale_option_needs_either_a_value_or_missing_not_both() -> None:
    data = base()
    data["scales"]["yesno"]["options"][2]["value"] = 9
    both = problems_of(data)
    assert both == [
        "x.toml, scales.yesno.options[3]: give either 'value' (a scoring answer) or "
        "'missing' (dont_know or not_applicable), not both or neither"
    ]
    data = base()
    del data["scales"]["yesno"]["options"][1]["value"]
    assert problems_of(data)[0].startswith("x.toml, scales.yesno.options[2]: give either")


def test_missing_kind_must_be_known() -> None:
    data = base()
    data["scales"]["yesno"]["options"][2]["missing"] = "refused"
    assert problems_of(data) == [
        "x.toml, scales.yesno.options[3].missing: expected one of dont_know, not_applicable"
    ]


def test_two_options_may_not_share_a_spelling() -> None:
    data = base()
    data["scales"]["agree4"]["options"][3]["codes"] = ["sa"]
    assert problems_of(data) == [
        "x.toml, scales.agree4.options[4]: 'sa' already names option 1 of this scale (the "
        "labels, codes and values of a scale's options must all differ)"
    ]


def test_a_scale_needs_a_scoring_option() -> None:
    data = base()
    data["scales"]["yesno"]["options"] = []
    assert problems_of(data) == [
        "x.toml, scales.yesno.options: at least one option needs a 'value'"
    ]
    data["scales"]["yesno"]["options"] = [{"label": "Don't know", "missing": "dont_know"}]
    assert problems_of(data) == [
        "x.toml, scales.yesno.options: at least one option needs a 'value'"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(format="1"), "format: expected a whole number, got '1'"),
        (
            lambda d: d.update(format=2),
            "format: unsupported format 2; this version of pat reads format 1",
        ),
        (lambda d: d.update(scorer=5), "scorer: expected text, got 5"),
        (lambda d: d.update(description=3), "description: expected text, got 3"),
        (lambda d: d.update(options="fast"), "options: expected a table, got 'fast'"),
        (lambda d: d["aggregate"].update(title=7), "aggregate.title: expected text, got 7"),
        (lambda d: d["scales"]["agree4"].update(title=4), "scales.agree4.title: expected text"),
        (lambda d: d["source"].update(year="2026"), "source.year: expected a whole number"),
        (lambda d: d["source"].pop("title"), "source.title: is required but missing"),
        (
            lambda d: d["sections"][0]["items"][1].update(reverse="yes"),
            "sections[1].items[2].reverse: expected true or false, got 'yes'",
        ),
        (
            lambda d: d["sections"][0]["bands"][0].update(min=True),
            "sections[1].bands[1].min: expected a number, got True",
        ),
        (
            lambda d: d["sections"][0]["bands"][0].update(min=9),
            "sections[1].bands[1]: min 9 is above max 8",
        ),
        (
            lambda d: d["sections"][0].update(items=[]),
            "sections[1].items: a section needs at least one item",
        ),
        (lambda d: d.update(sections=[]), "sections: at least one [[sections]] block is required"),
        (lambda d: d.update(scales={}), "scales: at least one scale is required"),
        (
            lambda d: d["aggregate"]["bands"][0].update(scenario="Z"),
            "aggregate.bands[1].scenario: unknown scenario 'Z' (scenarios: A, C)",
        ),
        (
            lambda d: d.update(escalation={"from": "A", "to": "B"}),
            "escalation.to: unknown scenario 'B' (scenarios: A, C)",
        ),
        (
            lambda d: d["sections"][1]["items"][0].update(target="T9"),
            "sections[2].items[1].target: unknown section 'T9' (sections: T1, T2)",
        ),
        (
            lambda d: d.update(missing={"max_missing": -1}),
            "missing.max_missing: expected 0 or more",
        ),
        (
            lambda d: d.update(missing={"method": "zero"}),
            "missing.method: expected 'prorate' (the only method so far)",
        ),
        (
            lambda d: d["sections"][0]["items"][0].update(id="T 1"),
            "sections[1].items[1].id: 'T 1' must be letters, digits, '_' and '-'",
        ),
    ],
)
def test_each_kind_of_mistake_is_located(change: Any, expected: str) -> None:
    data = copy.deepcopy(base())
    change(data)
    found = problems_of(data)
    assert any(p.startswith(f"x.toml, {expected}") for p in found), found


def _band(low: float, high: float, label: str = "") -> dict[str, Any]:
    return {"min": low, "max": high, "label": label or f"{low}-{high}"}


def test_bands_with_a_gap_are_reported(registry: Registry) -> None:
    data = base()
    data["sections"][1]["bands"] = [_band(4, 9), _band(11, 16)]
    assert check(registry, data) == [
        "x.toml, sections[2].bands[2]: gap: no band holds scores between 9 and 11: "
        "start this band at 10 or end band 1 at 10"
    ]


def test_overlapping_bands_are_reported(registry: Registry) -> None:
    data = base()
    data["sections"][1]["bands"] = [_band(11, 16), _band(4, 11)]
    assert check(registry, data) == [
        "x.toml, sections[2].bands[1]: overlap: starts at 11, inside band 2 (4–11): "
        "start this band at 12 or end band 2 at 10"
    ]


def test_bands_that_leave_either_end_uncovered_are_reported(registry: Registry) -> None:
    data = base()
    data["sections"][1]["bands"] = [_band(5, 10), _band(11, 15)]
    data["aggregate"]["bands"] = [_band(6, 20)]
    assert check(registry, data) == [
        "x.toml, sections[2].bands[1]: scores from 4 to 4 are in no band (scores run 4–16): "
        "start this band at 4 or add a band below it",
        "x.toml, sections[2].bands[2]: scores from 16 to 16 are in no band (scores run 4–16): "
        "end this band at 16 or add a band above it",
        "x.toml, aggregate.bands[1]: scores from 21 to 24 are in no band (scores run 6–24): "
        "end this band at 24 or add a band above it",
    ]


def test_a_band_beyond_the_reachable_scores_is_reported(registry: Registry) -> None:
    data = base()
    data["sections"][0]["bands"] = [_band(2, 8), _band(9, 12)]
    assert check(registry, data) == [
        "x.toml, sections[1].bands[2]: can never be reached (scores run 2–8): "
        "remove it or change its min and max"
    ]


def test_continuous_score_bands_meet_at_their_ends(registry: Registry) -> None:
    data = base()
    halves = {"options": [{"value": 0.5, "label": "Half"}, {"value": 0, "label": "None"}]}
    data["scales"]["half"] = halves
    data["sections"][0]["scale"] = "half"
    data["sections"][0]["bands"] = [_band(0, 0.5, "low"), _band(0.5, 1, "high")]
    data["aggregate"]["bands"] = [_band(4, 9.5, "low"), _band(9.5, 17, "high")]
    assert check(registry, data) == []
    instrument = instrument_from_dict(data, "x.toml")
    scorer = registry.get("scorer", "sum")
    reach = scorer.score_range(instrument, instrument.section("T1"))
    assert (reach.low, reach.high, reach.whole) == (0, 1, False)

    data["sections"][0]["bands"] = [_band(0, 0.4, "low"), _band(0.5, 1, "high")]
    assert check(registry, data) == [
        "x.toml, sections[1].bands[2]: gap: no band holds scores between 0.4 and 0.5: "
        "start this band at 0.4 or end band 1 at 0.5"
    ]
    data["sections"][0]["bands"] = [_band(0, 0.5, "low"), _band(0.6, 1, "high")]
    assert check(registry, data) == [
        "x.toml, sections[1].bands[2]: gap: no band holds scores between 0.5 and 0.6: "
        "start this band at 0.5 or end band 1 at 0.6"
    ]
    data["sections"][0]["bands"] = [_band(0, 0.6, "low"), _band(0.5, 1, "high")]
    assert check(registry, data)[0].startswith("x.toml, sections[1].bands[2]: overlap")


def test_a_scored_section_needs_bands_for_the_bands_interpreter(registry: Registry) -> None:
    data = base()
    del data["sections"][1]["bands"]
    assert check(registry, data) == [
        "x.toml, sections[2].bands: the bands interpreter needs bands for every scored section"
    ]


def test_unknown_scorer_and_interpreter_are_named_with_those_installed(
    registry: Registry,
) -> None:
    data = base()
    data["scorer"] = "magic"
    data["interpreter"] = "tea-leaves"
    found = check(registry, data)
    assert found[0].startswith("x.toml, scorer: unknown scorer 'magic' (installed: ")
    assert "sum" in found[0]
    assert found[1].startswith("x.toml, interpreter: unknown interpreter 'tea-leaves'")


def test_an_empty_id_is_an_error(tmp_path: Path) -> None:
    source = (ROOT / "plugins" / "pat_odpm" / "pat-odpm.toml").read_text(encoding="utf-8")
    path = tmp_path / "blank-id.toml"
    path.write_text(source.replace('id = "pat-odpm"', 'id = ""', 1), encoding="utf-8")
    with pytest.raises(InstrumentError) as caught:
        load_instrument(path)
    assert any("is empty: give the instrument an id" in str(p) for p in caught.value.problems)


def test_a_subject_is_a_short_phrase_spelt_one_way() -> None:
    data = base()
    data["sections"][0]["subject"] = "Roles  and responsibilities"
    data["sections"][0]["items"][0]["subject"] = "Trust"
    loaded = instrument_from_dict(data, "x.toml")
    # Runs of spaces are one space; a section without one has none.
    assert loaded.sections[0].subject == "Roles and responsibilities"
    assert loaded.sections[0].items[0].subject == "Trust"
    assert loaded.sections[1].subject == "" and loaded.sections[0].items[1].subject == ""
    data["sections"][0]["items"][1]["subject"] = "TRUST"
    data["sections"][1]["items"][1]["subject"] = "  "
    data["sections"][1]["subject"] = "x" * 61
    data["sections"][1]["items"][0]["subject"] = 3
    assert problems_of(data) == [
        "x.toml, sections[1].items[2].subject: 'TRUST' is spelt 'Trust' at "
        "sections[1].items[1].subject: spell a subject one way",
        "x.toml, sections[2].items[1].subject: expected text, got 3 "
        '(put text in double quotes: "3")',
        "x.toml, sections[2].items[2].subject: is empty: name what this is about "
        '("Roles and responsibilities")',
        "x.toml, sections[2].subject: is 61 characters long: a subject is a heading of at "
        "most 60 characters, not a sentence",
    ]
