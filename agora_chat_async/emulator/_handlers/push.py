"""Push settings (``push.*`` rows): the fields ``PUT /users/{username}`` updates.

One handler serves all three rows (push nickname, display style, legacy
do-not-disturb): they share the path and may come in one request. Every field is
checked before any is stored, so a refused request changes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import illegal_argument
from .._registry import handler
from ._common import FULL_ENVELOPE, MAX_NICKNAME, path_user

if TYPE_CHECKING:
    from .._call import Call

__all__: list[str] = []

_NICKNAME = "nickname"
_STYLE = "notification_display_style"
_DND = "notification_no_disturbing"
_DND_START = "notification_no_disturbing_start"
_DND_END = "notification_no_disturbing_end"
_FIELDS = (_NICKNAME, _STYLE, _DND, _DND_START, _DND_END)


def _classify(body: Any) -> str:
    if isinstance(body, dict):
        if any(key in body for key in (_DND, _DND_START, _DND_END)):
            return "push.set_no_disturb"
        if _STYLE in body:
            return "push.set_display_style"
    return "push.set_nickname"


def _nickname(value: Any) -> str:
    if not isinstance(value, str):
        raise illegal_argument("nickname must be a string")
    if len(value) > MAX_NICKNAME:
        raise illegal_argument("NICKNAME_TOO_LONG")
    return value


def _style(value: Any) -> int:
    """0 or 1; the docs send it as a string ("1"), the entity shows a number."""
    if not isinstance(value, bool) and value in (0, 1, "0", "1"):
        return int(value)
    raise illegal_argument(f"{_STYLE} must be 0 or 1, got {value!r}")


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise illegal_argument(f"{_DND} must be true or false, got {value!r}")


def _hour(name: str, value: Any) -> int:
    """An hour 0-24, sent as a string ("22") or a number; shown as a number."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24:
        return value
    raise illegal_argument(f"{name} must be an hour from 0 to 24, got {value!r}")


@handler("PUT", "/users/{username}", classify=_classify)
async def update_push_settings(call: Call) -> dict[str, Any]:
    record = path_user(call)
    body = call.body
    if not isinstance(body, dict) or not body:
        raise illegal_argument(f"request body must set at least one of: {', '.join(_FIELDS)}")
    unknown = sorted(set(body) - set(_FIELDS))
    if unknown:
        raise illegal_argument(f"property {unknown[0]} can not be updated here")
    nickname = _nickname(body[_NICKNAME]) if _NICKNAME in body else None
    style = _style(body[_STYLE]) if _STYLE in body else None
    flag = _flag(body[_DND]) if _DND in body else None
    start = _hour(_DND_START, body[_DND_START]) if _DND_START in body else None
    end = _hour(_DND_END, body[_DND_END]) if _DND_END in body else None
    if nickname is not None:
        record.nickname = nickname
    if style is not None:
        record.display_style = style
    if flag is not None:
        record.no_disturbing = flag
    if start is not None:
        record.no_disturbing_start = start
    if end is not None:
        record.no_disturbing_end = end
    call.state.touch(record)
    return call.envelope(FULL_ENVELOPE, action="put", entities=[record.entity()])
