"""Authentication against the emulator: AccessToken2 checks, static tokens, and the
``POST /{org}/{app}/token`` grants (client credentials, Agora token exchange)."""

from __future__ import annotations

import secrets
import time
from typing import TYPE_CHECKING

import pytest

from agora_chat_async import AuthenticationError, BadRequestError, NotFoundError
from agora_chat_async.emulator import EmulatorServer
from agora_chat_async.tokens import build_app_token, build_user_token
from tests.integration._helpers import NO_TOKEN, agora_error, raw_requests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw

EXPIRED = "Unable to authenticate due to expired access token"
CORRUPT = "Unable to authenticate due to corrupt access token"
BAD = "Unable to authenticate"

CLIENT_ID = "YXA6" + "a" * 20
CLIENT_SECRET = "YXA6" + "s" * 27


async def test_wrong_certificate(emulator: EmulatorServer) -> None:
    async with emulator.client(app_certificate=secrets.token_hex(16)) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.users.get("anyone")
    error = caught.value
    assert (error.status, error.error, error.description) == (401, "auth_bad_access_token", BAD)
    # The client renews its token once on a 401, then gives up.
    assert [(r.endpoint, r.status) for r in emulator.requests] == [("users.get", 401)] * 2


async def test_token_for_another_app_id(emulator: EmulatorServer) -> None:
    async with emulator.client(app_id=secrets.token_hex(16)) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.users.list().first_page()
    assert (caught.value.error, caught.value.description) == ("auth_bad_access_token", BAD)


async def test_expired_token(emulator: EmulatorServer) -> None:
    token = build_app_token(
        emulator.app_id, emulator.app_certificate, 600, issue_ts=int(time.time()) - 3600
    )
    async with emulator.client(token=token) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.users.get("anyone")
    assert (caught.value.error, caught.value.description) == ("unauthorized", EXPIRED)


async def test_validity_is_capped_at_24_hours(raw: Raw, emulator: EmulatorServer) -> None:
    # A token claiming 2 days, issued 25 h ago, is past Agora's 24 h maximum.
    token = build_app_token(
        emulator.app_id, emulator.app_certificate, 86400, issue_ts=int(time.time()) - 90000
    )
    agora_error(await raw("GET", "/users", token=token), 401, "unauthorized", EXPIRED)


async def test_user_token_is_refused(raw: Raw, emulator: EmulatorServer) -> None:
    token = build_user_token(emulator.app_id, emulator.app_certificate, "alice", 600)
    agora_error(await raw("GET", "/users", token=token), 401, "auth_bad_access_token", BAD)


@pytest.mark.parametrize(
    ("token", "error", "description"),
    [
        (NO_TOKEN, "unauthorized", EXPIRED),
        ("007eJxTYNDNaz3snC8huEfHWdz6s98q", "auth_bad_access_token", CORRUPT),
        ("not-a-token", "auth_bad_access_token", CORRUPT),
        ("YWMtunknownOpaqueToken", "auth_bad_access_token", BAD),
    ],
)
async def test_bad_bearers(raw: Raw, token: str, error: str, description: str) -> None:
    agora_error(await raw("GET", "/users", token=token), 401, error, description)


async def test_registration_without_a_token(raw: Raw) -> None:
    response = await raw("POST", "/users", json={"username": "x"}, token=NO_TOKEN)
    agora_error(
        response, 401, "unauthorized", "Registration is not open, please contact the app admin."
    )


async def test_static_token(emulator: EmulatorServer) -> None:
    token = build_app_token(emulator.app_id, emulator.app_certificate, 600)
    async with emulator.client(token=token) as client:
        user = await client.users.register("stan")
        assert user.username == "stan"


async def test_unknown_org(emulator: EmulatorServer) -> None:
    async with emulator.client(org_name="other") as client:
        with pytest.raises(NotFoundError) as caught:
            await client.users.get("x")
    assert (caught.value.error, caught.value.description) == (
        "organization_application_not_found",
        "Could not find application for other/demo from URI: other/demo/users/x",
    )


async def test_client_credentials_flow() -> None:
    async with (
        EmulatorServer(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as server,
        server.client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client,
    ):
        await client.users.register("cc-user")
        assert (await client.users.get("cc-user")).username == "cc-user"
        assert [(r.method, r.path, r.endpoint, r.status) for r in server.requests] == [
            ("POST", "/demo/demo/token", "token", 200),
            ("POST", "/demo/demo/users", "users.register", 200),
            ("GET", "/demo/demo/users/cc-user", "users.get", 200),
        ]


async def test_token_endpoint_answer() -> None:
    async with (
        EmulatorServer(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as server,
        raw_requests(server) as raw,
    ):
        body = {
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "ttl": 120,
        }
        response = await raw("POST", "/token", json=body, token=NO_TOKEN)
        assert response.status == 200
        grant = response.body
        assert list(grant) == ["access_token", "expires_in", "application"]
        assert grant["access_token"].startswith("YWMt")
        assert grant["expires_in"] == 120
        assert grant["application"] == server.state.app_uuid
        assert (await raw("GET", "/users", token=grant["access_token"])).status == 200
        body["ttl"] = 0
        response = await raw("POST", "/token", json=body, token=NO_TOKEN)
        assert response.body["expires_in"] == 86400
        body["ttl"] = 10**9
        response = await raw("POST", "/token", json=body, token=NO_TOKEN)
        assert response.body["expires_in"] == 86400


@pytest.mark.parametrize(
    ("body", "error", "description"),
    [
        ({"grant_type": "client_credentials"}, "illegal_argument", "client_id must be provided."),
        (
            {"grant_type": "client_credentials", "client_id": CLIENT_ID},
            "illegal_argument",
            "client_secret must be provided",
        ),
        (
            {"grant_type": "client_credentials", "client_id": "x", "client_secret": "y"},
            "invalid_grant",
            "client_id does not match",
        ),
        (
            {"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "y"},
            "invalid_grant",
            "client_secret does not match",
        ),
        (
            {
                "grant_type": "client_credentials",
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "ttl": "long",
            },
            "illegal_argument",
            "ttl must be a non-negative integer",
        ),
        ({}, "illegal_argument", "grant_type must be provided."),
        ({"grant_type": "magic"}, "unsupported_grant_type", "unsupported grant type: magic"),
    ],
)
async def test_token_endpoint_refusals(body: object, error: str, description: str) -> None:
    async with (
        EmulatorServer(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as server,
        raw_requests(server) as raw,
    ):
        response = await raw("POST", "/token", json=body, token=NO_TOKEN)
        agora_error(response, 400, error, description)


async def test_wrong_client_secret_through_the_client() -> None:
    async with (
        EmulatorServer(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as server,
        server.client(client_id=CLIENT_ID, client_secret="wrong") as client,
    ):
        with pytest.raises(BadRequestError) as caught:
            await client.users.get("x")
        assert (caught.value.error, caught.value.description) == (
            "invalid_grant",
            "client_secret does not match",
        )
        assert [r.endpoint for r in server.requests] == ["token"]


async def test_client_credentials_on_an_emulator_without_them(emulator: EmulatorServer) -> None:
    async with emulator.client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
        with pytest.raises(BadRequestError) as caught:
            await client.users.get("x")
    assert (caught.value.error, caught.value.description) == (
        "invalid_grant",
        "client_id does not match",
    )


async def test_agora_token_exchange(raw: Raw, emulator: EmulatorServer) -> None:
    response = await raw("POST", "/token", json={"grant_type": "agora"})
    assert response.status == 200
    grant = response.body
    assert list(grant) == ["access_token", "expires_in", "expire_timestamp", "application"]
    assert grant["access_token"].startswith("YWMt")
    assert 590 <= grant["expires_in"] <= 600
    assert abs(grant["expire_timestamp"] - (time.time() + 600) * 1000) < 15_000
    assert (await raw("GET", "/users", token=grant["access_token"])).status == 200

    user_token = build_user_token(emulator.app_id, emulator.app_certificate, "u", 600)
    response = await raw("POST", "/token", json={"grant_type": "agora"}, token=user_token)
    agora_error(response, 401, "auth_bad_access_token", BAD)
    response = await raw(
        "POST", "/token", json={"grant_type": "agora"}, token=grant["access_token"]
    )
    agora_error(response, 401, "auth_bad_access_token", BAD)
    response = await raw("POST", "/token", json={"grant_type": "agora"}, token=NO_TOKEN)
    agora_error(response, 401, "unauthorized", EXPIRED)


async def test_issued_tokens_expire() -> None:
    now = [1_700_000_000.0]
    server = EmulatorServer(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, clock=lambda: now[0])
    async with server, raw_requests(server) as raw:
        body = {
            "grant_type": "client_credentials",
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "ttl": 60,
        }
        token = (await raw("POST", "/token", json=body, token=NO_TOKEN)).body["access_token"]
        now[0] += 59
        response = await raw("GET", "/users", token=token)
        assert (response.status, response.body["timestamp"]) == (200, 1_700_000_059_000)
        now[0] += 1
        agora_error(await raw("GET", "/users", token=token), 401, "unauthorized", EXPIRED)
