"""Push templates against the emulator: create, read, replace and delete."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import pytest

from agora_chat_async import NotFoundError
from tests.integration._helpers import agora_error, ok, register

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Clock, Raw


async def test_create_get_delete(client: AgoraChatClient) -> None:
    before = int(time.time() * 1000)
    made = await client.push_templates.create(
        "test7", title_pattern="Hello,{0}", content_pattern="Test,{0}"
    )
    assert (made.name, made.title_pattern, made.content_pattern) == (
        "test7",
        "Hello,{0}",
        "Test,{0}",
    )
    assert made.created_at is not None
    assert before <= made.created_at <= time.time() * 1000
    assert made.created_at == made.updated_at

    assert await client.push_templates.get("test7") == made
    assert await client.push_templates.delete("test7") == made
    with pytest.raises(NotFoundError) as caught:
        await client.push_templates.get("test7")
    assert (caught.value.error, caught.value.description) == (
        "service_resource_not_found",
        "Service resource not found",
    )
    with pytest.raises(NotFoundError):
        await client.push_templates.delete("test7")


async def test_creating_again_replaces_the_patterns(client: AgoraChatClient, clock: Clock) -> None:
    first = await client.push_templates.create("t", title_pattern="A{0}", content_pattern="B{0}")
    clock.offset = 5  # seconds later
    again = await client.push_templates.create("t", title_pattern="C{0}", content_pattern="D{1}")
    assert (again.title_pattern, again.content_pattern) == ("C{0}", "D{1}")
    assert again.created_at == first.created_at
    assert again.updated_at is not None
    assert first.updated_at is not None
    assert again.updated_at - first.updated_at >= 5000
    assert await client.push_templates.get("t") == again


async def test_names_are_exact_and_any_characters(client: AgoraChatClient) -> None:
    await client.push_templates.create("Promo 1/2", title_pattern="x", content_pattern="y")
    assert (await client.push_templates.get("Promo 1/2")).name == "Promo 1/2"
    with pytest.raises(NotFoundError):
        await client.push_templates.get("promo 1/2")


async def test_templates_survive_deleting_users(client: AgoraChatClient, raw: Raw) -> None:
    await register(raw, "alice")
    await client.push_templates.create("keep", title_pattern="x", content_pattern="y")
    await client.users.delete("alice")
    assert (await client.push_templates.get("keep")).name == "keep"


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({"title_pattern": "t", "content_pattern": "c"}, "name must be provided"),
        ({"name": "n", "content_pattern": "c"}, "title_pattern must be provided"),
        (
            {"name": "n", "title_pattern": "t", "content_pattern": ""},
            "content_pattern must be provided",
        ),
        (["n"], "request body must be a JSON object"),
    ],
)
async def test_refusals(raw: Raw, body: object, description: str) -> None:
    response = await raw("POST", "/notification/template", json=body)
    agora_error(response, 400, "illegal_argument", description)
    assert (await raw("GET", "/notification/template/n")).status == 404


async def test_envelope_keys(raw: Raw) -> None:
    body = {"name": "n", "title_pattern": "t", "content_pattern": "c"}
    made = await ok(raw, "POST", "/notification/template", body)
    assert made["uri"].endswith("/notification/template")
    assert (made["action"], made["data"]["name"]) == ("post", "n")
