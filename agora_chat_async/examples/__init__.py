"""Runnable examples: ``python -m agora_chat_async.examples.echo_bot --help``."""
