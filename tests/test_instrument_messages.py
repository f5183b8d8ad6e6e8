"""`pat validate` on the mistakes people make when writing an instrument by hand: each message
names the file, the line and the key, and says what to write instead."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PatCli

from pat_framework.errors import Problem
from pat_framework.instrument.lines import key_lines, line_of, with_lines
from pat_framework.testing import invoke

GOOD = """\
format = 1
id = "team-health"
title = "Team health check"
version = "1.0"
scorer = "sum"

[source]
title = "Our own questions"
year = 2026

[scales.agree4]
[[scales.agree4.options]]
value = 4
label = "Strongly agree"
codes = ["SA"]
[[scales.agree4.options]]
value = 3
label = "Agree"
codes = ["A"]
[[scales.agree4.options]]
value = 2
label = "Disagree"
codes = ["D"]
[[scales.agree4.options]]
value = 1
label = "Strongly disagree"
codes = ["SD"]

[[sections]]
id = "T1"
title = "Working together"
scale = "agree4"

[[sections.items]]
id = "T1A"
text = "We meet often enough."

[[sections.items]]
id = "T1B"
text = "Meetings end with clear actions."

[[sections.bands]]
min = 7
max = 8
label = "Strong"

[[sections.bands]]
min = 2
max = 6
label = "Needs attention"
rating = "red"
"""


def validate(tmp_path: Path, old: str, new: str) -> tuple[int, str, Path]:
    """Make one mistake in the good file, run `pat validate` and return (code, message, file)."""
    assert GOOD.count(old) >= 1, old
    path = tmp_path / "mine.toml"
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    result = invoke("validate", str(path))
    return result.exit_code, result.stderr, path


def test_the_good_file_is_ok(pat_cli: PatCli, tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(GOOD, encoding="utf-8")
    result = pat_cli("validate", str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"ok: {path}: instrument 'team-health', 1 sections, 2 items\n"


MISTAKES = [
    pytest.param(
        'text = "We meet often enough."',
        'txt = "We meet often enough."',
        [
            "line 36, sections[1].items[1].txt: unknown key (allowed: element, element_title, "
            "guidance, id, kind, reverse, scale, subject, target, text); did you mean 'text'?",
            "line 34, sections[1].items[1].text: is required but missing "
            '(add a line  text = "...")',
        ],
        id="misspelt key",
    ),
    pytest.param(
        'title = "Working together"\n',
        "",
        ['line 29, sections[1].title: is required but missing (add a line  title = "...")'],
        id="missing key",
    ),
    pytest.param(
        "min = 7\nmax = 8",
        "min = 8\nmax = 8",
        [
            "line 42, sections[1].bands[1]: gap: no band holds scores between 6 and 8: "
            "start this band at 7 or end band 2 at 7"
        ],
        id="band gap",
    ),
    pytest.param(
        "min = 2\nmax = 6",
        "min = 2\nmax = 7",
        [
            "line 42, sections[1].bands[1]: overlap: starts at 7, inside band 2 (2–7): "
            "start this band at 8 or end band 2 at 6"
        ],
        id="band overlap",
    ),
    pytest.param(
        "min = 2\nmax = 6",
        "min = 3\nmax = 6",
        [
            "line 47, sections[1].bands[2]: scores from 2 to 2 are in no band (scores run 2–8): "
            "start this band at 2 or add a band below it"
        ],
        id="band leaves the lowest score out",
    ),
    pytest.param(
        "min = 2\nmax = 6",
        "min = 6\nmax = 2",
        ["line 47, sections[1].bands[2]: min 6 is above max 2 (swap them?)"],
        id="min above max",
    ),
    pytest.param(
        'id = "T1B"',
        'id = "t1a"',
        [
            "line 39, sections[1].items[2].id: duplicate item id 't1a': sections[1].items[1].id "
            "has it already (every item id must be different, ignoring upper and lower case)"
        ],
        id="duplicate item id",
    ),
    pytest.param(
        "year = 2026",
        'year = "2026"',
        [
            "line 9, source.year: expected a whole number, got '2026' "
            "(write the number without quotes: 2026)"
        ],
        id="number in quotes",
    ),
    pytest.param(
        'version = "1.0"',
        "version = 1.0",
        ['line 4, version: expected text, got 1.0 (put text in double quotes: "1.0")'],
        id="text without quotes that TOML reads as a number",
    ),
    pytest.param(
        'text = "We meet often enough."',
        'text = "We meet often enough."\nreverse = "yes"',
        [
            "line 37, sections[1].items[1].reverse: expected true or false, got 'yes' "
            "(write true or false, without quotes)"
        ],
        id="yes for true",
    ),
    pytest.param(
        'scorer = "sum"',
        'scorer = "summ"',
        ["line 5, scorer: unknown scorer 'summ' (installed: balance, checklist, sum); "],
        id="unknown scorer",
    ),
    pytest.param(
        'scale = "agree4"',
        'scale = "agre4"',
        [
            "line 32, sections[1].scale: unknown scale 'agre4' (known scales: agree4); "
            "did you mean 'agree4'?"
        ],
        id="scale name typo",
    ),
    pytest.param(
        'label = "Agree"',
        'label = "Strongly Agree"',
        [
            "line 16, scales.agree4.options[2]: 'strongly agree' already names option 1 of this "
            "scale (the labels, codes and values of a scale's options must all differ)"
        ],
        id="scale label typo makes two options alike",
    ),
    pytest.param(
        'rating = "red"',
        'rating = "Red"',
        [
            "line 51, sections[1].bands[2].rating: expected one of green, amber, red "
            "(in lower case), got 'Red'"
        ],
        id="rating in capitals",
    ),
    pytest.param(
        'id = "team-health"',
        'id = "Team Health"',
        [
            "line 2, id: 'Team Health' must be lower-case letters, digits and '-' "
            "(for example 'team-health')"
        ],
        id="id with capitals and a space",
    ),
    pytest.param(
        '[[sections.items]]\nid = "T1A"',
        '[[items]]\nid = "T1A"',
        [
            "line 34, items: unknown key (allowed: aggregate, description, escalation, format, "
            "id, interpreter, languages, missing, options, question, scales, scenarios, scorer, "
            "sections, source, title, version); items belong to a section: write "
            "[[sections.items]] after its [[sections]] block"
        ],
        id="items outside their section",
    ),
    pytest.param(
        "[[sections]]",
        "[[section]]",
        [
            "line 29, section: unknown key (allowed: aggregate, description, escalation, format, "
            "id, interpreter, languages, missing, options, question, scales, scenarios, scorer, "
            "sections, source, title, version); did you mean 'sections'?",
            "line 34, sections: expected a list, got a table (start each entry with [[sections]], "
            "in double brackets)",
        ],
        id="singular block name",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), MISTAKES)
def test_each_mistake_is_named_with_its_line_key_and_remedy(
    tmp_path: Path, old: str, new: str, expected: list[str]
) -> None:
    code, message, path = validate(tmp_path, old, new)
    assert code == 1
    lines = message.splitlines()
    assert lines[0].startswith(f"Error: {path}: ")
    for text in expected:
        assert any(line.startswith(f"  {path}, {text}") for line in lines), (text, message)


SYNTAX = [
    pytest.param(
        'title = "Team health check"',
        'title = "Team health check',
        "line 3, column 27: Illegal character '\\n': the text is missing its closing double "
        'quote ". Text must end on the line it starts on',
        ['      | title = "Team health check', "      |                           ^"],
        id="unclosed quote",
    ),
    pytest.param(
        'title = "Team health check"',
        "title = Team health check",
        "line 3, column 9: Invalid value: a value must be text in double quotes",
        ["      | title = Team health check", "      |         ^"],
        id="text without quotes",
    ),
    pytest.param(
        'version = "1.0"',
        'version = "1.0"\nversion = "1.1"',
        "line 5, column 16: Cannot overwrite a value: this setting or [block] is already given "
        "above: remove one of them",
        ['      | version = "1.1"'],
        id="key given twice",
    ),
    pytest.param(
        "[[scales.agree4.options]]\nvalue = 4",
        "[scales.agree4.options]\nvalue = 4",
        "line 16, column 24: Cannot overwrite a value: this setting or [block] is already "
        "given above: remove one of them. A block that repeats (each option, section, item or "
        "band) needs double brackets [[...]] every time",
        ["      | [[scales.agree4.options]]"],
        id="single brackets for a repeated block",
    ),
    pytest.param(
        'label = "Strong"',
        'label = "Strong" team',
        "line 45, column 18: Expected newline or end of document after a statement: something "
        "follows the value on this line",
        [],
        id="words after the closing quote",
    ),
    pytest.param(
        'codes = ["SA"]',
        'codes = ["SA"',
        "line 16, column 1: Unclosed array: a list [ ... ] is missing its closing ] or a comma "
        "between entries; a list may run over several lines, so look at the lines above too",
        ["      | [[scales.agree4.options]]", "      | ^"],
        id="unclosed list",
    ),
]


@pytest.mark.parametrize(("old", "new", "expected", "shown"), SYNTAX)
def test_toml_syntax_errors_point_at_the_place_and_say_what_to_do(
    tmp_path: Path, old: str, new: str, expected: str, shown: list[str]
) -> None:
    code, message, path = validate(tmp_path, old, new)
    assert code == 1
    lines = message.splitlines()
    assert lines[0] == f"Error: {path}: not valid TOML"
    assert lines[1].startswith(f"  {path}, {expected}"), message
    assert lines[2 : 2 + len(shown)] == shown


def test_key_lines_follow_headers_arrays_and_multiline_values() -> None:
    text = """\
# a comment = not a key
title = "x"
notes = \"\"\"
[[sections]]
id = "not a key"
\"\"\"
list = [
  "a",   # [[sections]] in a comment
  "b",
]
inline = { a = 1, b = [2, 3] }
"dotted.quoted".key = 1

[[sections]]
id = "S1"
[[sections.items]]
id = "A"
[[sections.items]]
text = "B"

[[sections]]
[[sections.items]]
id = "C"
[scales.'my scale']
[[scales.'my scale'.options]]
value = 1
"""
    lines = key_lines(text)
    assert lines["title"] == 2
    assert lines["notes"] == 3
    assert lines["list"] == 7
    assert lines["inline"] == 11
    assert lines["dotted.quoted.key"] == 12
    assert lines["sections[1]"] == 14 and lines["sections"] == 14
    assert lines["sections[1].id"] == 15
    assert lines["sections[1].items[2].text"] == 19
    assert lines["sections[2].items[1].id"] == 23
    assert lines["scales.my scale.options[1].value"] == 26
    assert line_of(lines, "sections[1].items[2].id") == 18  # missing: its block's header
    assert line_of(lines, "sections[2].bands[1].min") == 21
    assert line_of(lines, "version") is None
    assert line_of(lines, None) is None


def test_problems_keep_a_line_they_already_have() -> None:
    problems = [Problem("f.toml", "m", key="title", line=7), Problem("f.toml", "m", key="title")]
    located = with_lines(problems, 'format = 1\ntitle = "x"\n')
    assert [p.line for p in located] == [7, 2]
    assert str(located[1]) == "f.toml, line 2, title: m"
