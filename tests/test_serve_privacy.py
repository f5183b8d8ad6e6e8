"""The privacy notice: `pat serve start --privacy FILE`, shown escaped on the respondent's
first page (an invitation's welcome, the room's) and a page of its own, before any answer;
a file that cannot be read is named; without it the pages are as before."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_browser_support import CHROMIUM, FLAGS, check_axe, need_browser
from serve_support import BACKENDS, database_url, serving
from starlette.testclient import TestClient

from pat_framework.serve import privacy
from pat_framework.serve.app import build_app
from pat_framework.serve.storage import Store
from pat_framework.testing import invoke

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "privacy-notice.md"
NOTICE = (
    "# Who sees what\n\nOnly the facilitator sees <b>your</b> answers & comments;\n"
    "groups under 5 are never shown.\n\n- your answers\n- your organisation,\n  and level\n"
    "\nAsk jo@example.org <script>alert(1)</script> to erase them.\n"
)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from database_url(request.param, tmp_path)


def started(pat_cli, url: str, tmp_path: Path, *extra: str) -> tuple[TestClient, str]:  # type: ignore[no-untyped-def]
    """`pat serve start` with `extra`, then a client of its app; an invitation's token."""
    result = pat_cli(
        "serve", "start", "pat-odpm", "--name", "odpm", "--db", url, "--invite", "1",
        "--organisation", "Council", "--level", "board", "--no-start", *extra,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    token = re.findall(r"/i/([A-Za-z0-9_-]{22})", result.stdout)[0]
    store = Store(url)
    from pat_framework.runtime.registry import build_registry

    app = build_app(store, {"pat-odpm": build_registry().instrument("pat-odpm")})
    return TestClient(app), token


def test_the_notice_is_on_the_first_page_escaped_before_any_answer(  # type: ignore[no-untyped-def]
    pat_cli, url: str, tmp_path: Path
) -> None:
    notice = tmp_path / "notice.md"
    notice.write_text(NOTICE)
    client, token = started(pat_cli, url, tmp_path, "--privacy", str(notice))
    welcome = client.get(f"/i/{token}").text
    room = client.get("/c/odpm").text
    own = client.get("/c/odpm/privacy")
    assert own.status_code == 200
    for page in (welcome, room, own.text):
        assert "Only the facilitator sees &lt;b&gt;your&lt;/b&gt; answers &amp; comments; " \
               "groups under 5 are never shown.</p>" in page  # fmt: skip
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page
        assert "<li>your answers</li>\n<li>your organisation, and level</li>" in page
        assert 'style="' not in page
    assert '<h2 id="privacy-heading">Privacy notice</h2>\n<h3>Who sees what</h3>' in welcome
    assert "<h1>Privacy notice</h1>\n<h2>Who sees what</h2>" in own.text
    assert '<a href="/c/odpm/privacy">' in welcome and '<a href="/c/odpm/privacy">' in room
    # on the welcome page it comes before the button that leads to the questions; the
    # room page points to it before the access code is asked for, and shows it under
    assert welcome.index("Who sees what") < welcome.index('href="/r"')
    pointer = room.index('please read the <a href="#privacy-heading">privacy notice</a>')
    assert pointer < room.index('<form method="post"') < room.index("Who sees what")
    # pat serve start again without --privacy keeps the notice
    client, _ = started(pat_cli, url, tmp_path)
    assert "Who sees what" in client.get("/c/odpm").text


def test_without_a_notice_the_pages_are_as_before(pat_cli, url: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    client, token = started(pat_cli, url, tmp_path)
    assert "Privacy notice" not in client.get(f"/i/{token}").text
    assert "Privacy notice" not in client.get("/c/odpm").text
    assert client.get("/c/odpm/privacy").status_code == 404
    assert client.get("/c/nothing/privacy").status_code == 404
    # the way in still works
    assert client.get(f"/i/{token}").status_code == 200
    assert client.get("/r").url.path == "/r/about"


def test_a_notice_file_that_cannot_be_read_is_named(pat_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    (tmp_path / "empty.md").write_text("\n  \n")
    (tmp_path / "long.md").write_text("x" * (privacy.MAX_CHARACTERS + 1))
    (tmp_path / "folder").mkdir()
    for name, said in (
        ("missing.md", "missing.md: no such file"),
        ("folder", "folder: is a folder; give the notice's Markdown or text file"),
        ("empty.md", "empty.md: is empty"),
        ("long.md", f"has {privacy.MAX_CHARACTERS + 1} characters"),
    ):
        path = tmp_path / name
        result = pat_cli("serve", "start", "pat-odpm", "--db", db, "--privacy", str(path))
        assert result.exit_code == 1, result.output
        assert f"--privacy: {tmp_path}" in result.stderr and said in result.stderr
        assert "Traceback" not in result.output
    assert not (tmp_path / "serve.db").exists() or "pat-odpm" not in Store(db).collection_names()


def test_a_windows_notice_is_read_and_said_so(pat_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "avis.txt"
    path.write_bytes("Vos réponses sont protégées.".encode("cp1252"))
    text, note = privacy.read_notice(path)
    assert text == "Vos réponses sont protégées."
    assert note is not None and "read as Windows-1252" in note
    path.write_bytes("\ufeffVos réponses.".encode())
    assert privacy.read_notice(path) == ("Vos réponses.", None)


def test_the_example_notice_says_what_a_notice_must(tmp_path: Path) -> None:
    text, note = privacy.read_notice(EXAMPLE)
    assert note is None
    shown = privacy.blocks(text)
    headings = [b.lines[0] for b in shown if b.kind == "heading"]
    assert headings == [
        "How your answers are used",
        "What we collect",
        "Why",
        "Who sees them",
        "How long they are kept",
        "Asking for your answers to be erased",
        "Who to contact",
    ]
    words = " ".join(line for block in shown for line in block.lines)
    for needed in ("groups of at least", "reference", "link between the invitations"):
        assert needed in words


@pytest.mark.browser
def test_in_chromium_the_notice_the_reference_and_the_close_page_pass_axe(
    tmp_path: Path,
) -> None:
    need_browser()
    from playwright.sync_api import sync_playwright

    db = f"sqlite:///{tmp_path / 'serve.db'}"  # the database `serving` starts on
    made = invoke(
        "serve", "start", "pat-odpm", "--name", "odpm", "--db", db, "--privacy", str(EXAMPLE),
        "--organisation", "Council", "--level", "board", "--no-start",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    code = re.findall(r"access code: (\w{4}-\w{4})", made.stdout)[0]
    secret = re.findall(r"secret: ([A-Za-z0-9_-]{22})", made.stdout)[0]
    csp_errors: list[str] = []
    for base, link, _db in serving(tmp_path, "serve", "pat-odpm", "--name", "odpm"):
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            page.on(
                "console",
                lambda m: csp_errors.append(m.text) if "Content Security" in m.text else None,
            )
            page.goto(link)
            assert page.get_by_role("heading", name="Who sees them").is_visible()
            check_axe(page, "welcome, with the notice")
            page.goto(base + "/c/odpm/privacy")
            check_axe(page, "the notice's own page")
            room = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            room.goto(base + "/c/odpm")
            check_axe(room, "room, with the notice")
            room.get_by_label("Access code").fill(code)
            room.get_by_role("button", name="Start").click()
            room.get_by_label("Council").check()
            room.get_by_label("board").check()
            room.get_by_role("button", name="Continue").click()
            room.goto(base + "/r/review")
            room.get_by_role("button", name="Submit my answers").click()
            reference = room.locator(".reference").inner_text().strip()
            assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", reference), reference
            check_axe(room, "done, with the reference")
            page.goto(base + "/f/sign-in")
            page.get_by_label("Secret", exact=False).fill(secret)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("link", name="Close odpm").click()
            check_axe(page, "close")
            page.get_by_label("Also cut the link", exact=False).check()
            page.get_by_role("button", name="Close odpm now").click()
            assert "the link cut: 2 respondent(s)" in page.locator("main").inner_text()
            check_axe(page, "closed")
            browser.close()
    assert csp_errors == []
    erased = invoke("serve", "erase", "odpm", "--db", db, "--reference", reference)
    assert erased.exit_code == 1 and "was cut on" in erased.stderr
