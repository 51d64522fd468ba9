"""The callbacks (webhooks) the emulator sends, as Agora's server does.

Sources: Agora's "Set up webhooks" and "Callbacks and events" pages, Easemob's pages
for the same service (message-sending callbacks, group/room events, callback storage).

Post-delivery. Every message stored (REST sends to users, groups and rooms, directed
group messages, room broadcasts, and the ``/__emulator/user_messages`` control path),
every recall and every group/room membership change is posted to the callback URL as
the documented JSON body, signed ``security = md5(callId + secret + timestamp)``:

- a message: ``eventType`` ``chat`` once, then ``chat_offline`` once per recipient who
  is offline (a one-to-one recipient whose message went to its offline store; each
  offline member of a group, ``to`` naming the member as in Easemob's example); chat
  rooms keep no offline messages, so they get none. ``callId`` is ``{appkey}_{msg_id}``
  (Easemob), so a ``chat`` and its ``chat_offline`` share one: receivers that guard
  against replays must key on more than ``callId``.
- a recall: ``chat_type`` ``recall``, the recall's own ``msg_id``, ``recall_id`` and
  ``payload.ack_message_id`` naming the recalled message.
- membership (``chat_type`` ``muc``): ``presence`` per member added (``from`` the
  member's JID, ``to`` the group), ``kick`` + ``absence`` per member removed, ``ban`` +
  ``absence`` per member blocked, ``destroy`` for a deleted group or room. ``kick`` and
  ``ban`` come ``from`` the app key (the REST caller) ``to`` the member, as in
  Easemob's examples. Event ``msg_id``s are 18-digit numbers of their own.

Each body has exactly the keys of its documented example (messages also the
``appkey``, ``host`` and ``content_type`` Easemob's common-parameter table adds).
Deliveries go through a bounded queue to a few workers that the app's start and
cleanup run and stop; the REST answer never waits for them. A delivery succeeds on
HTTP 200 with a body of at most 1,000 characters. After a failure (connection error,
a :data:`DELIVERY_TIMEOUT` of 5 s by default, another status, a longer body: Agora does
not document its own timeout) it is tried once more; if that fails too it is stored
under its event's 10-minute date key (UTC) for ``GET /callbacks/storage/info`` and
``POST /callbacks/storage/retry``. 90 failed attempts within 30 s disable the rule
for 5 minutes: deliveries made meanwhile are stored without being attempted. Times
come from the emulator's clock; stored sets are kept 3 days and may be redelivered
10 times. A full queue (10,000 waiting) stores the delivery instead of waiting; at
most 100,000 failed deliveries are kept (later ones are dropped and counted), so
memory stays bounded whatever the receiver does.

Pre-delivery applies to messages from ``/__emulator/user_messages`` only (Agora asks
it about client SDK messages). The request has the message callback's common fields
(no ``eventType``); the reply (HTTP 200, at most 1,000 characters) ``{"valid": true}``
passes, ``{"valid": false, "code"?}`` rejects, ``{"valid": true, "payload": {...}}``
passes with that payload (text only, as the original). Anything else (a timeout,
``pre_delivery_timeout`` 200 ms by default, a connection error, another status, a
longer body, no boolean ``valid``, a malformed ``payload``) takes the fallback action
(``"pass"`` by default, or ``"reject"`` with code ``custom internal error``).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

import aiohttp
import msgspec
from yarl import URL

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Mapping

    from ._state import EmulatorState, RoomRecord, SentMessage

__all__ = [
    "DELIVERY_TIMEOUT",
    "Callbacks",
    "PreDelivery",
    "check_url",
    "date_key",
]

DELIVERY_TIMEOUT = 5.0
"""Seconds a post-delivery attempt may take (Agora documents none; our choice)."""
PRE_DELIVERY_TIMEOUT = 0.2
"""Agora's default pre-delivery timeout (200 ms)."""
MAX_REPLY_CHARS = 1000
"""Longer replies fail (Agora takes them for attack packets)."""
QUEUE_SIZE = 10_000
WORKERS = 4
MAX_STORED = 100_000
"""Failed deliveries kept at most (over all sets); later ones are dropped and counted."""
SLICE_MS = 10 * 60 * 1000
"""Failed deliveries are grouped by 10-minute date keys."""
KEEP_STORED_MS = 3 * 24 * 3600 * 1000
MAX_REDELIVERIES = 10
BREAKER_FAILURES = 90
BREAKER_WINDOW_MS = 30_000
BREAKER_PAUSE_MS = 5 * 60 * 1000

SECURITY_VERSION = "1.0.0"
_STATUS_OK = {"description": "", "error_code": "ok"}
_FIRST_EVENT_ID = 976_428_411_540_998_500
_DATE_KEY = re.compile(r"\d{12}")

#: ``content_type`` per message type (Easemob's tables), after ``chat:{user|group|room}:``.
_CONTENT_TYPES = {
    "txt": "text",
    "img": "image",
    "audio": "voice",
    "loc": "location",
    "video": "video",
    "file": "file",
    "cmd": "command",
    "custom": "custom",
}
_SCOPES = {"chat": "user", "groupchat": "group", "chatroom": "room"}

Fallback = Literal["pass", "reject"]
_UNSET: Any = object()


def check_url(name: str, value: object) -> str | None:
    """An ``http(s)://host...`` URL, ``None`` (off), or ``ValueError``."""
    if value is None:
        return None
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            url = URL(value)
            if url.scheme in ("http", "https") and url.host:
                return value
    raise ValueError(f"{name} must be an http(s) URL or None, got {value!r}")


def date_key(ms: int) -> str:
    """The 10-minute date key (``YYYYMMDDHHmm``, UTC) of a time in ms."""
    start = ms - ms % SLICE_MS
    return datetime.fromtimestamp(start / 1000, UTC).strftime("%Y%m%d%H%M")


def _key_start(key: str) -> int | None:
    """The time (ms) a date key starts at, if it is one."""
    if not _DATE_KEY.fullmatch(key) or int(key[-2:]) % 10:
        return None
    try:
        moment = datetime.strptime(key, "%Y%m%d%H%M").replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(moment.timestamp() * 1000)


def sign(call_id: str, secret: str, timestamp: int) -> str:
    return hashlib.md5(f"{call_id}{secret}{timestamp}".encode()).hexdigest()


@dataclass(slots=True)
class Delivery:
    """One callback: its signed body, where it goes, when its event happened (ms)."""

    body: bytes
    url: str
    event_ms: int


@dataclass(slots=True)
class StoredSet:
    """The deliveries that failed within one 10-minute slice."""

    start_ms: int
    items: list[Delivery] = field(default_factory=list)
    retry: int = 0


@dataclass(frozen=True, slots=True)
class PreDelivery:
    """What the pre-delivery rule decided about a message.

    Attributes:
        passed: Whether the message goes on.
        code: The reply's ``code`` for a rejection (or the fallback's).
        payload: A replacement payload (``{"ext", "bodies"}``) the reply gave.
        outcome: ``passed``, ``rejected``, ``modified`` or ``fallback``.
    """

    passed: bool
    code: str | None = None
    payload: dict[str, Any] | None = None
    outcome: str = "passed"


class RedeliveryError(ValueError):
    """A refused ``POST /callbacks/storage/retry`` (answered 400)."""


class Callbacks:
    """The callback rule of one emulated app, its delivery queue and failed-set storage."""

    def __init__(self, state: EmulatorState, appkey: str) -> None:
        self.state = state
        self.appkey = appkey
        self.host = "localhost"
        """``host`` of the bodies; ``EmulatorServer`` sets its ``host:port``."""
        self.url: str | None = None
        self.secret: str | None = None
        self.timeout = DELIVERY_TIMEOUT
        self.pre_delivery_url: str | None = None
        self.pre_delivery_timeout = PRE_DELIVERY_TIMEOUT
        self.pre_delivery_fallback: Fallback = "pass"
        self.counters: dict[str, int] = dict.fromkeys(
            ("queued", "delivered", "failed_attempts", "stored", "overflowed", "dropped"), 0
        )
        self.pre_counters: dict[str, int] = dict.fromkeys(
            ("passed", "rejected", "modified", "fallback"), 0
        )
        self.stored: dict[str, StoredSet] = {}
        self._stored_count = 0
        self.queue_size = QUEUE_SIZE
        """Deliveries waiting at most; read when the app starts."""
        self._failures: deque[int] = deque()
        self.disabled_until: int | None = None
        self._events = 0
        self._in_flight = 0
        self._queue: asyncio.Queue[Delivery] | None = None
        self._workers: list[asyncio.Task[None]] = []
        self._session: aiohttp.ClientSession | None = None

    # -- settings ----------------------------------------------------------------------

    def configure(
        self,
        *,
        url: str | None = _UNSET,
        secret: str | None = _UNSET,
        timeout: float = _UNSET,
        pre_delivery_url: str | None = _UNSET,
        pre_delivery_timeout: float = _UNSET,
        pre_delivery_fallback: Fallback = _UNSET,
    ) -> None:
        """Change the settings named (all checked before any is changed); ``None``
        switches a URL off or clears the secret."""
        changes: dict[str, Any] = {}
        if url is not _UNSET:
            changes["url"] = check_url("callback_url", url)
        if pre_delivery_url is not _UNSET:
            changes["pre_delivery_url"] = check_url("pre_delivery_url", pre_delivery_url)
        if secret is not _UNSET:
            if secret is not None and not isinstance(secret, str):
                raise ValueError("callback_secret must be a string or None")
            changes["secret"] = secret
        for name, value in (("timeout", timeout), ("pre_delivery_timeout", pre_delivery_timeout)):
            if value is _UNSET:
                continue
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not number or not 0 < value <= 60:
                raise ValueError(f"{name} must be a number of seconds in (0, 60], got {value!r}")
            changes[name] = float(value)
        if pre_delivery_fallback is not _UNSET:
            if pre_delivery_fallback not in ("pass", "reject"):
                got = pre_delivery_fallback
                raise ValueError(f"pre_delivery_fallback must be 'pass' or 'reject', got {got!r}")
            changes["pre_delivery_fallback"] = pre_delivery_fallback
        for name, value in changes.items():
            setattr(self, name, value)

    def describe(self) -> dict[str, Any]:
        """The settings (never the secret, only whether one is set) and the counters."""
        return {
            "url": self.url,
            "secret_set": self.secret is not None,
            "timeout": self.timeout,
            "pre_delivery_url": self.pre_delivery_url,
            "pre_delivery_timeout": self.pre_delivery_timeout,
            "pre_delivery_fallback": self.pre_delivery_fallback,
            "disabled_until": self.disabled_until,
            "pending": self.pending,
            "deliveries": dict(self.counters),
            "pre_delivery": dict(self.pre_counters),
        }

    @property
    def pending(self) -> int:
        """Deliveries queued or in progress."""
        queue = self._queue
        return 0 if queue is None else queue.qsize() + self._in_flight

    def reset(self) -> None:
        """Forget stored sets, failures and counters (the settings stay)."""
        self.stored.clear()
        self._stored_count = 0
        self._failures.clear()
        self.disabled_until = None
        for counters in (self.counters, self.pre_counters):
            for key in counters:
                counters[key] = 0

    # -- lifecycle ---------------------------------------------------------------------

    async def lifespan(self, _app: object) -> AsyncIterator[None]:
        """An aiohttp ``cleanup_ctx``: workers run while the app does."""
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None), trust_env=False
        )
        self._queue = asyncio.Queue(self.queue_size)
        self._workers = [asyncio.create_task(self._work()) for _ in range(WORKERS)]
        try:
            yield
        finally:
            workers, self._workers = self._workers, []
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            session, self._session = self._session, None
            self._queue = None
            self._in_flight = 0
            await session.close()

    async def flush(self) -> None:
        """Wait until every queued delivery is done (delivered or stored)."""
        if self._queue is not None:
            await self._queue.join()

    # -- the bodies --------------------------------------------------------------------

    def _signed(self, body: dict[str, Any]) -> dict[str, Any]:
        body["security"] = sign(body["callId"], self.secret or "", body["timestamp"])
        return body

    def _event_id(self) -> str:
        self._events += 1
        return str(_FIRST_EVENT_ID + self._events)

    def _payload(self, message: SentMessage) -> dict[str, Any]:
        return {"ext": message.ext, "bodies": [{**message.body, "type": message.type}]}

    def _message_body(
        self, event: str, message_id: str, message: SentMessage, to: str, payload: Any
    ) -> dict[str, Any]:
        grouped = message.chat_type != "chat"
        body: dict[str, Any] = {
            "callId": f"{self.appkey}_{message_id}",
            "eventType": event,
            "timestamp": message.ms,
            "chat_type": "groupchat" if grouped else "chat",
        }
        if grouped:
            body["group_id"] = message.to
        body.update({"from": message.sender, "to": to, "msg_id": message_id})
        body["payload"] = payload
        body["securityVersion"] = SECURITY_VERSION
        self._signed(body)
        body.update(appkey=self.appkey, host=self.host, content_type=_content_type(message))
        return body

    def pre_delivery_body(self, message_id: str, message: SentMessage) -> dict[str, Any]:
        """The pre-delivery request for a message about to be stored."""
        grouped = message.chat_type != "chat"
        body: dict[str, Any] = {
            "callId": f"{self.appkey}_{uuid.uuid4()}",
            "timestamp": message.ms,
            "chat_type": "groupchat" if grouped else "chat",
        }
        if grouped:
            body["group_id"] = message.to
        body.update(
            {
                "from": message.sender,
                "to": message.to,
                "msg_id": message_id,
                "payload": self._payload(message),
                "securityVersion": SECURITY_VERSION,
            }
        )
        return self._signed(body)

    # -- what happened: the three kinds of post-delivery ---------------------------------

    def message_stored(self, message_id: str, message: SentMessage) -> None:
        """A message was stored: ``chat``, then ``chat_offline`` per offline recipient."""
        if self.url is None:
            return
        payload = self._payload(message)
        self._post(self._message_body("chat", message_id, message, message.to, payload))
        for user in self._offline_recipients(message_id, message):
            self._post(self._message_body("chat_offline", message_id, message, user, payload))

    def _offline_recipients(self, message_id: str, message: SentMessage) -> list[str]:
        state = self.state
        if message.chat_type == "chat":
            held = message_id in state.offline_messages(message.to)
            return [message.to] if held else []
        if message.chat_type == "chatroom":
            return []  # chat rooms keep no offline messages
        group = state.groups.get(message.to)
        members = message.users or (tuple(group.members) if group is not None else ())
        sender = message.sender.lower()
        return [m for m in members if m != sender and not state.is_online(m)]

    def recalled(self, message_id: str, message: SentMessage, by: str) -> None:
        """A message was recalled by ``by``."""
        if self.url is None:
            return
        event_id = self._event_id()
        body = {
            "chat_type": "recall",
            "callId": f"{self.appkey}_{event_id}",
            "security": "",
            "payload": {"ext": {}, "ack_message_id": message_id, "bodies": []},
            "host": self.host,
            "appkey": self.appkey,
            "from": by,
            "recall_id": message_id,
            "to": message.to,
            "eventType": "chat",
            "msg_id": event_id,
            "timestamp": self.state.now_ms(),
        }
        self._post(self._signed(body))

    def membership(self, room: RoomRecord, operation: str, user: str) -> None:
        """A group/room event about ``user``: ``presence`` (joined), ``absence`` (left),
        ``kick``/``ban`` (the app removed or blocked the member), ``destroy``."""
        if self.url is None:
            return
        payload: dict[str, Any] = {"muc_id": f"{self.appkey}_{room.id}@conference.easemob.com"}
        if operation in ("ban", "destroy"):
            payload["reason"] = ""
        payload.update(
            is_chatroom=room.kind == "chatroom", operation=operation, status=dict(_STATUS_OK)
        )
        if operation in ("presence", "absence"):
            sender, to = f"{self.appkey}_{user}@easemob.com", room.id
        else:
            sender, to = self.appkey, user
        event_id = self._event_id()
        body = {
            "chat_type": "muc",
            "callId": f"{self.appkey}_{event_id}",
            "security": "",
            "payload": payload,
            "group_id": room.id,
            "host": self.host,
            "appkey": self.appkey,
            "from": sender,
            "to": to,
            "eventType": "chat",
            "msg_id": event_id,
            "timestamp": self.state.now_ms(),
        }
        self._post(self._signed(body))

    # -- delivering ----------------------------------------------------------------------

    def _post(self, body: dict[str, Any]) -> None:
        assert self.url is not None
        delivery = Delivery(msgspec.json.encode(body), self.url, body["timestamp"])
        queue = self._queue
        self.counters["queued"] += 1
        if queue is None or queue.full():
            self.counters["overflowed"] += 1
            self._store(delivery)
            return
        queue.put_nowait(delivery)

    async def _work(self) -> None:
        assert self._queue is not None
        queue = self._queue
        while True:
            delivery = await queue.get()
            self._in_flight += 1
            try:
                await self._deliver(delivery)
            finally:
                self._in_flight -= 1
                queue.task_done()

    def _disabled(self) -> bool:
        until = self.disabled_until
        if until is not None and self.state.now_ms() >= until:
            self.disabled_until = until = None
        return until is not None

    async def _deliver(self, delivery: Delivery) -> None:
        for _ in range(2):  # one more attempt after a failure
            if self._disabled():
                break
            if await self._attempt(delivery.url, delivery.body):
                self.counters["delivered"] += 1
                return
            self._failed()
        self._store(delivery)

    def _failed(self) -> None:
        """Count a failed attempt; 90 within 30 s disable the rule for 5 minutes."""
        self.counters["failed_attempts"] += 1
        now = self.state.now_ms()
        failures = self._failures
        failures.append(now)
        while failures and failures[0] <= now - BREAKER_WINDOW_MS:
            failures.popleft()
        if len(failures) >= BREAKER_FAILURES:
            failures.clear()
            self.disabled_until = now + BREAKER_PAUSE_MS

    async def _attempt(self, url: str, body: bytes) -> bool:
        try:
            status, _ = await self._request(url, body, self.timeout)
        except (aiohttp.ClientError, TimeoutError, ValueError):
            return False
        return status == 200

    async def _request(self, url: str, body: bytes, timeout: float) -> tuple[int, str | None]:
        """POST ``body``; the status and the reply text (``None`` when over the limit).

        Raises:
            aiohttp.ClientError, TimeoutError: connection failures and timeouts.
            ValueError: a reply over 1,000 characters, or not UTF-8.
        """
        session = self._session
        if session is None:
            raise aiohttp.ClientConnectionError("the emulator is not running")
        headers = {"Content-Type": "application/json"}
        async with asyncio.timeout(timeout):
            async with session.post(url, data=body, headers=headers) as response:
                raw = bytearray()
                async for chunk in response.content.iter_any():
                    raw += chunk
                    if len(raw) > 4 * MAX_REPLY_CHARS:  # UTF-8: at most 4 bytes a character
                        break
                text = raw.decode()
                if len(text) > MAX_REPLY_CHARS:
                    raise ValueError("reply over 1,000 characters")
                return response.status, text

    # -- storage -------------------------------------------------------------------------

    def _store(self, delivery: Delivery) -> None:
        self._expire()
        if self._stored_count >= MAX_STORED:
            self.counters["dropped"] += 1
            return
        self.counters["stored"] += 1
        self._stored_count += 1
        key = date_key(delivery.event_ms)
        stored = self.stored.get(key)
        if stored is None:
            start = delivery.event_ms - delivery.event_ms % SLICE_MS
            stored = self.stored[key] = StoredSet(start)
        stored.items.append(delivery)

    def _expire(self) -> None:
        horizon = self.state.now_ms() - KEEP_STORED_MS
        for key in [k for k, s in self.stored.items() if s.start_ms + SLICE_MS <= horizon]:
            self._stored_count -= len(self.stored.pop(key).items)

    def storage_info(self) -> list[dict[str, Any]]:
        """``[{"date", "size", "retry"}]`` of the sets kept, oldest first."""
        self._expire()
        return [
            {"date": key, "size": len(s.items), "retry": s.retry}
            for key, s in sorted(self.stored.items())
        ]

    async def redeliver(self, date: str, target_url: str | None) -> bool:
        """Send a stored set again (to ``target_url``, or where each went first); the
        set stays stored and its retry count grows. True if every callback got 200.

        Raises:
            RedeliveryError: A bad or unknown date key, a set redelivered 10 times.
        """
        if _key_start(date) is None:
            raise RedeliveryError(f"date must be a date key YYYYMMDDHHmm (minutes by 10): {date}")
        self._expire()
        stored = self.stored.get(date)
        if stored is None:
            raise RedeliveryError(f"no callback data is stored under date {date}")
        if stored.retry >= MAX_REDELIVERIES:
            raise RedeliveryError(
                f"the callback data of {date} was resent {MAX_REDELIVERIES} times already"
            )
        stored.retry += 1
        limit = asyncio.Semaphore(WORKERS)

        async def resend(item: Delivery) -> bool:
            async with limit:
                return await self._attempt(target_url or item.url, item.body)

        results = await asyncio.gather(*(resend(item) for item in list(stored.items)))
        return all(results)

    # -- pre-delivery --------------------------------------------------------------------

    async def pre_deliver(self, message_id: str, message: SentMessage) -> PreDelivery:
        """Ask the pre-delivery URL about a message (pass when none is set)."""
        url = self.pre_delivery_url
        if url is None:
            return PreDelivery(True)
        body = msgspec.json.encode(self.pre_delivery_body(message_id, message))
        try:
            status, text = await self._request(url, body, self.pre_delivery_timeout)
            verdict = _verdict(text, message) if status == 200 else None
        except (aiohttp.ClientError, TimeoutError, ValueError):
            verdict = None
        if verdict is None:
            passed = self.pre_delivery_fallback == "pass"
            code = None if passed else "custom internal error"
            verdict = PreDelivery(passed, code, None, "fallback")
        self.pre_counters[verdict.outcome] += 1
        return verdict


def _verdict(text: str | None, message: SentMessage) -> PreDelivery | None:
    """The decision a pre-delivery reply states, or ``None`` for a malformed one."""
    try:
        reply = msgspec.json.decode(text or "")
    except msgspec.DecodeError:
        return None
    if not isinstance(reply, dict) or not isinstance(reply.get("valid"), bool):
        return None
    code = reply.get("code")
    if code is not None and not isinstance(code, str):
        return None
    if not reply["valid"]:
        return PreDelivery(False, "custom logic denied" if code is None else code, None, "rejected")
    payload = reply.get("payload")
    if payload is None:
        return PreDelivery(True)
    if not _text_payload(payload) or message.type != "txt":
        return None
    return PreDelivery(True, None, payload, "modified")


def _text_payload(payload: Mapping[str, Any] | Any) -> bool:
    """``{"ext"?: {...}, "bodies": [{"type": "txt", "msg": str}]}`` (text only)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("ext", {}), dict):
        return False
    bodies = payload.get("bodies")
    if not isinstance(bodies, list) or len(bodies) != 1 or not isinstance(bodies[0], dict):
        return False
    body = bodies[0]
    return body.get("type") == "txt" and isinstance(body.get("msg"), str)


def _content_type(message: SentMessage) -> str:
    """Easemob's ``content_type``: ``chat:{user|group|room}:{kind}``."""
    kind = _CONTENT_TYPES.get(message.type, "unknown")
    if message.type == "txt" and message.body.get("subType") == "sub_combine":
        kind = "txt"  # a combined message
    return f"chat:{_SCOPES[message.chat_type]}:{kind}"
