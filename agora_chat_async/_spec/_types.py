"""The building blocks of the endpoint table: parameters, pagers, bulk forms, endpoints."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

import msgspec

__all__ = [
    "DOCS",
    "USERNAME",
    "Bulk",
    "Endpoint",
    "Pager",
    "Param",
    "as_list",
    "cursor_pager",
    "data_cursor_pager",
    "each",
    "flag",
    "is_one_of",
    "needs_one_of",
    "page_pager",
    "path_param",
    "planned",
    "props_pager",
    "single_pager",
    "value",
]

Location = Literal["path", "query", "body", "header"]
Unwrap = Literal["data", "entities", "first_entity", "result", "envelope", "none", "bytes"]
Paging = Literal["cursor", "props-cursor", "data-cursor", "page", "single"]

DOCS = "https://docs.agora.io/en/agora-chat/restful-api/"


# -- post-steps: the returned value made from the decoded payload ----------------------


def flag(key: str) -> Callable[[Mapping[str, Any]], bool]:
    """A post-step reading one boolean of ``data`` (``{"success": true, ...}``)."""

    def post(data: Mapping[str, Any]) -> bool:
        return bool(data[key])

    return post


def is_one_of(key: str, *accepted: Any) -> Callable[[Mapping[str, Any]], bool]:
    """A post-step: whether one field of ``data`` is one of ``accepted`` (``{"result":
    "ok"}``, where other answers say ``true``)."""

    def post(data: Mapping[str, Any]) -> bool:
        got = data.get(key)
        return any(type(got) is type(value) and got == value for value in accepted)

    return post


def value(key: str) -> Callable[[Mapping[str, Any]], str]:
    """A post-step reading one string of ``data`` (``{"groupid": "..."}``)."""

    def post(data: Mapping[str, Any]) -> str:
        return str(data[key])

    return post


def needs_one_of(names: tuple[str, ...]) -> Callable[[Mapping[str, Any]], None]:
    """A ``check_args``: a call with nothing to change is refused before sending."""

    def check(args: Mapping[str, Any]) -> None:
        if all(args.get(name, msgspec.UNSET) is msgspec.UNSET for name in names):
            raise ValueError(f"give at least one field to change: {', '.join(names)}")

    return check


def as_list(data: Any) -> list[Any]:
    """A post-step for answers that are one object where a list was asked for (a batch
    of one sharing its URL with the single form; a doc example showing one item)."""
    return data if isinstance(data, list) else [data]


class Param(msgspec.Struct, frozen=True, kw_only=True):
    """One argument of a generated method and where it goes on the wire."""

    name: str
    type: str
    """The annotation written into the generated signature."""
    location: Location
    doc: str
    wire: str = ""
    """Name on the wire when it differs from ``name``."""
    default: str | None = None
    """Source text of the default; ``None`` makes the argument required."""
    positional: bool = False
    check: str | None = None
    """Name of a check in ``_validate.CHECKS`` run before sending."""
    encode: Literal["str", "csv", "bool", "list", "fields", "body"] | None = None
    """``str``/``csv``/``bool`` (``"true"``)/``list`` (a one-item list): how the value is
    written; ``fields``: a mapping whose items become the body's fields; ``body``: the
    value is the whole body (a bare JSON array)."""

    @property
    def wire_name(self) -> str:
        return self.wire or self.name


class Pager(msgspec.Struct, frozen=True, kw_only=True):
    """How a list endpoint pages: page size parameter, its server maximum, item path."""

    style: Paging
    size_param: str
    max_size: int
    default_size: int
    cursor_param: str = "cursor"
    page_param: str = "pagenum"


class Bulk(msgspec.Struct, frozen=True, kw_only=True):
    """A batch endpoint whose generated method takes any number of items and chunks them."""

    chunk_size: int
    items_name: str
    item_type: str
    splitter: str
    """Key in ``_bulk.SPLITTERS``: maps one chunk's response to done/failed items."""
    takes: tuple[str, ...] = ()
    """Endpoint arguments the method also takes, passed unchanged to every call."""
    preset: tuple[tuple[str, Any], ...] = ()
    """Endpoint arguments fixed by the helper itself (``target_type="users"``)."""


class Endpoint(msgspec.Struct, frozen=True, kw_only=True):
    """One REST endpoint: where it lives, what it takes and returns, how to call it."""

    name: str
    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    """Relative to ``/{org_name}/{app_name}``."""
    area: str
    summary: str = ""
    docs: str = ""
    params: tuple[Param, ...] = ()
    body_format: Literal["json", "form", "multipart"] = "json"
    """``form``: the body is sent as ``application/x-www-form-urlencoded``; ``multipart``:
    as ``multipart/form-data`` holding the one file the ``file`` parameter names."""
    returns: Any = None
    """Type the unwrapped payload decodes into."""
    unwrap: Unwrap = "data"
    post: Callable[[Any], Any] | None = None
    """Turns the decoded payload into the value the method returns."""
    check_args: Callable[[Mapping[str, Any]], None] | None = None
    """A check across several arguments, run with the per-argument checks."""
    result: str = "None"
    """Annotation of the value the method returns."""
    pager: Pager | None = None
    bulk: Bulk | None = None
    rate: float = 100.0
    """Documented limit in calls per second, per app."""
    rate_key: str = ""
    """Endpoints sharing one documented limit share a key (default: method + path)."""
    retry_safe: bool | None = None
    """Whether repeating the request is harmless; ``None`` derives it from the method."""
    legacy: tuple[tuple[str, str], ...] = ()
    """Older (method, path) forms the overview table lists; the emulator accepts them."""
    typed: bool = False
    overview: bool = True
    """False for endpoints Agora documents beyond its REST overview table."""

    @property
    def path_params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"{(\w+)}", self.path))

    @property
    def safe_to_retry(self) -> bool:
        if self.retry_safe is not None:
            return self.retry_safe
        return self.method != "POST"

    @property
    def limit_key(self) -> str:
        return self.rate_key or f"{self.method} {self.path}"

    @property
    def resource(self) -> str:
        """Dotted resource path: ``groups.members`` for ``groups.members.add``."""
        return self.name.rpartition(".")[0]

    @property
    def method_name(self) -> str:
        return self.name.rpartition(".")[2]


# -- shorthands the area modules share -----------------------------------------------


def path_param(name: str, doc: str, check: str = "nonempty") -> Param:
    return Param(name=name, type="str", location="path", doc=doc, check=check)


USERNAME = path_param("username", "The user's ID (username).", "username")


def planned(
    area: str,
    rows: str,
    docs: str,
    rates: Mapping[str, float] | None = None,
    pagers: Mapping[str, Pager] | None = None,
    legacy: Mapping[str, tuple[tuple[str, str], ...]] | None = None,
) -> tuple[Endpoint, ...]:
    """Rows given as ``name METHOD path`` lines (name, method and path as in the table)."""
    out = []
    for line in rows.strip().splitlines():
        name, method, path = line.split()
        out.append(
            Endpoint(
                name=name,
                method=method,  # type: ignore[arg-type]
                path=path,
                area=area,
                docs=docs,
                rate=(rates or {}).get(name, 100.0),
                pager=(pagers or {}).get(name),
                legacy=(legacy or {}).get(name, ()),
            )
        )
    return tuple(out)


def cursor_pager(max_size: int, default: int = 10) -> Pager:
    return Pager(style="cursor", size_param="limit", max_size=max_size, default_size=default)


def page_pager(max_size: int, default: int) -> Pager:
    return Pager(style="page", size_param="pagesize", max_size=max_size, default_size=default)


def props_pager(max_size: int = 50) -> Pager:
    return Pager(style="props-cursor", size_param="limit", max_size=max_size, default_size=10)


def data_cursor_pager(max_size: int, default: int = 10) -> Pager:
    """limit + cursor, the cursor inside the payload (``data.cursor``); ends without one."""
    return Pager(style="data-cursor", size_param="limit", max_size=max_size, default_size=default)


def single_pager() -> Pager:
    """An unpaged list: the whole list comes in one response."""
    return Pager(style="single", size_param="", max_size=0, default_size=0)


def each(
    name: str,
    endpoint: Endpoint,
    items_name: str,
    summary: str,
    splitter: str,
    *,
    item_type: str = "str",
    done_type: str | None = None,
) -> Endpoint:
    """A bulk helper that makes one call of ``endpoint`` per item."""
    result = f"BulkResult[{item_type}, {done_type or endpoint.result}]"
    return msgspec.structs.replace(
        endpoint,
        name=name,
        summary=summary,
        bulk=Bulk(
            chunk_size=1,
            items_name=items_name,
            item_type=item_type,
            splitter=splitter,
        ),
        result=result,
        rate_key=endpoint.limit_key,  # the same documented limit as the endpoint
    )
