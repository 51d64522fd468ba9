"""Reading a file to upload: bytes, a path or an open binary file.

The file is read whole before the first attempt (files are at most 10 MB by default),
so a retry after a token renewal sends the same bytes again. Paths and file objects are
read in a worker thread: a slow disk never blocks the event loop.
"""

from __future__ import annotations

import mimetypes
import os
from typing import IO, Any

import anyio
from msgspec import UNSET, UnsetType

from ._transport import FileUpload

__all__ = ["FileSource", "read_upload"]

FileSource = bytes | bytearray | memoryview | str | os.PathLike[str] | IO[bytes]
"""What ``files.upload`` takes: the content itself, a path, or a file opened in binary mode."""


async def read_upload(source: Any, filename: str | UnsetType = UNSET) -> FileUpload:
    """The multipart part for ``source``; ``filename`` defaults to the path's or the file
    object's name, else ``"file"``. The content type is guessed from the filename."""
    if isinstance(source, bytes | bytearray | memoryview):
        data, name = bytes(source), None
    elif isinstance(source, str | os.PathLike):
        path = anyio.Path(source)
        data, name = await path.read_bytes(), path.name
    elif hasattr(source, "read"):
        data = await anyio.to_thread.run_sync(source.read)
        if not isinstance(data, bytes):
            raise TypeError("file: open the file in binary mode ('rb')")
        name = os.path.basename(str(getattr(source, "name", ""))) or None
    else:
        raise TypeError(f"file: expected bytes, a path or a binary file, got {type(source)!r}")
    if not isinstance(filename, UnsetType):
        name = filename
    name = name or "file"
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return FileUpload("file", name, content_type, data)
