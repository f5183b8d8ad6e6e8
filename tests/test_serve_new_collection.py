"""Making a collection in the browser, `/f/new`: each field checked with its own message,
the collection made in the facilitator's partnership only, a taken name refused without
touching the collection that has it, a new round filled from a collection, and the room
code shown once."""

from __future__ import annotations

import re

import pytest
from serve_facilitator_support import Hub, hub, signed_in
from serve_support import csrf_of
from starlette.testclient import TestClient

from pat_framework.serve import creation, facilitators

__all__ = ["hub"]  # the fixture

INSTALLED = {"pat-odpm": "ODPM", "governance-matrix": "Governance"}


def read(allowed: list[tuple[int, str]] | None = None, everything: bool = False, **form: str):
    chosen = form.pop("instruments", "pat-odpm").split()
    return creation.read_form(form, chosen, INSTALLED, allowed or [(7, "Anytown")], everything)


def test_a_good_form_gives_the_collection_asked_for() -> None:
    new, filled = read(
        title="Anytown: annual check",
        instruments="pat-odpm governance-matrix",
        organisations="Council\n\n Trust \nCouncil",
        levels="board\nsenior",
        min_group="4",
        opens="2026-12-03T09:30",
        partnership="7",
    )
    assert filled.problems == {}
    assert new is not None
    assert new.name == "anytown-annual-check"
    assert new.instruments == ("pat-odpm", "governance-matrix")
    assert new.organisations == ("Council", "Trust")
    assert new.levels == ("board", "senior")
    assert new.min_group == 4
    assert new.partnership_id == 7
    assert new.opens_at is not None and new.opens_at.tzinfo is not None


@pytest.mark.parametrize(
    ("fields", "key", "words"),
    [
        ({"title": ""}, "title", "Give the collection a title."),
        ({"title": "x" * 201}, "title", "at most 200"),
        ({"name": "Big Name!"}, "name", "lower-case letters"),
        ({"instruments": ""}, "instruments", "Choose at least one instrument."),
        ({"instruments": "nothing-here"}, "instruments", "Not installed here: nothing-here."),
        ({"min_group": "2"}, "min_group", "from 3 to 100"),
        ({"min_group": "five"}, "min_group", "from 3 to 100"),
        ({"opens": "tomorrow"}, "opens", "as 2026-12-03T09:30"),
        (
            {"opens": "2026-12-03T09:30", "closes": "2026-12-03T09:00"},
            "closes",
            "after the opening time",
        ),
        ({"partnership": "8"}, "partnership", "Choose one of your partnerships."),
        ({"partnership": ""}, "partnership", "Choose one of your partnerships."),
        ({"levels": "a\n" + "b" * 121}, "levels", "Line 2 is longer than 120"),
    ],
)
def test_each_bad_field_gets_its_own_message(fields: dict[str, str], key: str, words: str) -> None:
    form = {"title": "Anytown", "partnership": "7", **fields}
    new, filled = read(**form)
    assert new is None
    assert words in filled.problems[key]
    assert set(filled.problems) == {key}
    assert filled.values["title"] == form["title"].strip()  # shown again as typed


def test_only_an_account_that_sees_everything_may_use_no_partnership() -> None:
    new, _ = read([], True, title="Anytown", partnership="")
    assert new is not None and new.partnership_id is None


def test_the_slug_of_a_title() -> None:
    assert creation.slug("Čáslav & Tábor: 2026 review!") == "caslav-tabor-2026-review"
    assert creation.slug("!!!") == ""


def form_of(client: TestClient, path: str = "/f/new") -> tuple[str, str]:
    page = client.get(path)
    assert page.status_code == 200, page.text
    return page.text, csrf_of(page.text)


def listed(html: str) -> list[str]:
    return re.findall(r'<th scope="row">([^<]+)</th>', html)


def partnership_value(html: str, name: str) -> str:
    found = re.search(rf'<option value="(\d+)"[^>]*>{name}</option>', html)
    assert found, html
    return found.group(1)


def test_a_facilitator_makes_a_collection_in_their_partnership(hub: Hub) -> None:
    ann = signed_in(hub, "ann")
    html, csrf = form_of(ann)
    assert "Bigtown" not in html  # bo's partnership is not offered
    made = ann.post(
        "/f/new",
        data={
            "csrf": csrf,
            "title": "Anytown <i>round 2</i>",
            "name": "a2",
            "partnership": partnership_value(html, "Anytown"),
            "instrument": ["pat-odpm"],
            "organisations": "Council\nTrust",
            "levels": "board",
            "min_group": "5",
        },
    )
    assert made.status_code == 201, made.text
    assert "Anytown &lt;i&gt;round 2&lt;/i&gt; is ready" in made.text
    code = re.search(r'<p class="access-code">([^<]+)</p>', made.text)
    assert code is not None
    collection = hub.store.collection("a2")
    assert collection is not None and collection.instruments == ("pat-odpm",)
    assert hub.store.join_room(collection, code.group(1)) is not None  # the code works
    assert listed(ann.get("/f/").text) == ["a", "a2"]
    assert listed(signed_in(hub, "bo").get("/f/").text) == ["b"]
    assert ("made collection a2") in [
        what for _, _, what in facilitators.audit(hub.store, collection)
    ]


def test_a_taken_name_is_refused_and_the_other_collection_untouched(hub: Hub) -> None:
    bo = signed_in(hub, "bo")
    html, csrf = form_of(bo)
    before = hub.store.collection("a")
    refused = bo.post(
        "/f/new",
        data={
            "csrf": csrf,
            "title": "Takeover",
            "name": "a",
            "partnership": partnership_value(html, "Bigtown"),
            "instrument": ["pat-odpm"],
            "organisations": "Mine",
        },
    )
    assert refused.status_code == 400
    assert "A collection named a exists already" in refused.text
    assert 'aria-invalid="true" aria-describedby="name-error name-hint"' in refused.text
    assert 'value="Takeover"' in refused.text  # what was typed is kept
    assert hub.store.collection("a") == before
    assert listed(bo.get("/f/").text) == ["b"]


def test_a_partnership_not_offered_cannot_be_posted(hub: Hub) -> None:
    ann = signed_in(hub, "ann")
    _, csrf = form_of(ann)
    bigtown = facilitators.partnership_id(hub.store, "Bigtown", create=False)
    refused = ann.post(
        "/f/new",
        data={
            "csrf": csrf,
            "title": "Sneaky",
            "partnership": str(bigtown),
            "instrument": ["pat-odpm"],
        },
    )
    assert refused.status_code == 400
    assert "Choose one of your partnerships." in refused.text
    assert hub.store.collection("sneaky") is None


def test_a_new_round_is_filled_from_a_collection_one_can_see(hub: Hub) -> None:
    ann = signed_in(hub, "ann")
    html, _ = form_of(ann, "/f/new?from=a")
    assert 'value="a &lt;b&gt;check&lt;/b&gt;"' in html
    assert "Council\nTrust</textarea>" in html
    assert 'value="pat-odpm" checked' in html
    other, _ = form_of(ann, "/f/new?from=b")  # another partnership's: an empty form
    assert "Council" not in other and "Filled from" not in other


def test_the_secret_cannot_make_collections_and_posts_need_csrf(hub: Hub) -> None:
    assert signed_in(hub, "secret").get("/f/new").status_code == 403
    ann = signed_in(hub, "ann")
    forged = ann.post("/f/new", data={"title": "No token", "instrument": ["pat-odpm"]})
    assert forged.status_code == 403
    assert hub.store.collection("no-token") is None
    nobody = hub.client().get("/f/new", follow_redirects=False)
    assert nobody.status_code == 303


def test_the_instruments_are_listed_in_the_order_answered() -> None:
    from pat_framework.serve.creation_pages import in_order

    installed = {"a": "Alpha", "b": "Beta", "c": "Gamma"}
    assert list(in_order(installed, ("c", "a"))) == ["c", "a", "b"]
    assert list(in_order(installed, ())) == ["a", "b", "c"]
