"""The emulator fed hostile input answers in Agora's error shape and changes nothing.

Each case sends one raw request (``raw``: plain aiohttp, so that the client's own checks
do not refuse it first) and compares a fingerprint of the whole emulator state before
and after.
"""

from __future__ import annotations

import io
import time
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from agora_chat_async.tokens import build_app_token, build_user_token
from tests.integration._helpers import NO_TOKEN, agora_error

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer
    from tests.integration._helpers import Raw, RawResponse

_KEYS = ["error", "exception", "timestamp", "duration", "error_description"]
_SCALARS = (str, int, float, bool, bytes, type(None))


def fingerprint(value: Any, _depth: int = 0) -> Any:
    """A comparable copy of the emulator's data: records become tuples of their fields."""
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return {k: fingerprint(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [fingerprint(v, _depth + 1) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if callable(value):
        return None  # the clock
    names = getattr(value, "__slots__", None) or vars(value)
    return (type(value).__name__, {n: fingerprint(getattr(value, n), _depth + 1) for n in names})


def assert_agora_shape(response: RawResponse, status: int, error: str) -> None:
    assert response.status == status, response.body
    assert isinstance(response.body, dict), response.body
    assert list(response.body) == _KEYS
    assert response.body["error"] == error
    assert response.headers["Content-Type"].startswith("application/json")


@pytest.fixture
async def seeded(client: AgoraChatClient, emulator: EmulatorServer) -> Any:
    """A few users, a group and a file, and the fingerprint of that state."""
    await client.users.register_many([{"username": f"u{i}", "password": "pw"} for i in range(3)])
    await client.groups.create(owner="u0", name="g", description="d", members=["u1"])
    await client.files.upload(b"hello", filename="a.txt")
    return fingerprint(vars(emulator.state))


# -- malformed JSON ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "[" * 100_000,  # used to be a RecursionError and a 500
        "{" + '"a":{' * 50_000,
        "[" * 100_000 + "]" * 100_000,  # well-formed, but nested beyond any use
        '{"username": "x"',
        '{"username": "x",}',
        "\x00\xff garbage",
        '{"username": "\\ud800"}',
        "NaN",
    ],
    ids=[
        "100k-brackets",
        "50k-objects",
        "100k-balanced",
        "unclosed",
        "trailing-comma",
        "binary",
        "lone-surrogate",
        "nan",
    ],
)
async def test_malformed_json_is_json_parse(
    raw: Raw, emulator: EmulatorServer, seeded: Any, data: str
) -> None:
    response = await raw("POST", "/users", data=data)
    assert_agora_shape(response, 400, "json_parse")
    assert fingerprint(vars(emulator.state)) == seeded


async def test_deep_nesting_on_the_control_path_too(raw: Raw, emulator: EmulatorServer) -> None:
    response = await raw("POST", "/__emulator/faults", data="[" * 100_000)
    assert_agora_shape(response, 400, "json_parse")
    assert not emulator.emulator.faults


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
    ],
)
async def test_wrong_content_type_is_415(
    raw: Raw, emulator: EmulatorServer, seeded: Any, content_type: str
) -> None:
    headers = {"Authorization": f"Bearer {raw.token}", "Content-Type": content_type}
    async with raw.session.post(
        raw.url("/users"), data=b'{"username": "zed", "password": "pw"}', headers=headers
    ) as response:
        body = await response.json()
    assert response.status == 415
    assert list(body) == _KEYS
    assert (body["error"], body["error_description"]) == (
        "web_application",
        "Unsupported Media Type",
    )
    assert fingerprint(vars(emulator.state)) == seeded


async def test_json_with_a_charset_is_json(raw: Raw, emulator: EmulatorServer) -> None:
    headers = {
        "Authorization": f"Bearer {raw.token}",
        "Content-Type": "application/json; charset=utf-8",
    }
    async with raw.session.post(
        raw.url("/users"), data=b'{"username": "zed", "password": "pw"}', headers=headers
    ) as response:
        assert response.status == 200
    assert "zed" in emulator.state.users


async def test_a_file_upload_that_is_not_multipart(
    raw: Raw, emulator: EmulatorServer, seeded: Any
) -> None:
    response = await raw("POST", "/chatfiles", data='{"file": "x"}')
    assert_agora_shape(response, 400, "illegal_argument")
    assert fingerprint(vars(emulator.state)) == seeded


# -- bodies over the limit --------------------------------------------------------------


async def test_a_20_mb_json_body_is_413(raw: Raw, emulator: EmulatorServer, seeded: Any) -> None:
    data = b'{"username": "big", "password": "' + b"x" * (20 * 1024 * 1024) + b'"}'
    headers = {"Authorization": f"Bearer {raw.token}", "Content-Type": "application/json"}
    async with raw.session.post(raw.url("/users"), data=io.BytesIO(data), headers=headers) as r:
        body = await r.json()
    assert r.status == 413
    assert list(body) == _KEYS
    assert (body["error"], body["error_description"]) == (
        "request_entity_too_large",
        "Request Entity Too Large",
    )
    assert fingerprint(vars(emulator.state)) == seeded


async def test_a_20_mb_upload_is_413(raw: Raw, emulator: EmulatorServer, seeded: Any) -> None:
    form = aiohttp.FormData()
    form.add_field("file", io.BytesIO(b"x" * (20 * 1024 * 1024)), filename="big.bin")
    headers = {"Authorization": f"Bearer {raw.token}"}
    async with raw.session.post(raw.url("/chatfiles"), data=form, headers=headers) as response:
        body = await response.json()
    assert response.status == 413
    assert list(body) == _KEYS
    assert body["error"] == "file exceeding maximum limit"
    assert fingerprint(vars(emulator.state)) == seeded


# -- traversal in file routes -----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/chatfiles/..",
        "/chatfiles/..%2F..%2Fusers",
        "/chatfiles/%2e%2e%2fusers",
        "/chatfiles/x%2F..%2F..%2F__emulator%2Fstate",
        "/chatfiles/%2Fetc%2Fpasswd",
        "/chatfiles/..%5C..%5Cwindows",
        "/chatfiles/%00",
    ],
)
async def test_traversal_in_file_download(
    raw: Raw, emulator: EmulatorServer, seeded: Any, path: str
) -> None:
    async with raw.session.get(
        raw.server.base_url + f"/{emulator.org_name}/{emulator.app_name}" + path,
        headers={"Authorization": f"Bearer {raw.token}"},
    ) as response:
        body = await response.json(content_type=None)
    assert response.status == 404
    assert list(body) == _KEYS
    assert body["error"] in {"entity_not_found", "web_application"}
    assert fingerprint(vars(emulator.state)) == seeded


@pytest.mark.parametrize(
    "path", ["/chatfiles/..", "/chatfiles/..%2F..%2Fusers", "/chatfiles/a%2Fb"]
)
async def test_traversal_in_file_upload_paths(
    raw: Raw, emulator: EmulatorServer, seeded: Any, path: str
) -> None:
    form = aiohttp.FormData()
    form.add_field("file", b"evil", filename="../../etc/passwd")
    async with raw.session.post(
        raw.server.base_url + f"/{emulator.org_name}/{emulator.app_name}" + path,
        data=form,
        headers={"Authorization": f"Bearer {raw.token}"},
    ) as response:
        body = await response.json(content_type=None)
    assert response.status in {404, 405}
    assert list(body) == _KEYS
    assert body["error"] in {"entity_not_found", "web_application"}
    assert fingerprint(vars(emulator.state)) == seeded


async def test_an_uploaded_file_name_is_only_a_name(
    client: AgoraChatClient, emulator: EmulatorServer
) -> None:
    """A name with ``../`` is stored as given and never used as a path."""
    uploaded = await client.files.upload(b"evil", filename="../../etc/passwd")
    record = emulator.state.files[uploaded.uuid]
    assert record.data == b"evil"
    assert record.filename.endswith("passwd")
    assert await client.files.download(uploaded.uuid) == b"evil"


# -- tokens -----------------------------------------------------------------------------


def _tokens(emulator: EmulatorServer) -> dict[str, tuple[str, int, str, str]]:
    """Name -> (token, status, error, description) that Agora answers it with."""
    app_id, cert = emulator.app_id, emulator.app_certificate
    other_cert = "f" * 32 if cert != "f" * 32 else "e" * 32
    now = int(time.time())
    valid = build_app_token(app_id, cert, 600)
    bad, corrupt = "Unable to authenticate", "Unable to authenticate due to corrupt access token"
    expired = "Unable to authenticate due to expired access token"
    return {
        "other-certificate": (
            build_app_token(app_id, other_cert, 600),
            401,
            "auth_bad_access_token",
            bad,
        ),
        "other-app": (build_app_token("a" * 32, cert, 600), 401, "auth_bad_access_token", bad),
        "expired": (
            build_app_token(app_id, cert, 60, issue_ts=now - 120),
            401,
            "unauthorized",
            expired,
        ),
        "user-token": (
            build_user_token(app_id, cert, "u0", 600),
            401,
            "auth_bad_access_token",
            bad,
        ),
        "flipped-byte": (
            valid[:-4] + ("AAAA" if valid[-4:] != "AAAA" else "BBBB"),
            401,
            "auth_bad_access_token",
            corrupt,
        ),
        "truncated": (valid[:40], 401, "auth_bad_access_token", corrupt),
        "year-ahead": (
            build_app_token(app_id, cert, 600, issue_ts=now + 365 * 86400),
            401,
            "auth_bad_access_token",
            bad,
        ),
        "hour-ahead": (
            build_app_token(app_id, cert, 86400, issue_ts=now + 3600),
            401,
            "auth_bad_access_token",
            bad,
        ),
        "opaque-forged": ("YWMt" + "A" * 60, 401, "auth_bad_access_token", bad),
        "garbage": ("not-a-token", 401, "auth_bad_access_token", corrupt),
        "none": (NO_TOKEN, 401, "unauthorized", expired),
    }


@pytest.mark.parametrize(
    "name",
    [
        "other-certificate",
        "other-app",
        "expired",
        "user-token",
        "flipped-byte",
        "truncated",
        "year-ahead",
        "hour-ahead",
        "opaque-forged",
        "garbage",
        "none",
    ],
)
async def test_refused_tokens(raw: Raw, emulator: EmulatorServer, seeded: Any, name: str) -> None:
    token, status, error, description = _tokens(emulator)[name]
    for method, path, body in (
        ("POST", "/users", {"username": "intruder", "password": "pw"}),
        ("DELETE", "/users/u1", None),
        ("GET", "/users/u1", None),
    ):
        response = await raw(method, path, json=body, token=token)
        assert_agora_shape(response, status, error)
        expected = description
        if name == "none" and method == "POST":
            expected = "Registration is not open, please contact the app admin."
        assert response.body["error_description"] == expected
    assert fingerprint(vars(emulator.state)) == seeded


async def test_a_token_within_the_clock_skew_is_accepted(
    raw: Raw, emulator: EmulatorServer
) -> None:
    """Clocks differ a little: a token dated a minute ahead still works."""
    token = build_app_token(
        emulator.app_id, emulator.app_certificate, 600, issue_ts=int(time.time()) + 60
    )
    response = await raw("POST", "/users", json={"username": "early"}, token=token)
    assert response.status == 200
    assert "early" in emulator.state.users


async def test_the_24_h_cap_counts_from_now(raw: Raw, emulator: EmulatorServer, clock: Any) -> None:
    """A token dated 4 minutes ahead with 24 h of validity still ends 24 h from now."""
    token = build_app_token(
        emulator.app_id, emulator.app_certificate, 86400, issue_ts=int(time.time()) + 240
    )
    assert (await raw("GET", "/users", token=token)).status == 200
    clock.offset = 86400 + 5
    response = await raw("GET", "/users", token=token)
    agora_error(response, 401, "unauthorized", "Unable to authenticate due to expired access token")
