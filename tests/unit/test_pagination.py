"""``AsyncPager`` over a fake page fetcher, and ``client._paginate`` over aioresponses."""

from __future__ import annotations

import asyncio
import gc
import logging
from contextlib import aclosing
from typing import TYPE_CHECKING, Any

import pytest
from aioresponses import aioresponses
from aioresponses.compat import normalize_url

from agora_chat_async import (
    AgoraChatClient,
    AsyncPager,
    NotFoundError,
    Page,
    ResponseValidationError,
    User,
)

if TYPE_CHECKING:
    from collections.abc import Iterator


class FakeFetch:
    """Serves ``pages`` (lists of items) by number; records every call.

    ``gates[n]``, when set, holds the fetch of page ``n`` until released; ``errors[n]``
    makes it fail.
    """

    def __init__(self, pages: list[list[int]]) -> None:
        self.pages = pages
        self.calls: list[tuple[str | None, int]] = []
        self.started: dict[int, asyncio.Event] = {}
        self.gates: dict[int, asyncio.Event] = {}
        self.errors: dict[int, Exception] = {}
        self.cancelled: list[int] = []

    def started_event(self, number: int) -> asyncio.Event:
        return self.started.setdefault(number, asyncio.Event())

    async def __call__(self, cursor: str | None, number: int) -> Page[int]:
        self.calls.append((cursor, number))
        self.started_event(number).set()
        try:
            if number in self.gates:
                await self.gates[number].wait()
        except asyncio.CancelledError:
            self.cancelled.append(number)
            raise
        if number in self.errors:
            raise self.errors[number]
        more = number < len(self.pages)
        return Page(self.pages[number - 1], f"c{number}" if more else None, number, more)


PAGES = [[1, 2, 3], [4, 5, 6], [7]]


def other_tasks() -> set[asyncio.Task[Any]]:
    return asyncio.all_tasks() - {asyncio.current_task()}


@pytest.fixture
def asyncio_errors(caplog: pytest.LogCaptureFixture) -> Iterator[list[str]]:
    """Messages asyncio logs about tasks (destroyed pending, exception never retrieved)."""
    caplog.set_level(logging.ERROR, logger="asyncio")
    messages: list[str] = []
    yield messages
    gc.collect()
    messages.extend(r.getMessage() for r in caplog.records if r.name == "asyncio")
    assert messages == []


async def test_items_across_pages_until_has_more_is_false():
    fetch = FakeFetch(PAGES)

    items = [item async for item in AsyncPager(fetch)]

    assert items == [1, 2, 3, 4, 5, 6, 7]
    assert fetch.calls == [(None, 1), ("c1", 2), ("c2", 3)]


async def test_pages_yields_each_page():
    fetch = FakeFetch(PAGES)

    pages = [page async for page in AsyncPager(fetch).pages()]

    assert [p.items for p in pages] == PAGES
    assert [p.number for p in pages] == [1, 2, 3]
    assert [p.has_more for p in pages] == [True, True, False]


async def test_a_single_page_fetches_once():
    fetch = FakeFetch([[1]])

    assert [i async for i in AsyncPager(fetch)] == [1]
    assert fetch.calls == [(None, 1)]


async def test_creating_a_pager_sends_nothing():
    fetch = FakeFetch(PAGES)

    AsyncPager(fetch)
    await asyncio.sleep(0)

    assert fetch.calls == []


async def test_without_prefetch_the_next_page_waits_for_the_consumer():
    fetch = FakeFetch(PAGES)

    async with aclosing(AsyncPager(fetch).pages()) as pages:
        first = await anext(pages)
        for _ in range(5):
            await asyncio.sleep(0)
        assert first.number == 1
        assert fetch.calls == [(None, 1)]


async def test_prefetch_fetches_the_next_page_while_the_current_one_is_consumed():
    fetch = FakeFetch(PAGES)
    pager = AsyncPager(fetch, prefetch=True)

    seen = []
    async for page in pager.pages():
        if page.has_more:
            # The consumer is still on this page, and the next one is already on its way.
            await asyncio.wait_for(fetch.started_event(page.number + 1).wait(), 1.0)
        seen.append(page.items)

    assert seen == PAGES
    assert fetch.calls == [(None, 1), ("c1", 2), ("c2", 3)]


async def test_prefetch_is_cancelled_when_pages_is_closed_early(asyncio_errors):
    fetch = FakeFetch(PAGES)
    fetch.gates[2] = asyncio.Event()  # page 2 never arrives

    async with aclosing(AsyncPager(fetch, prefetch=True).pages()) as pages:
        async for _page in pages:
            await asyncio.wait_for(fetch.started_event(2).wait(), 1.0)
            break
    await asyncio.sleep(0)

    assert fetch.cancelled == [2]
    assert fetch.calls == [(None, 1), ("c1", 2)]
    assert other_tasks() == set()


async def test_prefetch_is_cancelled_when_item_iteration_stops_early(asyncio_errors):
    fetch = FakeFetch(PAGES)
    fetch.gates[2] = asyncio.Event()
    pager = AsyncPager(fetch, prefetch=True)

    async for item in pager:
        assert item == 1
        await asyncio.wait_for(fetch.started_event(2).wait(), 1.0)
        break
    # A plain `break` leaves the generator to the loop's finalizer: allow it a few turns.
    for _ in range(10):
        if fetch.cancelled:
            break
        await asyncio.sleep(0)

    assert fetch.cancelled == [2]
    assert other_tasks() == set()


async def test_a_failed_prefetch_that_nobody_awaits_is_not_reported(asyncio_errors):
    fetch = FakeFetch(PAGES)
    fetch.errors[2] = NotFoundError(
        status=404, error="gone", description=None, exception=None, endpoint="x", body=b""
    )

    async with aclosing(AsyncPager(fetch, prefetch=True).pages()) as pages:
        async for _page in pages:
            for _ in range(3):
                await asyncio.sleep(0)  # let the prefetch fail
            break

    assert fetch.calls == [(None, 1), ("c1", 2)]


async def test_a_failed_prefetch_raises_when_its_page_is_reached():
    fetch = FakeFetch(PAGES)
    fetch.errors[2] = NotFoundError(
        status=404, error="gone", description=None, exception=None, endpoint="x", body=b""
    )
    items = []

    async def consume() -> None:
        async for item in AsyncPager(fetch, prefetch=True):
            items.append(item)

    with pytest.raises(NotFoundError):
        await consume()
    assert items == [1, 2, 3]


async def test_to_list_collects_everything():
    fetch = FakeFetch(PAGES)

    assert await AsyncPager(fetch).to_list() == [1, 2, 3, 4, 5, 6, 7]
    assert len(fetch.calls) == 3


@pytest.mark.parametrize(
    ("limit", "expected", "fetched"),
    [(2, [1, 2], 1), (3, [1, 2, 3], 1), (4, [1, 2, 3, 4], 2), (100, [1, 2, 3, 4, 5, 6, 7], 3)],
)
async def test_to_list_with_a_limit_stops_fetching(limit, expected, fetched):
    fetch = FakeFetch(PAGES)

    assert await AsyncPager(fetch).to_list(limit=limit) == expected
    assert len(fetch.calls) == fetched


async def test_to_list_with_a_limit_cancels_the_prefetch(asyncio_errors):
    fetch = FakeFetch(PAGES)
    fetch.gates[2] = asyncio.Event()

    assert await AsyncPager(fetch, prefetch=True).to_list(limit=2) == [1, 2]
    await asyncio.sleep(0)

    # The prefetch was cancelled (here before it even started): nothing is left running.
    assert other_tasks() == set()
    assert ("c1", 2) not in fetch.calls or fetch.cancelled == [2]


async def test_to_list_limit_zero_fetches_nothing_and_negative_is_refused():
    fetch = FakeFetch(PAGES)

    assert await AsyncPager(fetch).to_list(limit=0) == []
    with pytest.raises(ValueError, match="limit"):
        await AsyncPager(fetch).to_list(limit=-1)
    assert fetch.calls == []


async def test_first_page_fetches_only_the_first_page():
    fetch = FakeFetch(PAGES)

    page = await AsyncPager(fetch, prefetch=True).first_page()

    assert page == Page([1, 2, 3], "c1", 1, True)
    assert fetch.calls == [(None, 1)]


# -- client._paginate: the end signal on the wire ---------------------------------------

BASE = "https://api.test/org/app"


@pytest.fixture
def mock() -> Iterator[aioresponses]:
    with aioresponses() as m:
        yield m


@pytest.fixture
async def client() -> Any:
    async with AgoraChatClient(
        host="api.test", org_name="org", app_name="app", token="t", max_retries=0
    ) as c:
        yield c


def users(*names: str) -> list[dict[str, str]]:
    return [{"username": n} for n in names]


async def test_users_list_follows_the_cursor_until_there_is_none(client, mock):
    mock.get(BASE + "/users?limit=2", payload={"entities": users("a", "b"), "cursor": "k1"})
    mock.get(BASE + "/users?limit=2&cursor=k1", payload={"entities": users("c", "d")})

    names = [u.username async for u in client.users.list(page_size=2)]

    assert names == ["a", "b", "c", "d"]
    assert [str(url) for _, url in mock.requests] == [
        str(normalize_url(BASE + "/users?limit=2")),
        str(normalize_url(BASE + "/users?cursor=k1&limit=2")),
    ]


async def test_page_size_is_capped_at_the_server_maximum(client, mock):
    mock.get(BASE + "/users?limit=100", payload={"entities": users("a")})

    pages = [p async for p in client.users.list(page_size=5000).pages()]

    assert pages == [Page([User(username="a")], None, 1, False)]


@pytest.mark.parametrize("size", [0, -1, True, 2.5, "10"])
def test_a_bad_page_size_is_refused_before_sending(client, size):
    with pytest.raises(ValueError, match="page_size"):
        client.users.list(page_size=size)


async def test_an_undecodable_page_is_a_response_validation_error(client, mock):
    mock.get(BASE + "/users?limit=100", body=b'{"entities": "nope"}')

    with pytest.raises(ResponseValidationError) as info:
        await client.users.list().first_page()

    assert info.value.endpoint == "users.list"
