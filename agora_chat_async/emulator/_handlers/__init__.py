"""Handlers per API area; importing this package fills ``_registry.HANDLERS``.

Add an area by adding a module here (handlers decorated with ``@handler(METHOD, path)``
using the paths of ``_spec.ENDPOINTS``) and importing it below.
"""

from __future__ import annotations

from . import messages as messages, metadata as metadata, push as push, users as users

__all__ = ["messages", "metadata", "push", "users"]
