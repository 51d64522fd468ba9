"""Decoding: the client's cached typed msgspec decoder against json.loads, orjson, pydantic.

Two payloads from ``_data``: a 1,000-member ``GET /users`` page and a single-user envelope
(``GET /users/{name}``). Each round times every variant over the same number of decodes,
in a rotating order, and the speedups are the median over rounds of the per-round ratios
(paired, so a slow phase of the machine hits both sides). Variants:

- ``msgspec``: ``_codec.decoder_for(EntitiesEnvelope[User]).decode``, what the client runs.
- ``msgspec_per_call``: ``msgspec.json.decode(body, type=...)`` on every call.
- ``json``: ``json.loads`` into dicts (untyped, unvalidated).
- ``orjson``: ``orjson.loads`` into dicts (skipped when orjson is not installed).
- ``pydantic``: ``EnvelopeModel.model_validate_json``, typed (skipped without pydantic v2).
"""

from __future__ import annotations

import gc
import json
import statistics
import time
from typing import Any

import msgspec

from agora_chat_async import _codec
from agora_chat_async.models import User
from agora_chat_async.models._base import EntitiesEnvelope

from . import _data

__all__ = ["run"]

VARIANTS = ("msgspec", "msgspec_per_call", "json", "orjson", "pydantic")

_ENVELOPE = EntitiesEnvelope[User]


def _pydantic_decoder() -> Any:
    try:
        import pydantic
    except ImportError:
        return None
    if not hasattr(pydantic, "TypeAdapter"):  # pydantic v1
        return None

    class UserModel(pydantic.BaseModel):
        username: str
        uuid: str | None = None
        type: str | None = None
        created: int | None = None
        modified: int | None = None
        activated: bool | None = None
        nickname: str | None = None
        notification_display_style: int | None = None
        notification_no_disturbing: bool | None = None
        notification_no_disturbing_start: int | str | None = None
        notification_no_disturbing_end: int | str | None = None
        notifier_name: str | None = None
        device_token: str | None = None

    class EnvelopeModel(pydantic.BaseModel):
        action: str | None = None
        path: str | None = None
        uri: str | None = None
        timestamp: int | None = None
        duration: int | None = None
        count: int | None = None
        cursor: str | None = None
        entities: list[UserModel] = []

    return EnvelopeModel.model_validate_json


def _decoders() -> dict[str, Any]:
    decoders: dict[str, Any] = {
        "msgspec": _codec.decoder_for(_ENVELOPE).decode,
        "msgspec_per_call": lambda body: msgspec.json.decode(body, type=_ENVELOPE),
        "json": json.loads,
    }
    try:
        import orjson
    except ImportError:
        print("  (orjson not installed: skipping the orjson baseline)")
    else:
        decoders["orjson"] = orjson.loads
    pydantic_decode = _pydantic_decoder()
    if pydantic_decode is None:
        print("  (pydantic v2 not installed: skipping the pydantic baseline)")
    else:
        decoders["pydantic"] = pydantic_decode
    return decoders


def _time(decode: Any, body: bytes, n: int) -> float:
    gc.collect()
    start = time.perf_counter()
    for _ in range(n):
        decode(body)
    return (time.perf_counter() - start) / n


def _measure(body: bytes, decoders: dict[str, Any], rounds: int, n: int) -> dict[str, list[float]]:
    names = list(decoders)
    times: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm up
        _time(decoders[name], body, max(1, n // 4))
    others = [name for name in names if name not in ("msgspec", "json")]
    for round_no in range(rounds):
        # The pair behind the target runs back to back, in alternating order; the other
        # baselines follow in a rotating order.
        pair = ["msgspec", "json"] if round_no % 2 == 0 else ["json", "msgspec"]
        shift = round_no % len(others) if others else 0
        for name in pair + others[shift:] + others[:shift]:
            times[name].append(_time(decoders[name], body, n))
    return times


def _check(decoders: dict[str, Any], body: bytes, members: int) -> None:
    # Every variant must really decode the payload, or the comparison means nothing.
    if not isinstance(decoders["msgspec"](body).entities[0], User):
        raise RuntimeError("the typed decoder did not produce User structs")
    for name, decode in decoders.items():
        result = decode(body)
        entities = result["entities"] if isinstance(result, dict) else result.entities
        if len(entities) != members:
            raise RuntimeError(f"{name} decoded {len(entities)} of {members} members")


def run(quick: bool = False) -> dict[str, Any]:
    """Measure and return the figures as flat JSON-ready keys (see the module docstring)."""
    decoders = _decoders()
    page = _data.page_json(0, 1000, _data.cursor_for(1000))
    single = _data.single_user_json()
    _check(decoders, page, 1000)
    _check(decoders, single, 1)
    rounds = 9 if quick else 31
    results: dict[str, Any] = {}
    for label, body, n in (("page", page, 10), ("single", single, 2000)):
        times = _measure(body, decoders, rounds, n if quick else n * 2)
        for name in VARIANTS:
            results[f"decode_us_{label}_{name}"] = (
                statistics.median(times[name]) * 1e6 if name in times else None
            )
        typed = times["msgspec"]
        for other in ("json", "orjson", "pydantic", "msgspec_per_call"):
            key = f"decode_speedup_vs_{other}" + ("" if label == "page" else "_single")
            results[key] = (
                statistics.median(o / t for o, t in zip(times[other], typed, strict=True))
                if other in times
                else None
            )
    results["decode_page_bytes"] = len(page)
    return results


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
