"""Async pagers over Agora's list endpoints.

A pager holds one page at a time (two while prefetching), so iterating a million members
uses constant memory. It stops on the end signal of the endpoint's paging style:
``cursor`` -- no ``cursor`` key; ``page`` and ``props-cursor`` -- a short page.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

__all__ = ["AsyncPager", "Page"]


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of results.

    Attributes:
        items: The items of this page.
        cursor: Cursor of the next page (cursor-paged endpoints), if any.
        number: 1-based page number (page-numbered endpoints).
        has_more: Whether another page may follow.
    """

    items: list[T]
    cursor: str | None
    number: int
    has_more: bool


#: Fetches one page given (cursor, page number).
PageFetcher = Callable[[str | None, int], Awaitable[Page[T]]]


class AsyncPager(Generic[T]):
    """Iterates items across pages: ``async for item in pager``; pages: ``.pages()``.

    Creating a pager sends nothing; each page is fetched when the previous one has been
    consumed. With ``prefetch=True`` the next page is requested while the caller works
    through the current one.
    """

    def __init__(self, fetch: PageFetcher[T], *, prefetch: bool = False) -> None:
        self._fetch = fetch
        self._prefetch = prefetch

    async def pages(self) -> AsyncGenerator[Page[T], None]:
        """Yield each page in turn, until the server signals the end."""
        page = await self._fetch(None, 1)
        pending: asyncio.Task[Page[T]] | None = None
        try:
            while True:
                if page.has_more and self._prefetch:
                    pending = asyncio.ensure_future(self._fetch(page.cursor, page.number + 1))
                yield page
                if not page.has_more:
                    return
                if pending is not None:
                    page, pending = await pending, None
                else:
                    page = await self._fetch(page.cursor, page.number + 1)
        finally:
            if pending is not None:
                pending.cancel()
                pending.add_done_callback(_consume)

    async def __aiter__(self) -> AsyncIterator[T]:
        # aclosing: when the caller stops early, close pages() (and so cancel its
        # prefetch) now, not whenever the garbage collector finalizes it.
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                for item in page.items:
                    yield item

    async def first_page(self) -> Page[T]:
        """Only the first page."""
        return await self._fetch(None, 1)

    async def to_list(self, *, limit: int | None = None) -> list[T]:
        """Collect items into a list (all of them, or the first ``limit``)."""
        if limit is not None and limit < 0:
            raise ValueError(f"limit must be 0 or more, got {limit}")
        items: list[T] = []
        if limit == 0:
            return items
        async with aclosing(self.pages()) as pages:
            async for page in pages:
                items.extend(page.items)
                if limit is not None and len(items) >= limit:
                    return items[:limit]
        return items


def _consume(task: asyncio.Task[Any]) -> None:
    # Retrieve the outcome of a cancelled prefetch so asyncio does not log it.
    if not task.cancelled():
        task.exception()
