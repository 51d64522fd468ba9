"""The emulator's routes come from the endpoint table: coverage, precedence, 404/405."""

from __future__ import annotations

from typing import TYPE_CHECKING

from agora_chat_async import ENDPOINTS
from agora_chat_async.emulator._app import mounted_routes
from agora_chat_async.emulator._registry import HANDLERS
from tests.integration._helpers import agora_error

if TYPE_CHECKING:
    from agora_chat_async.emulator import EmulatorServer
    from tests.integration._helpers import Raw


def test_every_typed_row_has_a_handler() -> None:
    rows = [e for e in ENDPOINTS if e.typed]
    missing = [e.name for e in rows if (e.method, e.path) not in HANDLERS]
    assert missing == []


def test_handlers_exist_only_for_table_paths_or_their_legacy_forms() -> None:
    known: set[tuple[str, str]] = {(e.method, e.path) for e in ENDPOINTS}
    known |= {form for e in ENDPOINTS for form in e.legacy}
    assert set(HANDLERS) <= known


def test_rows_sharing_a_path_are_told_apart_by_the_handlers_classifier() -> None:
    mounted = mounted_routes()
    for (method, path), bound in mounted.items():
        assert bound.template == path
        if len(bound.endpoints) > 1:
            assert bound.route.classify is not None, (method, path)
    assert mounted[("POST", "/users")].endpoints == ("users.register", "users.register_many")
    assert mounted[("PUT", "/users/{username}")].endpoints == (
        "push.set_nickname",
        "push.set_display_style",
        "push.set_no_disturb",
    )
    legacy = mounted[("POST", "/users/{username}/disconnect")]
    assert legacy.endpoints == ("users.disconnect",)
    assert legacy.route is HANDLERS[("GET", "/users/{username}/disconnect")]


def test_only_rows_with_handlers_are_mounted(emulator: EmulatorServer) -> None:
    paths = {
        (route.method, route.resource.canonical)
        for route in emulator.app.router.routes()
        if route.resource is not None
    }
    prefix = "/demo/demo"
    for endpoint in ENDPOINTS:
        mounted = (endpoint.method, prefix + endpoint.path) in paths
        assert mounted == ((endpoint.method, endpoint.path) in HANDLERS), endpoint.name
    assert ("POST", prefix + "/users/{username}/disconnect") in paths
    assert ("POST", prefix + "/token") in paths


async def test_literal_segments_win_over_placeholders(raw: Raw) -> None:
    await raw("POST", "/users", json={"username": "batch"})
    response = await raw("POST", "/users/batch/status", json={"usernames": ["batch", "zed"]})
    assert response.status == 200
    assert response.body["data"] == [{"batch": "offline"}, {"zed": "offline"}]
    # GET on the literal path is the user "batch"'s status, the only GET route there.
    response = await raw("GET", "/users/batch/status")
    assert response.body["data"] == {"batch": "offline"}


async def test_unmounted_route_is_an_agora_shaped_404(raw: Raw) -> None:
    response = await raw("GET", "/no-such-collection")
    agora_error(
        response,
        404,
        "web_application",
        "HTTP 404 Not Found: no resource for GET /demo/demo/no-such-collection",
    )


async def test_wrong_method_is_an_agora_shaped_405(raw: Raw) -> None:
    response = await raw("PATCH", "/users")
    agora_error(
        response,
        405,
        "web_application",
        "HTTP 405 Method Not Allowed: PATCH /demo/demo/users (allowed: DELETE,GET,POST)",
    )
    assert response.headers["Allow"] == "DELETE,GET,POST"


async def test_unknown_org_or_app(raw: Raw) -> None:
    response = await raw("GET", "/acme/shop/users", absolute=True)
    agora_error(
        response,
        404,
        "organization_application_not_found",
        "Could not find application for acme/shop from URI: acme/shop/users",
    )


async def test_request_log_names_the_row_each_request_was_for(
    emulator: EmulatorServer, raw: Raw
) -> None:
    await raw("POST", "/users", json={"username": "al"})
    await raw("POST", "/users", json=[{"username": "bo"}])
    await raw("PUT", "/users/al", json={"nickname": "Al"})
    await raw("PUT", "/users/al", json={"notification_display_style": 1})
    await raw("PUT", "/users/al", json={"notification_no_disturbing": False})
    await raw("POST", "/users/al/disconnect")
    await raw("GET", "/users?limit=1")
    await raw("GET", "/nowhere")
    assert [(r.method, r.endpoint, r.status) for r in emulator.requests] == [
        ("POST", "users.register", 200),
        ("POST", "users.register_many", 200),
        ("PUT", "push.set_nickname", 200),
        ("PUT", "push.set_display_style", 200),
        ("PUT", "push.set_no_disturb", 200),
        ("POST", "users.disconnect", 200),
        ("GET", "users.list", 200),
        ("GET", None, 404),
    ]
    assert emulator.requests[6].query == {"limit": ["1"]}
