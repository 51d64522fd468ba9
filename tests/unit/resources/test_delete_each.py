"""``client.users.delete_each``: one DELETE per named user, every item accounted for."""

from __future__ import annotations

from agora_chat_async import NotFoundError, User

NOT_FOUND = {
    "error": "service_resource_not_found",
    "exception": "org.apache.usergrid.services.exceptions.ServiceResourceNotFoundException",
    "timestamp": 1,
    "duration": 0,
    "error_description": "Service resource not found",
}


def _deleted(name: str) -> dict[str, object]:
    return {"action": "delete", "entities": [{"username": name, "activated": True}]}


async def test_one_delete_per_user_with_failures_and_invalid_items(client, mock, wire) -> None:
    mock.delete(wire.url("/users/ann"), payload=_deleted("ann"))
    mock.delete(wire.url("/users/bob"), status=404, payload=NOT_FOUND)
    mock.delete(wire.url("/users/cy"), payload=_deleted("cy"))
    progress: list[tuple[int, int | None]] = []

    result = await client.users.delete_each(
        ["ann", "bob", "bad name", "cy"],
        concurrency=1,
        progress=lambda done, total: progress.append((done, total)),
    )

    assert wire.sent() == {("DELETE", wire.url(f"/users/{n}")): 1 for n in ("ann", "bob", "cy")}
    for name in ("ann", "bob", "cy"):
        wire.check(wire.calls("DELETE", f"/users/{name}")[0])
    assert [u.username for u in result.succeeded] == ["ann", "cy"]
    assert all(isinstance(u, User) for u in result.succeeded)
    assert [f.item for f in result.failed] == ["bob"]
    error = result.failed[0].error
    assert isinstance(error, NotFoundError)
    assert (error.status, error.error, error.endpoint) == (
        404,
        "service_resource_not_found",
        "users.delete_each",
    )
    assert [(f.item, f.reason[:8]) for f in result.skipped] == [("bad name", "invalid:")]
    assert (result.total, result.calls) == (4, 3)
    assert progress[-1] == (4, 4)


async def test_async_iterable_input_and_stop_on_error(client, mock, wire) -> None:
    mock.delete(wire.url("/users/u0"), status=404, payload=NOT_FOUND)

    async def names():
        for i in range(5):
            yield f"u{i}"

    result = await client.users.delete_each(names(), concurrency=1, stop_on_error=True)

    assert wire.sent() == {("DELETE", wire.url("/users/u0")): 1}
    assert [f.item for f in result.failed] == ["u0"]
    assert sorted(f.item for f in result.skipped) == ["u1", "u2", "u3", "u4"]
    assert result.total == 5
