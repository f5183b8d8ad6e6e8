"""`pat take`: the questionnaire driven through its input, stopped, resumed and scored."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import Result

from pat_framework.testing import invoke

HEADER = ["respondent", "organisation", "level", "round", "item", "answer"]


def take(args: list[str], replies: list[str]) -> Result:
    """Run `pat take` with one reply per line on standard input."""
    return invoke("take", *args, input="".join(f"{r}\n" for r in replies))


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    assert records[0] == HEADER
    return records[1:]


def answers(path: Path, respondent: str) -> dict[str, str]:
    return {r[4]: r[5] for r in rows(path) if r[0] == respondent}


def scores(instrument_id: str, path: Path) -> dict:
    result = invoke("score", instrument_id, str(path), "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


DETAILS = ["r1", "Anytown Council", "board", "2026-1"]


def test_a_whole_checklist_answered_every_way(tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    replies = [
        *DETAILS,
        "y",  # a code
        "?",  # guidance: the barriers have none, so the section's description is shown
        "PARTLY",  # a label in any case
        "0",  # a value
        "maybe",  # not an answer: asked again
        "dk",
        "",  # Enter skips
        "Not applicable",
    ]
    result = take(["rq-barriers", "-o", str(out)], replies)
    assert result.exit_code == 0, result.output
    assert "source names misunderstanding of the reasons" in result.stdout
    assert "'maybe' is not an answer to this statement" in result.stdout
    assert "1    Yes  (Y)" in result.stdout
    assert rows(out) == [
        ["r1", "Anytown Council", "board", "2026-1", "Q1", "Yes"],
        ["r1", "Anytown Council", "board", "2026-1", "Q2", "Partly"],
        ["r1", "Anytown Council", "board", "2026-1", "Q3", "No"],
        ["r1", "Anytown Council", "board", "2026-1", "Q4", "Don't know"],
        ["r1", "Anytown Council", "board", "2026-1", "Q5", ""],
        ["r1", "Anytown Council", "board", "2026-1", "Q6", "Not applicable"],
    ]
    # `pat score` reads what `pat take` wrote. Barriers are reversed:
    # Yes 0, Partly 0.5, No 1; Don't know, blank and N/A left out -> 1.5 / 3 = 50
    document = scores("rq-barriers", out)
    (person,) = document["respondents"]
    assert person["attributes"] == {
        "organisation": "Anytown Council",
        "level": "board",
        "round": "2026-1",
    }
    assert person["sections"]["barriers"]["score"] == 50
    assert person["sections"]["barriers"]["band"] == "Amber"


def test_interrupted_and_resumed(tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    first = take(["rq-barriers", "-o", str(out)], ["r2", "Org", "senior", "1", "n", "n"])
    assert first.exit_code == 1
    assert "stopped before the end" in first.stderr
    assert "--resume --respondent r2" in first.stderr
    assert rows(out) == [
        ["r2", "Org", "senior", "1", "Q1", "No"],
        ["r2", "Org", "senior", "1", "Q2", "No"],
    ]

    # Enter accepts the respondent last in the file; the details are not asked again
    second = take(["rq-barriers", "-o", str(out), "--resume"], ["", "y"])
    assert second.exit_code == 1
    assert "Resuming respondent r2 (Org, senior, 1)" in second.stdout
    assert "Resuming at statement 3 of 6" in second.stdout
    assert answers(out, "r2") == {"Q1": "No", "Q2": "No", "Q3": "Yes"}

    third = take(["rq-barriers", "-o", str(out), "--resume", "--respondent", "r2"], ["n"] * 3)
    assert third.exit_code == 0, third.output
    assert "Finished rq-barriers: 6 answered, 0 skipped" in third.stdout
    assert [r[4] for r in rows(out)] == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6"]
    assert {tuple(r[:4]) for r in rows(out)} == {("r2", "Org", "senior", "1")}
    # Yes on Q3 is the one barrier present: 5 / 6
    person = scores("rq-barriers", out)["respondents"][0]
    assert person["sections"]["barriers"]["score"] == round(500 / 6, 4)


def test_going_back_changes_the_answer_in_place(tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    replies = [*DETAILS, "b", "y", "n", "b", "partly", "", "b", "b", "", "q"]
    result = take(["rq-why-partnership", "-o", str(out)], replies)
    assert result.exit_code == 0, result.output
    assert "This is the first statement." in result.stdout
    assert "Answer given: No" in result.stdout
    assert "--resume --respondent r1" in result.stdout
    # Q2 was No, then Partly; Enter on an answered statement keeps its answer
    assert rows(out) == [
        ["r1", "Anytown Council", "board", "2026-1", "Q1", "Yes"],
        ["r1", "Anytown Council", "board", "2026-1", "Q2", "Partly"],
        ["r1", "Anytown Council", "board", "2026-1", "Q3", ""],
    ]
    again = take(["rq-why-partnership", "-o", str(out), "--resume"], ["", "b", "s", "y"])
    assert again.exit_code == 0, again.output
    # s on Q3 records it skipped again; Q4 answered; the file holds one row per statement
    assert answers(out, "r1") == {"Q1": "Yes", "Q2": "Partly", "Q3": "", "Q4": "Yes"}
    assert len(rows(out)) == 4


def test_several_respondents_share_a_file(tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    first = take(["rq-preparation", "-o", str(out)], [*DETAILS, "y", "y", "y", "y"])
    assert first.exit_code == 0, first.output
    before = out.read_bytes()

    repeat = take(["rq-preparation", "-o", str(out)], ["r1"])
    assert repeat.exit_code == 1
    assert "respondent 'r1' already has answers" in repeat.output
    assert "--resume" in repeat.output
    assert out.read_bytes() == before

    other = take(
        ["rq-preparation", "-o", str(out), "--respondent", "r2"],
        ["Health", "senior", "2026-1", "n", "n", "p", "p"],
    )
    assert other.exit_code == 0, other.output
    assert out.read_bytes().startswith(before)
    assert answers(out, "r2") == {"Q1": "No", "Q2": "No", "Q3": "Partly", "Q4": "Partly"}
    document = scores("rq-preparation", out)
    assert [p["sections"]["preparation"]["score"] for p in document["respondents"]] == [100, 25]


def test_several_instruments_in_a_row(tmp_path: Path) -> None:
    out = tmp_path / "session.csv"
    args = ["rq-why-partnership", "rq-preparation", "-o", str(out), "--respondent", "p1"]
    args += ["--organisation", "Police", "--level", "board", "--round", "1"]
    why = tmp_path / "session-rq-why-partnership.csv"
    prep = tmp_path / "session-rq-preparation.csv"

    first = take(args, ["y", "y", "n", "y", "y", "n"])
    assert first.exit_code == 1
    assert answers(why, "p1") == {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "Yes"}
    assert answers(prep, "p1") == {"Q1": "Yes", "Q2": "No"}

    second = take([*args, "--resume"], ["y", "dk"])
    assert second.exit_code == 0, second.output
    assert "Every statement already has an answer" in second.stdout
    assert answers(why, "p1") == {"Q1": "Yes", "Q2": "Yes", "Q3": "No", "Q4": "Yes"}
    assert answers(prep, "p1") == {"Q1": "Yes", "Q2": "No", "Q3": "Yes", "Q4": "Don't know"}
    assert f"pat score rq-preparation {prep}" in second.stdout
    assert scores("rq-why-partnership", why)["respondents"][0]["aggregate"]["score"] == 75
    # Yes, No, Yes out of three applicable answers
    prepared = scores("rq-preparation", prep)["respondents"][0]
    assert prepared["aggregate"]["score"] == round(200 / 3, 4)


def test_any_instrument_can_be_taken(tmp_path: Path) -> None:
    """The ODPM tool: 36 statements, six weights and the success statement."""
    out = tmp_path / "odpm.csv"
    weights = ["4", "3", "2", "1", "more significant", "less significant"]
    result = take(["pat-odpm", "-o", str(out)], [*DETAILS, *["SA"] * 36, *weights, "a"])
    assert result.exit_code == 0, result.output
    recorded = answers(out, "r1")
    assert len(recorded) == 43
    assert recorded["P1A"] == "Strongly agree"
    assert recorded["W5"] == "4 – more significant"
    assert recorded["S1"] == "Agree"
    document = scores("pat-odpm", out)
    assert document["respondents"][0]["aggregate"]["score"] == 144


def test_refuses_a_file_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "wide.csv"
    out.write_text("respondent,Q1,Q2\nr1,Yes,No\n", encoding="utf-8")
    result = take(["rq-barriers", "-o", str(out)], DETAILS)
    assert result.exit_code == 1
    assert "not a file written by `pat take`" in result.output
    assert out.read_text(encoding="utf-8") == "respondent,Q1,Q2\nr1,Yes,No\n"


def test_a_line_cut_short_is_dropped_with_a_note_and_asked_again(tmp_path: Path) -> None:
    out = tmp_path / "cut.csv"
    out.write_text(
        ",".join(HEADER) + "\nr1,Anytown Council,board,2026-1,Q1,Yes\nr1,,,,Q2,Pa",
        encoding="utf-8",
    )
    result = take(["rq-barriers", "-o", str(out), "--resume"], ["r1", "partly", "q"])
    assert result.exit_code == 0, result.output
    assert "the last line was cut off while it was written" in result.output
    assert answers(out, "r1") == {"Q1": "Yes", "Q2": "Partly"}


@pytest.mark.slow
def test_a_second_pat_take_on_one_file_stops_and_the_first_loses_nothing(
    tmp_path: Path,
) -> None:
    out = tmp_path / "shared.csv"
    command = [sys.executable, "-m", "pat_framework", "take", "rq-barriers", "-o", str(out)]
    first = subprocess.Popen(
        [*command, "--respondent", "r1", "--organisation", "A", "--level", "b", "--round", "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stdin is not None
        first.stdin.write("y\n")
        first.stdin.flush()
        deadline = time.monotonic() + 30
        while not (out.exists() and "Q1" in out.read_text(encoding="utf-8")):
            assert time.monotonic() < deadline, "the first run saved nothing"
            time.sleep(0.1)
        second = subprocess.run(
            [*command, "--respondent", "r2", "--organisation", "A", "--level", "b",
             "--round", "1"],
            input="n\n", capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 1
        assert f"is being written by another `pat take` (process {first.pid}, since " in " ".join(
            second.stderr.split()
        )
        first.stdin.write("n\nq\n")
        first.stdin.close()
        assert first.wait(timeout=60) == 0
    finally:
        first.kill()
    assert answers(out, "r1") == {"Q1": "Yes", "Q2": "No"}
    assert answers(out, "r2") == {}


def test_usage_mistakes(tmp_path: Path) -> None:
    wrong_type = take(["rq-barriers", "-o", str(tmp_path / "a.xlsx")], [])
    assert wrong_type.exit_code == 2
    assert "must be a .csv file" in wrong_type.output
    no_folder = take(["rq-barriers", "-o", str(tmp_path / "nowhere" / "a.csv")], [])
    assert no_folder.exit_code == 2
    assert "does not exist" in no_folder.output
    twice = take(["rq-barriers", "rq-barriers", "-o", str(tmp_path / "a.csv")], [])
    assert twice.exit_code == 2
    formula = take(["rq-barriers", "-o", str(tmp_path / "a.csv"), "--respondent", "=1"], [])
    assert formula.exit_code == 2
    unknown = take(["no-such", "-o", str(tmp_path / "a.csv")], [])
    assert unknown.exit_code == 1
    assert "no instrument 'no-such'" in unknown.output
    assert not (tmp_path / "a.csv").exists()


def test_details_that_look_like_formulas_are_asked_again(tmp_path: Path) -> None:
    out = tmp_path / "answers.csv"
    replies = ["=HYPERLINK()", "r9", "@org", "Org", "", "", "q"]
    result = take(["rq-barriers", "-o", str(out)], replies)
    assert result.exit_code == 0, result.output
    assert "Respondent id cannot start with '='" in result.stdout
    assert "Organisation cannot start with '@'" in result.stdout
    assert not out.exists()  # nothing answered yet, so nothing written
    replies = ["r9", "Org", "", "", "y", "q"]
    take(["rq-barriers", "-o", str(out)], replies)
    assert rows(out) == [["r9", "Org", "", "", "Q1", "Yes"]]


def test_answers_that_look_like_formulas_are_inert_and_read_back(tmp_path: Path) -> None:
    from pat_framework.questionnaire.answer_file import AnswerFile, Respondent

    out = tmp_path / "signs.csv"
    who = Respondent("r1", "Anytown Council", "board", "1")
    AnswerFile(out).record(who, "Q1", "+2 Strongly agree")
    AnswerFile(out).record(who, "Q2", "-1 Disagree")
    assert "'+2 Strongly agree" in out.read_text(encoding="utf-8")
    assert AnswerFile(out).answers("r1") == {"Q1": "+2 Strongly agree", "Q2": "-1 Disagree"}
