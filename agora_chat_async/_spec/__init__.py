"""The endpoint table: every fact about every Agora Chat REST endpoint, in one place.

The generated resource classes, the client's request pipeline, the emulator's routes,
the README's API index and the coverage tests all read this table. One module per API
area holds its rows (``ROWS``, in the order of ``endpoints.tsv``) and its bulk helpers
(``HELPERS``). A row is ``typed`` once its area has request/response types and generated
methods; rows of areas still to come carry only their name, method, path, paging and
rate limit.
"""

from __future__ import annotations

from typing import Any, Final

from ..models._base import DataEnvelope, EntitiesEnvelope, ResultEnvelope
from . import (
    callbacks,
    chatrooms,
    contacts,
    global_mutes,
    groups,
    messages,
    metadata,
    presence,
    push_management,
    push_templates,
    reactions,
    threads,
    users,
)
from ._types import Bulk, Endpoint, Pager, Param

__all__ = ["BY_NAME", "ENDPOINTS", "ENVELOPES", "HELPERS", "Bulk", "Endpoint", "Pager", "Param"]

ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    *users.ROWS,
    *users.PUSH_ROWS,
    *messages.ROWS,
    *metadata.ROWS,
    *contacts.ROWS,
    *groups.ROWS,
    *threads.ROWS,
    *chatrooms.ROWS,
    *global_mutes.ROWS,
    *presence.ROWS,
    *push_templates.ROWS,
    *push_management.ROWS,
    *reactions.ROWS,
    *callbacks.ROWS,
)

#: Bulk helpers over Agora endpoints (one call per item, or items spread over calls). Not
#: Agora endpoints themselves (so not in ENDPOINTS), but generated, paced and tested alike.
HELPERS: Final[tuple[Endpoint, ...]] = (
    *users.HELPERS,
    *metadata.HELPERS,
    *messages.HELPERS,
    *contacts.HELPERS,
    *groups.HELPERS,
    *threads.HELPERS,
    *chatrooms.HELPERS,
    *global_mutes.HELPERS,
    *presence.HELPERS,
    *push_templates.HELPERS,
    *reactions.HELPERS,
)
BY_NAME: Final[dict[str, Endpoint]] = {e.name: e for e in (*ENDPOINTS, *HELPERS)}

# Envelope types per unwrap style, for the client's cached decoders.
ENVELOPES: Final[dict[str, Any]] = {
    "data": DataEnvelope,
    "entities": EntitiesEnvelope,
    "first_entity": EntitiesEnvelope,
    "result": ResultEnvelope,
}


def _self_check() -> None:
    names = [e.name for e in (*ENDPOINTS, *HELPERS)]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise AssertionError(f"duplicate endpoint names: {sorted(duplicates)}")
    for endpoint in ENDPOINTS:
        declared = tuple(p.name for p in endpoint.params if p.location == "path")
        if endpoint.typed and declared != endpoint.path_params:
            raise AssertionError(
                f"{endpoint.name}: path params {declared} do not match {endpoint.path}"
            )


_self_check()
