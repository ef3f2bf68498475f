"""The load benchmark's wire visitor really drives the app: if it silently did nothing, the server-capacity
figures in BENCHMARKS.md would measure an idle server."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from benchmarks.bench_load import WIRE_INTERACTIONS, walk
from benchmarks.wire import WireVisitor

TIMEOUT_S = 180  # the first visit to a demo may train its default model


def _run(coroutine):
    """asyncio.run on a thread of its own: Playwright's sync API (the browser tests) leaves a loop running here."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


async def _walk(url: str) -> dict[str, tuple[list[str], list[str], list[str]]]:
    """Per page: errors, the markdown drawn on opening it, and the markdown after its interaction."""
    seen = {}
    async with WireVisitor(url, timeout_s=TIMEOUT_S) as visitor:
        for key, path, _title in walk():
            opened = await visitor.open(path)
            before = list(visitor.texts)
            acted = await WIRE_INTERACTIONS[key](visitor)
            errors = opened.errors + [e for _, result in acted for e in result.errors]  # each timed step's
            seen[key] = (errors, before, list(visitor.texts))
    return seen


def test_wire_visitor_walks_every_page_and_its_interactions_change_the_page(server_url):
    seen = _run(_walk(server_url))
    assert set(seen) == {key for key, _, _ in walk()}
    for key, (errors, before, after) in seen.items():
        assert not errors, (key, errors)
        assert before, f"{key}: nothing drawn"
        if key != "home":  # each demo's interaction redraws something that was not there before
            assert set(after) - set(before), f"{key}: the interaction changed nothing"
    assert "#### Your top 10, from 1 rating" in seen["recs"][2]


async def _mistakes(url: str) -> tuple[list[str], list[str]]:
    async with WireVisitor(url, timeout_s=TIMEOUT_S) as visitor:
        await visitor.open("")
        missing_page = await visitor.open("no-such-page")
        missing_widget = await visitor.nudge_slider("no_such_slider")
    return missing_page.errors, missing_widget.errors


def test_wire_visitor_reports_a_missing_page_or_widget_as_an_error(server_url):
    page_errors, widget_errors = _run(_mistakes(server_url))
    assert page_errors == ["no page at /no-such-page in the navigation"]
    assert widget_errors == ["no slider with key 'no_such_slider' on the page"]
