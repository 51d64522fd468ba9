"""Uploaded files (``/chatfiles``)."""

from __future__ import annotations

import msgspec

from ._base import Model

__all__ = ["UploadedFile"]


class UploadedFile(Model, kw_only=True):
    """A file stored by ``files.upload``.

    Its URL for an image, audio, video or file message is
    ``{base_url}/chatfiles/{uuid}``, with ``share_secret`` as the body's ``secret``.
    """

    uuid: str = ""
    type: str = "chatfile"
    share_secret: str | None = msgspec.field(default=None, name="share-secret")
    """Needed to download the file if it was uploaded with ``restrict_access``."""
