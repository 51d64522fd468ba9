"""The endpoint table matches the overview table row for row, and is self-consistent."""

from __future__ import annotations

import re

from agora_chat_async import ENDPOINTS
from agora_chat_async._spec import BY_NAME
from agora_chat_async._validate import CHECKS
from tests._spec_files import spec_file


def _tsv_rows() -> list[list[str]]:
    lines = spec_file("endpoints.tsv").read_text().splitlines()
    return [line.split("\t") for line in lines if line and not line.startswith("#")]


def test_every_overview_row_is_in_the_table_with_its_method_and_path() -> None:
    rows = _tsv_rows()
    assert len(rows) == 102
    for _section, name, method, path, paging, *_ in rows:
        endpoint = BY_NAME[name]
        assert (endpoint.method, endpoint.path) == (method, path), name
        if name == "users.delete_many":
            # Cursor-continued, but a deletion, not a listing: the method returns the
            # cursor instead of being a pager (design: `list` is the only pager verb).
            assert paging == "cursor"
            assert endpoint.pager is None
            continue
        style = endpoint.pager.style if endpoint.pager else ""
        if paging:
            assert style == paging, name
        elif name in PAGED_SINCE_THE_OVERVIEW:
            assert style == PAGED_SINCE_THE_OVERVIEW[name], name
        else:
            # Unpaged lists are single-page pagers: every `list` method returns one.
            assert style == ("single" if endpoint.method_name == "list" else ""), name


#: Lists the overview shows unpaged that Agora's current pages document with paging.
PAGED_SINCE_THE_OVERVIEW = {
    "blocks.list": "cursor",  # pageSize (1-50) + cursor
    "groups.blocklist.list": "cursor",  # pageSize + cursor (A-blk)
}


def test_the_table_has_no_row_the_overview_lacks() -> None:
    names = {row[1] for row in _tsv_rows()}
    assert {e.name for e in ENDPOINTS if e.overview} == names


def test_rows_beyond_the_overview_are_typed_and_follow_it_in_their_area() -> None:
    for endpoint in ENDPOINTS:
        if not endpoint.overview:
            assert endpoint.typed, endpoint.name
    areas = [e.area for e in ENDPOINTS]
    for area in set(areas):
        flags = [e.overview for e in ENDPOINTS if e.area == area]
        assert flags == sorted(flags, reverse=True), area  # overview rows first


def test_seed_methods_and_paths_are_accepted_as_legacy_forms() -> None:
    for _section, name, method, path, _paging, seed_method, seed_path, *_ in _tsv_rows():
        if not (seed_method or seed_path):
            continue
        legacy_path = seed_path or path
        # The overview's typos (doubled slashes, missing org) are recorded as notes,
        # not routes; the method/path forms that a real server took are legacy routes.
        if "//" in legacy_path or "}user" in legacy_path:
            continue
        legacy_path = re.sub(r"^/?\{org_name\}/\{app_name\}", "", legacy_path)
        legacy_path = legacy_path if legacy_path.startswith("/") else "/" + legacy_path
        if legacy_path.startswith("/{org_name}") or "blocks/users" in legacy_path:
            continue
        assert (seed_method or method, legacy_path) in BY_NAME[name].legacy, name


def test_rows_are_consistent() -> None:
    for endpoint in ENDPOINTS:
        assert endpoint.rate > 0
        assert endpoint.docs.startswith("https://docs.agora.io/"), endpoint.name
        if not endpoint.typed:
            continue
        assert endpoint.summary.endswith("."), endpoint.name
        declared = tuple(p.name for p in endpoint.params if p.location == "path")
        assert declared == endpoint.path_params, endpoint.name
        for param in endpoint.params:
            assert param.check is None or param.check in CHECKS, (endpoint.name, param)
            assert param.doc, (endpoint.name, param.name)
        if endpoint.pager is None and endpoint.bulk is None and endpoint.unwrap != "none":
            assert endpoint.returns is not None, endpoint.name


def test_retry_safety_follows_the_method_unless_marked() -> None:
    assert BY_NAME["users.get"].safe_to_retry
    assert BY_NAME["users.delete"].safe_to_retry
    assert not BY_NAME["users.register"].safe_to_retry
    assert not BY_NAME["messages.send"].safe_to_retry
    assert BY_NAME["users.get_statuses"].safe_to_retry  # a read sent as POST


def test_shared_rate_limits_share_a_key() -> None:
    push = {BY_NAME[n].limit_key for n in ("push.set_nickname", "push.set_no_disturb")}
    assert push == {"PUT /users/{username}"}
    assert BY_NAME["users.register"].limit_key == BY_NAME["users.register_many"].limit_key
    assert BY_NAME["users.delete_many"].rate == 30
    assert BY_NAME["users.get_statuses"].rate == 50
