"""Agora AccessToken2 ("007") tokens for the Chat service.

This module owns building, parsing and verifying AccessToken2 tokens carrying the
Chat service (type 5): *app tokens* (privilege 2, used as the REST ``Bearer``) and
*user tokens* (privilege 1, for SDK logins). The byte layout follows Agora's
reference ``AccessToken2``: little-endian packing, a signing key derived from the
App Certificate by two chained HMAC-SHA256 steps, then zlib + standard base64 with
the ``"007"`` version prefix. Only the standard library is used.

Secrets are never echoed: error messages do not contain the App Certificate or the
token text, and the ``repr`` of a :class:`ParsedToken` omits the signature.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import struct
import time
import zlib
from dataclasses import dataclass, field

__all__ = [
    "MAX_EXPIRE",
    "PRIVILEGE_APP",
    "PRIVILEGE_USER",
    "SERVICE_CHAT",
    "ChatService",
    "ParsedToken",
    "TokenError",
    "build_app_token",
    "build_user_token",
    "parse_token",
    "verify_token",
]

SERVICE_CHAT = 5
PRIVILEGE_USER = 1
PRIVILEGE_APP = 2
MAX_EXPIRE = 86400
"""Longest validity Agora accepts, in seconds (24 h)."""

_VERSION = "007"
_SALT_MAX = 99_999_999
_U32_MAX = 0xFFFF_FFFF
_HEX32 = re.compile(r"[0-9a-fA-F]{32}")


class TokenError(ValueError):
    """Invalid token-building input, or a token that cannot be decoded/verified."""


# -- little-endian packing -------------------------------------------------------


def _u16(x: int) -> bytes:
    return struct.pack("<H", x)


def _u32(x: int) -> bytes:
    return struct.pack("<I", x)


def _str(b: bytes) -> bytes:
    return _u16(len(b)) + b


def _map_u32(m: dict[int, int]) -> bytes:
    return _u16(len(m)) + b"".join(_u16(k) + _u32(v) for k, v in sorted(m.items()))


class _Reader:
    """Sequential little-endian reader; raises ``struct.error`` on truncation."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def _take(self, fmt: str) -> int:
        (value,) = struct.unpack_from(fmt, self._data, self._pos)
        self._pos += struct.calcsize(fmt)
        return int(value)

    def u16(self) -> int:
        return self._take("<H")

    def u32(self) -> int:
        return self._take("<I")

    def string(self) -> bytes:
        n = self.u16()
        if self._pos + n > len(self._data):
            raise struct.error("truncated string")
        self._pos += n
        return self._data[self._pos - n : self._pos]

    def map_u32(self) -> dict[int, int]:
        return {self.u16(): self.u32() for _ in range(self.u16())}

    def rest(self) -> bytes:
        return self._data[self._pos :]


# -- signing ---------------------------------------------------------------------


def _check_certificate(app_certificate: str) -> None:
    if not isinstance(app_certificate, str) or not _HEX32.fullmatch(app_certificate):
        raise TokenError("app_certificate must be 32 hexadecimal characters")


def _check_int(name: str, value: int, lo: int, hi: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise TokenError(f"{name} must be an int within {lo}..{hi}, got {value!r}")


def _sign(app_certificate: str, issue_ts: int, salt: int, signing_info: bytes) -> bytes:
    k1 = hmac.digest(_u32(issue_ts), app_certificate.encode("ascii"), hashlib.sha256)
    k2 = hmac.digest(_u32(salt), k1, hashlib.sha256)
    return hmac.digest(k2, signing_info, hashlib.sha256)


@dataclass(frozen=True, slots=True)
class ChatService:
    """The Chat service (type 5) section of a token.

    Attributes:
        privileges: Privilege id (1 = user, 2 = app) to validity in seconds,
            relative to the token's ``issue_ts``.
        user_id: Chat user id; empty for app tokens.
    """

    privileges: dict[int, int]
    user_id: str


@dataclass(frozen=True, slots=True)
class ParsedToken:
    """A decoded AccessToken2; :meth:`verify` checks its signature.

    Attributes:
        app_id: Agora App ID the token was issued for.
        issue_ts: Issue time, Unix seconds.
        expire: Token validity in seconds, relative to ``issue_ts``.
        salt: Random salt mixed into the signing key.
        signature: HMAC-SHA256 signature (omitted from ``repr``).
        services: Parsed services by service type (only Chat is understood).
    """

    app_id: str
    issue_ts: int
    expire: int
    salt: int
    signature: bytes = field(repr=False)
    services: dict[int, ChatService]
    _signing_info: bytes = field(repr=False)

    @property
    def expires_at(self) -> int:
        """Absolute expiry of the token itself, Unix seconds."""
        return self.issue_ts + self.expire

    @property
    def is_app_token(self) -> bool:
        """Whether the Chat service grants the app privilege (2)."""
        chat = self.services.get(SERVICE_CHAT)
        return chat is not None and PRIVILEGE_APP in chat.privileges

    @property
    def user_id(self) -> str | None:
        """Chat user id embedded in the token, or ``None`` if there is none."""
        chat = self.services.get(SERVICE_CHAT)
        return chat.user_id if chat is not None and chat.user_id else None

    def verify(self, app_certificate: str) -> bool:
        """Check the signature against ``app_certificate`` in constant time.

        Raises:
            TokenError: If ``app_certificate`` is not 32 hex characters.
        """
        _check_certificate(app_certificate)
        expected = _sign(app_certificate, self.issue_ts, self.salt, self._signing_info)
        return hmac.compare_digest(expected, self.signature)

    def is_expired(self, now: float | None = None) -> bool:
        """Whether the token or any of its Chat privileges has expired at ``now``.

        Args:
            now: Unix time in seconds; defaults to the current time.
        """
        t = time.time() if now is None else now
        if t >= self.expires_at:
            return True
        chat = self.services.get(SERVICE_CHAT)
        values = chat.privileges.values() if chat is not None else ()
        return any(t >= self.issue_ts + v for v in values)


# -- building --------------------------------------------------------------------


def _build(
    app_id: str,
    app_certificate: str,
    privilege: int,
    user_id: str,
    expire: int,
    issue_ts: int | None,
    salt: int | None,
) -> str:
    if not isinstance(app_id, str) or not _HEX32.fullmatch(app_id):
        raise TokenError(f"app_id must be 32 hexadecimal characters, got {app_id!r}")
    _check_certificate(app_certificate)
    _check_int("expire", expire, 1, MAX_EXPIRE)
    issue_ts = int(time.time()) if issue_ts is None else issue_ts
    _check_int("issue_ts", issue_ts, 0, _U32_MAX)
    salt = secrets.randbelow(_SALT_MAX) + 1 if salt is None else salt
    _check_int("salt", salt, 1, _SALT_MAX)
    try:
        uid = user_id.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: not text Agora could carry
        raise TokenError("user_id must be valid Unicode text") from None
    if len(uid) > 0xFFFF:
        raise TokenError("user_id is too long")

    service = _u16(SERVICE_CHAT) + _map_u32({privilege: expire}) + _str(uid)
    signing_info = (
        _str(app_id.encode("ascii"))
        + _u32(issue_ts)
        + _u32(expire)
        + _u32(salt)
        + _u16(1)
        + service
    )
    signature = _sign(app_certificate, issue_ts, salt, signing_info)
    content = _str(signature) + signing_info
    return _VERSION + base64.b64encode(zlib.compress(content)).decode("ascii")


def build_app_token(
    app_id: str,
    app_certificate: str,
    expire: int,
    *,
    issue_ts: int | None = None,
    salt: int | None = None,
) -> str:
    """Build a Chat app token (privilege 2), the REST API ``Bearer`` credential.

    Args:
        app_id: Agora App ID, 32 hex characters.
        app_certificate: App Certificate, 32 hex characters.
        expire: Validity in seconds, 1..``MAX_EXPIRE``.
        issue_ts: Issue time in Unix seconds; defaults to now.
        salt: Salt in 1..99999999; defaults to a random value.

    Returns:
        The ``"007..."`` token string.

    Raises:
        TokenError: If any input is invalid.
    """
    return _build(app_id, app_certificate, PRIVILEGE_APP, "", expire, issue_ts, salt)


def build_user_token(
    app_id: str,
    app_certificate: str,
    user_id: str,
    expire: int,
    *,
    issue_ts: int | None = None,
    salt: int | None = None,
) -> str:
    """Build a Chat user token (privilege 1) for ``user_id``.

    Args:
        app_id: Agora App ID, 32 hex characters.
        app_certificate: App Certificate, 32 hex characters.
        user_id: Chat user id; must be non-empty.
        expire: Validity in seconds, 1..``MAX_EXPIRE``.
        issue_ts: Issue time in Unix seconds; defaults to now.
        salt: Salt in 1..99999999; defaults to a random value.

    Returns:
        The ``"007..."`` token string.

    Raises:
        TokenError: If any input is invalid.
    """
    if not isinstance(user_id, str) or not user_id:
        raise TokenError("user_id must be a non-empty string")
    return _build(app_id, app_certificate, PRIVILEGE_USER, user_id, expire, issue_ts, salt)


# -- parsing ---------------------------------------------------------------------


def parse_token(token: str) -> ParsedToken:
    """Decode an AccessToken2 without checking its signature.

    Parsing stops at the first unknown service type, like the reference code.

    Raises:
        TokenError: If the token is not a well-formed ``"007"`` token.
    """
    if not isinstance(token, str) or not token.startswith(_VERSION):
        raise TokenError("malformed token: missing '007' version prefix")
    try:
        content = zlib.decompress(base64.b64decode(token[3:], validate=True))
        r = _Reader(content)
        signature = r.string()
        signing_info = r.rest()
        r = _Reader(signing_info)
        app_id = r.string().decode("ascii")
        issue_ts, expire, salt = r.u32(), r.u32(), r.u32()
        services: dict[int, ChatService] = {}
        for _ in range(r.u16()):
            if r.u16() != SERVICE_CHAT:
                break
            privileges = r.map_u32()
            services[SERVICE_CHAT] = ChatService(privileges, r.string().decode("utf-8"))
    except (ValueError, zlib.error, struct.error):  # incl. binascii/Unicode errors
        raise TokenError("malformed token") from None
    return ParsedToken(app_id, issue_ts, expire, salt, signature, services, signing_info)


def verify_token(token: str, app_certificate: str) -> ParsedToken:
    """Parse ``token`` and check its signature against ``app_certificate``.

    Raises:
        TokenError: If the token is malformed or its signature does not match.
    """
    parsed = parse_token(token)
    if not parsed.verify(app_certificate):
        raise TokenError("invalid token signature")
    return parsed
