"""``agora_chat_async.tokens`` on random input: build/parse round trips, verification
only accepts the certificate that signed, and every bad input is a ``TokenError``."""

from __future__ import annotations

import base64
import zlib

from hypothesis import assume, example, given, strategies as st

from agora_chat_async.tokens import (
    MAX_EXPIRE,
    PRIVILEGE_APP,
    PRIVILEGE_USER,
    SERVICE_CHAT,
    ParsedToken,
    TokenError,
    build_app_token,
    build_user_token,
    parse_token,
    verify_token,
)

hex32 = st.text(alphabet="0123456789abcdefABCDEF", min_size=32, max_size=32)
expires = st.integers(1, MAX_EXPIRE)
issue_ts = st.integers(0, 0xFFFF_FFFF)
salts = st.integers(1, 99_999_999)
user_ids = st.text(min_size=1, max_size=100).filter(
    lambda s: not any(0xD800 <= ord(c) <= 0xDFFF for c in s)
)


@given(app_id=hex32, cert=hex32, other=hex32, expire=expires, ts=issue_ts, salt=salts)
def test_app_token_round_trip(
    app_id: str, cert: str, other: str, expire: int, ts: int, salt: int
) -> None:
    token = build_app_token(app_id, cert, expire, issue_ts=ts, salt=salt)
    parsed = verify_token(token, cert)
    assert (parsed.app_id, parsed.issue_ts, parsed.expire, parsed.salt) == (
        app_id,
        ts,
        expire,
        salt,
    )
    assert parsed.services[SERVICE_CHAT].privileges == {PRIVILEGE_APP: expire}
    assert parsed.is_app_token
    assert parsed.user_id is None
    assert parsed.is_expired(ts + expire)
    assert not parsed.is_expired(ts + expire - 1)
    assert parsed.verify(cert)
    if other != cert:
        assert not parsed.verify(other)
    if cert not in app_id:
        assert cert not in repr(parsed)
    assert parsed.signature.hex() not in repr(parsed)


@given(app_id=hex32, cert=hex32, user=user_ids, expire=expires, ts=issue_ts)
def test_user_token_round_trip(app_id: str, cert: str, user: str, expire: int, ts: int) -> None:
    parsed = verify_token(build_user_token(app_id, cert, user, expire, issue_ts=ts), cert)
    assert parsed.user_id == user
    assert parsed.services[SERVICE_CHAT].privileges == {PRIVILEGE_USER: expire}
    assert not parsed.is_app_token


_BAD_TEXT = st.one_of(st.text(max_size=40), st.binary(max_size=8), st.none(), st.integers())


@given(
    app_id=st.one_of(hex32, _BAD_TEXT),
    cert=st.one_of(hex32, _BAD_TEXT),
    expire=st.one_of(expires, st.integers(), st.booleans(), st.floats()),
    ts=st.one_of(st.none(), issue_ts, st.integers(), st.floats()),
    salt=st.one_of(st.none(), salts, st.integers()),
    user=st.one_of(user_ids, st.text(max_size=5), _BAD_TEXT),
)
@example(app_id="a" * 32, cert="b" * 32, expire=60, ts=None, salt=None, user="\ud800")
@example(app_id="a" * 32, cert="b" * 32, expire=60, ts=None, salt=None, user="x" * 70_000)
def test_bad_build_input_is_a_token_error(
    app_id: object, cert: object, expire: object, ts: object, salt: object, user: object
) -> None:
    """Any input gives a token that verifies, or a TokenError: nothing else escapes."""
    for build in (
        lambda: build_app_token(app_id, cert, expire, issue_ts=ts, salt=salt),  # type: ignore[arg-type]
        lambda: build_user_token(app_id, cert, user, expire, issue_ts=ts, salt=salt),  # type: ignore[arg-type]
    ):
        try:
            token = build()
        except TokenError:
            continue
        assert isinstance(cert, str)
        assert verify_token(token, cert).app_id == app_id


def _mutations(token: str) -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(0, len(token) - 1).flatmap(
            lambda i: st.characters().map(lambda c: token[:i] + c + token[i + 1 :])
        ),
        st.integers(0, len(token)).map(lambda i: token[:i]),
        st.binary(max_size=20).map(lambda b: token + base64.b64encode(b).decode()),
    )


VALID = build_app_token(
    "970CA35de60c44645bbae8a215061b33",
    "5CFd2fd1755d40ecb72977518be15d3b",
    600,
    issue_ts=1111111,
    salt=1,
)
CERT = "5CFd2fd1755d40ecb72977518be15d3b"


@given(token=_mutations(VALID))
def test_tampered_tokens_never_verify(token: str) -> None:
    """A changed token is refused (TokenError) or parses; if its signature still checks
    out, it says exactly what the original said."""
    try:
        parsed = parse_token(token)
    except TokenError:
        return
    assert isinstance(parsed, ParsedToken)
    if parsed.verify(CERT):
        original = parse_token(VALID)
        assert (parsed.app_id, parsed.issue_ts, parsed.expire, parsed.salt, parsed.services) == (
            original.app_id,
            original.issue_ts,
            original.expire,
            original.salt,
            original.services,
        )


@given(
    text=st.one_of(
        st.text(max_size=200),
        st.text(max_size=200).map(lambda s: "007" + s),
        st.binary(max_size=300).map(lambda b: "007" + base64.b64encode(zlib.compress(b)).decode()),
        st.binary(max_size=300).map(lambda b: "007" + base64.b64encode(b).decode()),
    )
)
@example(text="007")
@example(
    text="007" + base64.b64encode(zlib.compress(b"\x20\x00" + b"s" * 32 + b"\xff\xff")).decode()
)
def test_parsing_garbage_is_a_token_error(text: str) -> None:
    try:
        parsed = parse_token(text)
    except TokenError:
        return
    assume(parsed is not None)
    assert not parsed.verify(CERT)  # random bytes do not carry a valid signature
