"""``client.files``: a multipart upload with header options, a download as bytes."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from agora_chat_async import AuthenticationError, NotFoundError, RequestTooLargeError
from agora_chat_async.models.files import UploadedFile

if TYPE_CHECKING:
    from pathlib import Path

TOKEN = {"Authorization": "Bearer test-token"}
UPLOADED = {
    "action": "post",
    "path": "/chatfiles",
    "entities": [{"uuid": "5fd74830-0001", "type": "chatfile", "share-secret": "X9dXXXX7Yc"}],
    "timestamp": 1554371126338,
}


async def multipart(call: Any) -> tuple[str, bytes]:
    """The Content-Type (with its boundary) and the bytes aiohttp will send."""
    form = call.kwargs["data"]
    assert isinstance(form, aiohttp.FormData)
    payload = form()
    sink = _Sink()
    await payload.write(sink)  # as_bytes() would be simpler, but is new in aiohttp 3.12
    return payload.content_type, b"".join(sink.chunks)


class _Sink:
    """Collects what a payload writes, in place of the connection."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    async def write(self, chunk: bytes) -> None:
        self.chunks.append(bytes(chunk))


def part(body: bytes, content_type: str) -> tuple[str, bytes]:
    """The part headers and content of a one-part multipart body."""
    boundary = re.fullmatch(r"multipart/form-data; boundary=(\S+)", content_type)
    assert boundary is not None
    delimiter = b"--" + boundary.group(1).encode()
    assert body.startswith(delimiter + b"\r\n")
    assert body.endswith(b"\r\n" + delimiter + b"--\r\n")
    inner = body[len(delimiter) + 2 : -len(delimiter) - 6]
    headers, _, content = inner.partition(b"\r\n\r\n")
    return headers.decode(), content


async def test_upload_sends_one_multipart_file_with_the_header_options(client, mock, wire) -> None:
    mock.post(wire.url("/chatfiles"), payload=UPLOADED)

    result = await client.files.upload(
        b"\x89PNG-data",
        filename="cat.png",
        restrict_access=True,
        thumbnail_width=120,
        thumbnail_height=80,
    )

    assert result == UploadedFile(uuid="5fd74830-0001", type="chatfile", share_secret="X9dXXXX7Yc")
    assert wire.sent() == {("POST", wire.url("/chatfiles")): 1}
    call = wire.calls("POST", "/chatfiles")[0]
    # No Content-Type of ours: aiohttp writes multipart/form-data with its boundary.
    assert dict(call.kwargs["headers"]) == {
        "Accept": "application/json",
        **TOKEN,
        "restrict-access": "true",
        "thumbnail-width": "120",
        "thumbnail-height": "80",
    }
    content_type, body = await multipart(call)
    headers, content = part(body, content_type)
    assert headers == (
        'Content-Type: image/png\r\nContent-Disposition: form-data; name="file"; filename="cat.png"'
    )
    assert content == b"\x89PNG-data"


async def test_upload_reads_paths_and_binary_files_with_their_names(
    client, mock, wire, tmp_path: Path
) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"from a path")
    mock.post(wire.url("/chatfiles"), payload=UPLOADED, repeat=True)

    await client.files.upload(path)
    await client.files.upload(str(path), filename="renamed.bin")
    with path.open("rb") as handle:
        await client.files.upload(handle)
    await client.files.upload(io.BytesIO(b"in memory"))

    sent = [await multipart(c) for c in wire.calls("POST", "/chatfiles")]
    parts = [part(body, content_type) for content_type, body in sent]
    assert [(h.split("; ")[-1], c) for h, c in parts] == [
        ('filename="notes.txt"', b"from a path"),
        ('filename="renamed.bin"', b"from a path"),
        ('filename="notes.txt"', b"from a path"),
        ('filename="file"', b"in memory"),
    ]
    assert parts[0][0].startswith("Content-Type: text/plain\r\n")
    assert parts[3][0].startswith("Content-Type: application/octet-stream\r\n")
    for call in wire.calls("POST", "/chatfiles"):
        assert dict(call.kwargs["headers"]) == {"Accept": "application/json", **TOKEN}


async def test_upload_refuses_what_is_not_a_binary_file_before_sending(client, mock, wire) -> None:
    with pytest.raises(TypeError, match="expected bytes, a path or a binary file"):
        await client.files.upload(12345)
    with pytest.raises(TypeError, match="binary mode"):
        await client.files.upload(io.StringIO("text"))
    with pytest.raises(ValueError, match="thumbnail_width"):
        await client.files.upload(b"x", thumbnail_width=0)
    with pytest.raises(ValueError, match="filename"):
        await client.files.upload(b"x", filename="")
    assert wire.sent() == {}


async def test_upload_too_large_is_a_typed_error(client, mock, wire) -> None:
    error = {
        "error": "file exceeding maximum limit",
        "error_description": "the file size exceeds the maximum limit.",
    }
    mock.post(wire.url("/chatfiles"), status=413, payload=error)

    with pytest.raises(RequestTooLargeError) as caught:
        await client.files.upload(b"big")

    assert (caught.value.status, caught.value.error) == (413, "file exceeding maximum limit")
    assert caught.value.description == "the file size exceeds the maximum limit."
    assert caught.value.endpoint == "files.upload"


async def test_download_returns_the_bytes_and_sends_secret_and_thumbnail(
    client, mock, wire
) -> None:
    mock.get(wire.url("/chatfiles/5fd74830-0001"), body=b"\x00\x01raw", repeat=True)

    assert await client.files.download("5fd74830-0001") == b"\x00\x01raw"
    data = await client.files.download("5fd74830-0001", share_secret="X9d", thumbnail=True)

    assert data == b"\x00\x01raw"
    first, second = wire.calls("GET", "/chatfiles/5fd74830-0001")
    assert first.kwargs["data"] is None
    assert dict(first.kwargs["headers"]) == {"Accept": "application/octet-stream", **TOKEN}
    assert dict(second.kwargs["headers"]) == {
        "Accept": "application/octet-stream",
        **TOKEN,
        "share-secret": "X9d",
        "thumbnail": "true",
    }


async def test_download_errors_are_typed(client, mock, wire) -> None:
    missing = {"error": "entity_not_found", "error_description": "file may not exists"}
    mock.get(wire.url("/chatfiles/nope"), status=404, payload=missing)

    with pytest.raises(NotFoundError) as caught:
        await client.files.download("nope")
    assert (caught.value.status, caught.value.error, caught.value.description) == (
        404,
        "entity_not_found",
        "file may not exists",
    )
    with pytest.raises(ValueError, match="file_uuid"):
        await client.files.download("")
    assert wire.sent() == {("GET", wire.url("/chatfiles/nope")): 1}


async def test_a_wrong_secret_renews_the_token_once_then_raises(client, mock, wire) -> None:
    refused = {"error": "unauthorized", "error_description": "share-secret is missing or wrong"}
    mock.get(wire.url("/chatfiles/f1"), status=401, payload=refused, repeat=True)

    with pytest.raises(AuthenticationError, match="share-secret"):
        await client.files.download("f1", share_secret="wrong")

    assert wire.sent() == {("GET", wire.url("/chatfiles/f1")): 2}
