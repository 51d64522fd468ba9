"""Agora's documented response examples, matched to the endpoints of the table.

An example is keyed by the method and path of its doc section; placeholder names vary
(``{userName}``, ``${time}``), so paths are compared with placeholders normalised. Where
several rows share a method and path (register / register_many, the push settings),
the doc section names the row. Each later API area adds its hints and exclusions here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agora_chat_async._spec import BY_NAME, ENDPOINTS, Endpoint
from tests._spec_files import doc_examples, lenient_json, normalise_path

#: Doc sections that pick one row among several sharing a method and path.
SECTION_HINTS = {
    "Registering a user": "users.register",
    "Registering multiple users": "users.register_many",
    "Set the display name in push notifications": "push.set_nickname",
    "Set the display style in push notifications": "push.set_display_style",
    "Modifying group information": "groups.update",
    "Transferring group ownership": "groups.transfer_owner",
    "Removing a chat group member": "groups.members.remove",
    "Removing multiple group members": "groups.members.remove_many",
    "Removing a user from the chat group blocklist": "groups.blocklist.remove",
    "Removing multiple users from the chat group blocklist": "groups.blocklist.remove_many",
    'Removing the specified <Vg k="CHAT_ROOM_LOWER"/> member': "chatrooms.members.remove",
    'Removing multiple <Vg k="CHAT_ROOM_LOWER"/> members': "chatrooms.members.remove_many",
    'Modifying <Vg k="CHAT_ROOM"/> information': "chatrooms.update",
}

#: Examples filed under another row's request line, given to the row they document.
REKEYED = {
    # its uri and section: PUT /users/{username}/notification/{chattype}/{key}
    ("PUT", "/users/{username}", "Set up push notifications"): "push.set_notification",
    # its section and request line: GET .../notification/language (the body says "put")
    (
        "PUT",
        "/users/{username}/notification/language",
        "Retrieve the preferred language of push notifications",
    ): "push.get_language",
    # the push template sections (see their uri), filed under the language request line
    **{
        ("PUT", "/users/{username}/notification/language", f"{verb} a push template"): name
        for verb, name in (
            ("Create", "push_templates.create"),
            ("Retrieve", "push_templates.get"),
            ("Delete", "push_templates.delete"),
        )
    },
    # its request line and query: GET /reaction/user/{userId}/detail
    (
        "DELETE",
        "/reaction/user/{userId}",
        "Retrieve the detailed information of the reaction",
    ): "reactions.list_users",
}

#: Examples filed under the wrong request line in the docs.
MISKEYED = {
    (
        "GET",
        "/users/{username}/joined_chatrooms",
        'Retrieving detailed information of the specified <Vg k="CHAT_ROOM"/>s',
    ): "documents GET /chatrooms/{chatroom_ids} (see its request line and uri)",
    (
        "DELETE",
        "/chatrooms/super_admin/{superAdmin}",
        'Retrieving super admins of specified <Vg k="CHAT_ROOM_LOWER"/>s with pagination',
    ): "documents GET /chatrooms/super_admin (its section has no request line of its own)",
    ("POST", "/push/task", "Configure push notifications"): (
        "the pushMessage field reference (a request body, not an answer), filed under the "
        "last request line before it"
    ),
}

#: Sections whose first example is the response and whose later ones show something
#: else (records of a downloaded file); tests/integration/test_shapes_message_admin.py
#: compares those with the emulator's files.
FILE_CONTENTS = {
    ("GET", "/chatmessages/${time}", "Retrieve historical messages"): (
        "the later examples are records of the gzip file the returned url points at"
    ),
}

_ROOM_LISTS = (
    "Agora's chat room block/allow list pages show no responses; Easemob's show the "
    "group shapes with chatroomid for groupid (unit tests decode those)"
)
_ROOM_EXTRAS = "Agora shows no response; Easemob's chatroom pages give the shape the unit tests use"

_DEVICES = "Agora's pages do not show it; Easemob's account page gives the data the unit tests use"
_CONTACT_EXTRAS = (
    "Agora's contact page shows no response; Easemob's user-relationship page gives the "
    "shape the unit tests use"
)

_CALLBACK_STORAGE = (
    "documented on the webhook setup page, not among the REST pages' stored examples; "
    "tests/contract/test_callback_storage_docs.py decodes its examples"
)

#: Typed rows without a documented example, and what stands in for one.
NO_EXAMPLE = {
    "chatrooms.get": "its example is MISKEYED under joined_chatrooms; the unit tests decode it",
    "chatrooms.get_announcement": _ROOM_EXTRAS,
    "chatrooms.set_announcement": _ROOM_EXTRAS,
    "chatrooms.mutes.mute_all": _ROOM_EXTRAS,
    "chatrooms.mutes.unmute_all": _ROOM_EXTRAS,
    "chatrooms.blocklist.list": _ROOM_LISTS,
    "chatrooms.blocklist.add": _ROOM_LISTS,
    "chatrooms.blocklist.add_many": _ROOM_LISTS,
    "chatrooms.blocklist.remove": _ROOM_LISTS,
    "chatrooms.blocklist.remove_many": _ROOM_LISTS,
    "chatrooms.allowlist.list": _ROOM_LISTS,
    "chatrooms.allowlist.add": _ROOM_LISTS,
    "chatrooms.allowlist.add_many": _ROOM_LISTS,
    "chatrooms.allowlist.remove": _ROOM_LISTS,
    "chatrooms.transfer_owner": (
        "documented only by Easemob (data {newowner: true}, as for groups); the unit "
        "tests decode that shape"
    ),
    "chatrooms.super_admins.list": (
        "its example is MISKEYED under DELETE /chatrooms/super_admin/{superAdmin}; the "
        "unit and shape tests use it"
    ),
    "global_mutes.set": (
        "Agora's example (under a misspelt 'Reponse example' heading) is not among the "
        "stored examples; the unit tests decode its body"
    ),
    "messages.send_to_group_members": (
        "Agora does not document it; Easemob's group-message page gives data {group id: "
        "message id}, as for messages.send; the unit tests decode that shape"
    ),
    "users.list_devices": _DEVICES,
    "users.disconnect_device": _DEVICES,
    "contacts.set_remark": _CONTACT_EXTRAS,
    "contacts.add_many": _CONTACT_EXTRAS,
    "push.set_no_disturb": (
        "documented only in Easemob's 2022 push page, without an example; it answers "
        "with the updated user entity like the other PUT /users/{username} settings"
    ),
    "callbacks.get_storage": _CALLBACK_STORAGE,
    "callbacks.retry_storage": _CALLBACK_STORAGE,
    "groups.files.download": (
        "answers the raw file bytes (Easemob); Agora's example repeats the upload's JSON"
    ),
}


@dataclass(frozen=True)
class Example:
    endpoint: Endpoint
    section: str
    ordinal: int
    """Position among the examples of the same row (page 1, page 2, ...)."""
    body: Any

    @property
    def id(self) -> str:
        return f"{self.endpoint.name}#{self.ordinal}"


def _by_template(method: str, path: str) -> list[Endpoint]:
    """Rows whose path template fits a literal example path (``/messages/users`` for
    ``/messages/{target_type}``); used only when no row has the example's exact path."""
    found = []
    for endpoint in ENDPOINTS:
        for m, template in ((endpoint.method, endpoint.path), *endpoint.legacy):
            pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template))
            if m == method and re.fullmatch(pattern, path):
                found.append(endpoint)
    return found


def _index() -> dict[tuple[str, str], list[Endpoint]]:
    index: dict[tuple[str, str], list[Endpoint]] = {}
    for endpoint in ENDPOINTS:
        for method, path in ((endpoint.method, endpoint.path), *endpoint.legacy):
            index.setdefault((method, normalise_path(path)), []).append(endpoint)
    return index


def matched_examples(*, typed_only: bool = True) -> list[Example]:
    """Every documented example that belongs to a row of the table."""
    index = _index()
    out: list[Example] = []
    seen: dict[str, int] = {}
    sections: set[tuple[str, str, str]] = set()
    for raw in doc_examples():
        section = (raw["method"], raw["path"], raw["section"])
        skip = section in MISKEYED
        if skip or (section in FILE_CONTENTS and section in sections):
            continue
        sections.add(section)
        rekeyed = REKEYED.get(section)
        if rekeyed is not None:
            candidates = [BY_NAME[rekeyed]]
        else:
            candidates = index.get((raw["method"], normalise_path(raw["path"])), [])
        if not candidates:
            candidates = _by_template(raw["method"], raw["path"])
        if typed_only:
            candidates = [e for e in candidates if e.typed]
        if len(candidates) > 1:
            hinted = SECTION_HINTS.get(raw["section"])
            if hinted is None:
                names = [e.name for e in candidates]
                raise AssertionError(f"{raw['section']!r} fits {names}: add a SECTION_HINT")
            candidates = [BY_NAME[hinted]]
        for endpoint in candidates:
            ordinal = seen[endpoint.name] = seen.get(endpoint.name, -1) + 1
            out.append(Example(endpoint, raw["section"], ordinal, lenient_json(raw["body"])))
    return out
