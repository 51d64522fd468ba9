"""Comparing the emulator's responses with Agora's documented examples, by shape.

Each area's ``test_shapes_*`` module maps example ids (``groups.get#0``) to scenarios:
coroutines that set up the data an example shows and return the emulator's response
body. ``shape`` reduces a body to its keys and JSON types, recursively.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, Any

import pytest

from tests.contract._examples import matched_examples
from tests.integration._helpers import ok as body

if TYPE_CHECKING:
    from tests.integration._helpers import Raw

__all__ = [
    "NOT_SET_BY_REST",
    "Scenario",
    "assert_like",
    "body",
    "documented",
    "shape",
    "shape_tests",
]

Scenario = Callable[["Raw"], Awaitable[Any]]

#: Entity keys the examples show that no REST call sets (push certificate name).
NOT_SET_BY_REST = {"notifier_name"}


def shape(value: Any) -> Any:
    """Keys and JSON types, recursively; a list is represented by its first item."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items() if k not in NOT_SET_BY_REST}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def assert_like(ours: Any, example: Any) -> None:
    """``ours`` has the example's shape, and its top-level keys in the example's order."""
    assert shape(ours) == shape(example)
    assert list(ours) == list(example)


def documented(areas: Iterable[str]) -> dict[str, Any]:
    """The documented example bodies of the typed rows of ``areas``, by example id."""
    wanted = set(areas)
    return {e.id: e.body for e in matched_examples() if e.endpoint.area in wanted}


def shape_tests(
    examples: dict[str, Any], scenarios: dict[str, Scenario]
) -> tuple[Callable[[], None], Callable[..., Awaitable[None]]]:
    """The two tests of a ``test_shapes_*`` module, to bind to its test names: every
    documented example has a scenario, and each scenario answers its example's shape."""

    def every_example_has_a_scenario() -> None:
        assert set(examples) == set(scenarios)

    @pytest.mark.parametrize("example_id", sorted(scenarios))
    async def shape_matches_the_docs(raw: Raw, example_id: str) -> None:
        assert_like(await scenarios[example_id](raw), examples[example_id])

    return every_example_has_a_scenario, shape_matches_the_docs
