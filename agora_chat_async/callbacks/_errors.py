"""Why a callback request was refused.

    AgoraChatError
    └── CallbackError                 a callback request was refused (.status: the HTTP answer)
        ├── MalformedCallbackError    400: not a JSON object, or no callId / timestamp
        ├── CallbackSignatureError    401: security missing or wrong, unknown securityVersion
        ├── StaleCallbackError        401: timestamp outside the verifier's tolerance
        ├── ReplayedCallbackError     403: this callId was already acknowledged
        └── PreDeliveryReplyError     a pre-delivery reply that Agora would not accept
                                      (over 1,000 characters); raised before answering

Messages name the callId at most: never the secret, the expected signature or the body.
"""

from __future__ import annotations

from agora_chat_async._errors import AgoraChatError

__all__ = [
    "CallbackError",
    "CallbackSignatureError",
    "MalformedCallbackError",
    "PreDeliveryReplyError",
    "ReplayedCallbackError",
    "StaleCallbackError",
]


class CallbackError(AgoraChatError):
    """A callback request was refused; ``status`` is what the receivers answer.

    Attributes:
        status: HTTP status for the refusal.
        reason: Short machine-readable code, also the body of the refusal.
        call_id: The request's ``callId`` when it had one.
    """

    status = 400
    reason = "bad_callback"

    def __init__(self, message: str, *, call_id: str | None = None) -> None:
        super().__init__(message)
        self.call_id = call_id


class MalformedCallbackError(CallbackError):
    """The body is not a JSON object with ``callId`` and ``timestamp``."""

    status = 400
    reason = "malformed_body"


class CallbackSignatureError(CallbackError):
    """``security`` is missing or does not match, or ``securityVersion`` is unknown."""

    status = 401
    reason = "bad_signature"


class StaleCallbackError(CallbackError):
    """``timestamp`` is further from now than the verifier's tolerance."""

    status = 401
    reason = "stale_timestamp"


class ReplayedCallbackError(CallbackError):
    """A callback with this ``callId`` was already acknowledged (answered 2xx)."""

    status = 403
    reason = "replayed"


class PreDeliveryReplyError(CallbackError):
    """A pre-delivery reply Agora would treat as a failure (over 1,000 characters)."""

    status = 500
    reason = "bad_reply"
