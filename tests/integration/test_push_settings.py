"""Push settings (``PUT /users/{username}``) through the client, and raw edge cases."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from agora_chat_async import NotFoundError
from tests.integration._helpers import agora_error

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient
    from agora_chat_async.emulator import EmulatorServer
    from tests.integration._helpers import Raw


async def test_push_settings_flow(client: AgoraChatClient, emulator: EmulatorServer) -> None:
    created = await client.users.register("pia")
    user = await client.push.set_nickname("pia", nickname="Pia P.")
    assert (user.username, user.nickname, user.uuid) == ("pia", "Pia P.", created.uuid)
    assert user.notification_display_style is None

    user = await client.push.set_display_style("pia", style=1)
    assert (user.nickname, user.notification_display_style) == ("Pia P.", 1)

    user = await client.push.set_no_disturb("pia", enabled=True, start=22, end=7)
    assert (
        user.notification_no_disturbing,
        user.notification_no_disturbing_start,
        user.notification_no_disturbing_end,
    ) == (True, 22, 7)

    user = await client.push.set_no_disturb("pia", enabled=False)
    assert (
        user.notification_no_disturbing,
        user.notification_no_disturbing_start,
        user.notification_no_disturbing_end,
    ) == (False, 22, 7)

    again = await client.users.get("pia")
    assert again == user
    assert again.modified is not None
    assert created.created is not None
    assert again.modified >= created.created
    assert [r.endpoint for r in emulator.requests[1:5]] == [
        "push.set_nickname",
        "push.set_display_style",
        "push.set_no_disturb",
        "push.set_no_disturb",
    ]


@pytest.mark.parametrize(
    ("method", "kwargs"),
    [
        ("set_nickname", {"nickname": "x"}),
        ("set_display_style", {"style": 0}),
        ("set_no_disturb", {"enabled": True}),
    ],
)
async def test_missing_user(client: AgoraChatClient, method: str, kwargs: dict[str, Any]) -> None:
    with pytest.raises(NotFoundError) as caught:
        await getattr(client.push, method)("ghost", **kwargs)
    assert (caught.value.error, caught.value.description) == (
        "service_resource_not_found",
        "Service resource not found",
    )


async def test_documented_string_forms_are_accepted(raw: Raw) -> None:
    await raw("POST", "/users", json={"username": "sam"})
    body = {
        "notification_display_style": "1",
        "notification_no_disturbing": True,
        "notification_no_disturbing_start": "1",
        "notification_no_disturbing_end": "24",
        "nickname": "Sam",
    }
    response = await raw("PUT", "/users/sam", json=body)
    assert response.status == 200
    entity = response.body["entities"][0]
    assert {k: entity[k] for k in body} == {
        "notification_display_style": 1,
        "notification_no_disturbing": True,
        "notification_no_disturbing_start": 1,
        "notification_no_disturbing_end": 24,
        "nickname": "Sam",
    }
    assert response.body["action"] == "put"


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ({"nickname": "n" * 101}, "NICKNAME_TOO_LONG"),
        ({"nickname": 5}, "nickname must be a string"),
        ({"notification_display_style": 2}, "notification_display_style must be 0 or 1, got 2"),
        (
            {"notification_display_style": True},
            "notification_display_style must be 0 or 1, got True",
        ),
        (
            {"notification_no_disturbing": "yes"},
            "notification_no_disturbing must be true or false, got 'yes'",
        ),
        (
            {"notification_no_disturbing_start": "25"},
            "notification_no_disturbing_start must be an hour from 0 to 24, got 25",
        ),
        (
            {"notification_no_disturbing_end": -1},
            "notification_no_disturbing_end must be an hour from 0 to 24, got -1",
        ),
        ({"avatar": "x.png"}, "property avatar can not be updated here"),
        (
            {},
            "request body must set at least one of: nickname, notification_display_style, "
            "notification_no_disturbing, notification_no_disturbing_start, "
            "notification_no_disturbing_end",
        ),
    ],
)
async def test_refusals_change_nothing(raw: Raw, body: object, description: str) -> None:
    await raw("POST", "/users", json={"username": "ria", "nickname": "Ria"})
    agora_error(await raw("PUT", "/users/ria", json=body), 400, "illegal_argument", description)
    entity = (await raw("GET", "/users/ria")).body["entities"][0]
    assert entity["nickname"] == "Ria"
    assert entity["modified"] == entity["created"]


async def test_one_bad_field_refuses_the_whole_update(raw: Raw) -> None:
    await raw("POST", "/users", json={"username": "tom"})
    body = {"nickname": "Tom", "notification_display_style": 7}
    response = await raw("PUT", "/users/tom", json=body)
    assert response.status == 400
    entity = (await raw("GET", "/users/tom")).body["entities"][0]
    assert "nickname" not in entity
