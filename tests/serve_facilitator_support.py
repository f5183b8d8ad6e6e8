"""What the facilitator tests share: a store with two partnerships' collections and an
account in each, the app, and signing in."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from serve_support import BACKENDS, csrf_of, database_url
from starlette.testclient import TestClient

from pat_framework.model import Instrument
from pat_framework.serve import facilitators
from pat_framework.serve.app import build_app
from pat_framework.serve.storage import Collection, Store

PASSWORD = {"ann": "ann's long password", "bo": "bo's long password!"}


@dataclass
class Hub:
    """A server with collection `a` of partnership Anytown (account ann), `b` of Bigtown
    (account bo), and `solo` of no partnership, opened by its secret."""

    store: Store
    app: object
    a: Collection
    b: Collection
    solo: Collection
    secret: str

    def client(self) -> TestClient:
        return TestClient(self.app)  # type: ignore[arg-type]


def open_odpm(store: Store, name: str) -> Collection:
    return store.open_collection(
        name,
        f"{name} <b>check</b>",
        "pat-odpm",
        ["pat-odpm"],
        ["Council", "Trust"],
        ["board", "senior"],
    )


def build_hub(store: Store, odpm: Instrument) -> Hub:
    a, b, solo = (open_odpm(store, n) for n in ("a", "b", "solo"))
    for collection, group in ((a, "Anytown"), (b, "Bigtown")):
        ident = facilitators.partnership_id(store, group)
        facilitators.set_facilitation(store, collection, partnership_id=ident)
    facilitators.add_account(store, "ann", PASSWORD["ann"], ["Anytown"], False)
    facilitators.add_account(store, "bo", PASSWORD["bo"], ["Bigtown"], False)
    secret = facilitators.new_secret(store, solo)
    return Hub(store, build_app(store, {"pat-odpm": odpm}), a, b, solo, secret)


@pytest.fixture(params=BACKENDS)
def hub(request: pytest.FixtureRequest, tmp_path: Path, odpm: Instrument) -> Iterator[Hub]:
    for url in database_url(request.param, tmp_path):
        store = Store(url)
        store.migrate()
        yield build_hub(store, odpm)
        store.close()


def sign_in(client: TestClient, **fields: str) -> object:
    """Sign in with name and password, or secret; the response after the redirect."""
    page = client.get("/f/sign-in")
    return client.post("/f/sign-in", data={"csrf": csrf_of(page.text), **fields})


def signed_in(hub: Hub, who: str) -> TestClient:
    """A client signed in as account `who`, or with the secret when `who` is "secret"."""
    client = hub.client()
    fields = (
        {"secret": hub.secret} if who == "secret" else {"name": who, "password": PASSWORD[who]}
    )
    response = sign_in(client, **fields)
    assert response.url.path == "/f/", response.text  # type: ignore[attr-defined]
    return client
