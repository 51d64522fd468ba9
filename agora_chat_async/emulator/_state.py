"""In-memory data of one emulated app: users, who is online, offline messages.

Usernames are stored and compared lower-cased (Agora is case-insensitive). Users live in
a dict by name and, for listing, in an append-only list in registration order: a
cursor is the sequence number of the next user, found again with ``bisect``, and
deleted users are skipped lazily and compacted away once they are a large share of
the list. A page therefore costs O(page + log n) whatever the number of users.

Memory grows only with the data stored; nothing else accumulates. All mutations are
synchronous (no ``await`` inside), so concurrent requests on the event loop never
interleave within one operation and no write is lost.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import time
import uuid
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

__all__ = [
    "Clock",
    "EmulatorState",
    "FileRecord",
    "PushLabelRecord",
    "ReactionRecord",
    "RoomRecord",
    "SentMessage",
    "SharedFile",
    "ThreadRecord",
    "UserRecord",
    "decode_cursor",
    "encode_cursor",
]

#: Returns the current Unix time in seconds (``time.time`` unless injected).
Clock = Callable[[], float]

_UUID_EPOCH = 0x01B21DD213814000  # 1582-10-15 -> 1970-01-01 in 100 ns units


def uuid1_like(ms: int, seq: int, node: int) -> str:
    """A time-based (version 1) UUID string built from our clock, not the system's.

    ``seq`` keeps UUIDs made in the same millisecond apart (low ticks, clock sequence).
    """
    ticks = _UUID_EPOCH + ms * 10_000 + seq % 10_000
    clock_seq = (seq // 10_000) & 0x3FFF
    return (
        f"{ticks & 0xFFFF_FFFF:08x}-{(ticks >> 32) & 0xFFFF:04x}-"
        f"{((ticks >> 48) & 0x0FFF) | 0x1000:04x}-{0x8000 | clock_seq:04x}-{node:012x}"
    )


class UserRecord:
    """One registered user. ``entity()`` renders it as Agora's user JSON object."""

    __slots__ = (
        "activated",
        "created",
        "deleted",
        "display_style",
        "modified",
        "nickname",
        "no_disturbing",
        "no_disturbing_end",
        "no_disturbing_start",
        "password",
        "seq",
        "username",
        "uuid",
    )

    def __init__(
        self,
        username: str,
        uuid: str,
        seq: int,
        created: int,
        password: str | None = None,
        nickname: str | None = None,
    ) -> None:
        self.username = username
        self.uuid = uuid
        self.seq = seq
        self.created = created
        self.modified = created
        self.activated = True
        self.deleted = False
        self.password = password
        self.nickname = nickname
        self.display_style: int | None = None
        self.no_disturbing: bool | None = None
        self.no_disturbing_start: int | None = None
        self.no_disturbing_end: int | None = None

    def entity(self) -> dict[str, Any]:
        """The user as the API shows it; push fields only once set."""
        out: dict[str, Any] = {
            "uuid": self.uuid,
            "type": "user",
            "created": self.created,
            "modified": self.modified,
            "username": self.username,
            "activated": self.activated,
        }
        if self.nickname is not None:
            out["nickname"] = self.nickname
        if self.display_style is not None:
            out["notification_display_style"] = self.display_style
        if self.no_disturbing is not None:
            out["notification_no_disturbing"] = self.no_disturbing
        if self.no_disturbing_start is not None:
            out["notification_no_disturbing_start"] = self.no_disturbing_start
        if self.no_disturbing_end is not None:
            out["notification_no_disturbing_end"] = self.no_disturbing_end
        return out

    def __repr__(self) -> str:
        return f"UserRecord({self.username!r}, seq={self.seq}, activated={self.activated})"


@dataclass(eq=False, slots=True)
class RoomRecord:
    """A chat group or a chat room: settings, roles and the lists kept about members.

    ``members`` holds every member in joining order, the owner included; ``admins`` is a
    subset of it. Usernames are lower-cased like the users' keys.
    """

    kind: Literal["group", "chatroom"]
    id: str
    seq: int
    """Creation order, for cursors (newest first)."""
    owner: str
    created: int
    modified: int = 0
    """Last change of the settings (ms)."""
    name: str = ""
    description: str = ""
    avatar: str = ""
    custom: str = ""
    maxusers: int = 200
    public: bool = False
    membersonly: bool = False
    allowinvites: bool = False
    invite_need_confirm: bool = True
    disabled: bool = False
    announcement: str = ""
    muted_all: bool = False
    members: dict[str, None] = field(default_factory=dict)
    admins: dict[str, None] = field(default_factory=dict)
    blocked: dict[str, int] = field(default_factory=dict)
    """Blocked users and their block's sequence number (``EmulatorState.blocks_made``)."""
    allowed: dict[str, None] = field(default_factory=dict)
    muted: dict[str, int] = field(default_factory=dict)
    """Muted users and when the mute expires (ms; -1: never)."""
    room_attributes: dict[str, tuple[str, str, bool]] = field(default_factory=dict)
    """Chat room custom attributes: key -> (value, member who set it, whether it goes
    when that member leaves)."""
    shared_files: dict[str, SharedFile] = field(default_factory=dict)
    """Files shared in a group, by file id, in upload order."""
    member_attributes: dict[str, dict[str, str]] = field(default_factory=dict)
    """Group member custom attributes: member -> {key: value}."""


@dataclass(eq=False, slots=True)
class ThreadRecord:
    """A thread of a chat group, started on one of the group's messages."""

    id: str
    seq: int
    group_id: str
    message_id: str
    name: str
    owner: str
    created: int
    members: dict[str, int] = field(default_factory=dict)
    """Members and when they joined (ms)."""


@dataclass(eq=False, slots=True)
class FileRecord:
    """An uploaded file (``/chatfiles``)."""

    filename: str
    content_type: str
    data: bytes
    secret: str
    restricted: bool


@dataclass(eq=False, slots=True)
class SharedFile:
    """A file shared in a group (``/chatgroups/{id}/share_files``)."""

    name: str
    owner: str
    data: bytes
    created: int
    restricted: bool


@dataclass(eq=False, slots=True)
class SentMessage:
    """A message as sent (one per recipient), kept for recall and the history files."""

    sender: str
    to: str
    chat_type: Literal["chat", "groupchat", "chatroom"]
    ms: int
    """When it was sent (ms)."""
    type: str
    body: dict[str, Any]
    ext: dict[str, Any]
    users: tuple[str, ...] = ()
    """A directed group message: the members it was sent to (lower-cased)."""
    edits: int = 0
    """How many times it was rewritten (``PUT /messages/rewrite/{msg_id}``)."""


@dataclass(eq=False, slots=True)
class ReactionRecord:
    """One emoji on one message and the users who added it."""

    id: str
    created: int
    """When the first user added it (ms)."""
    updated: int
    """When a user last added it (ms)."""
    users: dict[str, int] = field(default_factory=dict)
    """Users in the order they added it, with the sequence number of their adding
    (``EmulatorState.reactions_made``; detail-page cursors name it)."""


@dataclass(eq=False, slots=True)
class PushLabelRecord:
    """A push label and the users carrying it."""

    name: str
    """As created (labels compare case-insensitively)."""
    description: str
    created: int
    seq: int
    """Creation order, for cursors (newest first)."""
    users: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Users (lower-cased) in the order they got the label: (when (ms), sequence number
    of the labelling, for cursors)."""


#: Called with (state, lower-cased username) after a user is deleted, so that each API
#: area forgets the user in its own data (contacts, groups, threads ...).
UserRemovedHook = Callable[["EmulatorState", str], None]


def encode_cursor(seq: int, what: str = "users") -> str:
    """Opaque cursor naming the next item to return by its sequence number among ``what``
    (base64, like Agora's)."""
    return base64.b64encode(f"-{seq}:{what}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str, what: str = "users") -> int | None:
    """The sequence number inside a cursor, or ``None`` if it is not one of ours for
    ``what``."""
    try:
        text = base64.b64decode(cursor + "=" * (-len(cursor) % 4), validate=True).decode()
        number, _, suffix = text.partition(":")
        if not number.startswith("-") or suffix != what:
            return None
        return int(number[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


class EmulatorState:
    """All data of one emulated app.

    Args:
        clock: Source of ``created``/``modified``/``timestamp`` values (Unix seconds).
    """

    #: Dead entries tolerated in the ordered list before it is compacted.
    COMPACT_MIN = 1024

    def __init__(self, clock: Clock | None = None) -> None:
        self.clock: Clock = clock or time.time
        self._node = secrets.randbits(48) | (1 << 40)  # multicast bit: not a real MAC
        self.app_uuid = uuid1_like(self.now_ms(), secrets.randbelow(10_000), self._node)
        self.reset()

    def reset(self) -> None:
        """Forget every user and everything attached to them."""
        self.users: dict[str, UserRecord] = {}
        self._order: list[UserRecord] = []
        self._head = 0  # every entry before it is deleted
        self._dead = 0  # deleted entries still in _order
        self._seq = 0
        self.online: set[str] = set()
        self.devices: dict[str, dict[str, tuple[str, str]]] = {}
        """Devices of online users: username -> resource -> (device uuid, device name);
        a user is online while it has one (``set_online`` keeps both in step)."""
        self.remarks: dict[tuple[str, str], str] = {}
        """Contact remarks by (owner, contact)."""
        self.notification: dict[tuple[str, str, str], dict[str, Any]] = {}
        """Push notification settings by (user, chat type, key)."""
        self.push_language: dict[str, str] = {}
        """Preferred push language by user."""
        self.global_mutes: dict[str, dict[str, int]] = {}
        """Global mutes: username -> chat type -> end (Unix s; -1: for ever)."""
        self.undelivered: dict[str, set[str]] = {}
        """Offline message ids still stored for a user (filled by the messages area)."""
        self.attributes: dict[str, dict[str, str]] = {}
        """User attributes (metadata) by lower-cased username."""
        self.messages_sent = 0
        self.groups: dict[str, RoomRecord] = {}
        self.chatrooms: dict[str, RoomRecord] = {}
        self.sent: dict[str, SentMessage] = {}
        """Sent (and imported) messages by id, in sending order (recall, rewrite, history
        files); see ``record_sent``."""
        self.group_messages: dict[str, str] = {}
        """Message id -> id of the chat group it was sent to (threads start on one)."""
        self.threads: dict[str, ThreadRecord] = {}
        self.contacts: dict[str, dict[str, int]] = {}
        """Contacts (friends) by owner, in the order they were added, with the sequence
        number of their adding (``contacts_made``; paged-list cursors name it)."""
        self.contacts_made = 0
        self.blocks: dict[str, dict[str, int]] = {}
        """The users each user has blocked, in the order they were blocked, with their
        block's sequence number."""
        self.blocks_made = 0
        """Blocks made so far, by users and in groups: the sequence number of the last
        one (blocklist cursors name a block by its number)."""
        self._ids = 0
        self.files: dict[str, FileRecord] = {}
        """Uploaded files by uuid (bounded by what is stored, like everything else)."""
        self.files_stored = 0
        self.super_admins: dict[str, None] = {}
        """Chat room super admins (app-level), in the order they were added."""
        self.presence: dict[str, dict[str, Any]] = {}
        """Presence by user: ``{"ext", "last_time" (Unix s), "status": {resource: state}}``."""
        self.presence_subs: dict[str, dict[str, int]] = {}
        """Presence subscriptions: subscriber -> user -> end (Unix s), oldest first."""
        self.push_templates: dict[str, dict[str, Any]] = {}
        """Push templates by name, as answered."""
        self.reactions: dict[str, dict[str, ReactionRecord]] = {}
        """Reactions by message id, then by emoji, in the order they were created; they
        go with their message (see ``record_sent``)."""
        self.reactions_made = 0
        self.push_labels: dict[str, PushLabelRecord] = {}
        """Push labels by lower-cased name, in creation order."""
        self.push_tasks: dict[int, int] = {}
        """Push tasks not started yet: task id -> start (Unix ms)."""
        self.push_made = 0
        """Labels, labellings, push tasks and chat room broadcasts made so far (their
        sequence numbers and ids come from it)."""

    #: Hooks the API areas register at import time; see ``UserRemovedHook``.
    user_removed: ClassVar[list[UserRemovedHook]] = []

    def next_id(self) -> tuple[str, int]:
        """A new group, chat room or thread id (a 15-digit decimal string, increasing,
        as Agora's look) and its sequence number."""
        self._ids += 1
        return str(212_126_099_636_225 + self._ids), self._ids

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    # -- users -------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.users)

    def get(self, username: str) -> UserRecord | None:
        return self.users.get(username.lower())

    def add_user(
        self, username: str, *, password: str | None = None, nickname: str | None = None
    ) -> UserRecord:
        """Store a new user (the caller has checked the name is free and legal)."""
        key = username.lower()
        assert key not in self.users, key
        self._seq += 1
        now = self.now_ms()
        record = UserRecord(
            key, uuid1_like(now, self._seq, self._node), self._seq, now, password, nickname
        )
        self.users[key] = record
        self._order.append(record)
        return record

    def remove_user(self, username: str) -> UserRecord | None:
        record = self.users.pop(username.lower(), None)
        if record is None:
            return None
        record.deleted = True
        self._dead += 1
        self.go_offline(record.username)
        self.undelivered.pop(record.username, None)
        self.attributes.pop(record.username, None)
        for hook in self.user_removed:
            hook(self, record.username)
        self._maybe_compact()
        return record

    def touch(self, record: UserRecord) -> None:
        record.modified = self.now_ms()

    def page(self, after: int | None, limit: int) -> tuple[list[UserRecord], int | None]:
        """Up to ``limit`` users from sequence number ``after`` on, oldest first, and
        the sequence number of the next user if there is one."""
        records = list(self._iter_from(after, limit + 1))
        if len(records) > limit:
            return records[:limit], records[limit].seq
        return records, None

    def _iter_from(self, seq: int | None, limit: int) -> Iterator[UserRecord]:
        order = self._order
        self._skip_dead_head()
        start = self._head
        if seq is not None:
            start = max(start, bisect_left(order, seq, lo=start, key=_seq_of))
        taken = 0
        for i in range(start, len(order)):
            if taken >= limit:
                return
            record = order[i]
            if not record.deleted:
                taken += 1
                yield record

    def _skip_dead_head(self) -> None:
        order, head = self._order, self._head
        while head < len(order) and order[head].deleted:
            head += 1
        self._head = head

    def _maybe_compact(self) -> None:
        if self._dead >= self.COMPACT_MIN and self._dead * 2 >= len(self._order):
            self._order = [r for r in self._order if not r.deleted]
            self._head = 0
            self._dead = 0

    # -- presence and offline messages -------------------------------------------------

    #: The device resource of ``set_online`` calls that name none.
    DEFAULT_RESOURCE = "emulator"

    def set_online(
        self,
        usernames: str | Iterable[str],
        online: bool = True,
        *,
        resource: str | None = None,
        device_name: str = "emulator",
    ) -> None:
        """Mark registered users online (or offline), as a connected SDK would.

        Online, a user is logged in on device ``resource`` (:data:`DEFAULT_RESOURCE` if
        none is named); offline with a ``resource`` logs out of that device only (the
        user stays online on its others), without one out of every device.

        Raises:
            KeyError: If a user does not exist.
        """
        names = [usernames] if isinstance(usernames, str) else list(usernames)
        keys = [n.lower() for n in names]
        missing = [n for n, k in zip(names, keys, strict=True) if k not in self.users]
        if missing:
            raise KeyError(f"no such user: {', '.join(missing)}")
        for key in keys:
            if online:
                device = (str(uuid.uuid4()), device_name)
                self.devices.setdefault(key, {})[resource or self.DEFAULT_RESOURCE] = device
                self.online.add(key)
            elif resource is None:
                self.go_offline(key)
            else:
                self.drop_device(key, resource)

    def go_offline(self, username: str) -> None:
        """Log a user out of every device."""
        key = username.lower()
        self.online.discard(key)
        self.devices.pop(key, None)

    def drop_device(self, username: str, resource: str) -> bool:
        """Log a user out of one device (offline once none is left); False if it was
        not logged in there."""
        key = username.lower()
        devices = self.devices.get(key, {})
        if devices.pop(resource, None) is None:
            return False
        if not devices:
            self.go_offline(key)
        return True

    def is_online(self, username: str) -> bool:
        return username.lower() in self.online

    def next_message_id(self) -> str:
        """A new message id: a 19-digit decimal string, increasing, as Agora's look."""
        self.messages_sent += 1
        return str(1_029_457_500_870_543_736 + self.messages_sent)

    def issued_message_id(self, message_id: str) -> bool:
        """Whether ``next_message_id`` gave out this id (kept or not any more)."""
        first = 1_029_457_500_870_543_737
        return message_id.isdigit() and first <= int(message_id) < first + self.messages_sent

    def deliver(self, username: str, message_id: str, *, online_only: bool = False) -> None:
        """Hand a message to a user: stored as undelivered while the user is offline
        (dropped instead for ``ROUTE_ONLINE``); unknown users receive nothing."""
        key = username.lower()
        if key in self.users and key not in self.online and not online_only:
            self.undelivered.setdefault(key, set()).add(message_id)

    #: Sent messages are kept this long (ms): Agora lets them be recalled and rewritten
    #: for 7 days (its limitations page); history files cover the last 3 of them.
    KEEP_SENT_MS = 7 * 24 * 3600 * 1000

    def record_sent(self, message_id: str, message: SentMessage) -> None:
        """Keep a sent message, forgetting those older than ``KEEP_SENT_MS`` (the
        dict is in sending order, so they are at its front; an imported message may
        carry an older time, and goes once it reaches the front)."""
        sent = self.sent
        horizon = self.now_ms() - self.KEEP_SENT_MS
        while sent:
            oldest = next(iter(sent))
            if sent[oldest].ms >= horizon:
                break
            del sent[oldest]
            self.reactions.pop(oldest, None)
        sent[message_id] = message

    def offline_messages(self, username: str) -> set[str]:
        """Ids of the messages stored for ``username`` until it comes online."""
        return self.undelivered.get(username.lower(), set())


def _seq_of(record: UserRecord) -> int:
    return record.seq
