"""Typed callback bodies, and the decoder that picks the type of each body.

Agora tells its callback kinds apart by several keys at once (``eventType``, ``chat_type``,
``payload.type``, and for some kinds the absence of ``eventType``), so one msgspec tag field
cannot carry them all. Decoding is therefore two cheap steps: a small :class:`CallbackHead`
(the signed fields and the discriminating keys; msgspec skips everything else without
building it), then one typed decode with a cached decoder chosen from a table. Message
bodies (``payload.bodies``) are a real tagged union on ``type``. A body this module does
not know (new kind, or a known kind whose fields have unexpected types) becomes a
:class:`GenericEvent` with the raw fields instead of failing.

Sources: AgoraIO/Docs-Source ``shared/chat-sdk/reference/_callbacks-events.mdx`` and
``shared/chat-sdk/develop/_setup-webhooks.mdx``; Easemob's ``callback_*.md`` pages
(easemob/easemob-doc ``docs/document/server-side``) for the kinds Agora's page leaves out
(file messages, reactions, threads, edits, group read receipts).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import msgspec

from agora_chat_async.callbacks._errors import MalformedCallbackError

__all__ = [
    "AudioBody",
    "CallbackEvent",
    "CallbackHead",
    "CommandBody",
    "ContactEvent",
    "ContactPayload",
    "ConversationAckEvent",
    "CustomBody",
    "FileBody",
    "GenericEvent",
    "GroupEvent",
    "GroupPayload",
    "ImageBody",
    "LocationBody",
    "MessageBody",
    "MessageEditEvent",
    "MessageEvent",
    "MessagePayload",
    "ModerationEvent",
    "OfflinePushEvent",
    "PreDeliveryRequest",
    "ReactionEvent",
    "ReadAckEvent",
    "RecallEvent",
    "TextBody",
    "ThreadEvent",
    "UnknownBody",
    "UserStatusEvent",
    "VideoBody",
    "decode_event",
    "read_head",
]


def _from() -> Any:
    return msgspec.field(name="from", default=None)


# -- message bodies (payload.bodies[i], a tagged union on "type") -------------------------


class Size(msgspec.Struct, kw_only=True):
    width: int = 0
    height: int = 0


class _Body(msgspec.Struct, tag_field="type", kw_only=True):
    pass


class TextBody(_Body, tag="txt", kw_only=True):
    """``txt``. A combined (forwarded chat history) message is also ``txt``, with
    ``sub_type == "sub_combine"`` and its attachment fields set."""

    msg: str = ""
    sub_type: str | None = msgspec.field(name="subType", default=None)
    title: str | None = None
    summary: str | None = None
    combine_level: int | None = msgspec.field(name="combineLevel", default=None)
    url: str | None = None
    filename: str | None = None
    secret: str | None = None
    file_length: int | None = None

    @property
    def is_combined(self) -> bool:
        return self.sub_type == "sub_combine"


class ImageBody(_Body, tag="img", kw_only=True):
    url: str = ""
    filename: str = ""
    secret: str | None = None
    file_length: int | None = None
    size: Size | None = None


class AudioBody(_Body, tag="audio", kw_only=True):
    url: str = ""
    filename: str = ""
    secret: str | None = None
    file_length: int | None = None
    length: int | None = None
    """Seconds."""


class VideoBody(_Body, tag="video", kw_only=True):
    url: str = ""
    filename: str = ""
    secret: str | None = None
    file_length: int | None = None
    length: int | None = None
    """Seconds."""
    thumb: str | None = None
    thumb_secret: str | None = None
    size: Size | None = None
    """Of the thumbnail."""


class FileBody(_Body, tag="file", kw_only=True):
    url: str = ""
    filename: str = ""
    secret: str | None = None
    file_length: int | None = None


class LocationBody(_Body, tag="loc", kw_only=True):
    # Agora's table says String, its examples send numbers: both are accepted.
    lat: float | str = 0.0
    lng: float | str = 0.0
    addr: str = ""


class CommandBody(_Body, tag="cmd", kw_only=True):
    """``cmd``: post-delivery callbacks carry ``msg``; Easemob's pre-delivery example
    carries ``action``."""

    msg: str | None = None
    action: str | None = None


class CustomBody(_Body, tag="custom", kw_only=True):
    custom_event: str | None = msgspec.field(name="customEvent", default=None)
    custom_exts: list[dict[str, Any]] | None = msgspec.field(name="customExts", default=None)
    """The older list form."""
    custom_exts_v2: dict[str, Any] | None = msgspec.field(name="v2:customExts", default=None)
    """The newer map form."""


class UnknownBody(_Body, tag="unknown", kw_only=True):
    """``unknown``: listed in Easemob's content types, without fields."""


MessageBody = (
    TextBody
    | ImageBody
    | AudioBody
    | VideoBody
    | FileBody
    | LocationBody
    | CommandBody
    | CustomBody
    | UnknownBody
)


class MessagePayload(msgspec.Struct, kw_only=True):
    """``payload`` of a message callback: the form of a message in the history files."""

    ext: dict[str, Any] = msgspec.field(default_factory=dict)
    bodies: list[MessageBody] = msgspec.field(default_factory=list)
    from_: str | None = _from()
    to: str | None = None
    type: str | None = None
    """Conversation type when present (combined messages): chat, groupchat, chatroom."""
    meta: dict[str, Any] | None = None


# -- the head: what verification and type selection need --------------------------------


class CallbackHead(msgspec.Struct, kw_only=True):
    """The signed fields and the keys that tell the kinds apart."""

    call_id: str = msgspec.field(name="callId")
    timestamp: int | str
    security: str | None = None
    security_version: str | None = msgspec.field(name="securityVersion", default=None)
    event_type: Any = msgspec.field(name="eventType", default=None)
    chat_type: Any = None
    reason: Any = None
    step: Any = None
    payload: msgspec.Raw = msgspec.field(default_factory=msgspec.Raw)
    """Undecoded; empty when absent."""


_head_decoder = msgspec.json.Decoder(CallbackHead)


def read_head(body: bytes) -> CallbackHead:
    """Decode the head of a callback body.

    Raises:
        MalformedCallbackError: Not JSON, not an object, or ``callId`` / ``timestamp``
            missing or of the wrong type.
    """
    try:
        return _head_decoder.decode(body)
    except (msgspec.DecodeError, msgspec.ValidationError) as exc:
        # msgspec's message names the field, never the values: safe to keep.
        raise MalformedCallbackError(f"malformed callback body: {exc}") from None


# -- events -----------------------------------------------------------------------------


class CallbackEvent(msgspec.Struct, kw_only=True):
    """Fields every callback body has (or may have). ``kind`` names the class for
    :meth:`Bot.on_event`."""

    kind: ClassVar[str] = "unknown"

    call_id: str = msgspec.field(name="callId")
    timestamp: int
    """Unix ms; for messages, when Agora received the message (a retry keeps it)."""
    security: str = ""
    security_version: str | None = msgspec.field(name="securityVersion", default=None)
    event_type: str | None = msgspec.field(name="eventType", default=None)
    """``chat`` (every message), ``chat_offline`` (the recipient is offline), or
    ``moderation``; absent for login/logout, edits, push results and pre-delivery."""
    chat_type: str | None = None
    appkey: str | None = None
    host: str | None = None


class _Conversational(CallbackEvent, kw_only=True):
    from_: str | None = _from()
    to: str | None = None
    msg_id: str | None = None
    group_id: str | None = None
    content_type: str | None = None
    """Easemob's finer type (``chat:user:text``, ``chat:group:image``, ``chat:room:*``)."""


class _MessageLike(_Conversational, kw_only=True):
    payload: MessagePayload = msgspec.field(default_factory=MessagePayload)

    @property
    def body(self) -> MessageBody | None:
        """The first body (Agora sends one per message)."""
        return self.payload.bodies[0] if self.payload.bodies else None

    @property
    def text(self) -> str | None:
        """The text of a ``txt`` message, else ``None``."""
        body = self.body
        return body.msg if isinstance(body, TextBody) else None

    @property
    def type(self) -> str | None:
        """The body's type: txt, img, audio, video, file, loc, cmd, custom, unknown."""
        body = self.body
        return None if body is None else _BODY_TAGS[type(body)]


class MessageEvent(_MessageLike, kw_only=True):
    """A message was sent (post-delivery; ``eventType`` chat or chat_offline).

    ``chat_type`` is ``chat`` (one-to-one) or ``groupchat`` (groups *and* chat rooms:
    ``content_type``, when Agora sends it, says which; ``group_id`` is the group or room).
    """

    kind: ClassVar[str] = "message"

    @property
    def offline(self) -> bool:
        """Sent to a recipient who was offline (``eventType == "chat_offline"``)."""
        return self.event_type == "chat_offline"

    def reply_target(self) -> tuple[Literal["users", "chatgroups", "chatrooms"], list[str]]:
        """Where a reply goes, as ``(target_type, to)`` for ``client.messages.send``:
        the sender of a one-to-one message, else the group or room it was sent in
        (a room only when ``content_type`` says ``chat:room``; groups otherwise)."""
        if self.chat_type == "groupchat" and self.group_id:
            if (self.content_type or "").startswith("chat:room"):
                return "chatrooms", [self.group_id]
            return "chatgroups", [self.group_id]
        return "users", [self.from_ or ""]


class PreDeliveryRequest(_Conversational, kw_only=True):
    """A message waiting for the business server's verdict (pre-delivery callback).

    ``chat_type``: Agora's table says chat / group / chatroom, its example says groupchat;
    all are accepted. ``payload`` is kept as sent, because a modified payload must have
    the same form: Agora describes the history form (``{"ext", "bodies": [...]}``),
    Easemob's examples send the body itself (``{"msg": "hi", "type": "txt"}``).
    """

    kind: ClassVar[str] = "pre_delivery"
    payload: dict[str, Any] = msgspec.field(default_factory=dict)

    @property
    def bodies(self) -> list[MessageBody]:
        """The bodies in either form (empty if they are of a kind not known here)."""
        raw = self.payload.get("bodies", [self.payload])
        try:
            return msgspec.convert(raw, list[MessageBody], strict=False)
        except msgspec.ValidationError:
            return []

    @property
    def body(self) -> MessageBody | None:
        bodies = self.bodies
        return bodies[0] if bodies else None

    @property
    def text(self) -> str | None:
        body = self.body
        return body.msg if isinstance(body, TextBody) else None

    def payload_with_text(self, text: str) -> dict[str, Any]:
        """This payload, in its own form, with the text replaced (for
        :meth:`PreDeliveryReply.modified`)."""
        bodies = self.payload.get("bodies")
        if isinstance(bodies, list):
            bodies = [dict(b) if isinstance(b, dict) else b for b in bodies]
            if bodies and isinstance(bodies[0], dict):
                bodies[0]["msg"] = text
            return {**self.payload, "bodies": bodies}
        return {**self.payload, "msg": text}


class RecallPayload(msgspec.Struct, kw_only=True):
    ext: dict[str, Any] = msgspec.field(default_factory=dict)
    ack_message_id: str | None = None
    bodies: list[Any] = msgspec.field(default_factory=list)


class RecallEvent(_Conversational, kw_only=True):
    """A message was recalled (``chat_type == "recall"``)."""

    kind: ClassVar[str] = "recall"
    recall_id: str | None = None
    """The recalled message's id."""
    payload: RecallPayload = msgspec.field(default_factory=RecallPayload)


class OperationStatus(msgspec.Struct, kw_only=True):
    description: str = ""
    error_code: str = ""


class GroupPayload(msgspec.Struct, kw_only=True):
    muc_id: str = ""
    """``{appkey}_{group id}@conference.easemob.com``."""
    operation: str = ""
    """create, destroy, apply, apply_accept, invite, invite_accept, invite_decline,
    presence (joined), leave, absence (left, by choice or not), kick, ban, allow,
    add_user_white_list, remove_user_white_list, add_mute, remove_mute, block, unblock,
    ban_group, remove_ban_group, assing_owner (sic), add_admin, remove_admin, update,
    update_announcement, delete_announcement, upload_file, delete_file, ..."""
    reason: str = ""
    is_chatroom: bool = False
    status: OperationStatus = msgspec.field(default_factory=OperationStatus)


class GroupEvent(_Conversational, kw_only=True):
    """Something happened in a group or chat room (``chat_type == "muc"``)."""

    kind: ClassVar[str] = "group"
    payload: GroupPayload = msgspec.field(default_factory=GroupPayload)

    @property
    def operation(self) -> str:
        return self.payload.operation

    @property
    def is_chatroom(self) -> bool:
        return self.payload.is_chatroom


class ContactPayload(msgspec.Struct, kw_only=True):
    operation: str = ""
    """add, remove, accept, remote_accept, decline, remote_decline, ban, allow."""
    reason: str | None = None
    roster_ver: str | None = None
    status: dict[str, Any] | None = None


class ContactEvent(_Conversational, kw_only=True):
    """A contact-list change (``chat_type == "roster"``): ``from_`` acted on ``to``."""

    kind: ClassVar[str] = "contact"
    payload: ContactPayload = msgspec.field(default_factory=ContactPayload)

    @property
    def operation(self) -> str:
        return self.payload.operation


class AckPayload(msgspec.Struct, kw_only=True):
    ext: dict[str, Any] = msgspec.field(default_factory=dict)
    ack_message_id: str | None = None
    type: str | None = None
    msg_config: dict[str, Any] | None = None
    bodies: list[Any] = msgspec.field(default_factory=list)


class ReadAckEvent(_Conversational, kw_only=True):
    """A read receipt for one message (``chat_type == "read_ack"``), one-to-one or in a
    group (then ``to`` is the group id)."""

    kind: ClassVar[str] = "read_ack"
    payload: AckPayload = msgspec.field(default_factory=AckPayload)


class ConversationAckEvent(_Conversational, kw_only=True):
    """A read receipt for a whole one-to-one conversation (``chat_type ==
    "channel_ack"``)."""

    kind: ClassVar[str] = "conversation_ack"
    payload: AckPayload = msgspec.field(default_factory=AckPayload)


class ReactionOp(msgspec.Struct, kw_only=True):
    reaction_type: str | None = msgspec.field(name="reactionType", default=None)
    """``create`` when added."""
    operator: str | None = None


class Reaction(msgspec.Struct, kw_only=True):
    reaction: str = ""
    count: int = 0
    user_list: list[str] = msgspec.field(name="userList", default_factory=list)
    op: list[ReactionOp] | None = None
    """Set on the reactions this very operation changed."""


class ReactionChange(msgspec.Struct, kw_only=True):
    message_id: str | None = msgspec.field(name="messageId", default=None)
    from_: str | None = _from()
    to: str | None = None
    channel_type: str | None = None
    ts: int | None = None
    reactions: list[Reaction] = msgspec.field(default_factory=list)


class ReactionPayload(msgspec.Struct, kw_only=True):
    type: str = "reaction"
    channel_type: str | None = None
    num: int | None = None
    data: list[ReactionChange] = msgspec.field(default_factory=list)


class ReactionEvent(_Conversational, kw_only=True):
    """Reactions changed on a message (``chat_type == "notify"``, ``payload.type ==
    "reaction"``); each change lists all the message's reactions now."""

    kind: ClassVar[str] = "reaction"
    payload: ReactionPayload = msgspec.field(default_factory=ReactionPayload)


class ThreadData(msgspec.Struct, kw_only=True):
    id: str | None = None
    name: str | None = None
    operation: str | None = None
    """``update_msg``: a message in the thread was sent, recalled or edited."""
    from_: str | None = _from()
    msg_parent_id: str | None = None
    muc_parent_id: str | None = None
    message_count: int | None = None
    timestamp: int | None = None
    last_message: dict[str, Any] | None = None


class ThreadPayload(msgspec.Struct, kw_only=True):
    type: str = "thread"
    data: ThreadData = msgspec.field(default_factory=ThreadData)


class ThreadEvent(_Conversational, kw_only=True):
    """A thread changed (``chat_type == "notify"``, ``payload.type == "thread"``)."""

    kind: ClassVar[str] = "thread"
    payload: ThreadPayload = msgspec.field(default_factory=ThreadPayload)


class EditPayload(msgspec.Struct, kw_only=True):
    edit_message_id: str | None = None
    """The edited message's id."""
    bodies: list[MessageBody] = msgspec.field(default_factory=list)
    from_: str | None = _from()
    to: str | None = None
    type: str | None = None
    meta: dict[str, Any] | None = None


class MessageEditEvent(_Conversational, kw_only=True):
    """A message was edited (``chat_type == "edit"``)."""

    kind: ClassVar[str] = "edit"
    payload: EditPayload = msgspec.field(default_factory=EditPayload)


class ModerationEvent(CallbackEvent, kw_only=True):
    """A content-moderation result (``eventType == "moderation"``)."""

    kind: ClassVar[str] = "moderation"
    moderation_result: str | None = msgspec.field(name="moderationResult", default=None)
    """PASS, REJECT, EXCHANGE, RECALL."""
    provider_result: str | None = msgspec.field(name="providerResult", default=None)
    message_type: str | None = msgspec.field(name="messageType", default=None)
    message_id: str | None = msgspec.field(name="messageId", default=None)
    target_type: str | None = msgspec.field(name="targetType", default=None)
    from_: str | None = _from()
    to: str | None = None
    msg: str | None = None
    url: str | None = None
    source: dict[str, Any] | None = None


class UserStatusEvent(CallbackEvent, kw_only=True):
    """A user logged in or out (no ``eventType``; ``reason`` login, logout, or replaced:
    kicked out by another device)."""

    kind: ClassVar[str] = "user_status"
    reason: str = ""
    status: str = ""
    """``online`` or ``offline``."""
    user: str = ""
    """``{appkey}_{username}@easemob.com/{os}_{device}`` (Easemob) or
    ``{appkey}{username}/{os}_{device}`` (Agora's examples)."""
    os: str | None = None
    ip: str | None = None
    version: str | None = None

    @property
    def online(self) -> bool:
        return self.status == "online"

    @property
    def username(self) -> str:
        """The username inside ``user`` (best effort over both documented forms)."""
        name = self.user.split("/", 1)[0].removesuffix("@easemob.com")
        if self.appkey and name.startswith(self.appkey):
            name = name[len(self.appkey) :].removeprefix("_")
        return name


class OfflinePushEvent(CallbackEvent, kw_only=True):
    """The result of an offline push notification (``step == "push"``)."""

    kind: ClassVar[str] = "offline_push"
    step: str = "push"
    status: str = ""
    """success, fail, error."""
    target: str | None = None
    detail: str | None = None
    """Why it failed (``no push binding`` ...)."""
    msg_id: str | None = None
    from_: str | None = _from()
    group_id: str | None = None
    channel: str | None = None
    device_id: str | None = None
    device_token: str | None = None
    notifier_name: str | None = None
    e_message: str | None = None
    data: dict[str, Any] | None = None
    payload: dict[str, Any] | None = None


class GenericEvent(CallbackEvent, kw_only=True):
    """A verified callback of a kind not known here: every field is in ``raw``."""

    kind: ClassVar[str] = "unknown"
    raw: dict[str, Any] = msgspec.field(default_factory=dict)


_BODY_TAGS: dict[type, str] = {
    cls: str(cls.__struct_config__.tag)
    for cls in (
        TextBody,
        ImageBody,
        AudioBody,
        VideoBody,
        FileBody,
        LocationBody,
        CommandBody,
        CustomBody,
        UnknownBody,
    )
}

_BY_CHAT_TYPE: dict[str, type[CallbackEvent]] = {
    "recall": RecallEvent,
    "muc": GroupEvent,
    "roster": ContactEvent,
    "read_ack": ReadAckEvent,
    "channel_ack": ConversationAckEvent,
    "edit": MessageEditEvent,
}
_NOTIFY: dict[str, type[CallbackEvent]] = {"reaction": ReactionEvent, "thread": ThreadEvent}
_MESSAGE_CHAT_TYPES = frozenset({"chat", "groupchat", "group", "chatroom"})
_LOGIN_REASONS = frozenset({"login", "logout", "replaced"})


class _PayloadType(msgspec.Struct):
    type: Any = None


_payload_type_decoder = msgspec.json.Decoder(_PayloadType)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def event_type_for(head: CallbackHead) -> type[CallbackEvent]:
    """The class a body with this head decodes to (GenericEvent when none fits)."""
    event_type, chat_type = _text(head.event_type), _text(head.chat_type)
    if event_type == "moderation":
        return ModerationEvent
    if head.step == "push":
        return OfflinePushEvent
    if chat_type in _BY_CHAT_TYPE:
        return _BY_CHAT_TYPE[chat_type]
    if chat_type == "notify" and head.payload:
        try:
            kind = _text(_payload_type_decoder.decode(head.payload).type)
        except (msgspec.DecodeError, msgspec.ValidationError):
            return GenericEvent
        return _NOTIFY.get(kind or "", GenericEvent)
    if event_type in ("chat", "chat_offline"):
        return MessageEvent if chat_type in ("chat", "groupchat") else GenericEvent
    if head.event_type is None:
        if _text(head.reason) in _LOGIN_REASONS:
            return UserStatusEvent
        # Pre-delivery requests are the message bodies without eventType (both vendors'
        # examples); they normally come to their own URL, but may share one.
        if chat_type in _MESSAGE_CHAT_TYPES and head.payload:
            return PreDeliveryRequest
    return GenericEvent


# strict=False: numbers Agora documents as strings (and the reverse) still decode.
_decoders: dict[type, msgspec.json.Decoder[Any]] = {}


def _decoder(cls: type[CallbackEvent]) -> msgspec.json.Decoder[Any]:
    decoder = _decoders.get(cls)
    if decoder is None:
        decoder = _decoders[cls] = msgspec.json.Decoder(cls, strict=False)
    return decoder


def decode_event(body: bytes, head: CallbackHead | None = None) -> CallbackEvent:
    """Decode a callback body into its event class (a :class:`GenericEvent` when the
    kind is unknown or its fields do not fit).

    Raises:
        MalformedCallbackError: Not a JSON object with ``callId`` and ``timestamp``.
    """
    if head is None:
        head = read_head(body)
    cls = event_type_for(head)
    if cls is not GenericEvent:
        try:
            event: CallbackEvent = _decoder(cls).decode(body)
            return event
        except msgspec.ValidationError:
            pass
    raw = msgspec.json.decode(body)
    timestamp = head.timestamp
    return GenericEvent(
        call_id=head.call_id,
        timestamp=int(timestamp) if isinstance(timestamp, int) or timestamp.isdigit() else 0,
        security=head.security or "",
        security_version=head.security_version,
        event_type=_text(head.event_type),
        chat_type=_text(head.chat_type),
        appkey=_text(raw.get("appkey")),
        host=_text(raw.get("host")),
        raw=raw,
    )
