"""Bulk operations: any number of items, chunked to the endpoint's batch size.

Items stream in from any iterable or async iterable (millions of records stay in constant
memory: at most ``concurrency`` chunks, and never more than :data:`MAX_IN_FLIGHT`, are in
flight). Every input item ends in the result exactly once: succeeded, failed (with the
server's reason) or skipped (invalid, never sent).

How many calls go at once is the :class:`Window`'s decision: sized to the pacer's rate
and the measured latency (Little's law) when the client paces, a fixed number otherwise.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import anyio
import msgspec

from ._errors import (
    AgoraChatError,
    APIConnectionError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)
from ._validate import CHECKS
from .models.users import RegisterManyResponse, RegisterUser, User

if TYPE_CHECKING:
    from collections.abc import Awaitable

    from ._client import AgoraChatClient
    from ._spec import Endpoint

__all__ = [
    "DEFAULT_CONCURRENCY",
    "MAX_IN_FLIGHT",
    "BulkFailure",
    "BulkItems",
    "BulkResult",
    "ProgressCallback",
    "Window",
]

log = logging.getLogger("agora_chat_async")

I = TypeVar("I")  # noqa: E741 -- input item
R = TypeVar("R")  # result item

#: Input of a bulk method: any iterable or async iterable of items.
BulkItems = Iterable[I] | AsyncIterable[I]

_STOPPED = "not sent: stopped after an earlier failure"
_UNKNOWN = (
    "outcome unknown: the server accepted the call but its answer does not say what was "
    "done (a rerun may repeat it)"
)
_UNANSWERED = "outcome unknown: the request may have reached the server, no answer came"
# An item a 2xx answer does not mention. An answer that mentions none of its chunk
# is no answer at all: the chunk's outcome is unknown.
_NOT_REPORTED = "the server did not report this user"
_NOT_CREATED = "the server did not report this user as created"
_NO_MESSAGE_ID = "the server returned no message id for this user"
_SILENT = frozenset({_NOT_REPORTED, _NOT_CREATED, _NO_MESSAGE_ID})

#: Called after each chunk with (items accounted for so far, total if known).
ProgressCallback = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class BulkFailure(Generic[I]):
    """An item that was not done, and why.

    Attributes:
        item: The input item.
        reason: The server's reason (or ours, for items skipped before sending). One
            that starts with ``"outcome unknown"`` means the call may have been carried
            out (no answer came, or a 2xx answer did not say what was done): check
            before sending the item again, or it may be done twice.
        error: The exception behind a failed chunk, if any (a
            :class:`ResponseValidationError` for a 2xx answer of the wrong shape).
    """

    item: I
    reason: str
    error: AgoraChatError | None = None


@dataclass(slots=True)
class BulkResult(Generic[I, R]):
    """What happened to every item of a bulk operation."""

    succeeded: list[R] = field(default_factory=list)
    failed: list[BulkFailure[I]] = field(default_factory=list)
    skipped: list[BulkFailure[I]] = field(default_factory=list)
    """Items rejected before sending (invalid), or not sent after ``stop_on_error``."""
    calls: int = 0
    """Requests sent."""

    @property
    def total(self) -> int:
        return len(self.succeeded) + len(self.failed) + len(self.skipped)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.skipped

    def __repr__(self) -> str:
        return (
            f"BulkResult(succeeded={len(self.succeeded)}, failed={len(self.failed)}, "
            f"skipped={len(self.skipped)}, calls={self.calls})"
        )


# -- per-endpoint adapters: normalise an input item, split a chunk's response ---------


def _register_item(item: Any) -> Any:
    if isinstance(item, str):
        item = RegisterUser(username=item)
    elif isinstance(item, Mapping):
        item = msgspec.convert(item, RegisterUser)
    elif not isinstance(item, RegisterUser):
        raise TypeError(f"expected RegisterUser, a mapping or a username, got {item!r}")
    CHECKS["username"]("username", item.username)
    if isinstance(item.password, str):
        CHECKS["password"]("password", item.password)
    if isinstance(item.nickname, str):
        CHECKS["nickname"]("nickname", item.nickname)
    return item


def _register_split(
    chunk: list[RegisterUser], response: RegisterManyResponse
) -> tuple[list[User], list[BulkFailure[RegisterUser]]]:
    created = {user.username.lower(): user for user in response.entities}
    refused = {failure.username.lower(): failure.reason for failure in response.data}
    done: list[User] = []
    failed: list[BulkFailure[RegisterUser]] = []
    for item in chunk:
        key = item.username.lower()
        if key in created:
            done.append(created.pop(key))
        else:
            reason = refused.get(key, _NOT_CREATED)
            failed.append(BulkFailure(item, reason))
    return done, failed


def _username_item(item: Any) -> str:
    CHECKS["username"]("username", item)
    return str(item)


def _one_done(chunk: list[Any], response: Any) -> tuple[list[Any], list[BulkFailure[Any]]]:
    return [response], []


def _attributes_item(item: Any) -> tuple[str, dict[str, str]]:
    """``(username, {name: value})``, or one flat mapping with a ``username`` key."""
    if isinstance(item, Mapping):
        fields = dict(item)
        username = fields.pop("username", None)
    elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], Mapping):
        username, fields = item[0], dict(item[1])
    else:
        raise TypeError(f"expected (username, attributes) or a mapping, got {item!r}")
    CHECKS["username"]("username", username)
    CHECKS["attributes"]("attributes", fields)
    return username, fields


def _recipients_done(
    chunk: list[str], response: dict[str, str]
) -> tuple[list[Any], list[BulkFailure[Any]]]:
    done = [(name, response[name]) for name in chunk if name in response]
    failed = [BulkFailure(name, _NO_MESSAGE_ID) for name in chunk if name not in response]
    return done, failed


def _attributes_done(
    chunk: list[tuple[str, dict[str, str]]], response: dict[str, str]
) -> tuple[list[Any], list[BulkFailure[Any]]]:
    if not isinstance(response, Mapping):
        raise TypeError(f"expected the attributes set, got {type(response).__name__}")
    return [(chunk[0][0], response)], []


#: A splitter: (chunk, decoded response) -> (done items, failures).
_Split = Callable[[list[Any], Any], tuple[list[Any], list[BulkFailure[Any]]]]


def _thread_join_done(
    chunk: list[str], response: Mapping[str, Any]
) -> tuple[list[Any], list[BulkFailure[Any]]]:
    """Adding to a thread answers ``{"status": "ok"}`` for the whole call: all or none."""
    if response.get("status") == "ok":
        return list(chunk), []
    reason = f"the server answered status {response.get('status')!r}, not 'ok'"
    return [], [BulkFailure(name, reason) for name in chunk]


def _match_listed(
    chunk: list[str], listed: Iterable[str], reason_of: Callable[[str], str]
) -> tuple[list[Any], list[BulkFailure[Any]]]:
    """Names of ``chunk`` the answer ``listed`` are done (case-insensitively, one listing
    per name given); the others fail with ``reason_of(lower-cased name)``."""
    counts = Counter(name.lower() for name in listed)
    done: list[str] = []
    failed: list[BulkFailure[str]] = []
    for name in chunk:
        key = name.lower()
        if counts[key] > 0:
            counts[key] -= 1
            done.append(name)
        else:
            failed.append(BulkFailure(name, reason_of(key)))
    return done, failed


def _room_added_done(chunk: list[str], response: Any) -> tuple[list[Any], list[BulkFailure[Any]]]:
    """Adding group or room members lists only the users added (``newmembers``), and
    nothing about the others."""
    reason = "not added: not among the new members (already in, blocked or no such user)"
    return _match_listed(chunk, response.new_members, lambda _: reason)


def _per_user(keep: bool = False, refused: str = "the server reported result false") -> _Split:
    """Splitter for answers with a ``{result, reason?, user}`` entry per user (group, room
    and thread member changes), matched to the chunk by username, in order. ``keep``
    makes the entries themselves (mutes: with their end time) the succeeded items;
    ``refused`` is the reason of a ``result`` false entry without its own."""

    def split(chunk: list[str], response: Any) -> tuple[list[Any], list[BulkFailure[Any]]]:
        entries: dict[str, list[Any]] = {}
        for entry in response:
            entries.setdefault(entry.user.lower(), []).append(entry)
        done: list[Any] = []
        failed: list[BulkFailure[str]] = []
        for name in chunk:
            found = entries.get(name.lower())
            if not found:
                failed.append(BulkFailure(name, _NOT_REPORTED))
                continue
            entry = found.pop(0)
            if entry.result:
                done.append(entry if keep else name)
            else:
                failed.append(BulkFailure(name, getattr(entry, "reason", None) or refused))
        return done, failed

    return split


def _contacts_import_done(
    chunk: list[str], response: Any
) -> tuple[list[Any], list[BulkFailure[Any]]]:
    """A contacts import answers which usernames went in and why the others did not."""
    reasons: dict[str, str] = {}
    for names, reason in (
        (response.unknown_failed, "not added: failed on the server (UnKnowFailed)"),
        (response.max_limit_failed, "not added: a contact list is full (maxLimitFailed)"),
        (response.not_exist_failed, "not added: no such user (NotExistFailed)"),
    ):
        reasons.update(dict.fromkeys((n.lower() for n in names), reason))
    added = {name.lower() for name in response.success}
    done: list[str] = []
    failed: list[BulkFailure[str]] = []
    for name in chunk:
        if name.lower() in added:
            done.append(name)
        else:
            reason = reasons.get(name.lower(), _NOT_REPORTED)
            failed.append(BulkFailure(name, reason))
    return done, failed


def _label_users_done(chunk: list[str], response: Any) -> tuple[list[Any], list[BulkFailure[Any]]]:
    """Push label changes answer ``{"success": [names], "fail": {name: reason}}``; a name
    given twice may be in both (removed once, then missing)."""
    reasons = {name.lower(): reason for name, reason in response.fail.items()}
    return _match_listed(
        chunk,
        response.success,
        lambda key: reasons.get(key, _NOT_REPORTED),
    )


@dataclass(frozen=True, slots=True)
class _Adapter:
    normalise: Callable[[Any], Any]
    split: _Split
    args: Callable[[list[Any]], dict[str, Any]] | None = None
    """The call's arguments made from a chunk, where the items are not the whole body."""


def _usernames(split: _Split) -> _Adapter:
    """An adapter for member changes: the chunk of usernames goes in ``usernames``."""
    return _Adapter(_username_item, split, args=lambda chunk: {"usernames": chunk})


SPLITTERS: dict[str, _Adapter] = {
    "register": _Adapter(_register_item, _register_split),
    "username": _Adapter(_username_item, _one_done, args=lambda chunk: {"username": chunk[0]}),
    "attributes": _Adapter(
        _attributes_item,
        _attributes_done,
        args=lambda chunk: {"username": chunk[0][0], "attributes": chunk[0][1]},
    ),
    "recipients": _Adapter(_username_item, _recipients_done, args=lambda chunk: {"to": chunk}),
    "thread_join": _usernames(_thread_join_done),
    "thread_kick": _usernames(_per_user(refused="not removed: not a member of the thread")),
    "room_add_members": _usernames(_room_added_done),
    "room_results": _usernames(_per_user()),
    "room_mutes": _usernames(_per_user(keep=True)),
    "contacts_import": _usernames(_contacts_import_done),
    "label_users": _usernames(_label_users_done),
}


# -- how many calls at once ----------------------------------------------------------

#: Calls in flight without pacing (nothing to size from), and the fewest a paced job
#: keeps open while its calls succeed (a fast server needs no more).
DEFAULT_CONCURRENCY = 8
#: The most calls (chunks) one paced job keeps in flight: bounds memory and server load.
MAX_IN_FLIGHT = 256

#: How a call ended, for sizing: ``ok``; ``overload`` (429, 5xx, timeout, lost
#: connection); ``answered`` (any other answer, e.g. a 404: no growth, no cut).
Outcome = Literal["ok", "overload", "answered"]


class Window:
    """How many calls of one bulk job may be in flight, and when the next may start.

    With a ``rate`` (the pacer's calls/s for the endpoint) the window follows Little's
    law: sustaining ``rate`` with answers taking ``latency`` seconds needs
    ``rate x latency`` calls in flight. The latency is the job's fastest answer (the
    server's unloaded round trip; a mean would grow with the server's queue and feed it
    more calls), times :attr:`HEADROOM` for jitter. Overload (429, 5xx, timeouts, lost
    connections, and successes far slower than that baseline: retried or queued) halves
    an allowance that only successful calls rebuild, one per call; calls that started
    before a cut cannot cut again. Starts are spaced at ``rate``, so the pacer rarely
    holds a call and a call's duration is the server's.

    Without a rate (no pacing) the window is fixed at ``cap``.

    Args:
        cap: The most calls in flight (an explicit ``concurrency``, else
            :data:`MAX_IN_FLIGHT`).
        rate: Calls per second the pacer allows this endpoint, or ``None``.
        clock: Seconds, monotonic (tests pass a fake one).
        sleep: Waits that many seconds.
    """

    HEADROOM = 1.5
    #: Latency assumed until the first answer comes, in seconds.
    FIRST_GUESS = 0.5
    #: A success slower than ``SLOW_FACTOR x baseline + SLOW_MARGIN`` counts as overload.
    SLOW_FACTOR = 2.0
    SLOW_MARGIN = 0.1
    #: Seconds' worth of starts a short stall may make up at once, as the pacer's
    #: own burst allows.
    CATCH_UP = 0.05

    def __init__(
        self,
        cap: int,
        rate: float | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[object]] = anyio.sleep,
    ) -> None:
        if cap < 1:
            raise ValueError(f"concurrency must be at least 1, got {cap}")
        if rate is not None and not rate > 0:
            raise ValueError(f"rate must be positive, got {rate}")
        self.cap = cap
        self.rate = rate
        self.clock = clock
        self._sleep = sleep
        self.in_flight = 0
        self.baseline: float | None = None
        """The fastest answer so far, in seconds."""
        self._allowance = float(cap)
        self._cut_at = -math.inf
        self._next_start = -math.inf
        self._freed: anyio.Event | None = None

    @property
    def limit(self) -> int:
        """Calls that may be in flight now."""
        if self.rate is None:
            return self.cap
        latency = self.FIRST_GUESS if self.baseline is None else self.baseline * self.HEADROOM
        target = max(DEFAULT_CONCURRENCY, math.ceil(self.rate * latency))
        return max(1, min(self.cap, target, int(self._allowance)))

    async def acquire(self) -> None:
        """Wait for room in the window, then for this call's turn under the rate."""
        while self.in_flight >= self.limit:
            self._freed = anyio.Event()
            await self._freed.wait()
        self.in_flight += 1
        if self.rate is not None:
            now = self.clock()
            self._next_start = max(now - self.CATCH_UP, self._next_start + 1 / self.rate)
            if self._next_start > now:
                await self._sleep(self._next_start - now)

    def release(self, started: float, outcome: Outcome | None) -> None:
        """A call that began at ``started`` (by :attr:`clock`) ended with ``outcome``
        (``None``: it was never sent)."""
        self.in_flight -= 1
        if self._freed is not None:
            self._freed.set()
        if self.rate is None or outcome is None:
            return
        latency = self.clock() - started
        base = self.baseline
        if outcome == "ok" and base is not None:
            if latency > self.SLOW_FACTOR * base + self.SLOW_MARGIN:
                outcome = "overload"
        if outcome == "overload":
            if started >= self._cut_at:  # the calls already out were sized before the cut
                self._allowance = max(1.0, self.limit / 2)
                self._cut_at = self.clock()
            return
        self.baseline = latency if base is None else min(base, latency)
        if outcome == "ok":
            self._allowance = min(float(self.cap), self._allowance + 1)


def window_for(client: AgoraChatClient, endpoint: Endpoint, concurrency: int | None) -> Window:
    """The window of a bulk job: adaptive under the client's pacer, else fixed."""
    if concurrency is not None and (isinstance(concurrency, bool) or concurrency < 1):
        raise ValueError(f"concurrency must be at least 1 or None, got {concurrency!r}")
    pacer = client._pacer
    if pacer is None:
        return Window(concurrency or DEFAULT_CONCURRENCY)
    # A limiter that cannot tell its rate (a custom one) is taken to pace at the
    # documented rate; if it holds calls longer, they look slow and the window shrinks.
    rate_for = getattr(pacer, "rate_for", None)
    rate = rate_for(endpoint.limit_key, endpoint.rate) if callable(rate_for) else endpoint.rate
    return Window(concurrency or MAX_IN_FLIGHT, float(rate))


def _unexpected(endpoint: Endpoint, response: Any, exc: Exception) -> ResponseValidationError:
    """A 2xx answer the splitter could not read, as the error its chunk fails with."""
    try:
        body = msgspec.json.encode(response)
    except (TypeError, ValueError):
        body = repr(response).encode()
    return ResponseValidationError(
        f"{endpoint.name}: unexpected response body: {type(exc).__name__}: {exc}",
        endpoint=endpoint.name,
        status=200,  # some 2xx: only the decoded payload is known here
        body=body,
    )


async def _aiter(items: Iterable[Any] | AsyncIterable[Any]) -> AsyncGenerator[Any, None]:
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


async def run_bulk(
    client: AgoraChatClient,
    endpoint: Endpoint,
    items: Iterable[Any] | AsyncIterable[Any],
    *,
    concurrency: int | None,
    progress: ProgressCallback | None,
    stop_on_error: bool,
    timeout: Any,
    fixed: Mapping[str, Any] | None = None,
) -> BulkResult[Any, Any]:
    """Send ``items`` in chunks over parallel calls of ``endpoint`` (as many as the
    :class:`Window` allows, at most ``concurrency``); ``fixed`` arguments go unchanged
    into every call."""
    assert endpoint.bulk is not None
    window = window_for(client, endpoint, concurrency)
    fixed = {**dict(endpoint.bulk.preset), **(fixed or {})}
    client._check_args(endpoint, fixed)  # bad shared arguments fail now, not per chunk
    adapter = SPLITTERS[endpoint.bulk.splitter]
    size = endpoint.bulk.chunk_size
    total = len(items) if isinstance(items, list | tuple) else None
    result: BulkResult[Any, Any] = BulkResult()
    stopped = anyio.Event()

    def report() -> None:
        if progress is not None:
            progress(result.total, total)

    def fail(chunk: list[Any], reason: str, error: AgoraChatError) -> None:
        log.debug("bulk %s: chunk of %d failed: %s", endpoint.name, len(chunk), reason)
        result.failed.extend(BulkFailure(item, reason, error) for item in chunk)
        if stop_on_error:
            stopped.set()

    async def call(chunk: list[Any]) -> Outcome:
        """Send one chunk and account for its items; how it went, for the window."""
        try:
            if adapter.args is not None:
                args = {**fixed, **adapter.args(chunk)}
                response = await client._call(endpoint, args, timeout=timeout)
            else:
                response = await client._call(endpoint, {}, body=chunk, timeout=timeout)
        except ResponseValidationError as exc:  # a 2xx we cannot read: done or not?
            fail(chunk, f"{_UNKNOWN}: {exc}", exc)
            return "answered"
        except APIConnectionError as exc:  # timeouts too
            fail(chunk, f"{_UNANSWERED}: {exc}" if exc.sent else str(exc), exc)
            return "overload"
        except AgoraChatError as exc:
            fail(chunk, str(exc), exc)
            return "overload" if isinstance(exc, RateLimitError | ServerError) else "answered"
        try:
            done, failed = adapter.split(chunk, response)
            if not done and all(f.reason in _SILENT for f in failed):
                raise ValueError("the answer reports on none of the items sent")
        except (LookupError, TypeError, AttributeError, ValueError) as exc:
            # One guard for every splitter: an answer of another shape than expected
            # fails its chunk as "outcome unknown" and the job goes on.
            error = _unexpected(endpoint, response, exc)
            fail(chunk, f"{_UNKNOWN}: {error}", error)
            return "answered"
        result.succeeded.extend(done)
        result.failed.extend(failed)
        if failed and stop_on_error:
            stopped.set()
        return "ok"

    async def send(chunk: list[Any]) -> None:
        started = window.clock()
        outcome: Outcome | None = None
        try:
            if stopped.is_set():
                result.skipped.extend(BulkFailure(item, _STOPPED) for item in chunk)
                return
            result.calls += 1
            outcome = await call(chunk)
            report()
        finally:
            window.release(started, outcome)

    source = _aiter(items)
    source_error: Exception | None = None
    try:
        async with anyio.create_task_group() as tg:
            exhausted = False
            while not exhausted and not stopped.is_set():
                # Back-pressure: a chunk takes its place in the window before its first
                # item is read, so only the chunks in flight (or being filled) are in
                # memory.
                await window.acquire()
                chunk: list[Any] = []
                while len(chunk) < size and not stopped.is_set():
                    try:
                        raw = await anext(source)
                    except StopAsyncIteration:
                        exhausted = True
                        break
                    except Exception as exc:
                        # The input itself failed (a bad file, a dropped stream): let the
                        # chunks in flight finish, then raise it as is, not in a group.
                        source_error, exhausted = exc, True
                        break
                    try:
                        chunk.append(adapter.normalise(raw))
                    except (ValueError, TypeError, msgspec.ValidationError) as exc:
                        result.skipped.append(BulkFailure(raw, f"invalid: {exc}"))
                if chunk and not stopped.is_set():
                    tg.start_soon(send, chunk)
                    continue
                window.release(0.0, None)
                result.skipped.extend(BulkFailure(item, _STOPPED) for item in chunk)
        if source_error is not None:
            raise source_error
        if stopped.is_set():
            # Account for the rest of the input too: every item ends in the result.
            async for raw in source:
                result.skipped.append(BulkFailure(raw, _STOPPED))
    finally:
        await source.aclose()
    report()
    return result
