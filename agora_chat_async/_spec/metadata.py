"""User attributes (metadata)."""

from __future__ import annotations

from ._types import (
    DOCS,
    USERNAME,
    Endpoint,
    Param,
    each,
)

__all__ = ["HELPERS", "ROWS"]

_ATTR = DOCS + "user-attributes-management"

ROWS: tuple[Endpoint, ...] = (
    Endpoint(
        name="metadata.set",
        method="PUT",
        path="/metadata/user/{username}",
        area="metadata",
        summary="Set some attributes of a user; returns the attributes just set.",
        docs=_ATTR,
        params=(
            USERNAME,
            Param(
                name="attributes",
                type="Mapping[str, str]",
                location="body",
                positional=True,
                encode="fields",
                check="attributes",
                doc="Names and string values; at most 2 KB per user in all.",
            ),
        ),
        body_format="form",
        returns=dict[str, str],
        result="dict[str, str]",
        typed=True,
    ),
    Endpoint(
        name="metadata.get",
        method="GET",
        path="/metadata/user/{username}",
        area="metadata",
        summary="All attributes of a user ({} when it has none).",
        docs=_ATTR,
        params=(USERNAME,),
        returns=dict[str, str],
        result="dict[str, str]",
        typed=True,
    ),
    Endpoint(
        name="metadata.get_many",
        method="POST",
        path="/metadata/user/get",
        area="metadata",
        summary="Chosen attributes of up to 100 users, as {username: {name: value}}.",
        docs=_ATTR,
        params=(
            Param(
                name="usernames",
                type="Sequence[str]",
                location="body",
                wire="targets",
                positional=True,
                check="usernames_100",
                doc="1-100 usernames.",
            ),
            Param(
                name="properties",
                type="Sequence[str]",
                location="body",
                check="properties",
                doc="Names of the attributes to return.",
            ),
        ),
        returns=dict[str, dict[str, str]],
        result="dict[str, dict[str, str]]",
        retry_safe=True,  # a read sent as POST
        typed=True,
    ),
    Endpoint(
        name="metadata.delete",
        method="DELETE",
        path="/metadata/user/{username}",
        area="metadata",
        summary="Delete every attribute of a user (True even if it had none).",
        docs=_ATTR,
        params=(USERNAME,),
        returns=bool,
        result="bool",
        typed=True,
    ),
    Endpoint(
        name="metadata.capacity",
        method="GET",
        path="/metadata/user/capacity",
        area="metadata",
        summary="Bytes used by the attributes of all users of the app.",
        docs=_ATTR,
        returns=int,
        result="int",
        typed=True,
    ),
)


HELPERS: tuple[Endpoint, ...] = (
    each(
        "metadata.set_each",
        ROWS[0],
        "items",
        "Set attributes of many users, one call each; items: (username, attrs) or flat.",
        "attributes",
        item_type="tuple[str, Mapping[str, str]] | Mapping[str, str]",
        done_type="tuple[str, dict[str, str]]",
    ),
)
