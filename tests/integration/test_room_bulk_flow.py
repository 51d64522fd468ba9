"""Bulk member and list operations of groups and chat rooms, typed, against the emulator:
every username ends up succeeded, failed with the server's reason, or skipped."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from agora_chat_async import AgoraChatClient

NAMES = [f"m{i:03d}" for i in range(121)]


@pytest.fixture(params=["groups", "chatrooms"])
def kind(request: pytest.FixtureRequest) -> str:
    return request.param  # type: ignore[no-any-return]


async def make(client: AgoraChatClient, kind: str) -> tuple[Any, str]:
    await client.users.register_many(["owner", *NAMES])
    area = getattr(client, kind)
    if kind == "groups":
        room = await area.create(owner="owner", name="g", max_users=500)
    else:
        room = await area.create(owner="owner", name="r", description="d", max_users=500)
    return area, room


async def stream(names: list[str]) -> AsyncIterator[str]:
    for name in names:
        yield name


async def test_members_add_many_and_remove_many_account_for_everyone(
    client: AgoraChatClient, kind: str
) -> None:
    area, room = await make(client, kind)
    seen: list[tuple[int, int | None]] = []

    added = await area.members.add_many(
        room,
        stream([*NAMES, "ghost", "bad name"]),
        concurrency=2,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert sorted(added.succeeded) == NAMES
    assert [(f.item, f.reason.startswith("not added")) for f in added.failed] == [("ghost", True)]
    assert [f.item for f in added.skipped] == ["bad name"]
    assert added.calls == 3  # 122 valid names, 60 per call
    assert seen[-1] == (123, None)
    listed = [m.username async for m in area.members.list(room)]
    assert sorted(listed) == sorted(["owner", *NAMES])

    # 61 names: the second call removes one user, whose answer is an object, not a list.
    removed = await area.members.remove_many(room, NAMES[:61])
    assert sorted(removed.succeeded) == NAMES[:61]
    assert (removed.failed, removed.calls) == ([], 2)
    again = await area.members.remove_many(room, [NAMES[0]])
    assert [f.item for f in again.failed] == [NAMES[0]]
    assert again.failed[0].reason
    rest = sorted([m.username async for m in area.members.list(room)])
    assert rest == sorted(["owner", *NAMES[61:]])


async def test_list_entries_in_bulk(client: AgoraChatClient, kind: str) -> None:
    area, room = await make(client, kind)
    await area.members.add_many(room, NAMES)

    blocked = await area.blocklist.add_many(room, NAMES[:61])
    assert sorted(blocked.succeeded) == NAMES[:61]
    assert sorted([u async for u in area.blocklist.list(room)]) == NAMES[:61]
    unblocked = await area.blocklist.remove_many(room, NAMES[:61])
    assert (sorted(unblocked.succeeded), unblocked.calls) == (NAMES[:61], 2)
    assert [u async for u in area.blocklist.list(room)] == []

    allowed = await area.allowlist.add_many(room, NAMES[61:])
    assert sorted(allowed.succeeded) == NAMES[61:]
    disallowed = await area.allowlist.remove_many(room, NAMES[61:])
    assert (sorted(disallowed.succeeded), disallowed.calls) == (NAMES[61:], 1)
    assert [u async for u in area.allowlist.list(room)] == []

    muted = await area.mutes.add_many(room, NAMES[61:], mute_duration=60_000)
    assert sorted(m.user for m in muted.succeeded) == NAMES[61:]
    assert sorted([m.user async for m in area.mutes.list(room)]) == NAMES[61:]
    unmuted = await area.mutes.remove_many(room, [*NAMES[61:], "bad name"])
    assert (len(unmuted.succeeded), [f.item for f in unmuted.skipped]) == (60, ["bad name"])
    assert [m async for m in area.mutes.list(room)] == []
