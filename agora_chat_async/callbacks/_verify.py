"""Verifying that a callback comes from Agora: signature, freshness, and replays.

Agora signs every callback with ``security = md5_hex(callId + secret + timestamp)``
(``timestamp``: the body's decimal milliseconds) and ``securityVersion`` "1.0.0".
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Literal, Protocol

from agora_chat_async.callbacks._errors import (
    CallbackSignatureError,
    ReplayedCallbackError,
    StaleCallbackError,
)
from agora_chat_async.callbacks._events import CallbackEvent, CallbackHead, decode_event, read_head

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "CallbackVerifier",
    "MemoryReplayGuard",
    "RedisReplayGuard",
    "ReplayGuard",
    "sign",
]

#: The only scheme Agora documents. Any other value is refused: a future scheme would
#: sign differently, and accepting it unchecked would let anyone through.
SECURITY_VERSIONS = frozenset({"1.0.0"})

#: Default tolerance (seconds) between a callback's ``timestamp`` and now. Message
#: callbacks carry the time Agora *received the message*, not the time of sending the
#: callback; Agora retries a failed delivery once (Easemob: after 60 s without an answer),
#: and busy servers queue callbacks. Ten minutes leaves room for that and for clock skew
#: while still bounding how long a captured request can be replayed.
DEFAULT_TOLERANCE = 600.0


def sign(call_id: str, secret: str, timestamp: int | str) -> str:
    """The ``security`` value Agora sends for these fields (for tests and emulators)."""
    data = f"{call_id}{secret}{timestamp}".encode("utf-8", "surrogatepass")
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


class ReplayGuard(Protocol):
    """Remembers acknowledged ``callId`` values; share one between processes by
    backing it with a common store (see :class:`RedisReplayGuard`)."""

    async def claim(self, call_id: str, ttl: float) -> bool:
        """Remember ``call_id`` for ``ttl`` seconds; ``False`` if it already was."""
        ...

    async def release(self, call_id: str) -> None:
        """Forget ``call_id``: the delivery was not acknowledged, so Agora's retry
        (which reuses the callId) must get through."""
        ...


class MemoryReplayGuard:
    """In-process replay guard: at most ``max_size`` ids, each for its ``ttl``.

    When full, the oldest id is forgotten first (a replay of it would then pass the guard,
    though not the timestamp check once it is older than the tolerance).
    """

    def __init__(self, max_size: int = 100_000, *, clock: Callable[[], float] = time.monotonic):
        if max_size < 1:
            raise ValueError(f"max_size must be >= 1, got {max_size}")
        self.max_size = max_size
        self._clock = clock
        self._expiry: OrderedDict[str, float] = OrderedDict()

    def __len__(self) -> int:
        return len(self._expiry)

    async def claim(self, call_id: str, ttl: float) -> bool:
        now = self._clock()
        expiry = self._expiry
        # Entries are in claim order with one ttl per verifier, so the expired ones are
        # at the front.
        while expiry:
            oldest, until = next(iter(expiry.items()))
            if until > now:
                break
            del expiry[oldest]
        if call_id in expiry:
            return False
        expiry[call_id] = now + ttl
        while len(expiry) > self.max_size:
            expiry.popitem(last=False)
        return True

    async def release(self, call_id: str) -> None:
        self._expiry.pop(call_id, None)


class RedisReplayGuard:
    """Replay guard shared through Redis (``SET key NX PX``), for several processes.

    Args:
        redis: A ``redis.asyncio.Redis`` (or anything with the same ``set``/``delete``).
        prefix: Key prefix.
    """

    def __init__(self, redis: Any, *, prefix: str = "agora:callback:") -> None:
        self._redis = redis
        self._prefix = prefix

    async def claim(self, call_id: str, ttl: float) -> bool:
        key = self._prefix + call_id
        return bool(await self._redis.set(key, b"1", nx=True, px=max(1, int(ttl * 1000))))

    async def release(self, call_id: str) -> None:
        await self._redis.delete(self._prefix + call_id)


class CallbackVerifier:
    """Checks callbacks: signature (constant-time), ``securityVersion``, timestamp, replay.

    Args:
        secret: The callback rule's secret (Agora Console).
        tolerance: Most seconds between ``timestamp`` and now, either way; ``None`` turns
            the check off (e.g. while a ``callbacks/storage/retry`` job resends stored
            callbacks, whose timestamps may be days old: the docs do not say whether they
            are signed again).
        replay_window: Seconds an acknowledged ``callId`` is remembered; defaults to
            twice the tolerance (a body older than that fails the timestamp check anyway),
            or one hour without a tolerance.
        replay_guard: Where the ids are remembered: a :class:`MemoryReplayGuard` by
            default, your own shared one, or ``False`` for no replay check.
        clock: Unix time in seconds.

    ``callId`` is remembered only when the receiver acknowledges a delivery (answers 2xx):
    a refused or failed delivery is forgotten, so Agora's own retry (same callId) is
    accepted. A post-delivery callback is acknowledged as soon as it is verified and
    queued (Agora does not retry after a 200 whatever the handler does later).
    """

    def __init__(
        self,
        secret: str,
        *,
        tolerance: float | None = DEFAULT_TOLERANCE,
        replay_window: float | None = None,
        replay_guard: ReplayGuard | Literal[False] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not secret:
            raise ValueError("the callback secret is empty")
        if tolerance is not None and tolerance <= 0:
            raise ValueError(f"tolerance must be > 0 seconds or None, got {tolerance}")
        self._secret = secret
        self.tolerance = tolerance
        if replay_window is None:
            replay_window = 2 * tolerance if tolerance is not None else 3600.0
        if replay_window <= 0:
            raise ValueError(f"replay_window must be > 0 seconds, got {replay_window}")
        self.replay_window = replay_window
        self.replay_guard: ReplayGuard | None = (
            None if replay_guard is False else replay_guard or MemoryReplayGuard()
        )
        self._clock = clock

    def __repr__(self) -> str:  # never the secret
        return f"CallbackVerifier(tolerance={self.tolerance}, replay_window={self.replay_window})"

    def check(self, head: CallbackHead) -> None:
        """Check the signature, its version and the timestamp of a decoded head.

        Raises:
            CallbackSignatureError: ``security`` missing or wrong, unknown version.
            StaleCallbackError: ``timestamp`` outside the tolerance.
        """
        call_id = head.call_id
        version = head.security_version
        # Absent is accepted: most documented examples (login, recall, group events,
        # Easemob's pre-delivery) leave securityVersion out.
        if version is not None and version not in SECURITY_VERSIONS:
            raise CallbackSignatureError(
                f"unsupported securityVersion {version[:20]!r} (callId {call_id!r})",
                call_id=call_id,
            )
        if not head.security:
            raise CallbackSignatureError(
                f"callback without a security signature (callId {call_id!r})", call_id=call_id
            )
        expected = sign(call_id, self._secret, head.timestamp).encode()
        if not hmac.compare_digest(expected, head.security.encode("utf-8", "replace")):
            raise CallbackSignatureError(
                f"callback signature does not match (callId {call_id!r})", call_id=call_id
            )
        if self.tolerance is not None:
            timestamp = head.timestamp
            if isinstance(timestamp, str):
                if not (timestamp.isascii() and timestamp.isdigit()):
                    raise StaleCallbackError(
                        f"callback timestamp is not a number (callId {call_id!r})",
                        call_id=call_id,
                    )
                timestamp = int(timestamp)
            age = self._clock() - timestamp / 1000
            if abs(age) > self.tolerance:
                raise StaleCallbackError(
                    f"callback timestamp is {abs(age):.0f} s in the "
                    f"{'past' if age > 0 else 'future'}, beyond the {self.tolerance:.0f} s "
                    f"tolerance (callId {call_id!r})",
                    call_id=call_id,
                )

    def authenticate(self, body: bytes) -> CallbackEvent:
        """Decode ``body`` and check it (no replay check: see :meth:`claim`).

        Raises:
            MalformedCallbackError, CallbackSignatureError, StaleCallbackError.
        """
        head = read_head(body)
        self.check(head)
        return decode_event(body, head)

    async def claim(
        self, call_id: str, event_type: str | None = None, to: str | None = None
    ) -> None:
        """Record ``call_id`` as acknowledged.

        ``event_type`` and ``to`` keep ``chat_offline`` callbacks apart from the ``chat``
        one and from each other: message callbacks share a callId (``{appkey}_{msg_id}``),
        a rule that selects both kinds sends the two for a message to an offline user,
        and a group message sends one ``chat_offline`` per offline member (``to``).

        Raises:
            ReplayedCallbackError: It already was, within the replay window.
        """
        if self.replay_guard is not None and not await self.replay_guard.claim(
            _replay_key(call_id, event_type, to), self.replay_window
        ):
            raise ReplayedCallbackError(
                f"callback already acknowledged (callId {call_id!r})", call_id=call_id
            )

    async def release(
        self, call_id: str, event_type: str | None = None, to: str | None = None
    ) -> None:
        """Forget ``call_id`` (its delivery was not acknowledged after all)."""
        if self.replay_guard is not None:
            await self.replay_guard.release(_replay_key(call_id, event_type, to))

    async def verify(self, body: bytes) -> CallbackEvent:
        """:meth:`authenticate`, then :meth:`claim`: for code that acknowledges right
        after (call :meth:`release` if it ends up not answering 2xx)."""
        event = self.authenticate(body)
        await self.claim(*replay_fields(event))
        return event


def replay_fields(event: CallbackEvent) -> tuple[str, str | None, str | None]:
    """What tells one delivery from another: ``(callId, eventType, to)``."""
    to = getattr(event, "to", None)
    return event.call_id, event.event_type, to if isinstance(to, str) else None


def _replay_key(call_id: str, event_type: str | None, to: str | None) -> str:
    if event_type != "chat_offline":
        return call_id
    return f"{call_id}|offline|{to}" if to else f"{call_id}|offline"
