"""Each response of the group rows beyond the overview table (announcement, ban,
membership check, shared files, member attributes) has the key set and JSON types of
its documented example, top-level keys in the example's order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import aiohttp

from tests.integration._shapes import Scenario, body as _body, documented, shape_tests

if TYPE_CHECKING:
    from tests.integration._helpers import Raw


async def _group(raw: Raw) -> str:
    """A group of owner, test1 and test2."""
    await _body(raw, "POST", "/users", [{"username": n} for n in ("owner", "test1", "test2")])
    created = await _body(
        raw, "POST", "/chatgroups", {"owner": "owner", "members": ["test1", "test2"]}
    )
    gid: str = created["data"]["groupid"]
    return gid


async def _upload(raw: Raw, gid: str, name: str) -> Any:
    form = aiohttp.FormData()
    form.add_field("file", b"\xff\xd8 jpeg bytes", filename=name, content_type="image/jpeg")
    headers = {"Authorization": f"Bearer {raw.token}", "Accept": "application/json"}
    url = raw.url(f"/chatgroups/{gid}/share_files")
    async with raw.session.post(url, data=form, headers=headers) as response:
        assert response.status == 200
        return await response.json()


def _on(
    method: str, sub: str, json: Any = None, *, files: int = 0, attrs: bool = False
) -> Scenario:
    """A group (with ``files`` shared files and attributes on test1 and test2 if
    ``attrs``), then one request under ``/chatgroups/{id}`` or ``/metadata/...``."""

    async def scenario(raw: Raw) -> Any:
        gid = await _group(raw)
        uploaded = [await _upload(raw, gid, f"{i}.jpg") for i in range(files)]
        if attrs:
            for name in ("test1", "test2"):
                path = f"/metadata/chatgroup/{gid}/user/{name}"
                await _body(raw, "PUT", path, {"metaData": {"key1": "value1"}})
        path = sub.format(gid=gid, file_id=uploaded[0]["data"]["file_id"] if files else "")
        return await _body(raw, method, path, json)

    return scenario


async def _upload_scenario(raw: Raw) -> Any:
    return await _upload(raw, await _group(raw), "img_3.jpg")


G = "/chatgroups/{gid}"
M = "/metadata/chatgroup/{gid}"

SCENARIOS: dict[str, Scenario] = {
    "groups.get_announcement#0": _on("GET", G + "/announcement"),
    "groups.set_announcement#0": _on("POST", G + "/announcement", {"announcement": "hi"}),
    "groups.disable#0": _on("POST", G + "/disable"),
    "groups.enable#0": _on("POST", G + "/enable"),
    "groups.is_member#0": _on("GET", G + "/user/nobody/is_joined"),  # the example: false
    "groups.files.list#0": _on("GET", G + "/share_files?pagenum=1&pagesize=10", files=2),
    "groups.files.upload#0": _upload_scenario,
    "groups.files.delete#0": _on("DELETE", G + "/share_files/{file_id}", files=1),
    "groups.member_attributes.set#0": _on(
        "PUT", M + "/user/test2", {"metaData": {"key1": "value1"}}
    ),
    "groups.member_attributes.get#0": _on("GET", M + "/user/test2", attrs=True),
    "groups.member_attributes.get_many#0": _on(
        "POST", M + "/get", {"targets": ["test1", "test2"], "properties": ["key1"]}, attrs=True
    ),
}

EXAMPLES = documented({"group_extras", "group_files", "group_member_attributes"})
test_every_documented_example_has_a_scenario, test_response_shape_matches_the_docs = shape_tests(
    EXAMPLES, SCENARIOS
)
