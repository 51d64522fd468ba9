"""Command line: ``python -m agora_chat_async`` (also installed as ``agora-chat``).

agora-chat demo              tour of the client against the bundled emulator
agora-chat emulator          serve the emulator on loopback
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(prog="agora-chat", description="Agora Chat REST client tools")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("demo", help="run the demo against the bundled emulator", add_help=False)
    commands.add_parser("emulator", help="serve the bundled emulator", add_help=False)
    args, _rest = parser.parse_known_args(argv[:1])
    if args.command == "demo":
        from ._demo import main as demo

        return demo(argv[1:])
    from .emulator.__main__ import main as emulator

    return emulator(argv[1:])


if __name__ == "__main__":
    sys.exit(main())
