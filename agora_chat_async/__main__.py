"""``python -m agora_chat_async``: the ``agora-chat`` command line (see ``_cli``)."""

from __future__ import annotations

import sys

from ._cli import main

if __name__ == "__main__":
    sys.exit(main())
