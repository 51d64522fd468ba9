"""JSON in and out with msgspec: one shared encoder and one cached typed decoder per type."""

from __future__ import annotations

from typing import Any

import msgspec

__all__ = ["decoder_for", "encode"]

_encoder = msgspec.json.Encoder()
_decoders: dict[Any, msgspec.json.Decoder[Any]] = {}

encode = _encoder.encode


def decoder_for(tp: Any) -> msgspec.json.Decoder[Any]:
    """The decoder for ``tp``, built on first use and reused ever after."""
    decoder = _decoders.get(tp)
    if decoder is None:
        decoder = _decoders[tp] = msgspec.json.Decoder(tp)
    return decoder
