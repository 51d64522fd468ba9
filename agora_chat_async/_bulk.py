"""Bulk operations: any number of items, chunked to the endpoint's batch size.

Items stream in from any iterable or async iterable (millions of records stay in constant
memory: at most ``concurrency`` chunks are in flight). Every input item ends in the
result exactly once: succeeded, failed (with the server's reason) or skipped (invalid,
never sent).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncGenerator, AsyncIterable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import anyio
import msgspec

from ._errors import AgoraChatError
from ._validate import CHECKS
from .models.users import RegisterManyResponse, RegisterUser, User

if TYPE_CHECKING:
    from ._client import AgoraChatClient
    from ._spec import Endpoint

__all__ = ["BulkFailure", "BulkItems", "BulkResult", "ProgressCallback"]

log = logging.getLogger("agora_chat_async")

I = TypeVar("I")  # noqa: E741 -- input item
R = TypeVar("R")  # result item

#: Input of a bulk method: any iterable or async iterable of items.
BulkItems = Iterable[I] | AsyncIterable[I]

_STOPPED = "not sent: stopped after an earlier failure"

#: Called after each chunk with (items accounted for so far, total if known).
ProgressCallback = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class BulkFailure(Generic[I]):
    """An item that was not done, and why.

    Attributes:
        item: The input item.
        reason: The server's reason (or ours, for items skipped before sending).
        error: The exception behind a failed chunk, if any.
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
            reason = refused.get(key, "the server did not report this user as created")
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
    failed = [
        BulkFailure(name, "the server returned no message id for this user")
        for name in chunk
        if name not in response
    ]
    return done, failed


def _attributes_done(
    chunk: list[tuple[str, dict[str, str]]], response: dict[str, str]
) -> tuple[list[Any], list[BulkFailure[Any]]]:
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
                failed.append(BulkFailure(name, "the server did not report this user"))
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
            reason = reasons.get(name.lower(), "the server did not report this user")
            failed.append(BulkFailure(name, reason))
    return done, failed


def _label_users_done(chunk: list[str], response: Any) -> tuple[list[Any], list[BulkFailure[Any]]]:
    """Push label changes answer ``{"success": [names], "fail": {name: reason}}``; a name
    given twice may be in both (removed once, then missing)."""
    reasons = {name.lower(): reason for name, reason in response.fail.items()}
    return _match_listed(
        chunk,
        response.success,
        lambda key: reasons.get(key, "the server did not report this user"),
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
    concurrency: int,
    progress: ProgressCallback | None,
    stop_on_error: bool,
    timeout: Any,
    fixed: Mapping[str, Any] | None = None,
) -> BulkResult[Any, Any]:
    """Send ``items`` in chunks over ``concurrency`` parallel calls of ``endpoint``;
    ``fixed`` arguments go unchanged into every call."""
    assert endpoint.bulk is not None
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1, got {concurrency}")
    fixed = {**dict(endpoint.bulk.preset), **(fixed or {})}
    client._check_args(endpoint, fixed)  # bad shared arguments fail now, not per chunk
    adapter = SPLITTERS[endpoint.bulk.splitter]
    size = endpoint.bulk.chunk_size
    total = len(items) if isinstance(items, list | tuple) else None
    result: BulkResult[Any, Any] = BulkResult()
    slots = anyio.Semaphore(concurrency)
    stopped = anyio.Event()

    def report() -> None:
        if progress is not None:
            progress(result.total, total)

    async def send(chunk: list[Any]) -> None:
        try:
            if stopped.is_set():
                result.skipped.extend(BulkFailure(item, _STOPPED) for item in chunk)
                return
            result.calls += 1
            try:
                if adapter.args is not None:
                    args = {**fixed, **adapter.args(chunk)}
                    response = await client._call(endpoint, args, timeout=timeout)
                else:
                    response = await client._call(endpoint, {}, body=chunk, timeout=timeout)
            except AgoraChatError as exc:
                log.debug("bulk %s: chunk of %d failed: %s", endpoint.name, len(chunk), exc)
                result.failed.extend(BulkFailure(item, str(exc), exc) for item in chunk)
                if stop_on_error:
                    stopped.set()
            else:
                done, failed = adapter.split(chunk, response)
                result.succeeded.extend(done)
                result.failed.extend(failed)
                if failed and stop_on_error:
                    stopped.set()
            report()
        finally:
            slots.release()

    source = _aiter(items)
    source_error: Exception | None = None
    try:
        async with anyio.create_task_group() as tg:
            exhausted = False
            while not exhausted and not stopped.is_set():
                # Back-pressure: a chunk takes its slot before its first item is read, so
                # at most `concurrency` chunks (in flight or being filled) are in memory.
                await slots.acquire()
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
                slots.release()
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
