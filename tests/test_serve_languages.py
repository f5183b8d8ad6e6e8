"""pat serve in the respondent's language: the choice offered on every page, a switch that
keeps the page's answers, and answers stored alike whatever the language shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from serve_support import csrf_of
from starlette.testclient import TestClient

from pat_framework.instrument.loader import load_instrument
from pat_framework.serve.app import build_app
from pat_framework.serve.export import long_csv
from pat_framework.serve.storage import Store

EXAMPLE = Path(__file__).resolve().parents[1] / "examples/instruments/example-bilingual.toml"
ID = "example-bilingual"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Store, TestClient, str]]:
    store = Store(f"sqlite:///{tmp_path / 'serve.db'}", timeout=0.3)
    store.migrate()
    collection = store.open_collection("check", "Anytown check", ID, [ID], [], [])
    (token,) = store.invite(collection, [None])
    with TestClient(build_app(store, {ID: load_instrument(EXAMPLE)})) as client:
        yield store, client, token
    store.close()


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_respondent_picks_welsh_and_switches_back_without_losing_answers(
    site: tuple[Store, TestClient, str],
) -> None:
    store, client, token = site
    welcome = client.get(f"/i/{token}")
    assert 'href="/i/' in welcome.text and "?lang=cy" in welcome.text  # offered at once
    first = client.get("/r/s/1?lang=cy")
    assert '<html lang="cy">' in first.text
    assert "Mae gan y partneriaid nod clir cyffredin." in first.text
    assert "The partners share a clear aim." not in first.text
    assert "Cytuno&#39;n gryf" in first.text or "Cytuno'n gryf" in text(first.text)
    # the choice is remembered
    assert "Cydweithio" in client.get("/r/s/1").text
    # answer in Welsh, then switch to English with the page's own button: saved first
    switched = client.post(
        "/r/s/1",
        data={"csrf": csrf_of(first.text), "answer-W1A": "Strongly agree", "go": "language-en"},
    )
    assert switched.url.path == "/r/s/1"
    assert '<html lang="en">' in switched.text
    assert "The partners share a clear aim." in switched.text
    assert re.search(r'value="Strongly agree" checked', switched.text)
    who = store.respondent(token)
    assert who is not None
    assert {k[1]: v.answer for k, v in store.answers(who.id).items()} == {"W1A": "Strongly agree"}
    review = client.get("/r/review?lang=cy")
    assert "Cytuno&#39;n gryf" in review.text or "Cytuno'n gryf" in text(review.text)
    # the language answered in is kept for the export, as a respondent attribute
    sent = client.post("/r/submit", data={"csrf": csrf_of(review.text)})
    assert sent.url.path == "/r/done"
    collection = store.collection("check")
    assert collection is not None
    assert long_csv(store, collection, ID).splitlines() == [
        "respondent,organisation,level,language,item,answer",
        f"{who.code},,,cy,W1A,Strongly agree",
    ]


def test_a_language_not_offered_is_ignored(site: tuple[Store, TestClient, str]) -> None:
    _, client, token = site
    client.get(f"/i/{token}")
    page = client.get("/r/s/1?lang=fr", headers={"accept-language": "cy-GB,cy;q=0.9"})
    assert '<html lang="cy">' in page.text  # the browser's language, since fr is not offered
    assert "pat_language" not in page.headers.get("set-cookie", "")


def test_the_pages_own_words_come_from_the_catalogue(
    site: tuple[Store, TestClient, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    catalog = Catalog(locale=None)
    for english, welsh in {"Add a comment": "Ychwanegu sylw", "Review answers": "Adolygu"}.items():
        catalog.add(english, welsh)
    folder = tmp_path / "locale" / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "pat.po").open("wb") as handle:
        write_po(handle, catalog)
    monkeypatch.setenv("PAT_LOCALE_PATH", str(tmp_path / "locale"))
    _, client, token = site
    client.get(f"/i/{token}")
    welsh = text(client.get("/r/s/1?lang=cy").text)
    assert "Ychwanegu sylw" in welsh and "Adolygu" in welsh
    assert "Add a comment" not in welsh and "Review answers" not in welsh
    assert "Save and continue" in welsh  # not in this catalogue: as written
    english = text(client.get("/r/s/1?lang=en").text)
    assert "Add a comment" in english


def test_answers_saved_by_the_page_script_keep_the_language_answered_in(
    site: tuple[Store, TestClient, str],
) -> None:
    store, client, token = site
    client.get(f"/i/{token}")
    page = client.get("/r/s/1?lang=cy")  # the choice is remembered in a cookie
    saved = client.post(
        "/r/save",
        data={"csrf": csrf_of(page.text), "page": "1", "name": "answer-W1A", "value": "Agree"},
    )
    assert saved.json() == {"saved": True}
    who = store.visit(token)
    assert who is not None and who[0].language == "cy"  # without a page posted
    collection = store.collection("check")
    assert collection is not None
    assert long_csv(store, collection, ID).splitlines()[1].endswith(",cy,W1A,Agree")
