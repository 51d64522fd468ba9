"""Base class of the generated resource classes (``client.users``, ``client.push`` ...)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._client import AgoraChatClient

__all__ = ["Resource"]


class Resource:
    """A group of endpoint methods bound to one client."""

    __slots__ = ("_client",)

    def __init__(self, client: AgoraChatClient) -> None:
        self._client = client

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._client!r}>"
