"""Who may call: AccessToken2 app tokens, and the opaque tokens ``POST /token`` hands out.

A bearer is accepted when it is

* an AccessToken2 (``007...``) whose signature checks out with the app certificate,
  issued for this app id, carrying the Chat app privilege (2), issued no later than
  :data:`CLOCK_SKEW` from now (the later of the emulator's clock and the real one),
  and neither the token nor the privilege has expired (validity capped at 24 h,
  Agora's maximum, counted from now at the latest); or
* an opaque ``YWMt...`` token this emulator issued from ``POST /{org}/{app}/token``
  (``client_credentials`` or an ``agora`` exchange), until it expires.

Refusals use the wording of spec §3.4: missing or expired -> ``unauthorized`` "Unable
to authenticate due to expired access token" (a registration without a token:
"Registration is not open, please contact the app admin."); undecodable ->
``auth_bad_access_token`` "... due to corrupt access token"; anything else (bad
signature, another app, a user token, an unknown opaque token) ->
``auth_bad_access_token`` "Unable to authenticate".
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from ..tokens import MAX_EXPIRE, PRIVILEGE_APP, SERVICE_CHAT, TokenError, parse_token
from ._errors import AgoraHTTPError, illegal_argument

if TYPE_CHECKING:
    from ._call import Call
    from ._state import Clock

__all__ = ["DEFAULT_TTL", "Authenticator", "token_endpoint"]

#: Lifetime of an issued token when the request asks for none (or ``ttl: 0``), seconds.
DEFAULT_TTL = 86400
#: Longest lifetime an issued token gets, seconds.
MAX_TTL = MAX_EXPIRE
#: How far in the future an AccessToken2's ``issue_ts`` may lie (clocks differ), seconds.
CLOCK_SKEW = 300

_EXPIRED = "Unable to authenticate due to expired access token"
_CORRUPT = "Unable to authenticate due to corrupt access token"
_BAD = "Unable to authenticate"
_REGISTRATION_CLOSED = "Registration is not open, please contact the app admin."
_OPAQUE_PREFIX = "YWMt"


def _unauthorized(description: str = _EXPIRED) -> AgoraHTTPError:
    return AgoraHTTPError(401, "unauthorized", description)


def _bad_token(description: str = _BAD) -> AgoraHTTPError:
    return AgoraHTTPError(401, "auth_bad_access_token", description)


class Authenticator:
    """Checks bearers and issues opaque tokens for one app.

    Args:
        app_id: The App ID tokens must be issued for.
        app_certificate: The certificate their signatures are checked with.
        clock: Unix time in seconds.
        client_id: Accepted ``client_credentials`` id (none: that grant always fails).
        client_secret: Its secret.
        max_issued: Most live issued tokens kept; the oldest go first beyond it.
    """

    _CACHE_SIZE = 1024

    def __init__(
        self,
        *,
        app_id: str,
        app_certificate: str,
        clock: Clock,
        client_id: str | None = None,
        client_secret: str | None = None,
        max_issued: int = 100_000,
    ) -> None:
        self.app_id = app_id
        self._certificate = app_certificate
        self._clock = clock
        self.client_id = client_id
        self._client_secret = client_secret
        self._max_issued = max_issued
        self._issued: OrderedDict[str, float] = OrderedDict()  # token -> expires at (s)
        self._verified: dict[str, float] = {}  # AccessToken2 -> expires at (s)

    def __repr__(self) -> str:
        return f"Authenticator(app_id={self.app_id!r}, issued={len(self._issued)})"

    # -- checking ----------------------------------------------------------------------

    def check(self, authorization: str | None, *, registering: bool = False) -> None:
        """Accept the ``Authorization`` header or raise the 401 Agora would send."""
        token = _bearer(authorization)
        if token is None:
            raise _unauthorized(_REGISTRATION_CLOSED if registering else _EXPIRED)
        if token.startswith("007"):
            self.check_access_token(token)
            return
        expires_at = self._issued.get(token)
        if expires_at is None:
            raise _bad_token(_BAD if token.startswith(_OPAQUE_PREFIX) else _CORRUPT)
        if self._clock() >= expires_at:
            del self._issued[token]
            raise _unauthorized()

    def check_access_token(self, token: str) -> float:
        """Verify an AccessToken2 app token; returns when it expires (Unix seconds)."""
        expires_at = self._verified.get(token)
        if expires_at is None:
            expires_at = self._verify(token)
            if len(self._verified) >= self._CACHE_SIZE:
                self._verified.clear()
            self._verified[token] = expires_at
        if self._clock() >= expires_at:
            raise _unauthorized()
        return expires_at

    def _verify(self, token: str) -> float:
        try:
            parsed = parse_token(token)
        except TokenError:
            raise _bad_token(_CORRUPT) from None
        if parsed.app_id != self.app_id or not parsed.verify(self._certificate):
            raise _bad_token()
        chat = parsed.services.get(SERVICE_CHAT)
        if chat is None or PRIVILEGE_APP not in chat.privileges:
            raise _bad_token()  # a user token, or no Chat service at all
        # Tests set the emulator's clock back (to fill past history) while the client
        # mints tokens on the real clock: a token is from the future only if it is
        # ahead of both.
        now = max(self._clock(), time.time())
        if parsed.issue_ts > now + CLOCK_SKEW:
            raise _bad_token()  # issued in the future: forged, or a clock far off
        lifetime = min(parsed.expire, chat.privileges[PRIVILEGE_APP], MAX_EXPIRE)
        # Agora's 24 h cap counts from now too, so a token dated ahead gains nothing.
        return min(float(parsed.issue_ts + lifetime), now + MAX_EXPIRE)

    # -- issuing -----------------------------------------------------------------------

    def issue(self, lifetime: float) -> str:
        """A new opaque token valid for ``lifetime`` seconds."""
        now = self._clock()
        if len(self._issued) >= self._max_issued:
            for token, expires_at in list(self._issued.items()):
                if expires_at <= now:
                    del self._issued[token]
            while len(self._issued) >= self._max_issued:
                self._issued.popitem(last=False)
        token = _OPAQUE_PREFIX + secrets.token_urlsafe(48)
        self._issued[token] = now + lifetime
        return token

    def credentials_match(self, client_id: str, client_secret: str) -> tuple[bool, bool]:
        """(id matches, secret matches), compared in constant time."""
        if self.client_id is None or self._client_secret is None:
            return False, False
        return (
            hmac.compare_digest(client_id.encode(), self.client_id.encode()),
            hmac.compare_digest(client_secret.encode(), self._client_secret.encode()),
        )


def _bearer(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


# -- POST /{org}/{app}/token -------------------------------------------------------------


async def token_endpoint(call: Call) -> dict[str, Any]:
    """``POST /{org}/{app}/token``: ``client_credentials`` or ``agora`` (exchange) grants."""
    body = call.body
    if not isinstance(body, dict):
        raise illegal_argument("grant_type must be provided.")
    grant = body.get("grant_type")
    auth = call.emulator.auth
    if grant == "client_credentials":
        client_id, client_secret = body.get("client_id"), body.get("client_secret")
        if not isinstance(client_id, str) or not client_id:
            raise illegal_argument("client_id must be provided.")
        if not isinstance(client_secret, str) or not client_secret:
            raise illegal_argument("client_secret must be provided")
        id_ok, secret_ok = auth.credentials_match(client_id, client_secret)
        if not id_ok:
            raise AgoraHTTPError(400, "invalid_grant", "client_id does not match")
        if not secret_ok:
            raise AgoraHTTPError(400, "invalid_grant", "client_secret does not match")
        lifetime = _ttl(body.get("ttl"))
        return {
            "access_token": auth.issue(lifetime),
            "expires_in": lifetime,
            "application": call.state.app_uuid,
        }
    if grant == "agora":
        token = _bearer(call.request.headers.get("Authorization"))
        if token is None:
            raise _unauthorized()
        if not token.startswith("007"):
            raise _bad_token()
        expires_at = auth.check_access_token(token)
        lifetime = max(int(expires_at - call.state.clock()), 1)
        return {
            "access_token": auth.issue(lifetime),
            "expires_in": lifetime,
            "expire_timestamp": int(expires_at * 1000),
            "application": call.state.app_uuid,
        }
    if grant is None or grant == "":
        raise illegal_argument("grant_type must be provided.")
    raise AgoraHTTPError(400, "unsupported_grant_type", f"unsupported grant type: {grant}")


def _ttl(value: Any) -> int:
    if value is None:
        return DEFAULT_TTL
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise illegal_argument("ttl must be a non-negative integer")
    return DEFAULT_TTL if value == 0 else min(value, MAX_TTL)
