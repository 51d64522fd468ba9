"""Tests for agora_chat_async.tokens (AccessToken2 Chat tokens)."""

from __future__ import annotations

import base64
import zlib

import pytest

from agora_chat_async.tokens import (
    MAX_EXPIRE,
    PRIVILEGE_APP,
    PRIVILEGE_USER,
    SERVICE_CHAT,
    ChatService,
    TokenError,
    build_app_token,
    build_user_token,
    parse_token,
    verify_token,
)

APP_ID = "970CA35de60c44645bbae8a215061b33"
APP_CERT = "5CFd2fd1755d40ecb72977518be15d3b"
OTHER_CERT = "0123456789abcdef0123456789ABCDEF"
ISSUE_TS = 1111111
SALT = 1
EXPIRE = 600
USER_ID = "2882341273"

APP_TOKEN = (
    "007eJxTYNDNaz3snC8huEfHWdz6s98qltq4zqy9fl99Uh0FDvy6F6DAYGlu4OxobJqSamaQbGJiZ"
    "mKalJSYapFoZGhqYGaYZGzs/kWAIYKJgYGRAYRZgZgJzGdgAACt8hhr"
)
USER_TOKEN = (
    "007eJxTYNAIsnbS3v/A5t2TC6feR15r+6cq8bqAvfaW+tk/Vzz+p6xTYLA0N3B2NDZNSTUzSDYxM"
    "TMxTUpKTLVINDI0NTAzTDI2dv8iwBDBxMDAyADCrEDMCOZzMRhZWBgZmxgamRsDAB+lHrg="
)
APP_PAYLOAD_HEX = (
    "20002d6e85c3436f1811bc2c43173bf34eaa047d5e896abd4ef54c654110c0fade50"
    "2000393730434133356465363063343436343562626165386132313530363162333347f4"
    "100058020000010000000100050001000200580200000000"
)
USER_PAYLOAD_HEX = (
    "200028523b422bbfe03ceee4d0caef59d686fe2518eb70077dda27cdfcd448ff64ae"
    "2000393730434133356465363063343436343562626165386132313530363162333347f4"
    "100058020000010000000100050001000100580200000a0032383832333431323733"
)


def _payload(token: str) -> bytes:
    return zlib.decompress(base64.b64decode(token[3:]))


def _repack(payload: bytes) -> str:
    return "007" + base64.b64encode(zlib.compress(payload)).decode("ascii")


def _app() -> str:
    return build_app_token(APP_ID, APP_CERT, EXPIRE, issue_ts=ISSUE_TS, salt=SALT)


# -- official vectors -------------------------------------------------------------


def test_constants() -> None:
    assert (SERVICE_CHAT, PRIVILEGE_USER, PRIVILEGE_APP, MAX_EXPIRE) == (5, 1, 2, 86400)


def test_app_token_vector() -> None:
    assert _app() == APP_TOKEN


def test_user_token_vector() -> None:
    token = build_user_token(APP_ID, APP_CERT, USER_ID, EXPIRE, issue_ts=ISSUE_TS, salt=SALT)
    assert token == USER_TOKEN


def test_app_token_payload_bytes() -> None:
    payload = _payload(_app())
    assert len(payload) == 94
    assert payload.hex() == APP_PAYLOAD_HEX


def test_user_token_payload_bytes() -> None:
    payload = _payload(USER_TOKEN)
    assert len(payload) == 104
    assert payload.hex() == USER_PAYLOAD_HEX


def test_parse_app_vector() -> None:
    p = parse_token(APP_TOKEN)
    assert (p.app_id, p.issue_ts, p.expire, p.salt) == (APP_ID, ISSUE_TS, EXPIRE, SALT)
    assert p.services == {SERVICE_CHAT: ChatService({PRIVILEGE_APP: EXPIRE}, "")}
    assert p.signature.hex() == APP_PAYLOAD_HEX[4:68]
    assert p.is_app_token is True
    assert p.user_id is None
    assert p.expires_at == ISSUE_TS + EXPIRE


def test_parse_user_vector() -> None:
    p = parse_token(USER_TOKEN)
    assert (p.app_id, p.issue_ts, p.expire, p.salt) == (APP_ID, ISSUE_TS, EXPIRE, SALT)
    assert p.services == {SERVICE_CHAT: ChatService({PRIVILEGE_USER: EXPIRE}, USER_ID)}
    assert p.is_app_token is False
    assert p.user_id == USER_ID


# -- verification ------------------------------------------------------------------


@pytest.mark.parametrize("token", [APP_TOKEN, USER_TOKEN])
def test_verify_right_and_wrong_cert(token: str) -> None:
    p = parse_token(token)
    assert p.verify(APP_CERT) is True
    assert p.verify(APP_CERT.lower()) is False  # cert is signed as ASCII text
    assert p.verify(OTHER_CERT) is False
    assert verify_token(token, APP_CERT) == p
    with pytest.raises(TokenError, match="signature"):
        verify_token(token, OTHER_CERT)


def test_tampered_payload_fails_verify() -> None:
    payload = bytearray(_payload(APP_TOKEN))
    payload[-6] ^= 0x01  # privilege value 600 -> 601
    tampered = _repack(bytes(payload))
    p = parse_token(tampered)
    assert p.services[SERVICE_CHAT].privileges == {PRIVILEGE_APP: 601}
    assert p.verify(APP_CERT) is False
    with pytest.raises(TokenError):
        verify_token(tampered, APP_CERT)


def test_tampered_base64_fails() -> None:
    i = len(APP_TOKEN) // 2
    flipped = "A" if APP_TOKEN[i] != "A" else "B"
    tampered = APP_TOKEN[:i] + flipped + APP_TOKEN[i + 1 :]
    with pytest.raises(TokenError):
        verify_token(tampered, APP_CERT)


# -- input validation ------------------------------------------------------------


def test_app_id_31_chars() -> None:
    with pytest.raises(TokenError, match="app_id"):
        build_app_token(APP_ID[:31], APP_CERT, EXPIRE)


def test_non_hex_certificate_not_echoed() -> None:
    bad_cert = "Z" + APP_CERT[1:]
    with pytest.raises(TokenError, match="app_certificate") as exc:
        build_app_token(APP_ID, bad_cert, EXPIRE)
    assert bad_cert not in str(exc.value)
    assert APP_CERT[1:] not in str(exc.value)


@pytest.mark.parametrize("expire", [0, -1, MAX_EXPIRE + 1])
def test_expire_out_of_range(expire: int) -> None:
    with pytest.raises(TokenError, match="expire"):
        build_app_token(APP_ID, APP_CERT, expire)


def test_expire_max_accepted() -> None:
    assert parse_token(build_app_token(APP_ID, APP_CERT, MAX_EXPIRE)).expire == 86400


@pytest.mark.parametrize("salt", [0, 100_000_000])
def test_salt_out_of_range(salt: int) -> None:
    with pytest.raises(TokenError, match="salt"):
        build_app_token(APP_ID, APP_CERT, EXPIRE, salt=salt)


def test_issue_ts_out_of_range() -> None:
    with pytest.raises(TokenError, match="issue_ts"):
        build_app_token(APP_ID, APP_CERT, EXPIRE, issue_ts=2**32)


def test_empty_user_id() -> None:
    with pytest.raises(TokenError, match="user_id"):
        build_user_token(APP_ID, APP_CERT, "", EXPIRE)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "garbage",
        "007",
        "007!!!not-base64!!!",
        "007" + base64.b64encode(b"not zlib").decode(),
        _repack(b"\x20\x00\x01"),  # truncated signature
        _repack(bytes.fromhex(APP_PAYLOAD_HEX)[:80]),  # truncated signing info
    ],
)
def test_garbage_token(token: str) -> None:
    with pytest.raises(TokenError, match="malformed") as exc:
        parse_token(token)
    if token:
        assert token not in str(exc.value)


def test_token_without_prefix() -> None:
    with pytest.raises(TokenError, match="malformed"):
        parse_token(APP_TOKEN[3:])
    with pytest.raises(TokenError, match="malformed"):
        parse_token("006" + APP_TOKEN[3:])


def test_unknown_service_stops_parsing() -> None:
    payload = bytearray(_payload(APP_TOKEN))
    payload[-12] = 0x07  # service type 5 -> 7
    p = parse_token(_repack(bytes(payload)))
    assert p.services == {}
    assert p.is_app_token is False


# -- defaults ------------------------------------------------------------------


def test_random_defaults_parse_and_verify() -> None:
    salts = set()
    for _ in range(20):
        token = build_user_token(APP_ID, APP_CERT, "alice", 3600)
        p = verify_token(token, APP_CERT)
        assert 1 <= p.salt <= 99_999_999
        assert p.user_id == "alice"
        assert p.services[SERVICE_CHAT].privileges == {PRIVILEGE_USER: 3600}
        assert not p.is_expired()
        salts.add(p.salt)
    assert len(salts) > 1


# -- expiry and repr -------------------------------------------------------------


def test_is_expired() -> None:
    p = parse_token(APP_TOKEN)
    assert p.is_expired(ISSUE_TS) is False
    assert p.is_expired(ISSUE_TS + EXPIRE - 0.5) is False
    assert p.is_expired(ISSUE_TS + EXPIRE) is True
    assert p.is_expired(ISSUE_TS + EXPIRE + 1000) is True


def test_is_expired_by_privilege() -> None:
    payload = bytearray(_payload(APP_TOKEN))
    payload[-6:-2] = (100).to_bytes(4, "little")  # privilege 2 -> 100 s
    p = parse_token(_repack(bytes(payload)))
    assert p.expire == EXPIRE
    assert p.is_expired(ISSUE_TS + 99) is False
    assert p.is_expired(ISSUE_TS + 100) is True


def test_repr_hides_signature() -> None:
    p = parse_token(APP_TOKEN)
    text = repr(p)
    assert APP_ID in text
    assert p.signature.hex() not in text
    assert repr(p.signature) not in text
    assert "signature" not in text
