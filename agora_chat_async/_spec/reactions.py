"""Message reactions: users adding emojis to one-to-one and group messages.

Beyond Agora's overview table (``overview=False``); documented on its reaction page.
Where the page disagrees with itself, the examples (and Easemob's page) win: the add
request's body key is ``msgId`` (the field table says ``msg_Id``), and the detail answer
counts users in ``userCount`` (the table says ``count``). Reading the reactions of
several messages is one unpaged call for up to 20 ids, so it is ``get_many``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from ..models.reactions import (
    MessageReactions,
    Reaction,
    ReactionDetail,
    ReactionStatus,
)
from ._types import DOCS, Endpoint, Param, data_cursor_pager, path_param

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["HELPERS", "MAX_MESSAGES_PER_CALL", "MAX_REACTION_LENGTH", "ROWS"]

_REACTION = DOCS + "reaction"
_PATH = "/reaction/user/{username}"

#: Message ids one ``reactions.get_many`` call takes.
MAX_MESSAGES_PER_CALL = 20
#: Characters of an emoji ID.
MAX_REACTION_LENGTH = 128

_USER = path_param("username", "The user acting (or asking).", "username")
_MESSAGE_ID = Param(
    name="message_id",
    type="str",
    location="body",
    wire="msgId",
    positional=True,
    check="nonempty",
    doc="The message's ID.",
)
_EMOJI = Param(
    name="reaction",
    type="str",
    location="body",
    wire="message",
    positional=True,
    check="reaction",
    doc=f"The emoji ID, as the client SDK names it (1-{MAX_REACTION_LENGTH} characters).",
)


def _in_query(param: Param) -> Param:
    return msgspec.structs.replace(param, location="query")


def _group_for_groupchat(args: Mapping[str, Any]) -> None:
    """A group message's reactions are read with its group's ID."""
    if args.get("chat_type") == "groupchat" and args.get("group_id", msgspec.UNSET) in (
        msgspec.UNSET,
        "",
    ):
        raise ValueError('group_id is required when chat_type is "groupchat"')


def _ok(status: ReactionStatus) -> bool:
    return status.request_status_code == "ok"


def _users(page: ReactionDetail) -> list[str]:
    return page.users


ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="reactions.add",
        method="POST",
        path=_PATH,
        area="reactions",
        summary="Add a reaction (an emoji) to a message on behalf of a user.",
        docs=_REACTION,
        params=(_USER, _MESSAGE_ID, _EMOJI),
        returns=Reaction,
        result="Reaction",
        retry_safe=True,  # a user's same emoji on a message counts once
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="reactions.get_many",
        method="GET",
        path=_PATH,
        area="reactions",
        summary=f"The reactions on up to {MAX_MESSAGES_PER_CALL} one-to-one or group messages.",
        docs=_REACTION,
        params=(
            _USER,
            Param(
                name="message_ids",
                type="Sequence[str]",
                location="query",
                wire="msgIdList",
                positional=True,
                check="message_ids_20",
                encode="csv",
                doc=f"1-{MAX_MESSAGES_PER_CALL} message IDs.",
            ),
            Param(
                name="chat_type",
                type='Literal["chat", "groupchat"]',
                location="query",
                wire="msgType",
                check="conversation_type",
                doc='"chat" (one-to-one messages) or "groupchat" (messages of one group).',
            ),
            Param(
                name="group_id",
                type="str | UnsetType",
                location="query",
                wire="groupId",
                default="UNSET",
                check="nonempty",
                doc='The group, required when chat_type is "groupchat".',
            ),
        ),
        check_args=_group_for_groupchat,
        returns=list[MessageReactions],
        result="Sequence[MessageReactions]",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="reactions.remove",
        method="DELETE",
        path=_PATH,
        area="reactions",
        summary="Take a user's reaction off a message; True when done.",
        docs=_REACTION,
        params=(_USER, _in_query(_MESSAGE_ID), _in_query(_EMOJI)),
        returns=ReactionStatus,
        unwrap="envelope",
        post=_ok,
        result="bool",
        typed=True,
        overview=False,
    ),
    Endpoint(
        name="reactions.list_users",
        method="GET",
        path=_PATH + "/detail",
        area="reactions",
        summary="Iterate over the users who added a reaction to a message, oldest first.",
        docs=_REACTION,
        params=(_USER, _in_query(_MESSAGE_ID), _in_query(_EMOJI)),
        returns=ReactionDetail,
        post=_users,
        result="AsyncPager[str]",
        pager=data_cursor_pager(50, default=50),
        typed=True,
        overview=False,
    ),
)

HELPERS: tuple[Endpoint, ...] = ()
