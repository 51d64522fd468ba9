"""Path building, property-tested through the public resource methods.

Whatever id a caller passes, either the client refuses it before sending (``ValueError``
or ``TypeError``, nothing on the wire), or the request goes to exactly the endpoint's
path: the same number of segments as its template, the literal segments unchanged, and
each placeholder segment decoding back to the value given (a ``/``, ``?``, ``#`` or
``%`` inside an id is escaped; ``.`` and ``..`` never travel as bare segments, where a
proxy would resolve them).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from hypothesis import example, given, strategies as st

from agora_chat_async import AgoraChatError
from tests.property._recording import BASE, RecordingTransport, run

if TYPE_CHECKING:
    from agora_chat_async import AgoraChatClient

SPECIAL = [
    "",
    ".",
    "..",
    "/",
    "a/b",
    "../users",
    "%2F",
    "%2e%2e",
    "a,b",
    ",",
    " ",
    "a b",
    "\x00",
    "\n",
    "?x=1",
    "#frag",
    "ü",
    "名字",
    "😀",
    "x" * 5000,
    "a" * 64,
    "a" * 65,
]
ids = st.one_of(
    st.sampled_from(SPECIAL), st.text(max_size=80), st.text(alphabet="./%,?#", max_size=6)
)
id_lists = st.lists(ids, max_size=4)

#: Method -> (template relative to the app, a call taking the drawn value).
Call = Callable[["AgoraChatClient", Any], Any]
SINGLE: dict[str, tuple[str, Call]] = {
    "users.get": ("/users/{}", lambda c, v: c.users.get(v)),
    "users.delete": ("/users/{}", lambda c, v: c.users.delete(v)),
    "files.download": ("/chatfiles/{}", lambda c, v: c.files.download(v)),
    "users.disconnect_device": (
        "/users/bob/disconnect/{}",
        lambda c, v: c.users.disconnect_device("bob", v),
    ),
    "chatrooms.members.remove": (
        "/chatrooms/{}/users/bob",
        lambda c, v: c.chatrooms.members.remove(v, "bob"),
    ),
    "groups.files.download": (
        "/chatgroups/123/share_files/{}",
        lambda c, v: c.groups.files.download("123", v),
    ),
    "messages.rewrite": (
        "/messages/rewrite/{}",
        lambda c, v: c.messages.rewrite(v, new_msg={"type": "txt", "msg": "x"}),
    ),
}
LISTS: dict[str, tuple[str, Call]] = {
    "groups.get": ("/chatgroups/{}", lambda c, v: c.groups.get(v)),
    "chatrooms.get": ("/chatrooms/{}", lambda c, v: c.chatrooms.get(v)),
}


def check_sent(transport: RecordingTransport, outcome: Any, template: str, value: str) -> None:
    """Refused before sending, or sent to exactly ``template`` with ``value`` in place."""
    if isinstance(outcome, (ValueError, TypeError)) and not isinstance(outcome, AgoraChatError):
        assert transport.sent == []
        return
    assert len(transport.sent) == 1, outcome
    url = transport.sent[0].url
    assert url.startswith(BASE + "/")
    path = urlsplit(url).path.removeprefix(urlsplit(BASE).path)
    want = template.split("/")
    got = path.split("/")
    assert len(got) == len(want), (url, value)
    for segment, expected in zip(got, want, strict=True):
        if expected == "{}":
            assert segment not in ("", ".", "..")
            assert unquote(segment) == value, (segment, value)
        else:
            assert segment == expected


@given(name=st.sampled_from(sorted(SINGLE)), value=ids)
@example(name="files.download", value="../../etc/passwd")
@example(name="chatrooms.members.remove", value="a/b")
def test_one_id(name: str, value: str) -> None:
    template, call = SINGLE[name]
    transport = RecordingTransport(body=b'{"data": {}}')
    outcome = run(lambda client: call(client, value), transport)
    check_sent(transport, outcome, template, value)


@given(name=st.sampled_from(sorted(LISTS)), values=id_lists)
@example(name="groups.get", values=["1", "2,3"])
@example(name="chatrooms.get", values=["..", "x"])
def test_id_lists(name: str, values: list[str]) -> None:
    """Lists travel comma-joined: an id holding a comma would split in two, so it is
    refused, as are empty lists and ids the single-id rules refuse."""
    template, call = LISTS[name]
    transport = RecordingTransport(body=b'{"data": []}')
    outcome = run(lambda client: call(client, values), transport)
    check_sent(transport, outcome, template, ",".join(values))
    if transport.sent:
        assert values
        assert all(v and "," not in v for v in values)


@given(values=id_lists)
@example(values=["a,b"])
@example(values=["..", "bob"])
def test_usernames_in_a_path(values: list[str]) -> None:
    """``members.remove_many``: usernames joined by commas into one path segment."""
    transport = RecordingTransport(body=b'{"data": []}')
    outcome = run(lambda client: client.groups.members.remove_many("123", values), transport)
    if isinstance(outcome, (ValueError, TypeError)) and not isinstance(outcome, AgoraChatError):
        assert transport.sent == []
        return
    for sent in transport.sent:
        path = urlsplit(sent.url).path
        prefix = urlsplit(BASE).path + "/chatgroups/123/users/"
        assert path.startswith(prefix)
        names = unquote(path.removeprefix(prefix)).split(",")
        assert "/" not in path.removeprefix(prefix)
        assert set(names) <= set(values)
