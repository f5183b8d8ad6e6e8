"""The live results dashboard: below the threshold only counts in steps; from it, each
instrument's scenario, chart, scores and agreement, the same as `pat report` gives for the
same submitted answers; a small group's count hidden on the page, in live.json and in the
chart; results that move only in batches of min_group; nothing for another partnership's
facilitator or a respondent; the analysis kept until the batch or its answers change."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from serve_facilitator_support import Hub, hub, signed_in
from serve_live_support import answer

from pat_framework.model import Instrument
from pat_framework.runtime.registry import Registry
from pat_framework.serve import live
from pat_framework.serve.live import stepped

__all__ = ["hub"]  # the fixture

LIVE, DATA, CHART = "/f/c/a/live", "/f/c/a/live.json", "/f/c/a/live/pat-odpm.svg"


def text_of(html: str) -> str:
    """The page's words, tags taken out."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_counts_are_shown_in_steps_of_min_group() -> None:
    assert [stepped(n, 5) for n in (0, 1, 4, 5, 6, 9, 10, 14, 15)] == [
        None, None, None, 5, 5, 5, 10, 10, 15,
    ]  # fmt: skip
    assert stepped(7, 3) == 6


def test_below_the_threshold_only_counts_are_shown(hub: Hub, odpm: Instrument) -> None:
    answer(hub.store, hub.a, {"pat-odpm": odpm}, [("Council", "board")] * 4)
    answer(hub.store, hub.a, {"pat-odpm": odpm}, [("Trust", "senior")] * 3, submit=False)
    ann = signed_in(hub, "ann")
    page = ann.get(LIVE)
    assert page.status_code == 200
    words = text_of(page.text)
    assert "Respondents Started Submitted 7 at least 5 fewer than 5" in words
    assert "No results yet: they are shown once 5 have submitted." in words
    assert "Scenario" not in words and "<img" not in page.text and "Median" not in words
    data = ann.get(DATA).json()
    assert (data["respondents"], data["started"], data["submitted"]) == (7, 5, None)
    assert data["analysed"] == 0 and data["instruments"] == []
    assert data["said"] == "fewer than 5 submitted"
    assert "Scenario" not in data["html"]
    assert ann.get(CHART).status_code == 404


def test_at_the_threshold_the_charts_and_figures_are_shown(hub: Hub, odpm: Instrument) -> None:
    answer(hub.store, hub.a, {"pat-odpm": odpm}, [("Council", "board")] * 5)
    ann = signed_in(hub, "ann")
    page = ann.get(LIVE)
    words = text_of(page.text)
    assert "Results of the first 5 to submit; they change when 10 have submitted." in words
    assert re.search(r"Scenario [A-D]: ", words)
    assert "Principle scores" in words and "Agreement rWG(J)" in words
    assert "The chart's figures as a table" in words
    found = re.search(r'<img src="(/f/c/a/live/pat-odpm\.svg\?v=\w+)" alt="([^"]+)"', page.text)
    assert found, page.text
    assert found.group(2).startswith("Dartboard. Median scores: P1 ")
    svg = ann.get(found.group(1))
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.lstrip().startswith("<svg")
    data = ann.get(DATA).json()
    assert data["submitted"] == data["analysed"] == 5
    (instrument,) = data["instruments"]
    assert instrument["id"] == "pat-odpm" and instrument["chart"] == "dartboard"
    assert instrument["headline"].startswith("Scenario ")
    assert data["html"] in page.text  # the JSON carries the results part the page shows


def test_a_small_organisation_is_hidden_on_the_page_in_the_json_and_in_the_chart(
    hub: Hub, odpm: Instrument
) -> None:
    store = hub.store
    a = store.open_collection(
        "a", "a", "pat-odpm", ["pat-odpm"], ["Council", "Trust", "Zephyr Parish"],
        ["board", "senior"],
    )  # fmt: skip
    answer(store, a, {"pat-odpm": odpm}, [("Council", "board")] * 4 + [("Council", "senior")] * 4)
    answer(store, a, {"pat-odpm": odpm}, [("Trust", "board")] * 3 + [("Trust", "senior")] * 3)
    answer(store, a, {"pat-odpm": odpm}, [("Zephyr Parish", "board")] * 2)
    ann = signed_in(hub, "ann")
    page, data = ann.get(LIVE).text, ann.get(DATA)
    chart = ann.get(CHART).text
    assert '<th scope="row">Council</th>' in page
    for shown in (page, data.text, chart):
        assert "Zephyr" not in shown
    # Zephyr Parish (2) is hidden, and Trust (6) with it, or 16 − 8 would give it away.
    assert "By organisation: 2 group(s) not shown" in text_of(page)
    assert '<th scope="row">Trust</th>' not in page
    groups = data.json()["groups"]["organisation"]
    assert [(g["group"], g["respondents"], g["submitted"]) for g in groups] == [
        ("Council", 8, 5)  # 8 submitted, shown in steps of 5
    ]
    assert data.json()["hidden"]["organisation"] == 2
    assert data.json()["submitted"] == 15  # 16 submitted, shown as at least 15
    assert data.json()["analysed"] == 15


def test_results_change_only_when_min_group_more_have_submitted(
    hub: Hub, odpm: Instrument
) -> None:
    """Eleven people submit one after another: the page's figures change twice, at the
    fifth and the tenth, never for one person alone."""
    store, answers = hub.store, {"pat-odpm": odpm}
    ids = answer(store, hub.a, answers, [("Council", "board")] * 11, submit=False)
    ann = signed_in(hub, "ann")
    versions = [ann.get(DATA).json()["version"]]
    from pat_framework.serve.storage import now

    for ident in ids:
        store.update_respondent(ident, submitted_at=now())
        versions.append(ann.get(DATA).json()["version"])
    changed = [k for k in range(1, len(versions)) if versions[k] != versions[k - 1]]
    assert changed == [5, 10]


def test_only_submitted_answers_count_and_they_equal_pat_reports(
    hub: Hub, odpm: Instrument, registry: Registry
) -> None:
    from pat_framework.reports.content import headline, sections_table, statement_tables
    from pat_framework.serve.export import analysed_collection

    store, answers = hub.store, {"pat-odpm": odpm}
    groups = [("Council", "board"), ("Trust", "senior")] * 5
    answer(store, hub.a, answers, groups, seed=1)
    ann = signed_in(hub, "ann")
    before = ann.get(DATA).json()
    url = store.url.render_as_string(hide_password=False)
    report = analysed_collection(
        registry, "pat-odpm", f"{url}#a", ("organisation", "level"), 5, "latest", 10
    )
    dashboard = live.Live(store).dashboard(hub.a)
    (result,) = dashboard.results
    assert result.headline == headline(report)
    assert [t.rows for t in result.tables] == [
        t.rows for t in [sections_table(report), *statement_tables(report)]
    ]
    assert before["instruments"][0]["headline"] == headline(report).title
    page = text_of(ann.get(LIVE).text)
    assert headline(report).reason in page
    for row in sections_table(report).rows:
        assert " ".join(str(cell) for cell in row if cell != "") in page
    # Two who have answered but not submitted, and four more submitted (14: the results
    # stay those of the first 10), change nothing shown but the respondents' count.
    answer(store, hub.a, answers, [("Council", "board")] * 2, submit=False, seed=2)
    answer(store, hub.a, answers, [("Trust", "board")] * 4, seed=3)
    after = ann.get(DATA).json()
    assert after["analysed"] == 10 and after["respondents"] == 16
    assert after["instruments"] == before["instruments"]
    assert live.Live(store).dashboard(hub.a).results == dashboard.results


def test_the_analysis_is_kept_until_the_batch_or_its_answers_change(
    hub: Hub, odpm: Instrument, monkeypatch: pytest.MonkeyPatch
) -> None:
    worked: list[int] = []
    real = live.analysed

    def counted(*args: object, **kwargs: object) -> list[live.Result]:
        worked.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(live, "analysed", counted)
    store, answers = hub.store, {"pat-odpm": odpm}
    ids = answer(store, hub.a, answers, [("Council", "board")] * 5)
    ann = signed_in(hub, "ann")
    first = ann.get(DATA).json()
    ann.get(LIVE)
    ann.get(CHART)
    assert len(worked) == 1
    answer(store, hub.a, answers, [("Trust", "board")], seed=4)  # the sixth: not analysed
    again = ann.get(DATA).json()
    assert again["respondents"] == 6 and again["instruments"] == first["instruments"]
    assert len(worked) == 1
    item = odpm.items[0]
    store.save(ids[0], "pat-odpm", item.id, "answer", item.scale.options[0].label)
    ann.get(DATA)
    assert len(worked) == 2  # a change to an analysed answer is worked out again


def test_another_partnerships_facilitator_and_a_respondent_reach_nothing(
    hub: Hub, odpm: Instrument
) -> None:
    answer(hub.store, hub.b, {"pat-odpm": odpm}, [("Council", "board")] * 5)
    ann, bo = signed_in(hub, "ann"), signed_in(hub, "bo")
    for path in ("/f/c/b/live", "/f/c/b/live.json", "/f/c/b/live/pat-odpm.svg"):
        assert bo.get(path).status_code == 200, path
        refused, missing = ann.get(path), ann.get(path.replace("/b/", "/nothing/"))
        assert refused.status_code == missing.status_code == 404
        assert refused.text == missing.text
        assert "Scenario" not in refused.text and "svg" not in refused.text[:200]
    secret = signed_in(hub, "secret")
    assert secret.get("/f/c/b/live.json").status_code == 404
    assert secret.get("/f/c/solo/live.json").status_code == 200
    (token,) = hub.store.invite(hub.b, [None])
    respondent = hub.client()
    assert respondent.get(f"/i/{token}").status_code == 200  # holds a respondent's cookie
    for path in ("/f/c/b/live", "/f/c/b/live.json", "/f/c/b/live/pat-odpm.svg"):
        reply = respondent.get(path, follow_redirects=False)
        assert reply.status_code == 303 and reply.headers["location"].startswith("/f/sign-in")


def test_the_page_links_its_script_and_works_without_it(hub: Hub, odpm: Instrument) -> None:
    ann = signed_in(hub, "ann")
    page = ann.get(LIVE)
    assert '<script src="/static/live.js" defer></script>' in page.text
    assert "<script>" not in page.text and " style=" not in page.text
    assert re.search(r'<a href="/f/c/a/live">Refresh</a>', page.text)
    assert 'data-source="/f/c/a/live.json"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert ann.get("/static/live.js").status_code == 200
    listed = ann.get("/f/").text
    assert '<a href="/f/c/a/live">Live results' in listed
    assert json.loads(ann.get(DATA).text)["version"] in page.text


def test_while_new_results_are_worked_out_the_last_ones_are_shown(
    hub: Hub, odpm: Instrument, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    store, answers = hub.store, {"pat-odpm": odpm}
    answer(store, hub.a, answers, [("Council", "board")] * 5)
    watcher = live.Live(store)
    first = watcher.dashboard(hub.a)
    answer(store, hub.a, answers, [("Trust", "board")] * 5, seed=6)
    working, release = threading.Event(), threading.Event()
    real = live.analysed

    def slow(*args: object, **kwargs: object) -> list[live.Result]:
        working.set()
        release.wait(30)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(live, "analysed", slow)
    newer: list[live.Dashboard] = []
    other = threading.Thread(target=lambda: newer.append(watcher.dashboard(hub.a)))
    other.start()
    assert working.wait(30)
    meanwhile = watcher.dashboard(hub.a)  # does not wait for the other refresh
    release.set()
    other.join(30)
    assert meanwhile.counts.submitted == 10
    assert (meanwhile.analysed, meanwhile.results) == (5, first.results)
    assert newer[0].analysed == 10 and newer[0].results != first.results
    ann = signed_in(hub, "ann")
    assert "they change when 15 have submitted" in text_of(ann.get(LIVE).text)


def test_only_the_groups_the_collection_asks_for_are_counted(hub: Hub, odpm: Instrument) -> None:
    a = hub.store.open_collection("a", "a", "pat-odpm", ["pat-odpm"], ["Council", "Trust"], [])
    answer(hub.store, a, {"pat-odpm": odpm}, [("Council", "")] * 6 + [("Trust", "")] * 6)
    ann = signed_in(hub, "ann")
    words = text_of(ann.get(LIVE).text)
    assert "By organisation Organisation Respondents Started Submitted Council 6" in words
    assert "By level" not in words and "Not chosen yet" not in words
    assert list(ann.get(DATA).json()["groups"]) == ["organisation"]


def test_a_closed_collection_shows_counts_but_no_results(hub: Hub, odpm: Instrument) -> None:
    import datetime

    from pat_framework.serve.storage import now

    answer(hub.store, hub.a, {"pat-odpm": odpm}, [("Council", "board")] * 6)
    ann = signed_in(hub, "ann")
    assert ann.get(CHART).status_code == 200
    hub.store.open_collection(
        "a", "a", "pat-odpm", ["pat-odpm"], ["Council", "Trust"], ["board", "senior"],
        closes_at=now() - datetime.timedelta(minutes=1),
    )  # fmt: skip
    words = text_of(ann.get(LIVE).text)
    assert "The collection is closed: its results are in the report" in words
    assert "Respondents Started Submitted 6 at least 5 at least 5" in words
    assert "Scenario" not in words
    data = ann.get(DATA).json()
    assert data["closed"] is True and data["instruments"] == []
    assert ann.get(CHART).status_code == 404


def test_a_report_leaves_out_fewer_than_min_group_beside_what_was_shown_live(
    hub: Hub, odpm: Instrument, registry: Registry
) -> None:
    """With 7 submitted and min_group 5 the dashboard shows the first 5: a report of all 7
    would show the other two's answers by difference, so it leaves them out and says so;
    from 5 more on it holds everyone. The rule holds after the link is cut."""
    from pat_framework.serve.export import read_collection
    from pat_framework.serve.unlinking import cut_link

    store, answers = hub.store, {"pat-odpm": odpm}
    url = store.url.render_as_string(hide_password=False)
    answer(store, hub.a, answers, [("Council", "board"), ("Trust", "senior")] * 3, seed=4)
    assert len(read_collection(registry, "pat-odpm", f"{url}#a").values) == 6  # none shown
    answer(store, hub.a, answers, [("Council", "senior")], seed=5)
    assert signed_in(hub, "ann").get(DATA).json()["analysed"] == 5  # shown: the first 5
    assert live.shown_size(store, hub.a) == 5
    reported = read_collection(registry, "pat-odpm", f"{url}#a")
    assert len(reported.values) == 5
    assert reported.notes[-1] == (
        "The answers of 2 respondents are left out: the live results showed those of the "
        "first 5 to submit, and with fewer than 5 more, comparing the two would show their "
        "answers."
    )
    closed = store.collection("a")
    assert closed is not None
    cut_link(store, closed)
    after = read_collection(registry, "pat-odpm", f"{url}#a")
    assert (
        after.values.sort_values(list(after.values.columns))
        .reset_index(drop=True)
        .equals(reported.values.sort_values(list(reported.values.columns)).reset_index(drop=True))
    )
    # three more answers (not submitted: the collection is closed) make five beyond the
    # first 5 shown, and the report then holds all ten
    reopened = store.collection("a")
    assert reopened is not None
    answer(store, reopened, answers, [("Trust", "board")] * 3, submit=False, seed=6)
    assert len(read_collection(registry, "pat-odpm", f"{url}#a").values) == 10
