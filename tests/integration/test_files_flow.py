"""Files against the emulator: real multipart uploads, downloads, secrets, limits."""

from __future__ import annotations

from typing import TYPE_CHECKING

import aiohttp
import pytest

from agora_chat_async import AuthenticationError, NotFoundError, RequestTooLargeError
from agora_chat_async.emulator._handlers.files import MAX_FILE
from tests.integration._shapes import documented, shape

if TYPE_CHECKING:
    from pathlib import Path

    from agora_chat_async import AgoraChatClient
    from tests.integration._helpers import Raw


async def test_upload_then_download_round_trips_the_bytes(
    client: AgoraChatClient, tmp_path: Path
) -> None:
    content = bytes(range(256)) * 1000
    path = tmp_path / "song.mp3"
    path.write_bytes(content)

    uploaded = await client.files.upload(path)

    assert uploaded.type == "chatfile"
    assert len(uploaded.uuid) == 36
    assert uploaded.share_secret
    assert await client.files.download(uploaded.uuid) == content


async def test_a_restricted_file_needs_its_share_secret(client: AgoraChatClient) -> None:
    uploaded = await client.files.upload(b"secret notes", restrict_access=True)
    assert uploaded.share_secret is not None

    assert await client.files.download(uploaded.uuid, share_secret=uploaded.share_secret) == (
        b"secret notes"
    )
    with pytest.raises(AuthenticationError) as caught:
        await client.files.download(uploaded.uuid, share_secret="wrong")
    assert caught.value.error == "unauthorized"
    with pytest.raises(AuthenticationError, match="share-secret"):
        await client.files.download(uploaded.uuid)


async def test_the_secret_also_works_in_the_query(raw: Raw, client: AgoraChatClient) -> None:
    uploaded = await client.files.upload(b"q", restrict_access=True)
    assert uploaded.share_secret is not None
    url = raw.url(f"/chatfiles/{uploaded.uuid}")
    headers = {"Authorization": f"Bearer {raw.token}"}
    async with raw.session.get(
        url, params={"share-secret": uploaded.share_secret}, headers=headers
    ) as response:
        assert (response.status, await response.read()) == (200, b"q")


async def test_thumbnails_exist_for_images_only(client: AgoraChatClient) -> None:
    image = await client.files.upload(b"\x89PNG fake", filename="a.png")
    text = await client.files.upload(b"plain", filename="a.txt")

    assert await client.files.download(image.uuid, thumbnail=True) == b"\x89PNG fake"
    with pytest.raises(NotFoundError, match="thumbnail"):
        await client.files.download(text.uuid, thumbnail=True)


async def test_unknown_file_and_missing_part_errors(client: AgoraChatClient, raw: Raw) -> None:
    with pytest.raises(NotFoundError) as caught:
        await client.files.download("00000000-0000-1000-8000-000000000000")
    assert (caught.value.error, caught.value.description) == (
        "entity_not_found",
        "file may not exists",
    )

    form = aiohttp.FormData()
    form.add_field("other", b"x", filename="x")
    headers = {"Authorization": f"Bearer {raw.token}"}
    async with raw.session.post(raw.url("/chatfiles"), data=form, headers=headers) as response:
        body = await response.json()
    assert response.status == 400
    assert (body["error"], body["error_description"]) == (
        "illegal_argument",
        "file must be provided.",
    )


async def test_files_over_10_mb_are_refused_with_413(client: AgoraChatClient) -> None:
    with pytest.raises(RequestTooLargeError) as caught:
        await client.files.upload(b"\0" * (MAX_FILE + 1))
    assert caught.value.description == "the file size exceeds the maximum limit."


async def test_upload_answers_like_the_documented_example(
    raw: Raw, client: AgoraChatClient
) -> None:
    form = aiohttp.FormData()
    form.add_field("file", b"abc", filename="a.txt")
    headers = {"Authorization": f"Bearer {raw.token}", "restrict-access": "true"}
    async with raw.session.post(raw.url("/chatfiles"), data=form, headers=headers) as response:
        ours = await response.json()
    example = documented({"messages"})["files.upload#0"]
    assert shape(ours) == shape(example)
    assert list(ours) == list(example)
