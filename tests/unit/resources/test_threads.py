"""Wire-level tests of ``client.threads.*``: requests, decoded results, the thread
pagers' end signal (a short page, although the last page still carries a cursor), the
10-per-call member changes with every username accounted for, error mapping and the
checks that refuse bad input before anything is sent."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from aioresponses import CallbackResult

from agora_chat_async import BadRequestError, NotFoundError, PermissionDeniedError
from agora_chat_async._client import _Plan, page_reader
from agora_chat_async._spec import BY_NAME
from agora_chat_async.models.threads import Thread
from tests._spec_files import doc_examples, lenient_json, normalise_path

TID = "177916702949377"
GID = "179800091197441"
CURSOR_1 = "ZGNiMjRmNGY6aW06dGhyZWFkOmVhc2Vtb2ItZGVtbyN0ZXN0eToxNzk3ODYzNjExNDMzMTE"
CURSOR_2 = "ZGNiMjRmNGY6aW06dGhyZWFkOmVhc2Vtb2ItZGVtbyN0ZXN0eToxNzk3ODYzNjAwOTQ3Nzg"

_COMMON = {"applicationName": "app", "duration": 4, "organization": "org", "timestamp": 1}


def _change(action: str, data: Any) -> dict[str, Any]:
    return {"action": action, **_COMMON, "data": data, "uri": "http://api.test/org/app/thread"}


def _entities(entities: list[dict[str, Any]], cursor: str | None) -> dict[str, Any]:
    properties = {} if cursor is None else {"cursor": cursor}
    return {"action": "get", **_COMMON, "entities": entities, "properties": properties}


def _thread(i: int) -> dict[str, Any]:
    return {
        "name": f"t{i}",
        "owner": "test4",
        "id": f"17{i:04d}69",
        "msgId": f"19{i:02d}",
        "groupId": GID,
        "created": 1650856033420 + i,
    }


def _members(names: list[str], cursor: str) -> dict[str, Any]:
    return {
        "action": "get",
        "data": {"affiliations": names},
        "duration": 4,
        "properties": {"cursor": cursor},
        "timestamp": 1,
        "uri": f"http://api.test/org/app/thread/{TID}/users",
    }


THREAD_NOT_FOUND = {
    "error": "group_error",
    "exception": "EasemobException",
    "timestamp": 1,
    "duration": 0,
    "error_description": "thread not found.",
}


def _error(description: str) -> dict[str, Any]:
    return {**THREAD_NOT_FOUND, "error_description": description}


# -- one thread ------------------------------------------------------------------------


async def test_create_sends_the_four_fields_and_returns_the_id(client, mock, wire) -> None:
    mock.post(wire.url("/thread"), payload=_change("post", {"thread_id": TID}))

    thread_id = await client.threads.create(GID, "release notes", "1234", "test4")

    wire.only(
        "POST",
        "/thread",
        body={"group_id": GID, "name": "release notes", "msg_id": "1234", "owner": "test4"},
    )
    assert thread_id == TID


async def test_create_refusals_are_mapped_with_code_and_description(client, mock, wire) -> None:
    mock.post(wire.url("/thread"), status=403, payload=_error("msg already create thread."))
    mock.post(wire.url("/thread"), status=404, payload=_error("user not in group."))

    with pytest.raises(PermissionDeniedError) as denied:
        await client.threads.create(GID, "t", "1234", "test4")
    assert (denied.value.status, denied.value.error) == (403, "group_error")
    assert denied.value.description == "msg already create thread."
    with pytest.raises(NotFoundError) as missing:
        await client.threads.create(GID, "t", "1234", "test4")
    assert missing.value.description == "user not in group."
    assert wire.sent() == {("POST", wire.url("/thread")): 2}  # a create is never repeated


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((GID, "", "1234", "test4"), "name must not be empty"),
        ((GID, "x" * 65, "1234", "test4"), "name is limited to 64 characters"),
        (("", "t", "1234", "test4"), "non-empty value for 'group_id'"),
        ((GID, "t", "", "test4"), "non-empty value for 'msg_id'"),
        ((GID, "t", "1234", "bad owner"), "owner must be 1-64 characters"),
    ],
)
async def test_create_checks_before_sending(client, wire, args, message) -> None:
    with pytest.raises(ValueError, match=message):
        await client.threads.create(*args)
    assert wire.sent() == {}


async def test_create_accepts_a_64_character_name(client, mock, wire) -> None:
    mock.post(wire.url("/thread"), payload=_change("post", {"thread_id": TID}))
    assert await client.threads.create(GID, "x" * 64, "1234", "test4") == TID
    assert wire.body(wire.calls("POST", "/thread")[0])["name"] == "x" * 64


async def test_update_sends_the_name_and_returns_the_stored_one(client, mock, wire) -> None:
    mock.put(wire.url(f"/thread/{TID}"), payload=_change("put", {"name": "test4"}))

    assert await client.threads.update(TID, name="test4") == "test4"

    wire.only("PUT", f"/thread/{TID}", body={"name": "test4"})


async def test_update_checks_the_name_and_the_id_before_sending(client, wire) -> None:
    with pytest.raises(ValueError, match="name is limited to 64 characters"):
        await client.threads.update(TID, name="y" * 65)
    with pytest.raises(ValueError, match="thread_id"):
        await client.threads.update("", name="ok")
    assert wire.sent() == {}


async def test_delete_returns_true_on_ok_and_maps_not_found(client, mock, wire) -> None:
    mock.delete(wire.url(f"/thread/{TID}"), payload=_change("delete", {"status": "ok"}))
    mock.delete(wire.url(f"/thread/{TID}"), status=404, payload=THREAD_NOT_FOUND)

    assert await client.threads.delete(TID) is True
    wire.check(wire.calls("DELETE", f"/thread/{TID}")[0])
    with pytest.raises(NotFoundError) as missing:
        await client.threads.delete(TID)
    assert (missing.value.error, missing.value.description) == ("group_error", "thread not found.")


async def test_delete_is_false_when_the_status_is_not_ok(client, mock, wire) -> None:
    mock.delete(wire.url(f"/thread/{TID}"), payload=_change("delete", {"status": "fail"}))
    assert await client.threads.delete(TID) is False


# -- lists -------------------------------------------------------------------------------


async def test_list_yields_ids_and_stops_on_a_short_page_that_has_a_cursor(
    client, mock, wire
) -> None:
    first = [{"id": "179786360094768"}, {"id": "179786360094767"}]
    mock.get(wire.url("/thread?limit=2&sort=asc"), payload=_entities(first, CURSOR_1))
    last = [{"id": "179786360094766"}]
    mock.get(
        wire.url(f"/thread?cursor={CURSOR_1}&limit=2&sort=asc"),
        payload=_entities(last, CURSOR_2),
    )

    ids = [i async for i in client.threads.list(sort="asc", page_size=2)]

    assert ids == ["179786360094768", "179786360094767", "179786360094766"]
    assert wire.sent() == {
        ("GET", wire.url("/thread?limit=2&sort=asc")): 1,
        ("GET", wire.url(f"/thread?cursor={CURSOR_1}&limit=2&sort=asc")): 1,
    }
    for path in ("/thread?limit=2&sort=asc", f"/thread?cursor={CURSOR_1}&limit=2&sort=asc"):
        wire.check(wire.calls("GET", path)[0])


async def test_list_asks_for_50_and_a_full_last_page_ends_on_an_empty_one(
    client, mock, wire
) -> None:
    full = [{"id": str(100 + i)} for i in range(50)]
    mock.get(wire.url("/thread?limit=50"), payload=_entities(full, CURSOR_1))
    mock.get(wire.url(f"/thread?cursor={CURSOR_1}&limit=50"), payload=_entities([], CURSOR_1))

    pages = [page.items async for page in client.threads.list().pages()]

    assert [len(p) for p in pages] == [50, 0]
    assert len(wire.sent()) == 2


async def test_list_page_size_is_capped_at_50(client, mock, wire) -> None:
    mock.get(wire.url("/thread?limit=50&sort=desc"), payload=_entities([], None))
    assert [i async for i in client.threads.list(sort="desc", page_size=500)] == []
    wire.only("GET", "/thread?limit=50&sort=desc")


async def test_list_refuses_a_bad_sort_or_page_size_before_sending(client, wire) -> None:
    with pytest.raises(ValueError, match="sort must be one of asc, desc"):
        client.threads.list(sort="newest")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="page_size"):
        client.threads.list(page_size=0)
    assert wire.sent() == {}


async def test_list_maps_a_limit_refusal(client, mock, wire) -> None:
    refusal = _error("query param reaches limit.")
    mock.get(wire.url("/thread?limit=50"), status=400, payload=refusal)
    with pytest.raises(BadRequestError) as bad:
        [i async for i in client.threads.list()]
    assert bad.value.description == "query param reaches limit."


async def test_list_joined_decodes_threads(client, mock, wire) -> None:
    mock.get(
        wire.url("/threads/user/test4?limit=2"),
        payload=_entities([_thread(1), _thread(2)], CURSOR_1),
    )
    mock.get(
        wire.url(f"/threads/user/test4?cursor={CURSOR_1}&limit=2"),
        payload=_entities([_thread(3)], CURSOR_2),
    )

    threads = [t async for t in client.threads.list_joined("test4", page_size=2)]

    assert threads == [
        Thread(
            id=f"17{i:04d}69",
            name=f"t{i}",
            owner="test4",
            msg_id=f"19{i:02d}",
            group_id=GID,
            created=1650856033420 + i,
        )
        for i in (1, 2, 3)
    ]
    assert len(wire.sent()) == 2


async def test_list_joined_in_group_puts_both_ids_in_the_path(client, mock, wire) -> None:
    path = f"/threads/chatgroups/{GID}/user/test4?limit=50&sort=asc"
    mock.get(wire.url(path), payload=_entities([_thread(7)], CURSOR_1))

    pager = client.threads.list_joined_in_group(GID, "test4", sort="asc")
    threads = [t async for t in pager]

    wire.only("GET", path)
    assert [(t.id, t.name, t.group_id, t.msg_id) for t in threads] == [
        ("17000769", "t7", GID, "1907")
    ]


async def test_list_joined_refuses_a_bad_username_before_sending(client, wire) -> None:
    with pytest.raises(ValueError, match="username"):
        client.threads.list_joined("no spaces")
    with pytest.raises(ValueError, match="group_id"):
        client.threads.list_joined_in_group("", "test4")
    assert wire.sent() == {}


async def test_members_list_reads_affiliations_and_pages_by_cursor(client, mock, wire) -> None:
    base = f"/thread/{TID}/users"
    mock.get(wire.url(f"{base}?limit=2"), payload=_members(["test4", "test2"], CURSOR_1))
    mock.get(wire.url(f"{base}?cursor={CURSOR_1}&limit=2"), payload=_members(["test3"], CURSOR_2))

    pages = [page.items async for page in client.threads.members.list(TID, page_size=2).pages()]

    assert pages == [["test4", "test2"], ["test3"]]
    assert len(wire.sent()) == 2
    wire.check(wire.calls("GET", f"{base}?limit=2")[0])


async def test_members_list_of_a_missing_thread(client, mock, wire) -> None:
    mock.get(wire.url(f"/thread/{TID}/users?limit=50"), status=404, payload=THREAD_NOT_FOUND)
    with pytest.raises(NotFoundError):
        [m async for m in client.threads.members.list(TID)]


# -- member changes, 10 per call ---------------------------------------------------------


class FakeThread:
    """Answers member changes like Agora: add is all-or-nothing with ``status: ok``,
    remove reports ``result`` per user; records every body in order."""

    def __init__(self, members: set[str] | None = None, outsiders: set[str] | None = None):
        self.members = set(members or ())
        self.outsiders = set(outsiders or ())
        self.bodies: list[list[str]] = []

    async def add(self, url: Any, **kwargs: Any) -> CallbackResult:
        names = json.loads(kwargs["data"])["usernames"]
        self.bodies.append(names)
        if self.outsiders & set(names):
            return CallbackResult(status=404, payload=_error("user not in group."))
        self.members.update(n.lower() for n in names)
        return CallbackResult(payload={"action": "post", "data": {"status": "ok"}})

    async def remove(self, url: Any, **kwargs: Any) -> CallbackResult:
        names = json.loads(kwargs["data"])["usernames"]
        self.bodies.append(names)
        entities = []
        for name in names:
            removed = name.lower() in self.members
            self.members.discard(name.lower())
            entities.append({"result": removed, "user": name.lower()})
        return CallbackResult(payload={"action": "delete", "entities": entities})


NAMES = [f"user{i:02d}" for i in range(25)]


async def test_add_many_sends_10_per_call_and_reports_every_user(client, mock, wire) -> None:
    fake = FakeThread()
    mock.post(wire.url(f"/thread/{TID}/users"), callback=fake.add, repeat=True)
    seen: list[tuple[int, int | None]] = []

    result = await client.threads.members.add_many(
        TID, NAMES, concurrency=1, progress=lambda done, total: seen.append((done, total))
    )

    assert fake.bodies == [NAMES[:10], NAMES[10:20], NAMES[20:]]
    assert result.succeeded == NAMES
    assert (result.failed, result.skipped, result.calls, result.ok) == ([], [], 3, True)
    assert seen[-1] == (25, 25)
    call = wire.calls("POST", f"/thread/{TID}/users")[0]
    wire.check(call, body={"usernames": NAMES[:10]})


async def test_add_many_fails_a_refused_chunk_as_a_whole(client, mock, wire) -> None:
    fake = FakeThread(outsiders={"user13"})
    mock.post(wire.url(f"/thread/{TID}/users"), callback=fake.add, repeat=True)

    result = await client.threads.members.add_many(TID, NAMES, concurrency=1)

    assert result.succeeded == NAMES[:10] + NAMES[20:]
    assert [f.item for f in result.failed] == NAMES[10:20]
    failure = result.failed[0]
    assert isinstance(failure.error, NotFoundError)
    assert "user not in group." in failure.reason
    assert result.total == 25


async def test_add_many_reports_a_status_other_than_ok(client, mock, wire) -> None:
    mock.post(wire.url(f"/thread/{TID}/users"), payload={"data": {"status": "pending"}})
    result = await client.threads.members.add_many(TID, ["a", "b"])
    assert result.succeeded == []
    assert [(f.item, f.reason) for f in result.failed] == [
        ("a", "the server answered status 'pending', not 'ok'"),
        ("b", "the server answered status 'pending', not 'ok'"),
    ]


async def test_add_many_skips_invalid_usernames_without_sending_them(client, mock, wire) -> None:
    fake = FakeThread()
    mock.post(wire.url(f"/thread/{TID}/users"), callback=fake.add, repeat=True)

    result = await client.threads.members.add_many(TID, ["ok1", "bad name", "", "ok2"])

    assert fake.bodies == [["ok1", "ok2"]]
    assert result.succeeded == ["ok1", "ok2"]
    assert [f.item for f in result.skipped] == ["bad name", ""]
    assert all(f.reason.startswith("invalid: ") for f in result.skipped)


async def test_add_many_checks_the_thread_id_before_sending(client, wire) -> None:
    with pytest.raises(ValueError, match="thread_id"):
        await client.threads.members.add_many("", ["a"])
    assert wire.sent() == {}


async def test_remove_many_sends_a_json_body_on_delete_and_splits_per_user(
    client, mock, wire
) -> None:
    members = {n for n in NAMES if n not in ("user03", "user17")}
    fake = FakeThread(members=members)
    mock.delete(wire.url(f"/thread/{TID}/users"), callback=fake.remove, repeat=True)
    asked = [n.upper() if n == "user05" else n for n in NAMES]  # matched case-insensitively

    result = await client.threads.members.remove_many(TID, asked, concurrency=1)

    assert fake.bodies == [asked[:10], asked[10:20], asked[20:]]
    wire.check(wire.calls("DELETE", f"/thread/{TID}/users")[0], body={"usernames": asked[:10]})
    assert result.succeeded == [n for n in asked if n not in ("user03", "user17")]
    assert [(f.item, f.reason) for f in result.failed] == [
        ("user03", "not removed: not a member of the thread"),
        ("user17", "not removed: not a member of the thread"),
    ]
    assert (result.total, result.calls) == (25, 3)


async def test_remove_many_accounts_for_users_the_server_left_out(client, mock, wire) -> None:
    entities = [{"result": True, "user": "a"}, {"result": True, "user": "a"}]
    mock.delete(wire.url(f"/thread/{TID}/users"), payload={"entities": entities})

    result = await client.threads.members.remove_many(TID, ["a", "b", "a", "a"])

    assert result.succeeded == ["a", "a"]
    assert [(f.item, f.reason) for f in result.failed] == [
        ("b", "the server did not report this user"),
        ("a", "the server did not report this user"),
    ]


async def test_remove_many_of_a_missing_thread_fails_every_user(client, mock, wire) -> None:
    mock.delete(wire.url(f"/thread/{TID}/users"), status=404, payload=THREAD_NOT_FOUND)
    result = await client.threads.members.remove_many(TID, ["a", "b"], stop_on_error=True)
    assert [f.item for f in result.failed] == ["a", "b"]
    assert all(isinstance(f.error, NotFoundError) for f in result.failed)
    assert wire.sent() == {("DELETE", wire.url(f"/thread/{TID}/users")): 1}  # 404: no retry


def _documented(name: str) -> Any:
    """The docs' example answer of a threads row, decoded as the client decodes it."""
    endpoint = BY_NAME[name]
    for example in doc_examples():
        if (example["method"], normalise_path(example["path"])) == (
            endpoint.method,
            normalise_path(endpoint.path),
        ):
            body = msgspec.json.encode(lenient_json(example["body"]))
            if endpoint.pager is not None:
                return page_reader(endpoint)(body)
            plan = _Plan(endpoint)
            payload = plan.decode(body)
            return payload if plan.post is None else plan.post(payload)
    raise AssertionError(f"no documented example for {name}")


def test_documented_examples_decode_to_the_documented_values() -> None:
    assert _documented("threads.create") == "177916702949377"
    assert _documented("threads.update") == "test4"
    assert _documented("threads.delete") is True
    ids, cursor = _documented("threads.list")
    assert ids == ["179786360094768"]
    assert cursor.startswith("ZGNiMjRmNGY1YjczYjlhYTNkYjk1MDY2YmEyNzFmODQ6aW06dGhyZWFk")
    for name in ("threads.list_joined", "threads.list_joined_in_group"):
        [thread], _ = _documented(name)
        assert thread == Thread(
            id="17XXXX69",
            name="1",
            owner="test4",
            msg_id="1920",
            group_id="17XXXX61",
            created=1650856033420,
        )
    assert _documented("threads.members.list")[0] == ["test4"]
    assert _documented("threads.members.add_many") == {"status": "ok"}
    removals = _documented("threads.members.remove_many")
    assert [(r.result, r.user) for r in removals] == [(False, "test2"), (False, "test6")]
