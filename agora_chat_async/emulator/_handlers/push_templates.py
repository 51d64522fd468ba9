"""Push templates (``push_templates.*`` rows): named title and content patterns.

Agora's offline-push page documents the three calls and their answers, not their
errors. Choices: name and both patterns must be non-empty strings (400
``illegal_argument``); creating a template whose name exists replaces its patterns,
keeping ``createAt`` and moving ``updateAt`` (the only way the documented fields can
differ); a missing template is 404 ``service_resource_not_found``, as other missing
path resources. Templates are per app and survive user deletion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .._errors import illegal_argument, not_found
from .._registry import handler

if TYPE_CHECKING:
    from .._call import Call

__all__: list[str] = []

#: The key order of the documented examples.
_ENVELOPE = (
    "uri",
    "timestamp",
    "organization",
    "application",
    "action",
    "data",
    "duration",
    "applicationName",
)
_FIELDS = ("name", "title_pattern", "content_pattern")


@handler("POST", "/notification/template")
async def create_template(call: Call) -> dict[str, Any]:
    body = call.body
    if not isinstance(body, dict):
        raise illegal_argument("request body must be a JSON object")
    for field in _FIELDS:
        value = body.get(field)
        if not isinstance(value, str) or not value:
            raise illegal_argument(f"{field} must be provided")
    name = body["name"]
    now = call.state.now_ms()
    old = call.state.push_templates.get(name)
    template = {
        "name": name,
        "createAt": now if old is None else old["createAt"],
        "updateAt": now,
        "title_pattern": body["title_pattern"],
        "content_pattern": body["content_pattern"],
    }
    call.state.push_templates[name] = template
    return call.envelope(_ENVELOPE, action="post", data=dict(template))


@handler("GET", "/notification/template/{name}")
async def get_template(call: Call) -> dict[str, Any]:
    template = call.state.push_templates.get(call.param("name"))
    if template is None:
        raise not_found()
    return call.envelope(_ENVELOPE, action="get", data=dict(template))


@handler("DELETE", "/notification/template/{name}")
async def delete_template(call: Call) -> dict[str, Any]:
    template = call.state.push_templates.pop(call.param("name"), None)
    if template is None:
        raise not_found()
    return call.envelope(_ENVELOPE, action="delete", data=template)
