"""An in-memory emulator of the Agora Chat REST server, for tests, demos and benchmarks.

    from agora_chat_async.emulator import EmulatorServer

    async with EmulatorServer() as server, server.client() as client:
        await client.users.register("alice")

It implements the documented semantics of the areas that have handlers (users, push
settings, the ``POST /token`` grants): limits, error bodies, cursor paging, and the
envelope keys of each documented example. It verifies AccessToken2 app tokens with its
certificate. Rate limits and fault injection are off unless switched on (constructor
arguments, or the ``/__emulator/...`` control routes). Given a ``callback_url`` it
posts Agora's signed callbacks for messages, recalls and membership changes, and given
a ``pre_delivery_url`` it asks it about each message ``/__emulator/user_messages``
sends (see ``_callbacks``). ``python -m agora_chat_async.emulator`` serves it on
loopback.
"""

from __future__ import annotations

from ._app import create_app
from ._errors import AgoraHTTPError
from ._faults import Fault
from ._runtime import EMULATOR_KEY, STATE_KEY, Emulator, LoggedRequest
from ._server import EmulatorServer
from ._state import EmulatorState, UserRecord

__all__ = [
    "EMULATOR_KEY",
    "STATE_KEY",
    "AgoraHTTPError",
    "Emulator",
    "EmulatorServer",
    "EmulatorState",
    "Fault",
    "LoggedRequest",
    "UserRecord",
    "create_app",
]
