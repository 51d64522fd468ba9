"""Base struct and the response envelopes Agora wraps every payload in.

Responses are tolerant: unknown keys are ignored and every key has a default, because
Agora leaves keys out per endpoint (``count``, ``cursor``, ``application`` ...). The one
exception is the payload itself: an envelope without its ``data``, ``entities`` or
``result`` fails to decode (the client raises ``ResponseValidationError``) instead of
reading as ``None``, ``False`` or an empty last page.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

T = TypeVar("T")

__all__ = [
    "DataEnvelope",
    "EntitiesEnvelope",
    "Envelope",
    "Model",
    "PropertiesEnvelope",
    "ResultEnvelope",
]


class Model(msgspec.Struct, omit_defaults=True):
    """Base of all API structs: fields left at their default are not sent."""


class _Properties(Model, kw_only=True):
    cursor: str | None = None


class Envelope(Model, kw_only=True):
    """The keys Agora puts around most payloads (all optional). Threads page with
    ``properties.cursor`` instead of ``cursor``."""

    action: str | None = None
    path: str | None = None
    uri: str | None = None
    timestamp: int | None = None
    duration: int | None = None
    count: int | None = None
    cursor: str | None = None
    properties: _Properties = msgspec.field(default_factory=_Properties)


class DataEnvelope(Envelope, Generic[T], kw_only=True):
    """An envelope whose payload is under ``data`` (required)."""

    data: T


class EntitiesEnvelope(Envelope, Generic[T], kw_only=True):
    """An envelope whose payload is the ``entities`` list (required)."""

    entities: list[T]


class ResultEnvelope(Envelope, Generic[T], kw_only=True):
    """Presence answers ``{"result": ...}`` with no other key (required)."""

    result: T


PropertiesEnvelope = EntitiesEnvelope
"""Kept for compatibility: every envelope now carries ``properties``."""


AnyDict = dict[str, Any]
