"""docs/instrument-format.md, followed to the letter: its walk-through's commands run in order
on its example instrument and answers, and print what the page says they print. A new
instrument written from the docs alone loads, scores and charts."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from conftest import PatCli

from pat_framework.runtime import plugins

DOC = Path(__file__).resolve().parents[1] / "docs" / "instrument-format.md"
FENCE = re.compile(r"^```(?P<lang>\w*)\n(?P<body>.*?)^```$", re.M | re.S)


def walk_through() -> str:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("## Write your first instrument")
    return text[start : text.index("\n## ", start + 1)]


def blocks(text: str) -> list[tuple[str, str]]:
    """The fenced code blocks of `text` as (language, body), in order."""
    return [(m["lang"], m["body"]) for m in FENCE.finditer(text)]


def example_instrument(text: str) -> str:
    marker = text.index("tests/test_instrument_docs.py loads, scores and charts it")
    return next(body for lang, body in blocks(text[marker:]) if lang == "toml")


@pytest.fixture
def steps() -> list[tuple[str, str]]:
    return blocks(walk_through())


def test_the_walk_through_runs_as_written(
    pat_cli: PatCli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    steps: list[tuple[str, str]],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAT_INSTRUMENTS_PATH", raising=False)
    (tmp_path / "instruments").mkdir()
    page = walk_through()
    instrument = example_instrument(page)
    answers = next(body for lang, body in steps if lang == "csv")
    ran = []
    for k, (lang, body) in enumerate(steps):
        if lang or not body.startswith("pat "):
            continue
        args = shlex.split(body.strip())[1:]
        monkeypatch.setattr(plugins, "_extra_dirs", [])  # one --instruments-dir per run
        result = pat_cli(*args)
        assert result.exit_code == 0, (body, result.output)
        command = next(a for a in args if not a.startswith("-") and a != "instruments")
        ran.append(command)
        following = steps[k + 1][1] if k + 1 < len(steps) else ""
        if command == "new":
            path = Path(args[args.index("-o") + 1])
            assert 'id = "joint-working"' in path.read_text(encoding="utf-8")
            path.write_text(instrument, encoding="utf-8")  # step 3: the author's edits
        elif command == "validate":
            assert result.stdout == following  # the page shows what pat prints
        elif command == "template":
            header = Path("answers.csv").read_text(encoding="utf-8").splitlines()[0]
            assert header == answers.splitlines()[0]
            Path("answers.csv").write_text(answers, encoding="utf-8")  # typing the answers in
        elif command == "score":
            printed = result.stdout.splitlines()
            for line in following.splitlines():
                assert line in printed, (line, result.stdout)
        elif command == "chart":
            assert Path("dartboard.png").read_bytes().startswith(b"\x89PNG")
        elif command == "schema":  # the file the instrument's #:schema line points at
            assert Path("instruments/instrument.schema.json").is_file()
    assert ran == ["new", "validate", "template", "score", "chart", "schema"]


def test_the_mistake_shown_is_what_pat_validate_says_about_it(
    pat_cli: PatCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = walk_through()
    shown = next(
        body.strip() for lang, body in blocks(page) if "unknown scale 'agre4'" in body and not lang
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "instruments").mkdir()
    path = Path("instruments/joint-working.toml")
    text = example_instrument(page).replace('scale = "agree4"', 'scale = "agre4"', 1)
    path.write_text(text, encoding="utf-8")
    result = pat_cli("validate", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1:] == [f"  {shown}"]


def test_the_example_instrument_covers_the_format() -> None:
    """The walk-through's file uses each part of the format the page explains."""
    text = example_instrument(walk_through())
    for part in ["[source]", "[[scales.agree4.options]]", 'missing = "dont_know"', "concern"]:
        assert part in text
    for part in ["[[sections.bands]]", "[aggregate]", "[[scenarios]]", "[escalation]"]:
        assert part in text
