"""Secrets never show: the app certificate, tokens, the client secret and passwords.

Real sessions run against an emulator with every logger at DEBUG (pytest's ``caplog``
and a handler of our own on the root logger); then everything a user could see is
gathered (log records with their tracebacks, the ``repr`` and ``str`` of every object
and exception involved, formatted tracebacks, the CLI's output) and searched for each
secret, whole or in part.
"""

from __future__ import annotations

import io
import logging
import os
import secrets
import subprocess
import sys
import traceback
from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import AgoraChatError, APIConnectionError, APIStatusError
from agora_chat_async._errors import error_from_response
from agora_chat_async.emulator import EmulatorServer
from agora_chat_async.models.users import RegisterUser
from agora_chat_async.tokens import build_app_token
from tests.integration.test_cli import ThreadedEmulator

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from pathlib import Path

CERT = secrets.token_hex(16)
APP_ID = secrets.token_hex(16)
CLIENT_ID = "YXA6" + secrets.token_urlsafe(16)
CLIENT_SECRET = "YXA6" + secrets.token_urlsafe(24)
WRONG_CERT = secrets.token_hex(16)
WRONG_SECRET = "YXA6" + secrets.token_urlsafe(24)


def _password() -> str:
    return "pw-" + secrets.token_hex(10)


class Evidence:
    """Everything a user could see, as text."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def add(self, *objects: Any) -> None:
        for obj in objects:
            self.parts += [repr(obj), str(obj)]
            if isinstance(obj, BaseException):
                self.parts.append("".join(traceback.format_exception(obj)))

    def text(self) -> str:
        return "\n".join(self.parts)


def _fragments(secret: str) -> Iterator[str]:
    """The secret and long pieces of it (a log line showing half a token leaks too)."""
    yield secret
    body = secret.removeprefix("007").removeprefix("YWMt").removeprefix("YXA6")
    step = 12
    for start in range(0, max(len(body) - step, 0) + 1, step):
        yield body[start : start + step]


def assert_no_secret(text: str, named: dict[str, Iterable[str]]) -> None:
    assert len(text) > 1000  # the search has something to search
    for kind, values in named.items():
        for value in values:
            for fragment in _fragments(value):
                assert fragment not in text, f"a {kind} ({fragment!r}) appears in the output"


def _tokens_seen(server: EmulatorServer) -> set[str]:
    """Every bearer the emulator accepted or issued: opaque tokens and AccessToken2s."""
    auth = server.emulator.auth
    return set(auth._issued) | set(auth._verified)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """Every logger at DEBUG, into caplog and into a StringIO handler on the root."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    loggers = [root, *(logging.getLogger(n) for n in list(logging.root.manager.loggerDict))]
    levels = [lg.level for lg in loggers]
    root.addHandler(handler)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)


async def test_sessions_at_debug_show_no_secret(
    debug_logs: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    evidence = Evidence()
    passwords = [_password() for _ in range(130)]
    async with EmulatorServer(
        app_id=APP_ID, app_certificate=CERT, client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    ) as server:
        evidence.add(server, server.emulator.auth)

        # 1. App ID + certificate: single and bulk registrations with passwords.
        async with server.client(retry=None, max_retries=1) as client:
            evidence.add(client, client._auth, client.with_options(timeout=5))
            user = await client.users.register("ann", password=passwords[0])
            await client.users.set_password("ann", password=passwords[1])
            items = [RegisterUser(username=f"u{i:03d}", password=p)
                     for i, p in enumerate(passwords[2:122])]  # fmt: skip
            items += [RegisterUser(username="ann", password=passwords[122]),  # exists
                      RegisterUser(username="bad name", password=passwords[123])]  # fmt: skip
            server.add_fault(status=503, endpoint="users.register_many")  # one chunk fails
            result = await client.users.register_many(items, concurrency=2)
            assert result.failed
            assert result.skipped
            assert result.succeeded
            # One user twice in a batch: Agora's 400 echoes both passwords.
            twice = [RegisterUser(username="fay", password=passwords[126]),
                     RegisterUser(username="fay", password=passwords[127])]  # fmt: skip
            echoed = await client.users.register_many(twice)
            codes = [f.error.error for f in echoed.failed if isinstance(f.error, APIStatusError)]
            assert codes == ["duplicate_unique_property_exists"] * 2
            evidence.add(echoed, *echoed.failed, *(f.error for f in echoed.failed))
            evidence.add(user, result, *result.failed, *result.skipped, *items)
            for failure in (*result.failed, *result.skipped):
                evidence.add(failure.item, failure.error)
            # Failing calls: a 404, a dropped connection, a password rejected client-side.
            for call in (
                lambda: client.users.get("nobody"),
                lambda: _dropped(server, client),
                lambda: client.users.register("x", password=" " * 200),
            ):
                try:
                    await call()
                except (AgoraChatError, ValueError) as exc:
                    evidence.add(exc)
                else:  # pragma: no cover - each of them fails
                    pytest.fail("expected a failure")

        # 2. A fixed token.
        token = build_app_token(APP_ID, CERT, 600)
        async with server.client(token=token) as client:
            evidence.add(client, client._auth, await client.users.get("ann"))

        # 3. Client credentials (the /token exchange).
        async with server.client(client_id=CLIENT_ID, client_secret=CLIENT_SECRET) as client:
            evidence.add(client, client._auth)
            evidence.add(await client.users.register("cat", password=passwords[124]))

        # 4. Wrong credentials: the errors must not echo what was given either.
        for options in (
            {"app_id": APP_ID, "app_certificate": WRONG_CERT},
            {"client_id": CLIENT_ID, "client_secret": WRONG_SECRET},
            {"token": token[:-6] + "AAAAAA"},
        ):
            async with server.client(**options) as client:
                with pytest.raises(AgoraChatError) as caught:
                    await client.users.register("dan", password=passwords[125])
                evidence.add(client, client._auth, caught.value, caught.value.__cause__)
        tokens = _tokens_seen(server) | {token}

    evidence.parts += [debug_logs.getvalue(), caplog.text]
    evidence.parts += [r.getMessage() for r in caplog.records]
    assert any("retry" in r.getMessage() for r in caplog.records)  # DEBUG lines were logged
    assert len(tokens) >= 3
    assert_no_secret(
        evidence.text(),
        {
            "certificate": [CERT, WRONG_CERT],
            "token": tokens,
            "client secret": [CLIENT_SECRET, WRONG_SECRET],
            "password": passwords,
        },
    )


async def _dropped(server: EmulatorServer, client: Any) -> None:
    server.add_fault(status=None, drop=True, endpoint="users.register")
    try:
        await client.users.register("eve", password=_password())
    except APIConnectionError:
        raise
    finally:
        server.clear_faults()


def test_register_user_repr_masks_the_password() -> None:
    user = RegisterUser(username="ann", password="s3cret-pw", nickname="Ann")
    assert repr(user) == "RegisterUser(username='ann', password='***', nickname='Ann')"
    assert str(user) == repr(user)
    assert repr(RegisterUser(username="bob")) == "RegisterUser(username='bob')"
    assert list(user.__rich_repr__()) == [("username", "ann"), ("password", "***"),
                                          ("nickname", "Ann")]  # fmt: skip
    assert user.password == "s3cret-pw"  # still sent
    assert b"s3cret-pw" in __import__("msgspec").json.encode(user)


# -- the CLI ------------------------------------------------------------------------------


class SecretEmulator(ThreadedEmulator):
    def __init__(self) -> None:
        super().__init__()
        self.server = EmulatorServer(app_id=APP_ID, app_certificate=CERT)


_WITH_DEBUG_LOGS = (
    "import logging, runpy, sys; logging.basicConfig(level=logging.DEBUG); "
    "sys.argv[0] = 'agora-chat'; runpy.run_module('agora_chat_async', run_name='__main__')"
)


def _cli(*argv: str, debug: bool = False) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AGORA_")}
    command = [sys.executable, "-c", _WITH_DEBUG_LOGS] if debug else [
        sys.executable, "-m", "agora_chat_async"]  # fmt: skip
    done = subprocess.run(
        [*command, *argv], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    return done.returncode, done.stdout + done.stderr


def test_cli_output_shows_no_secret(tmp_path: Path) -> None:
    passwords = [_password() for _ in range(5)]
    source = tmp_path / "users.csv"
    rows = ["username,password,nickname", *(f"u{i},{p},U{i}" for i, p in enumerate(passwords))]
    source.write_text("\n".join([*rows, "bad name,pw-bad-" + passwords[0], "u0,dup"]) + "\n")
    with SecretEmulator() as emu:
        connection = ["--host", emu.server.base_url, "--org", "demo", "--app", "demo"]
        with_cert = [*connection, "--app-id", APP_ID, "--app-certificate", CERT]
        token = build_app_token(APP_ID, CERT, 600)
        outputs = []
        code, out = _cli("users", "import", str(source), "--report",
                         str(tmp_path / "failed.jsonl"), *with_cert, debug=True)  # fmt: skip
        assert code == 1  # two lines failed
        assert "registered" in out
        outputs.append(out)
        code, out = _cli("users", "export", "-o", str(tmp_path / "out.jsonl"), *connection,
                         "--token", token)  # fmt: skip
        assert code == 0
        outputs += [out, (tmp_path / "out.jsonl").read_text()]
        code, out = _cli("users", "import", str(source), *connection, "--app-id", APP_ID,
                         "--app-certificate", WRONG_CERT)  # fmt: skip
        assert code != 0
        outputs.append(out)
        tokens = _tokens_seen(emu.server) | {token}
    text = "\n".join(outputs)
    assert "DEBUG" in text  # the logging run did log
    assert_no_secret(
        text + "\n" * 1000,
        {"certificate": [CERT, WRONG_CERT], "token": tokens, "password": passwords},
    )


def test_the_search_finds_a_leak() -> None:
    """The check itself: a password or half a token in the text is caught."""
    token = build_app_token(APP_ID, CERT, 600)
    padding = "x" * 1000
    with pytest.raises(AssertionError, match="password"):
        assert_no_secret(padding + "pw=pw-0123456789", {"password": ["pw-0123456789"]})
    with pytest.raises(AssertionError, match="token"):
        assert_no_secret(padding + token[: len(token) // 2], {"token": [token]})


def test_an_echoed_password_is_masked_in_the_error() -> None:
    body = (b'{"error": "duplicate_unique_property_exists", "error_description": "the same '
            b'user fay has a different password, the passwords are pw-1,pw-2"}')  # fmt: skip
    error = error_from_response(400, body, endpoint="users.register_many")
    assert error.description == "the same user fay has a different password, the passwords are ***"
    assert "pw-1" not in str(error)
    assert "pw-2" not in repr(error)
    assert error.body == body  # the raw answer, for whoever needs it
