"""Files for image, audio, video and file messages: ``POST /chatfiles`` (multipart
upload) and ``GET /chatfiles/{file_uuid}`` (download; the legacy ``POST`` form too).

An upload stores the bytes under a new UUID with a ``share-secret``; with the
``restrict-access: true`` header the secret is needed to download (the header
``share-secret`` or the ``?share-secret=`` query form). ``thumbnail: true`` asks for an
image's thumbnail: the emulator cannot scale images without an imaging library, so an
image serves as its own thumbnail, as Agora does for images under 10 KB; other files
have none (404). Files are limited to 10 MB, Agora's default.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import BodyPartReader, web

from .._errors import AgoraHTTPError, illegal_argument
from .._registry import handler
from .._state import FileRecord, uuid1_like
from ._common import FULL_ENVELOPE

if TYPE_CHECKING:
    from .._call import Call

__all__: list[str] = []

MAX_FILE = 10 * 1024 * 1024


def _too_large() -> AgoraHTTPError:
    return AgoraHTTPError(
        413, "file exceeding maximum limit", "the file size exceeds the maximum limit."
    )


async def _read_file(call: Call) -> tuple[str, str, bytes]:
    """Name, content type and bytes of the multipart field ``file``."""
    request = call.request
    if not request.content_type.startswith("multipart/"):
        raise illegal_argument("file must be provided.")
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader) or part.name != "file":
            continue
        data = bytearray()
        while chunk := await part.read_chunk():
            data += chunk
            if len(data) > MAX_FILE:
                raise _too_large()
        content_type = part.headers.get("Content-Type", "application/octet-stream")
        return part.filename or "file", content_type, bytes(data)
    raise illegal_argument("file must be provided.")


@handler("POST", "/chatfiles", body="raw")
async def upload(call: Call) -> dict[str, Any]:
    filename, content_type, data = await _read_file(call)
    state = call.state
    restricted = call.request.headers.get("restrict-access", "").lower() == "true"
    state.files_stored += 1
    uuid = uuid1_like(state.now_ms(), state.files_stored, secrets.randbits(48))
    secret = secrets.token_urlsafe(24)
    state.files[uuid] = FileRecord(filename, content_type, data, secret, restricted)
    entity = {"uuid": uuid, "type": "chatfile", "share-secret": secret}
    return call.envelope(FULL_ENVELOPE, action="post", entities=[entity])


@handler("GET", "/chatfiles/{file_uuid}", body="raw")
async def download(call: Call) -> web.Response:
    record = call.state.files.get(call.param("file_uuid"))
    if record is None:
        raise AgoraHTTPError(404, "entity_not_found", "file may not exists")
    request = call.request
    if record.restricted:
        given = request.headers.get("share-secret") or call.query("share-secret")
        if given is None or not secrets.compare_digest(given, record.secret):
            raise AgoraHTTPError(
                401, "unauthorized", "Unable to authenticate: share-secret is missing or wrong"
            )
    if request.headers.get("thumbnail", "").lower() == "true":
        if not record.content_type.startswith("image/"):
            raise AgoraHTTPError(404, "entity_not_found", "thumbnail may not exists")
    return web.Response(body=record.data, content_type="application/octet-stream")
