"""Each response of the user-level endpoints beyond the overview (push notification
settings and language, the paged contact list, global mutes) has the key set and JSON
types of its documented example; the data is set up over REST."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._helpers import register
from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Clock, Raw

_NOTIFICATION = {"type": "NONE", "ignoreInterval": "21:30-08:00", "ignoreDuration": 86400000}


async def _set_notification(raw: Raw) -> Any:
    await register(raw, "hxtest")
    return await _body(raw, "PUT", "/users/hxtest/notification/user/hxtest", _NOTIFICATION)


async def _get_notification(raw: Raw) -> Any:
    await register(raw, "user1")
    setting = {"type": "NONE", "ignoreDuration": 86400000}
    await _body(raw, "PUT", "/users/user1/notification/chatgroup/12312312321", setting)
    return await _body(raw, "GET", "/users/user1/notification/chatgroup/12312312321")


async def _set_language(raw: Raw) -> Any:
    await register(raw, "user1")
    return await _body(
        raw, "PUT", "/users/user1/notification/language", {"translationLanguage": "EU"}
    )


async def _get_language(raw: Raw) -> Any:
    await _set_language(raw)
    return await _body(raw, "GET", "/users/user1/notification/language")


async def _contacts_page(raw: Raw) -> Any:
    await register(raw, "user1", "username")
    await _body(raw, "POST", "/users/user1/contacts/users/username")
    return await _body(raw, "GET", "/user/user1/contacts?limit=10&needReturnRemark=true")


async def _global_mute(raw: Raw) -> Any:
    await register(raw, "user1")
    await _body(raw, "POST", "/mutes", {"username": "user1", "chat": 96, "groupchat": 96})
    return await _body(raw, "GET", "/mutes/user1")


async def _global_mutes(raw: Raw) -> Any:
    await register(raw, "user1", "user2")
    await _body(raw, "POST", "/mutes", {"username": "user1", "chatroom": 100})
    await _body(raw, "POST", "/mutes", {"username": "user2", "groupchat": 69, "chat": -1})
    return await _body(raw, "GET", "/mutes?pageNum=1&pageSize=10")


SCENARIOS: dict[str, Scenario] = {
    "push.set_notification#0": _set_notification,
    "push.get_notification#0": _get_notification,
    "push.set_language#0": _set_language,
    "push.get_language#0": _get_language,
    "contacts.list_paged#0": _contacts_page,
    "global_mutes.get#0": _global_mute,
    "global_mutes.list#0": _global_mutes,
}

EXAMPLES = documented({"user_devices", "push_notifications", "contact_extras", "global_mutes"})
test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)


async def test_notification_values(raw: Raw) -> None:
    before = (await _body(raw, "GET", "/users"))["timestamp"]
    setting = (await _set_notification(raw))["data"]
    assert (setting["type"], setting["ignoreInterval"]) == ("NONE", "21:30-08:00")
    # the duration comes back as the time it ends, as in the example (1647590149924)
    assert setting["ignoreDuration"] >= before + 86400000


async def test_language_and_contact_page_values(raw: Raw) -> None:
    assert (await _get_language(raw))["data"] == {"language": "EU"}
    await register(raw, "username")
    await _body(raw, "POST", "/users/user1/contacts/users/username")
    page = await _body(raw, "GET", "/user/user1/contacts?needReturnRemark=true")
    assert page["data"] == {"contacts": [{"remark": None, "username": "username"}]}


async def test_global_mute_values(raw: Raw, clock: Clock) -> None:
    clock.freeze()  # a second boundary between setting and reading would make 96 read 95
    mute = (await _global_mute(raw))["data"]
    assert (mute["userid"], mute["chat"], mute["groupchat"], mute["chatroom"]) == (
        "user1",
        96,
        96,
        0,
    )
    listed = (await _body(raw, "GET", "/mutes"))["data"]["data"]
    assert listed == [
        {"username": "user1", "chat": listed[0]["chat"]},
        {"username": "user1", "groupchat": listed[1]["groupchat"]},
    ]


async def test_the_paged_list_names_rosters_by_page_in_its_uri(raw: Raw) -> None:
    ours = await _contacts_page(raw)
    assert ours["uri"].endswith("/users/user1/rostersByPage")
    assert ours["count"] == 1
