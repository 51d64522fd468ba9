"""Push templates on the wire: create, get and delete, each answering the template."""

from __future__ import annotations

import pytest

from agora_chat_async import NotFoundError
from agora_chat_async.models.push_templates import PushTemplate

TEMPLATE = {
    "name": "test7",
    "createAt": 1646989584124,
    "updateAt": 1646989584125,
    "title_pattern": "Hello,{0}",
    "content_pattern": "Test,{0}",
}


def _answer(action: str) -> dict[str, object]:
    return {"uri": "https://x/o/a/notification/template", "action": action, "data": TEMPLATE}


def _check(template: PushTemplate) -> None:
    assert isinstance(template, PushTemplate)
    assert (template.name, template.title_pattern, template.content_pattern) == (
        "test7",
        "Hello,{0}",
        "Test,{0}",
    )
    assert (template.created_at, template.updated_at) == (1646989584124, 1646989584125)


async def test_create_posts_the_name_and_patterns(client, mock, wire) -> None:
    mock.post(wire.url("/notification/template"), payload=_answer("post"))

    template = await client.push_templates.create(
        "test7", title_pattern="Hello,{0}", content_pattern="Test,{0}"
    )

    wire.only(
        "POST",
        "/notification/template",
        body={"name": "test7", "title_pattern": "Hello,{0}", "content_pattern": "Test,{0}"},
    )
    _check(template)


async def test_get_and_delete_name_the_template_in_the_path(client, mock, wire) -> None:
    mock.get(wire.url("/notification/template/test7"), payload=_answer("get"))
    _check(await client.push_templates.get("test7"))
    wire.only("GET", "/notification/template/test7")

    mock.delete(wire.url("/notification/template/a%20b"), payload=_answer("delete"))
    _check(await client.push_templates.delete("a b"))
    assert ("DELETE", wire.url("/notification/template/a%20b")) in wire.sent()


async def test_a_missing_template_is_not_found(client, mock, wire) -> None:
    body = {
        "error": "service_resource_not_found",
        "error_description": "Service resource not found",
    }
    mock.get(wire.url("/notification/template/gone"), status=404, payload=body)
    with pytest.raises(NotFoundError) as caught:
        await client.push_templates.get("gone")
    assert caught.value.error == "service_resource_not_found"


@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.push_templates.create("", title_pattern="t", content_pattern="c"),
        lambda c: c.push_templates.create("n", title_pattern="", content_pattern="c"),
        lambda c: c.push_templates.create("n", title_pattern="t", content_pattern=None),
        lambda c: c.push_templates.get(""),
        lambda c: c.push_templates.delete(".."),
    ],
)
async def test_bad_arguments_send_nothing(client, wire, call) -> None:
    with pytest.raises(ValueError, match="expected a non-empty"):
        await call(client)
    assert wire.sent() == {}
