"""Recalling messages, deleting conversations and chat-history files."""

from __future__ import annotations

import msgspec

from ._base import Model

__all__ = ["HistoryFile", "RecallResponse", "RecallResult"]


class RecallResult(Model, kw_only=True):
    """What became of a recalled message.

    A recall answered with ``data`` names the message, its conversation and who recalled
    it; the batch form answers per message with only ``msg_id`` and ``recalled``.
    """

    msg_id: str = ""
    recalled: str = ""
    """``"yes"``, or why not: ``"not_found msg"``, ``"exceed recall time limit"`` ..."""
    chat_type: str = msgspec.field(name="chattype", default="")
    """``chat``, ``groupchat`` or ``chatroom``."""
    from_: str = msgspec.field(name="from", default="")
    """Who recalled it (``admin`` unless given)."""
    to: str = ""
    """The recipient: a username, group id or chat room id."""

    @property
    def ok(self) -> bool:
        """Whether the message was recalled."""
        return self.recalled == "yes"


class RecallResponse(Model, kw_only=True):
    """The body of a recall: ``data`` (one message) or ``msgs`` (per message)."""

    data: RecallResult | None = None
    msgs: list[RecallResult] = msgspec.field(default_factory=list)

    def result(self) -> RecallResult:
        """The one message's outcome, whichever form the server used."""
        if self.data is not None:
            return self.data
        return self.msgs[0] if self.msgs else RecallResult()


class HistoryFile(Model, kw_only=True):
    """Where to download one hour of chat history (a gzip file, one JSON record per
    message); the link expires after a while."""

    url: str = ""
