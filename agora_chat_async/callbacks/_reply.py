"""The answer to a pre-delivery callback: pass, reject (with a code), or pass modified."""

from __future__ import annotations

from typing import Any

import msgspec

from agora_chat_async.callbacks._errors import PreDeliveryReplyError

__all__ = ["MAX_REPLY_CHARS", "PreDeliveryReply"]

#: Agora treats a longer answer as an attack and falls back (``_setup-webhooks.mdx``).
MAX_REPLY_CHARS = 1000

_encoder = msgspec.json.Encoder()


class PreDeliveryReply:
    """A pre-delivery verdict, encoded once when built.

    Build it with :meth:`allow`, :meth:`reject` or :meth:`modified`; each checks the
    1,000-character limit up front, so a reply Agora would refuse never reaches it.

    Attributes:
        valid: Whether the message is delivered.
        code: Shown to the sender on rejection when the rule reports errors.
        payload: The replacement message content (text only, same form as the original).
        body: The encoded JSON answer.
    """

    __slots__ = ("body", "code", "payload", "valid")

    def __init__(
        self, valid: bool, *, code: str | None = None, payload: dict[str, Any] | None = None
    ) -> None:
        wire: dict[str, Any] = {"valid": valid}
        if code is not None:
            wire["code"] = code
        if payload is not None:
            wire["payload"] = payload
        try:
            body = _encoder.encode(wire)
        except (TypeError, msgspec.EncodeError) as exc:
            raise PreDeliveryReplyError(f"pre-delivery reply cannot be encoded: {exc}") from None
        chars = len(body.decode())
        if chars > MAX_REPLY_CHARS:
            raise PreDeliveryReplyError(
                f"pre-delivery reply is {chars} characters; Agora accepts at most "
                f"{MAX_REPLY_CHARS} and would apply the rule's fallback instead"
            )
        self.valid = valid
        self.code = code
        self.payload = payload
        self.body = body

    @classmethod
    def allow(cls) -> PreDeliveryReply:
        """Deliver the message as sent: ``{"valid": true}``."""
        return cls(True)

    @classmethod
    def reject(cls, code: str | None = None) -> PreDeliveryReply:
        """Do not deliver it: ``{"valid": false, "code": code}``. Without a code the
        sender sees ``custom logic denied``; an empty code shows ``Message blocked by
        external logic`` on mobile clients (when the rule reports errors)."""
        return cls(False, code=code)

    @classmethod
    def modified(cls, payload: dict[str, Any]) -> PreDeliveryReply:
        """Deliver ``payload`` instead (text messages only; same form as the original:
        see :meth:`PreDeliveryRequest.payload_with_text`)."""
        return cls(True, payload=payload)

    def __repr__(self) -> str:
        return f"PreDeliveryReply({self.body.decode()})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PreDeliveryReply) and other.body == self.body

    def __hash__(self) -> int:
        return hash(self.body)
