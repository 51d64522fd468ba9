"""Bodies the unit tests mock responses with: Agora's error body and the decoded values
of documented examples."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from tests.contract._examples import matched_examples
from tests.contract.test_models_vs_docs import decode

if TYPE_CHECKING:
    from tests.contract._examples import Example

__all__ = ["documented", "error_body"]


def error_body(error: str, description: str, exception: str = "EasemobException") -> dict[str, Any]:
    """An error body as Agora sends it."""
    return {
        "error": error,
        "exception": exception,
        "timestamp": 1644402553845,
        "duration": 0,
        "error_description": description,
    }


@cache
def _examples() -> dict[str, Example]:
    return {e.id: e for e in matched_examples()}


def documented(example_id: str) -> Any:
    """What the client returns for a documented example (``groups.get#0``)."""
    return decode(_examples()[example_id])
