"""EmulatorServer lifecycle, control routes, request log, scale and the CLI."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from typing import TYPE_CHECKING

import pytest

from agora_chat_async import AgoraChatClient
from agora_chat_async.emulator import STATE_KEY, EmulatorServer, EmulatorState, create_app
from tests.integration._helpers import agora_error, raw_requests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw

HEX32 = re.compile(r"[0-9a-f]{32}")


async def test_server_basics() -> None:
    server = EmulatorServer(org_name="611", app_name="42")
    assert HEX32.fullmatch(server.app_id)
    assert HEX32.fullmatch(server.app_certificate)
    with pytest.raises(RuntimeError, match="not started"):
        _ = server.base_url
    async with server:
        assert server.port > 0
        assert server.base_url == f"http://127.0.0.1:{server.port}"
        assert repr(server) == f"EmulatorServer(611#42 at {server.base_url})"
        assert isinstance(server.app[STATE_KEY], EmulatorState)
        async with server.client() as client:
            assert isinstance(client, AgoraChatClient)
            assert client.base_url == f"{server.base_url}/611/42"
            await client.users.register("u1")
        with pytest.raises(RuntimeError, match="already started"):
            await server.start()
    other = EmulatorServer()
    assert (other.app_id, other.app_certificate) != (server.app_id, server.app_certificate)


async def test_fixed_credentials_and_port_reuse() -> None:
    app_id, certificate = "970CA35de60c44645bbae8a215061b33", "5CFd2fd1755d40ecb72977518be15d3b"
    async with EmulatorServer(app_id=app_id, app_certificate=certificate) as first:
        port = first.port
        async with first.client() as client:
            await client.users.register("x")
    async with EmulatorServer(app_id=app_id, app_certificate=certificate, port=port) as again:
        assert again.port == port
        async with again.client() as client:
            assert [u async for u in client.users.list()] == []


def test_create_app_refuses_bad_configuration() -> None:
    def app(org: str = "o", app_id: str = "0" * 32, client_id: str | None = None) -> object:
        return create_app(
            org_name=org,
            app_name="a",
            app_id=app_id,
            app_certificate="1" * 32,
            client_id=client_id,
        )

    assert app() is not None
    with pytest.raises(ValueError, match="app_id"):
        app(app_id="xyz")
    with pytest.raises(ValueError, match="org_name"):
        app(org="__emulator")
    with pytest.raises(ValueError, match="go together"):
        app(client_id="id")


async def test_reset_and_request_log(raw: Raw, emulator: EmulatorServer) -> None:
    await raw("POST", "/users", json={"username": "kay"})
    await raw("GET", "/users", params={"limit": "5"})
    log = (await raw("GET", "/__emulator/requests")).body["requests"]
    assert log == [
        {
            "method": "POST",
            "path": "/demo/demo/users",
            "query": {},
            "endpoint": "users.register",
            "status": 200,
        },
        {
            "method": "GET",
            "path": "/demo/demo/users",
            "query": {"limit": ["5"]},
            "endpoint": "users.list",
            "status": 200,
        },
    ]
    assert raw.token not in str(log)
    state = (await raw("GET", "/__emulator/state")).body
    assert (state["users"], state["organization"], state["app_id"]) == (1, "demo", emulator.app_id)
    assert (await raw("POST", "/__emulator/reset")).body == {"reset": True}
    assert len(emulator.state) == 0
    assert emulator.requests == []
    response = await raw("GET", "/users/kay")
    agora_error(response, 404, "service_resource_not_found", "Service resource not found")


async def test_request_log_is_bounded() -> None:
    server = EmulatorServer(request_log_size=3)
    async with server, raw_requests(server) as raw:
        for i in range(10):
            await raw("GET", f"/users/u{i}")
    assert [r.path for r in server.requests] == [f"/demo/demo/users/u{i}" for i in (7, 8, 9)]


async def test_online_control(raw: Raw, emulator: EmulatorServer) -> None:
    await raw("POST", "/users", json=[{"username": "on1"}, {"username": "on2"}])
    response = await raw("POST", "/__emulator/online", json={"usernames": ["ON1", "on2"]})
    assert response.body == {"online": ["on1", "on2"]}
    await raw("POST", "/__emulator/online", json={"usernames": ["on2"], "online": False})
    statuses = await raw("POST", "/users/batch/status", json={"usernames": ["on1", "on2"]})
    assert statuses.body["data"] == [{"on1": "online"}, {"on2": "offline"}]
    response = await raw("POST", "/__emulator/online", json={"usernames": ["ghost"]})
    agora_error(response, 404, "service_resource_not_found", "no such user: ghost")
    with pytest.raises(KeyError):
        emulator.state.set_online("ghost")


async def test_online_control_names_devices(raw: Raw, client: AgoraChatClient) -> None:
    await raw("POST", "/users", json={"username": "dev"})
    for resource in ("android_1", "ios_2"):
        body = {"usernames": ["dev"], "resource": resource}
        assert (await raw("POST", "/__emulator/online", json=body)).status == 200
    devices = [d.resource async for d in client.users.list_devices("dev")]
    assert sorted(devices) == ["android_1", "ios_2"]
    off = {"usernames": ["dev"], "online": False, "resource": "android_1"}
    assert (await raw("POST", "/__emulator/online", json=off)).body == {"online": ["dev"]}
    assert await client.users.get_status("dev") == "online"  # still on ios_2
    bad = {"usernames": ["dev"], "resource": ""}
    response = await raw("POST", "/__emulator/online", json=bad)
    agora_error(response, 400, "illegal_argument", "resource must be a device resource name")


async def test_concurrent_writes_are_not_lost(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    names = [f"c{i:04d}" for i in range(1200)]
    result = await client.users.register_many(names, concurrency=20)
    assert (len(result.succeeded), result.calls) == (1200, 20)
    singles = await asyncio.gather(*(client.users.register(f"s{i}") for i in range(50)))
    assert len({u.uuid for u in [*result.succeeded, *singles]}) == 1250
    assert len(emulator.state) == 1250


async def test_listing_skips_deleted_users_at_scale(
    client: AgoraChatClient, emulator: EmulatorServer, raw: Raw
) -> None:
    state = emulator.state
    for i in range(6000):
        state.add_user(f"m{i:05d}")
    for i in range(6000):
        if i < 2000 or i % 3 == 0:
            state.remove_user(f"m{i:05d}")
    assert len(state._order) < 6000  # compacted: dead entries do not pile up
    expected = [f"m{i:05d}" for i in range(2000, 6000) if i % 3]
    seen = [u.username async for u in client.users.list(page_size=100)]
    assert seen == expected
    # Deleting the user a cursor points at does not lose the place.
    first = await client.users.list(page_size=10).first_page()
    state.remove_user(expected[10])
    assert first.cursor is not None
    page = await raw("GET", "/users", params={"limit": "3", "cursor": first.cursor})
    assert [u["username"] for u in page.body["entities"]] == expected[11:14]


# Starts the emulator the way a non-interactive shell starts a background job: with
# SIGINT ignored, which the child inherits across exec.
_WITH_SIGINT_IGNORED = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)


@pytest.mark.parametrize(
    ("stop_with", "launcher"),
    [
        (signal.SIGINT, []),
        (signal.SIGTERM, []),
        (signal.SIGINT, ["-c", _WITH_SIGINT_IGNORED]),
    ],
    ids=["ctrl-c", "sigterm", "ctrl-c-in-a-background-job"],
)
async def test_cli_serves_until_stopped(stop_with: signal.Signals, launcher: list[str]) -> None:
    app_id, certificate = "a" * 32, "b" * 32
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        *launcher,
        "-m",
        "agora_chat_async.emulator",
        "--port",
        "0",
        "--org",
        "611",
        "--app",
        "42",
        "--app-id",
        app_id,
        "--app-certificate",
        certificate,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    try:
        async with asyncio.timeout(20):
            while not lines or not lines[-1].startswith("Press Ctrl-C"):
                lines.append((await process.stdout.readline()).decode().rstrip())
        url = re.fullmatch(r"Agora Chat emulator listening on (http://127\.0\.0\.1:\d+)", lines[0])
        assert url is not None
        assert lines[1:5] == [
            "  org name:        611",
            "  app name:        42",
            f"  app id:          {app_id}",
            f"  app certificate: {certificate}  (local test certificate)",
        ]
        async with AgoraChatClient(
            host=url.group(1),
            org_name="611",
            app_name="42",
            app_id=app_id,
            app_certificate=certificate,
        ) as client:
            assert (await client.users.register("cli")).username == "cli"
    finally:
        process.send_signal(stop_with)
        try:
            async with asyncio.timeout(20):
                _, stderr = await process.communicate()
        finally:
            if process.returncode is None:  # never leave a server behind
                process.kill()
                await process.wait()
    assert process.returncode == 0, stderr.decode()
