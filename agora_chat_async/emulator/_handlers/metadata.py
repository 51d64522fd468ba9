"""User attributes (``/metadata/user``): set, get, batch get, delete, capacity.

Attributes live apart from the user entity in Agora (a separate service): they can be set
for any legal username, a user without attributes reads as ``{}``, and deleting is
always ``true``. Deleting the user drops its attributes too. Answers use the reduced
envelope of the docs: ``timestamp``, ``data``, ``duration``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from .._errors import AgoraHTTPError, illegal_argument
from .._registry import handler
from ._common import check_username

if TYPE_CHECKING:
    from .._call import Call
    from .._state import EmulatorState

__all__: list[str] = []

MAX_BYTES_PER_USER = 2048
MAX_TARGETS = 100
_REDUCED = ("timestamp", "data", "duration")


def _size(attributes: dict[str, str]) -> int:
    return sum(len(k.encode()) + len(v.encode()) for k, v in attributes.items())


def _user(call: Call) -> str:
    return check_username(call.param("username")).lower()


def capacity(state: EmulatorState) -> int:
    return sum(_size(attributes) for attributes in state.attributes.values())


@handler("PUT", "/metadata/user/{username}", body="raw")
async def set_attributes(call: Call) -> dict[str, Any]:
    username = _user(call)
    raw = await call.request.read()
    try:
        pairs = parse_qsl(raw.decode(), keep_blank_values=True, strict_parsing=bool(raw))
    except (UnicodeDecodeError, ValueError):
        raise illegal_argument("request body must be form fields: name=value&...") from None
    given = dict(pairs)
    if not given:
        raise illegal_argument("request body must set at least one attribute")
    merged = {**call.state.attributes.get(username, {}), **given}
    if _size(merged) > MAX_BYTES_PER_USER:
        raise AgoraHTTPError(
            403,
            "FORBIDDEN",
            "size of metadata for this single user exceeds the user defined limit, "
            f"{MAX_BYTES_PER_USER}Bytes",
        )
    call.state.attributes[username] = merged
    return call.envelope(_REDUCED, data=given)


@handler("GET", "/metadata/user/{username}")
async def get_attributes(call: Call) -> dict[str, Any]:
    return call.envelope(_REDUCED, data=dict(call.state.attributes.get(_user(call), {})))


@handler("POST", "/metadata/user/get")
async def get_many(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise illegal_argument("request body must be {targets: [...], properties: [...]}")
    targets, properties = body.get("targets"), body.get("properties")
    if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
        raise illegal_argument("targets must be a list of usernames")
    if not isinstance(properties, list) or not properties:
        raise illegal_argument("properties must be a non-empty list of attribute names")
    if len(targets) > MAX_TARGETS:
        raise AgoraHTTPError(400, "BAD_REQUEST", f"exceed allowed batch size {MAX_TARGETS}")
    wanted = set(properties)
    data = {}
    for target in targets:
        stored = call.state.attributes.get(target.lower(), {})
        data[target] = {k: v for k, v in stored.items() if k in wanted}
    return call.envelope(_REDUCED, data=data)


@handler("DELETE", "/metadata/user/{username}")
async def delete_attributes(call: Call) -> dict[str, Any]:
    call.state.attributes.pop(_user(call), None)
    return call.envelope(("timestamp", "duration", "data"), data=True)


@handler("GET", "/metadata/user/capacity")
async def get_capacity(call: Call) -> dict[str, Any]:
    return call.envelope(_REDUCED, data=capacity(call.state))
