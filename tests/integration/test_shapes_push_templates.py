"""Each push template answer has the key set and JSON types of its documented example
(Agora files the three under the language endpoint's request line; they are rekeyed
in tests/contract/_examples.py); the data is set up over REST."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw

_TEMPLATE = {"name": "test7", "title_pattern": "Hello,{0}", "content_pattern": "Test,{0}"}


async def _create(raw: Raw) -> Any:
    return await _body(raw, "POST", "/notification/template", _TEMPLATE)


async def _get(raw: Raw) -> Any:
    await _create(raw)
    return await _body(raw, "GET", "/notification/template/test7")


async def _delete(raw: Raw) -> Any:
    await _create(raw)
    return await _body(raw, "DELETE", "/notification/template/test7")


SCENARIOS: dict[str, Scenario] = {
    "push_templates.create#0": _create,
    "push_templates.get#0": _get,
    "push_templates.delete#0": _delete,
}

EXAMPLES = documented({"push_templates"})

test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)


async def test_values_follow_the_docs(raw: Raw) -> None:
    made = await _create(raw)
    assert made["action"] == "post"
    data = made["data"]
    assert {k: data[k] for k in _TEMPLATE} == _TEMPLATE
    assert data["createAt"] == data["updateAt"]
    assert list(data) == list(EXAMPLES["push_templates.create#0"]["data"])
