"""Documented limits and error bodies of the users endpoints, sent raw (the client would
refuse most of these requests before sending them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.integration._helpers import agora_error

if TYPE_CHECKING:
    from agora_chat_async.emulator import EmulatorServer
    from tests.integration._helpers import Raw

ILLEGAL = "illegal_argument"


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({"username": "a b"}, "username a b is not legal"),
        ({"username": "zoë"}, "username zoë is not legal"),
        ({"username": "x" * 65}, "USERNAME_TOO_LONG"),
        ({"password": "pw"}, "Entity 'user' requires a property named username"),
        ({"username": ""}, "Entity 'user' requires a property named username"),
        ({"username": "ok", "password": "p" * 65}, "PASSWORD_TOO_LONG"),
        ({"username": "ok", "nickname": "n" * 101}, "NICKNAME_TOO_LONG"),
        ("alice", "This is an invalid request."),
    ],
)
async def test_register_refusals(raw: Raw, body: object, description: str) -> None:
    agora_error(await raw("POST", "/users", json=body), 400, ILLEGAL, description)


async def test_register_limits_are_inclusive(raw: Raw) -> None:
    body = {"username": "a" * 64, "password": "p" * 64, "nickname": "n" * 100}
    response = await raw("POST", "/users", json=body)
    assert response.status == 200
    assert response.body["entities"][0]["username"] == "a" * 64


async def test_register_without_body(raw: Raw) -> None:
    response = await raw("POST", "/users")
    agora_error(response, 400, ILLEGAL, "Entity 'user' requires a property named username")


async def test_malformed_json(raw: Raw) -> None:
    response = await raw("POST", "/users", data='{"username": ')
    assert response.status == 400
    assert response.body["error"] == "json_parse"
    assert response.body["error_description"].startswith("Unexpected character: ")


async def test_batch_over_sixty_is_refused(raw: Raw, emulator: EmulatorServer) -> None:
    response = await raw("POST", "/users", json=[{"username": f"u{i}"} for i in range(61)])
    agora_error(
        response,
        400,
        ILLEGAL,
        "Request body array size[61] had almost reached or been greater than the upper "
        "range value[60]",
    )
    assert len(emulator.state) == 0
    response = await raw("POST", "/users", json=[{"username": f"u{i}"} for i in range(60)])
    assert response.status == 200
    assert (len(response.body["entities"]), response.body["data"]) == (60, [])


async def test_batch_reports_each_refused_item(raw: Raw) -> None:
    await raw("POST", "/users", json={"username": "taken"})
    items = [
        {"username": "new1"},
        {"username": "TAKEN"},
        {"username": "bad name"},
        {"username": "y" * 65},
        {"username": "new1"},
        {"username": "new2", "password": "p" * 65},
    ]
    response = await raw("POST", "/users", json=items)
    assert response.status == 200
    assert [u["username"] for u in response.body["entities"]] == ["new1"]
    assert response.body["data"] == [
        {"username": "TAKEN", "registerUserFailReason": "the TAKEN already exists"},
        {"username": "bad name", "registerUserFailReason": "username bad name is not legal"},
        {"username": "y" * 65, "registerUserFailReason": "USERNAME_TOO_LONG"},
        {"username": "new1", "registerUserFailReason": "the new1 already exists"},
        {"username": "new2", "registerUserFailReason": "PASSWORD_TOO_LONG"},
    ]


async def test_batch_naming_a_user_twice_with_two_passwords(
    raw: Raw, emulator: EmulatorServer
) -> None:
    items = [{"username": "w", "password": "a"}, {"username": "W", "password": "b"}]
    response = await raw("POST", "/users", json=items)
    agora_error(
        response,
        400,
        "duplicate_unique_property_exists",
        "the same user W has a different password, the passwords are a,b",
    )
    assert len(emulator.state) == 0


@pytest.mark.parametrize(
    ("items", "description"),
    [
        ([], "This is an invalid request."),
        (["plain"], "This is an invalid request."),
        ([{"password": "x"}], "Entity 'user' requires a property named username"),
    ],
)
async def test_malformed_batches(raw: Raw, items: list[object], description: str) -> None:
    agora_error(await raw("POST", "/users", json=items), 400, ILLEGAL, description)


@pytest.mark.parametrize(
    ("query", "description"),
    [
        ("limit=ten", "limit must be an integer, got ten"),
        ("limit=0", "limit must be at least 1, got 0"),
        ("cursor=bm90LWEtY3Vyc29y", "cursor bm90LWEtY3Vyc29y is not valid"),
    ],
)
@pytest.mark.parametrize("method", ["GET", "DELETE"])
async def test_paging_parameter_refusals(
    raw: Raw, method: str, query: str, description: str
) -> None:
    agora_error(await raw(method, f"/users?{query}"), 400, ILLEGAL, description)


async def test_list_envelope_and_limits(raw: Raw) -> None:
    await raw("POST", "/users", json=[{"username": f"p{i:03d}"} for i in range(60)])
    await raw("POST", "/users", json=[{"username": f"p{i:03d}"} for i in range(60, 110)])
    default = await raw("GET", "/users")
    assert default.body["count"] == 10
    assert "params" not in default.body
    capped = await raw("GET", "/users", params={"limit": "500"})
    assert capped.body["count"] == 100
    assert capped.body["params"] == {"limit": ["500"]}
    rest = await raw("GET", "/users", params={"limit": "500", "cursor": capped.body["cursor"]})
    assert [u["username"] for u in rest.body["entities"]] == [f"p{i:03d}" for i in range(100, 110)]
    assert rest.body["params"] == {"limit": ["500"], "cursor": [capped.body["cursor"]]}
    assert "cursor" not in rest.body


async def test_set_password_refusals(raw: Raw) -> None:
    await raw("POST", "/users", json={"username": "pat"})
    for body in ({}, {"newpassword": ""}, {"password": "x"}, None):
        response = await raw("PUT", "/users/pat/password", json=body)
        agora_error(response, 400, ILLEGAL, "newpassword is required")
    response = await raw("PUT", "/users/pat/password", json={"newpassword": "p" * 65})
    agora_error(response, 400, ILLEGAL, "PASSWORD_TOO_LONG")
    response = await raw("PUT", "/users/pat/password", json={"newpassword": "p" * 64})
    assert (response.status, list(response.body)) == (200, ["action", "timestamp", "duration"])


async def test_batch_status_limits(raw: Raw) -> None:
    names = [f"n{i}" for i in range(100)]
    response = await raw("POST", "/users/batch/status", json={"usernames": names})
    assert response.body["data"] == [{n: "offline"} for n in names]
    response = await raw("POST", "/users/batch/status", json={"usernames": [*names, "one-more"]})
    agora_error(response, 400, ILLEGAL, "request body exceeds maximum limit, maximum limit is 100")
    response = await raw("POST", "/users/batch/status", json={"usernames": []})
    agora_error(response, 400, ILLEGAL, "usernames must not be empty")
    response = await raw("POST", "/users/batch/status", json={"names": ["a"]})
    agora_error(response, 400, ILLEGAL, "usernames must be a list of usernames")


async def test_legacy_post_disconnect(raw: Raw, emulator: EmulatorServer) -> None:
    await raw("POST", "/users", json={"username": "kim"})
    emulator.state.set_online("kim")
    response = await raw("POST", "/users/kim/disconnect")
    assert response.status == 200
    assert (response.body["action"], response.body["data"]) == ("post", {"result": True})
    assert not emulator.state.is_online("kim")
    response = await raw("GET", "/users/kim/disconnect")
    assert (response.body["action"], response.body["data"]) == ("get", {"result": True})


async def test_usernames_in_paths_are_case_insensitive(raw: Raw) -> None:
    await raw("POST", "/users", json={"username": "MixedCase"})
    response = await raw("GET", "/users/MIXEDCASE")
    assert response.body["entities"][0]["username"] == "mixedcase"
    response = await raw("GET", "/users/mixedCASE/status")
    assert response.body["data"] == {"mixedcase": "offline"}
