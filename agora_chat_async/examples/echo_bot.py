"""Echo bot: answers each text message sent to it with the same text, and optionally
blocks messages containing a banned word before they are delivered.

    AGORA_HOST=... AGORA_ORG_NAME=... AGORA_APP_NAME=... AGORA_APP_ID=... \\
    AGORA_APP_CERTIFICATE=... AGORA_CALLBACK_SECRET=... \\
    python -m agora_chat_async.examples.echo_bot --port 8081 --ban spam

Point the app's post-delivery (and pre-delivery) callback rule at ``http://HOST:PORT/``.
"""

from __future__ import annotations

import argparse
import logging
import os

from agora_chat_async import AgoraChatClient
from agora_chat_async.callbacks import Bot, MessageEvent, PreDeliveryReply, PreDeliveryRequest


def build_bot(client: AgoraChatClient, secret: str, username: str, ban: str | None) -> Bot:
    """The bot: its handlers are the whole example."""
    bot = Bot(client, secret=secret, username=username)  # ignores its own messages

    # offline=False: the "chat" callback comes for every message; chat_offline would repeat it.
    @bot.on_message(type="txt", direct=True, offline=False)
    async def echo(event: MessageEvent, client: AgoraChatClient) -> None:
        target, to = event.reply_target()
        await client.messages.send(
            target, from_=username, to=to, type="txt", body={"msg": event.text}
        )

    if ban:

        @bot.pre_delivery
        async def moderate(
            request: PreDeliveryRequest, client: AgoraChatClient
        ) -> PreDeliveryReply:
            if ban.casefold() in (request.text or "").casefold():
                return PreDeliveryReply.reject("banned_word")
            return PreDeliveryReply.allow()

    return bot


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m agora_chat_async.examples.echo_bot")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--path", default="/", help="callback URL path")
    parser.add_argument("--username", default="echo_bot", help="the bot's username")
    parser.add_argument("--ban", metavar="WORD", help="reject messages containing WORD")
    args = parser.parse_args(argv)
    secret = os.environ.get("AGORA_CALLBACK_SECRET", "")
    if not secret:
        parser.error("set AGORA_CALLBACK_SECRET to the callback rule's secret")
    try:
        client = AgoraChatClient.from_env()
    except ValueError as exc:
        parser.error(str(exc))
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    logging.info("echo bot %s on http://%s:%d%s", args.username, args.host, args.port, args.path)
    build_bot(client, secret, args.username, args.ban).run(args.host, args.port, args.path)


if __name__ == "__main__":
    main()
