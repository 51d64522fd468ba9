"""Each presence answer has the key set and JSON types of its documented example (bare
``{"result": ...}`` objects with numeric strings); the data is set up over REST."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.integration._helpers import register
from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw

_DEVICE = "android_6b5610ac-4e11-4661-82b3-dee17bc7b2cc"


async def _set(raw: Raw) -> Any:
    await register(raw, "c1")
    return await _body(raw, "POST", "/users/c1/presence/android_123423453246/0", {"ext": "123"})


async def _subscribe(raw: Raw) -> Any:
    await register(raw, "wzy", "c2", "c3")
    for user in ("c2", "c3"):
        for device, status in (("android", "1"), (_DEVICE, "0")):
            await _body(raw, "POST", f"/users/{user}/presence/{device}/{status}", {"ext": "123"})
    return await _body(raw, "POST", "/users/wzy/presence/1000", {"usernames": ["c2", "c3"]})


async def _get_many(raw: Raw) -> Any:
    await register(raw, "wzy", "c2", "c3")
    for user in ("c2", "c3"):
        await _body(raw, "POST", f"/users/{user}/presence/android/0", {"ext": ""})
    return await _body(raw, "POST", "/users/wzy/presence", {"usernames": ["c2", "c3"]})


async def _sublist(raw: Raw) -> Any:
    await register(raw, "wzy", "lxml1", "lxml2")
    await _body(raw, "POST", "/users/wzy/presence/1000", {"usernames": ["lxml1", "lxml2"]})
    return await _body(raw, "GET", "/users/wzy/presence/sublist?pageNum=1&pageSize=100")


async def _unsubscribe(raw: Raw) -> Any:
    await register(raw, "wzy", "c1")
    await _body(raw, "POST", "/users/wzy/presence/1000", {"usernames": ["c1"]})
    return await _body(raw, "DELETE", "/users/wzy/presence", ["c1"])  # a bare array


SCENARIOS: dict[str, Scenario] = {
    "presence.set#0": _set,
    "presence.subscribe#0": _subscribe,
    "presence.get_many#0": _get_many,
    "presence.list_subscriptions#0": _sublist,
    "presence.unsubscribe#0": _unsubscribe,
}

EXAMPLES = documented({"presence"})

test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)


async def test_values_follow_the_docs(raw: Raw) -> None:
    assert await _set(raw) == {"result": "ok"}
    page = (await _sublist(raw))["result"]
    assert page["totalnum"] == "2"
    assert [s["uid"] for s in page["sublist"]] == ["lxml2", "lxml1"]  # as the example
    assert page["sublist"][0]["expiry"].isdigit()
