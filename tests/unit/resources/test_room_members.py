"""Wire-level tests of the rows chat groups and chat rooms share: members, admins, block
and allow lists, mutes, and their bulk forms; every test runs for both kinds.

Request lines, query strings and bodies are asserted exactly; comma-joined usernames go
in one path segment with literal commas (as most of Agora's examples write them; escaped
as ``%2C`` they would cost URL length), so URLs are compared in their encoded form.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import reduce
from typing import Any

import pytest
from aioresponses import CallbackResult

from agora_chat_async import (
    BadRequestError,
    BulkFailure,
    NotFoundError,
    PermissionDeniedError,
    RetryPolicy,
    ServerError,
)
from agora_chat_async._spec import BY_NAME
from agora_chat_async.models.groups import Member, MemberResult, MutedUser, MuteResult
from tests.unit.conftest import Wire

_url = Wire.encoded


@dataclass(frozen=True)
class Kind:
    prefix: str
    root: str
    """Path of the group or room the tests use."""
    id: str
    member_key: str
    """Key naming the group or room in member change results."""
    list_key: str
    """Key naming it in block and allow list results."""
    noun: str
    id_name: str

    def method(self, client: Any, name: str) -> Any:
        return reduce(getattr, f"{self.prefix}.{name}".split("."), client)

    def entry(self, user: str, action: str, *, result: bool = True, **extra: Any) -> Any:
        key = self.list_key if "blocks" in action or "whitelist" in action else self.member_key
        return {"result": result, "action": action, **extra, "user": user, key: self.id}


GROUPS = Kind(
    prefix="groups",
    root="/chatgroups/66016455491585",
    id="66016455491585",
    member_key="groupid",
    list_key="groupid",
    noun="group",
    id_name="group_id",
)
ROOMS = Kind(
    prefix="chatrooms",
    root="/chatrooms/66213271109633",
    id="66213271109633",
    member_key="id",
    list_key="chatroomid",
    noun="room",
    id_name="chatroom_id",
)

pytestmark = pytest.mark.parametrize("kind", [GROUPS, ROOMS], ids=["groups", "chatrooms"])


def _ok(data: Any, action: str = "post", **top: Any) -> dict[str, Any]:
    return {
        "action": action,
        "application": "8be024f0-e978-11e8-b697-5d598d5f8402",
        "uri": "https://api.test/org/app/chatgroups",
        "entities": [],
        "data": data,
        "timestamp": 1542539577124,
        "duration": 0,
        "organization": "org",
        "applicationName": "app",
        **top,
    }


def _error(status: int, error: str, description: str) -> dict[str, Any]:
    return {
        "error": error,
        "exception": "com.easemob.group.exception.GroupException",
        "timestamp": 1644402553845,
        "duration": 0,
        "error_description": description,
    }


def _key(method: str, path: str) -> tuple[str, str]:
    return method, Wire.url(path)


def _bodies(wire: Wire, method: str, path: str) -> list[Any]:
    return [json.loads(call.kwargs["data"]) for call in wire.calls(method, path)]


NOT_MEMBER = "users [ghost] are not members of this group!"


# -- members -------------------------------------------------------------------------


async def test_members_list_pages_by_number_until_a_short_page(kind, client, mock, wire):
    page1 = _ok([{"owner": "user1"}, {"member": "user2"}], "get", count=2)
    page2 = _ok([{"member": "user3"}], "get", count=1)
    mock.get(_url(kind.root + "/users?pagenum=1&pagesize=2"), payload=page1)
    mock.get(_url(kind.root + "/users?pagenum=2&pagesize=2"), payload=page2)

    members = await kind.method(client, "members.list")(kind.id, page_size=2).to_list()

    assert wire.sent() == {
        _key("GET", kind.root + "/users?pagenum=1&pagesize=2"): 1,
        _key("GET", kind.root + "/users?pagenum=2&pagesize=2"): 1,
    }
    assert members == [Member(owner="user1"), Member(member="user2"), Member(member="user3")]
    assert [(m.username, m.role) for m in members] == [
        ("user1", "owner"),
        ("user2", "member"),
        ("user3", "member"),
    ]


async def test_members_list_asks_for_the_smaller_documented_maximum(kind, client, mock, wire):
    size = 100 if kind is GROUPS else 1000
    path = f"{kind.root}/users?pagenum=1&pagesize={size}"
    mock.get(_url(path), payload=_ok([{"owner": "user1"}], "get"))

    pager = kind.method(client, "members.list")(kind.id, page_size=5000)
    pages = [page async for page in pager.pages()]

    wire.only("GET", path)
    assert [(p.items, p.has_more) for p in pages] == [([Member(owner="user1")], False)]


async def test_members_list_of_an_unknown_room_raises_not_found(kind, client, mock, wire):
    path = kind.root + "/users?pagenum=1&pagesize=10"
    body = _error(404, "service_resource_not_found", f"do not find this group:{kind.id}")
    mock.get(_url(path), status=404, payload=body)

    with pytest.raises(NotFoundError) as info:
        await kind.method(client, "members.list")(kind.id, page_size=10).to_list()

    assert (info.value.error, info.value.description) == (
        "service_resource_not_found",
        f"do not find this group:{kind.id}",
    )
    wire.only("GET", path)


async def test_members_add_posts_no_body_and_returns_the_result(kind, client, mock, wire):
    mock.post(_url(kind.root + "/users/user4"), payload=_ok(kind.entry("user4", "add_member")))

    result = await kind.method(client, "members.add")(kind.id, "user4")

    wire.only("POST", kind.root + "/users/user4")
    assert type(result) is MemberResult
    assert (result.result, result.user, result.action) == (True, "user4", "add_member")
    assert result.target_id == kind.id
    assert result.reason is None


async def test_members_add_of_a_member_raises_permission_denied_once(kind, client, mock, wire):
    reason = f"can not join this group, reason:user: user4 already in group: {kind.id}\n"
    mock.post(
        _url(kind.root + "/users/user4"), status=403, payload=_error(403, "forbidden_op", reason)
    )

    with pytest.raises(PermissionDeniedError) as info:
        await kind.method(client, "members.add")(kind.id, "user4")

    assert info.value.status == 403
    assert (info.value.error, info.value.description) == ("forbidden_op", reason)
    assert info.value.endpoint == f"{kind.prefix}.members.add"
    wire.only("POST", kind.root + "/users/user4")


async def test_members_remove(kind, client, mock, wire):
    data = kind.entry("user3", "remove_member")
    mock.delete(_url(kind.root + "/users/user3"), payload=_ok(data, "delete"))

    result = await kind.method(client, "members.remove")(kind.id, "user3")

    wire.only("DELETE", kind.root + "/users/user3")
    assert (result.result, result.user, result.action) == (True, "user3", "remove_member")


async def test_members_remove_of_a_stranger_raises(kind, client, mock, wire):
    path = kind.root + "/users/ghost"
    mock.delete(_url(path), status=403, payload=_error(403, "forbidden_op", NOT_MEMBER))

    with pytest.raises(PermissionDeniedError, match="not members"):
        await kind.method(client, "members.remove")(kind.id, "ghost")

    wire.only("DELETE", path)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("members.add", ("", "user1")),
        ("members.add", (" 1", "user1")),
        ("members.add", ("1", "bad name")),
        ("members.remove", ("1", "")),
        ("members.remove", ("1", "a/b")),
        ("admins.add", ("1", "bad name")),
        ("admins.remove", ("1", "")),
        ("blocklist.add", ("1", "a" * 65)),
        ("allowlist.add", ("", "user1")),
    ],
)
async def test_bad_ids_and_usernames_are_refused_before_sending(kind, client, mock, name, args):
    with pytest.raises(ValueError, match=r"non-empty|username|characters"):
        await kind.method(client, name)(*args)
    assert mock.requests == {}


# -- members.add_many ----------------------------------------------------------------


class AddServer:
    """Answers batch adds like Agora: only users not yet members are listed as added;
    a batch of members only is refused with 403."""

    def __init__(self, kind: Kind, members: set[str]) -> None:
        self.kind = kind
        self.members = set(members)
        self.bodies: list[list[str]] = []

    async def handle(self, url: Any, **kwargs: Any) -> CallbackResult:
        names = json.loads(kwargs["data"])["usernames"]
        self.bodies.append(names)
        new = [n for n in names if n.lower() not in self.members]
        if not new:
            body = _error(403, "forbidden_op", f"can not join this group, reason:{names}")
            return CallbackResult(status=403, payload=body)
        self.members.update(n.lower() for n in new)
        id_key = "groupid" if self.kind is GROUPS else "id"
        data = {"newmembers": list(reversed(new)), id_key: self.kind.id, "action": "add_member"}
        return CallbackResult(payload=_ok(data))


async def test_add_many_chunks_by_60_and_fails_those_not_added(kind, client, mock, wire):
    names = [f"user{i:03d}" for i in range(130)]
    server = AddServer(kind, {"user007", "user100"})
    mock.post(_url(kind.root + "/users"), callback=server.handle, repeat=True)

    result = await kind.method(client, "members.add_many")(kind.id, names, concurrency=1)

    chunks = [names[:60], names[60:120], names[120:]]
    assert server.bodies == chunks
    calls = wire.calls("POST", kind.root + "/users")
    for call, chunk in zip(calls, chunks, strict=True):
        wire.check(call, body={"usernames": chunk})
    assert result.calls == 3
    assert sorted(result.succeeded) == sorted(set(names) - {"user007", "user100"})
    assert [f.item for f in result.failed] == ["user007", "user100"]
    assert all("not added" in f.reason for f in result.failed)
    assert result.skipped == []
    assert result.total == 130


async def test_add_many_takes_an_async_iterable_and_skips_bad_names(kind, client, mock, wire):
    server = AddServer(kind, set())
    mock.post(_url(kind.root + "/users"), callback=server.handle, repeat=True)

    async def names() -> Any:
        for name in ("alice", "bad name", "Bob", ""):
            yield name

    result = await kind.method(client, "members.add_many")(kind.id, names())

    assert server.bodies == [["alice", "Bob"]]
    assert result.succeeded == ["alice", "Bob"]  # matched case-insensitively
    assert [(s.item, s.reason.startswith("invalid: ")) for s in result.skipped] == [
        ("bad name", True),
        ("", True),
    ]
    assert result.failed == []


async def test_add_many_of_members_only_fails_the_chunk_with_the_error(kind, client, mock, wire):
    server = AddServer(kind, {"alice", "bob"})
    mock.post(_url(kind.root + "/users"), callback=server.handle, repeat=True)

    result = await kind.method(client, "members.add_many")(kind.id, ["alice", "bob"])

    assert result.succeeded == []
    assert [f.item for f in result.failed] == ["alice", "bob"]
    assert all(isinstance(f.error, PermissionDeniedError) for f in result.failed)
    assert result.failed[0].error.error == "forbidden_op"  # type: ignore[union-attr]
    assert len(_bodies(wire, "POST", kind.root + "/users")) == 1  # a 403 is not repeated


async def test_add_many_with_a_bad_room_id_raises_before_sending(kind, client, mock):
    with pytest.raises(ValueError, match=r"non-empty value for '(group|chatroom)_id'"):
        await kind.method(client, "members.add_many")("", ["alice"])
    assert mock.requests == {}


# -- per-user batch results (remove_many, blocklist, allowlist, unmute) ---------------


def _results_server(kind: Kind, action: str, refused: dict[str, str]) -> Any:
    """Answers each batch with one ``{result, reason?, user}`` per user; users in
    ``refused`` get result false and that reason."""
    seen: list[list[str]] = []

    async def handle(url: Any, **kwargs: Any) -> CallbackResult:
        if kwargs.get("data"):
            names = json.loads(kwargs["data"])["usernames"]
        else:
            names = url.path.rsplit("/", 1)[1].split(",")
        seen.append(names)
        data = [
            kind.entry(
                n,
                action,
                result=n not in refused,
                **({"reason": refused[n]} if n in refused else {}),
            )
            for n in names
        ]
        return CallbackResult(payload=_ok(data))

    handle.seen = seen  # type: ignore[attr-defined]
    return handle


async def test_sixty_of_the_longest_usernames_fit_agoras_4_kb_url(kind, client, mock, wire):
    # Usernames are at most 64 characters; escaped commas (%2C) would push this URL past
    # 4 KB on a real host, so the commas go on the wire as they are.
    names = [f"{i:02d}" + "x" * 62 for i in range(60)]
    path = kind.root + "/users/" + ",".join(names)
    mock.delete(_url(path), payload=_ok([kind.entry(n, "remove_member") for n in names]))

    result = await kind.method(client, "members.remove_many")(kind.id, names)

    assert result.succeeded == names
    ((_, sent_url),) = mock.requests
    assert str(sent_url) == wire.url(path)
    on_the_wire = str(sent_url).removeprefix(wire.base)
    assert "%2C" not in on_the_wire
    # what is left for the scheme, the host, and the org and app names
    assert 4096 - len(on_the_wire) >= 150


@pytest.mark.parametrize(
    ("name", "method", "path", "action", "in_path"),
    [
        ("members.remove_many", "DELETE", "/users/{}", "remove_member", True),
        ("blocklist.add_many", "POST", "/blocks/users", "add_blocks", False),
        ("blocklist.remove_many", "DELETE", "/blocks/users/{}", "remove_blocks", True),
        ("allowlist.add_many", "POST", "/white/users", "add_user_whitelist", False),
        ("allowlist.remove_many", "DELETE", "/white/users/{}", "remove_user_whitelist", True),
        ("mutes.remove_many", "DELETE", "/mute/{}", "remove_mute", True),
    ],
)
async def test_per_user_bulk_forms(kind, client, mock, wire, name, method, path, action, in_path):
    names = [f"u{i:03d}" for i in range(61)]
    reason = f"user: u001 doesn't exist in group: {kind.id}"
    handle = _results_server(kind, action, {"u001": reason})
    chunks = [names[:60], names[60:]]
    for chunk in chunks:
        target = kind.root + path.format(",".join(chunk))
        getattr(mock, method.lower())(_url(target), callback=handle)

    result = await kind.method(client, name)(kind.id, names, concurrency=1)

    assert handle.seen == chunks
    if in_path:
        assert wire.sent() == {
            _key(method, kind.root + path.format(",".join(c))): 1 for c in chunks
        }
        for chunk in chunks:
            _call = wire.calls(method, kind.root + path.format(",".join(chunk)))[0]
            wire.check(_call)
    else:
        assert _bodies(wire, method, kind.root + path) == [{"usernames": c} for c in chunks]
    assert result.calls == 2
    assert result.succeeded == [n for n in names if n != "u001"]
    assert result.failed == [BulkFailure("u001", reason)]
    assert result.skipped == []


@pytest.mark.parametrize(
    ("name", "path", "action"),
    [
        ("members.remove_many", "/users/alice", "remove_member"),
        ("blocklist.remove_many", "/blocks/users/alice", "remove_blocks"),
    ],
)
async def test_a_batch_of_one_shares_the_single_url_and_its_object_answer(
    kind, client, mock, wire, name, path, action
):
    # DELETE .../users/alice is both the single and the batch removal: one object comes back.
    mock.delete(_url(kind.root + path), payload=_ok(kind.entry("alice", action)))

    result = await kind.method(client, name)(kind.id, ["alice"])

    wire.only("DELETE", kind.root + path)
    assert (result.succeeded, result.failed, result.calls) == (["alice"], [], 1)


async def test_bulk_reports_users_the_server_left_out(kind, client, mock, wire):
    data = [kind.entry("alice", "add_blocks"), kind.entry("carol", "add_blocks", result=False)]
    mock.post(_url(kind.root + "/blocks/users"), payload=_ok(data))

    result = await kind.method(client, "blocklist.add_many")(kind.id, ["alice", "bob", "carol"])

    assert result.succeeded == ["alice"]
    assert result.failed == [
        BulkFailure("bob", "the server did not report this user"),
        BulkFailure("carol", "the server reported result false"),
    ]


# -- admins --------------------------------------------------------------------------


async def test_admins_list_is_one_request(kind, client, mock, wire):
    mock.get(_url(kind.root + "/admin"), payload=_ok(["user1", "user2"], "get", count=2))

    pager = kind.method(client, "admins.list")(kind.id)
    admins = await pager.to_list()

    wire.only("GET", kind.root + "/admin")
    assert admins == ["user1", "user2"]


async def test_admins_add_sends_newadmin(kind, client, mock, wire):
    mock.post(_url(kind.root + "/admin"), payload=_ok({"result": "success", "newadmin": "man"}))

    assert await kind.method(client, "admins.add")(kind.id, "man") is True

    call = wire.only("POST", kind.root + "/admin", body={"newadmin": "man"})
    assert call.kwargs["data"] == b'{"newadmin":"man"}'


async def test_admins_add_of_a_stranger_raises_not_found(kind, client, mock, wire):
    text = f"user: ghost doesn't exist in group: {kind.id}"
    mock.post(
        _url(kind.root + "/admin"), status=404, payload=_error(404, "resource_not_found", text)
    )

    with pytest.raises(NotFoundError) as info:
        await kind.method(client, "admins.add")(kind.id, "ghost")

    assert (info.value.error, info.value.description) == ("resource_not_found", text)


async def test_admins_remove(kind, client, mock, wire):
    data = {"result": "success", "oldadmin": "user1"}
    mock.delete(_url(kind.root + "/admin/user1"), payload=_ok(data, "delete"))

    assert await kind.method(client, "admins.remove")(kind.id, "user1") is True

    wire.only("DELETE", kind.root + "/admin/user1")


async def test_admins_remove_answers_false_unless_success(kind, client, mock, wire):
    mock.delete(_url(kind.root + "/admin/user1"), payload=_ok({"result": "failed"}, "delete"))

    assert await kind.method(client, "admins.remove")(kind.id, "user1") is False


# -- blocklist -----------------------------------------------------------------------


async def test_blocklist_list(kind, client, mock, wire):
    if kind is GROUPS:
        # Cursor-paged with camelCase pageSize; ends when the cursor is gone.
        first = kind.root + "/blocks/users?pageSize=50"
        second = kind.root + "/blocks/users?cursor=MTA5&pageSize=50"
        mock.get(_url(first), payload=_ok(["tst05", "tst04"], "get", cursor="MTA5", count=2))
        mock.get(_url(second), payload=_ok(["tst03"], "get", count=1))
        expected = {_key("GET", first): 1, _key("GET", second): 1}
    else:
        mock.get(_url(kind.root + "/blocks/users"), payload=_ok(["tst05", "tst04"], "get"))
        expected = {_key("GET", kind.root + "/blocks/users"): 1}

    users = await kind.method(client, "blocklist.list")(kind.id).to_list()

    assert wire.sent() == expected
    assert users == (["tst05", "tst04", "tst03"] if kind is GROUPS else ["tst05", "tst04"])


async def test_blocklist_add_and_remove_one(kind, client, mock, wire):
    mock.post(
        _url(kind.root + "/blocks/users/user1"), payload=_ok(kind.entry("user1", "add_blocks"))
    )
    mock.delete(
        _url(kind.root + "/blocks/users/user1"),
        payload=_ok(kind.entry("user1", "remove_blocks"), "delete"),
    )

    added = await kind.method(client, "blocklist.add")(kind.id, "user1")
    removed = await kind.method(client, "blocklist.remove")(kind.id, "user1")

    assert wire.sent() == {
        _key("POST", kind.root + "/blocks/users/user1"): 1,
        _key("DELETE", kind.root + "/blocks/users/user1"): 1,
    }
    assert (added.action, added.user, added.target_id) == ("add_blocks", "user1", kind.id)
    assert (removed.action, removed.result) == ("remove_blocks", True)


async def test_blocklist_add_of_the_owner_raises(kind, client, mock, wire):
    text = "forbidden operation on group owner!"
    path = kind.root + "/blocks/users/user1"
    mock.post(_url(path), status=403, payload=_error(403, "forbidden_op", text))

    with pytest.raises(PermissionDeniedError) as info:
        await kind.method(client, "blocklist.add")(kind.id, "user1")

    assert info.value.description == text
    wire.only("POST", path)


# -- allowlist -----------------------------------------------------------------------


async def test_allowlist_list_add_and_remove(kind, client, mock, wire):
    mock.get(_url(kind.root + "/white/users"), payload=_ok(["username1", "username2"], "get"))
    mock.post(
        _url(kind.root + "/white/users/username1"),
        payload=_ok(kind.entry("username1", "add_user_whitelist")),
    )
    removed = [kind.entry(n, "remove_user_whitelist") for n in ("username1", "username2")]
    mock.delete(
        _url(kind.root + "/white/users/username1,username2"), payload=_ok(removed, "delete")
    )

    listed = await kind.method(client, "allowlist.list")(kind.id).to_list()
    added = await kind.method(client, "allowlist.add")(kind.id, "username1")
    results = await kind.method(client, "allowlist.remove")(kind.id, ("username1", "username2"))

    assert wire.sent() == {
        _key("GET", kind.root + "/white/users"): 1,
        _key("POST", kind.root + "/white/users/username1"): 1,
        _key("DELETE", kind.root + "/white/users/username1,username2"): 1,
    }
    assert listed == ["username1", "username2"]
    assert (added.action, added.user) == ("add_user_whitelist", "username1")
    assert [(r.user, r.result, r.action) for r in results] == [
        ("username1", True, "remove_user_whitelist"),
        ("username2", True, "remove_user_whitelist"),
    ]
    assert all(type(r) is MemberResult for r in results)


async def test_allowlist_remove_of_one_user_is_a_list_too(kind, client, mock, wire):
    data = [kind.entry("username1", "remove_user_whitelist")]
    mock.delete(_url(kind.root + "/white/users/username1"), payload=_ok(data, "delete"))

    results = await kind.method(client, "allowlist.remove")(kind.id, ["username1"])

    wire.only("DELETE", kind.root + "/white/users/username1")
    assert [r.user for r in results] == ["username1"]


@pytest.mark.parametrize(
    ("usernames", "error"),
    [
        ([f"u{i}" for i in range(61)], ValueError),
        ([], ValueError),
        ("user1", TypeError),  # a plain string would be split into characters
        (["ok", "bad name"], ValueError),
        (["a,b"], ValueError),
    ],
    ids=["61", "empty", "string", "bad-name", "comma"],
)
async def test_batch_calls_refuse_bad_lists_before_sending(kind, client, mock, usernames, error):
    for name in ("allowlist.remove", "mutes.remove"):
        with pytest.raises(error):
            await kind.method(client, name)(kind.id, usernames)
    with pytest.raises(error):
        await kind.method(client, "mutes.add")(kind.id, usernames, mute_duration=1000)
    assert mock.requests == {}


# -- mutes ---------------------------------------------------------------------------


async def test_mutes_list_and_add(kind, client, mock, wire):
    listed = [{"expire": 1489158589481, "user": "user1"}]
    mock.get(_url(kind.root + "/mute"), payload=_ok(listed, "post"))
    muted = [{"result": True, "expire": 1642148173726, "user": n} for n in ("user1", "user2")]
    mock.post(_url(kind.root + "/mute"), payload=_ok(muted))

    entries = await kind.method(client, "mutes.list")(kind.id).to_list()
    results = await kind.method(client, "mutes.add")(
        kind.id, ["user1", "user2"], mute_duration=86400000
    )

    assert entries == [MutedUser(user="user1", expire=1489158589481)]
    assert results == [
        MuteResult(result=True, user=n, expire=1642148173726) for n in ("user1", "user2")
    ]
    call = wire.calls("POST", kind.root + "/mute")[0]
    wire.check(call, body={"usernames": ["user1", "user2"], "mute_duration": 86400000})
    assert call.kwargs["data"] == b'{"usernames":["user1","user2"],"mute_duration":86400000}'


@pytest.mark.parametrize("duration", [0, -2, 1.5, True, "1000"])
async def test_mutes_add_refuses_a_bad_duration(kind, client, mock, duration):
    with pytest.raises(ValueError, match="mute_duration"):
        await kind.method(client, "mutes.add")(kind.id, ["user1"], mute_duration=duration)
    assert mock.requests == {}


async def test_mutes_add_for_ever(kind, client, mock, wire):
    mock.post(_url(kind.root + "/mute"), payload=_ok([{"result": True, "expire": -1, "user": "u"}]))

    [result] = await kind.method(client, "mutes.add")(kind.id, ["u"], mute_duration=-1)

    assert result.expire == -1
    assert wire.body(wire.calls("POST", kind.root + "/mute")[0]) == {
        "usernames": ["u"],
        "mute_duration": -1,
    }


async def test_mutes_remove_and_the_legacy_free_delete(kind, client, mock, wire):
    data = [{"result": True, "user": "user1"}, {"result": True, "user": "user2"}]
    mock.delete(_url(kind.root + "/mute/user1,user2"), payload=_ok(data, "delete"))

    results = await kind.method(client, "mutes.remove")(kind.id, ["user1", "user2"])

    wire.only("DELETE", kind.root + "/mute/user1,user2")
    assert results == [MuteResult(result=True, user="user1"), MuteResult(result=True, user="user2")]


async def test_mute_all_and_unmute_all(kind, client, mock, wire):
    mock.post(_url(kind.root + "/ban"), payload=_ok({"mute": True}, "put"))
    mock.delete(_url(kind.root + "/ban"), payload=_ok({"mute": False}, "put"))

    assert await kind.method(client, "mutes.mute_all")(kind.id) is True
    assert await kind.method(client, "mutes.unmute_all")(kind.id) is True

    assert wire.sent() == {
        _key("POST", kind.root + "/ban"): 1,
        _key("DELETE", kind.root + "/ban"): 1,
    }
    for method in ("POST", "DELETE"):
        wire.check(wire.calls(method, kind.root + "/ban")[0])


async def test_unmute_all_is_false_if_still_muted(kind, client, mock):
    mock.delete(_url(kind.root + "/ban"), payload=_ok({"mute": True}, "delete"))

    assert await kind.method(client, "mutes.unmute_all")(kind.id) is False


async def test_mutes_add_many_chunks_and_keeps_the_end_times(kind, client, mock, wire):
    names = [f"m{i:03d}" for i in range(70)]
    bodies: list[Any] = []

    async def handle(url: Any, **kwargs: Any) -> CallbackResult:
        body = json.loads(kwargs["data"])
        bodies.append(body)
        data = [
            {"result": n != "m065", "expire": 1700000000000, "user": n} for n in body["usernames"]
        ]
        return CallbackResult(payload=_ok(data))

    mock.post(_url(kind.root + "/mute"), callback=handle, repeat=True)

    result = await kind.method(client, "mutes.add_many")(
        kind.id, iter(names), mute_duration=60000, concurrency=1
    )

    assert bodies == [
        {"usernames": names[:60], "mute_duration": 60000},
        {"usernames": names[60:], "mute_duration": 60000},
    ]
    assert result.succeeded == [
        MuteResult(result=True, user=n, expire=1700000000000) for n in names if n != "m065"
    ]
    assert result.failed == [BulkFailure("m065", "the server reported result false")]


async def test_mutes_add_many_checks_the_duration_before_sending(kind, client, mock):
    with pytest.raises(ValueError, match="mute_duration"):
        await kind.method(client, "mutes.add_many")(kind.id, ["a"], mute_duration=0)
    assert mock.requests == {}


# -- retries: only what is safe to repeat is repeated ------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "path", "args", "kwargs", "data", "repeated"),
    [
        ("members.add", "POST", "/users/u1", ("u1",), {}, {"result": True, "user": "u1"}, False),
        ("admins.add", "POST", "/admin", ("u1",), {}, {"result": "success"}, False),
        ("blocklist.add", "POST", "/blocks/users/u1", ("u1",), {}, {"result": True}, False),
        ("mutes.mute_all", "POST", "/ban", (), {}, {"mute": True}, True),
        ("mutes.add", "POST", "/mute", (["u1"],), {"mute_duration": 5}, [], True),
        ("members.remove", "DELETE", "/users/u1", ("u1",), {}, {"result": True}, True),
    ],
)
async def test_a_503_is_retried_only_where_repeating_is_harmless(
    kind, client, mock, wire, name, method, path, args, kwargs, data, repeated
):
    retrying = client.with_options(retry=RetryPolicy(max_retries=1, backoff_base=0))
    register = getattr(mock, method.lower())
    register(_url(kind.root + path), status=503, payload=_error(503, "server_error", "busy"))
    register(_url(kind.root + path), payload=_ok(data))

    if repeated:
        await kind.method(retrying, name)(kind.id, *args, **kwargs)
    else:
        with pytest.raises(ServerError, match="busy"):
            await kind.method(retrying, name)(kind.id, *args, **kwargs)

    assert wire.sent() == {_key(method, kind.root + path): 2 if repeated else 1}


async def test_a_400_batch_limit_error_keeps_its_description(kind, client, mock, wire):
    text = "userNames size is more than max limit : 60"
    mock.post(_url(kind.root + "/mute"), status=400, payload=_error(400, "invalid_parameter", text))

    with pytest.raises(BadRequestError) as info:
        await kind.method(client, "mutes.add")(kind.id, ["u1"], mute_duration=5)

    assert (info.value.error, info.value.description) == ("invalid_parameter", text)


async def test_add_many_reports_progress_and_stops_after_a_failed_chunk(kind, client, mock, wire):
    names = [f"user{i:03d}" for i in range(150)]
    server = AddServer(kind, set(names[:60]))  # the first chunk is all members: a 403
    mock.post(_url(kind.root + "/users"), callback=server.handle, repeat=True)
    seen: list[tuple[int, int | None]] = []

    result = await kind.method(client, "members.add_many")(
        kind.id,
        names,
        concurrency=1,
        stop_on_error=True,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert server.bodies == [names[:60]]
    assert [f.item for f in result.failed] == names[:60]
    assert [s.item for s in result.skipped] == names[60:]
    assert result.total == 150
    assert seen[0] == (60, 150)
    assert seen[-1] == (150, 150)


def test_bulk_forms_share_the_rate_limit_of_their_endpoint(kind):

    for helper, base in (
        ("allowlist.remove_many", "allowlist.remove"),
        ("mutes.add_many", "mutes.add"),
        ("mutes.remove_many", "mutes.remove"),
    ):
        many, one = BY_NAME[f"{kind.prefix}.{helper}"], BY_NAME[f"{kind.prefix}.{base}"]
        assert (many.limit_key, many.rate) == (one.limit_key, one.rate)
        assert many.legacy == ()
        assert many.bulk is not None
        assert (many.bulk.chunk_size, many.bulk.takes[0]) == (60, f"{kind.id_name}")
