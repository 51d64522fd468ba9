"""Callback storage on the wire: listing the stored sets and resending one."""

from __future__ import annotations

import pytest

from agora_chat_async import BadRequestError, StoredCallbackSet


def _answer(action: str, data: object) -> dict[str, object]:
    return {
        "path": "/callbacks",
        "uri": "https://x/org/app/callbacks",
        "timestamp": 1631193031254,
        "organization": "org",
        "application": "8dfb1641-0000-0000-bbe9-d8d45a3be39f",
        "action": action,
        "data": data,
        "duration": 3,
        "applicationName": "app",
    }


async def test_get_storage_lists_the_sets(client, mock, wire) -> None:
    data = [{"date": "202109091440", "size": 15, "retry": 0}, {"date": "202109091450"}]
    mock.get(wire.url("/callbacks/storage/info"), payload=_answer("get", data))

    sets = await client.callbacks.get_storage()

    wire.only("GET", "/callbacks/storage/info")
    assert sets == [
        StoredCallbackSet(date="202109091440", size=15, retry=0),
        StoredCallbackSet(date="202109091450", size=0, retry=0),
    ]


async def test_get_storage_of_nothing_is_an_empty_list(client, mock, wire) -> None:
    mock.get(wire.url("/callbacks/storage/info"), payload=_answer("get", []))
    assert list(await client.callbacks.get_storage()) == []


async def test_retry_storage_sends_only_the_date_by_default(client, mock, wire) -> None:
    mock.post(wire.url("/callbacks/storage/retry"), payload=_answer("post", "success"))

    assert await client.callbacks.retry_storage("202108272230") is True

    wire.only("POST", "/callbacks/storage/retry", body={"date": "202108272230"})


async def test_retry_storage_with_a_count_and_a_target(client, mock, wire) -> None:
    mock.post(wire.url("/callbacks/storage/retry"), payload=_answer("post", "failure"))

    sent = await client.callbacks.retry_storage(
        "202108272230", retry=0, target_url="https://localhost:8000/test"
    )

    assert sent is False  # "failure": not every stored callback got through
    wire.only(
        "POST",
        "/callbacks/storage/retry",
        body={"date": "202108272230", "retry": 0, "targetUrl": "https://localhost:8000/test"},
    )


async def test_a_refused_retry_is_a_bad_request(client, mock, wire) -> None:
    body = {
        "error": "illegal_argument",
        "exception": "java.lang.IllegalArgumentException",
        "error_description": "no callback data is stored under date 202108272230",
    }
    mock.post(wire.url("/callbacks/storage/retry"), status=400, payload=body)
    with pytest.raises(BadRequestError) as caught:
        await client.callbacks.retry_storage("202108272230")
    assert caught.value.status == 400
    assert caught.value.description == body["error_description"]
    assert wire.sent() == {("POST", wire.url("/callbacks/storage/retry")): 1}  # not retried


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.callbacks.retry_storage("2021082722"), "date key"),
        (lambda c: c.callbacks.retry_storage("202108272235"), "minutes by 10"),
        (lambda c: c.callbacks.retry_storage("202113272230"), "date key"),
        (lambda c: c.callbacks.retry_storage(202108272230), "date key"),
        (lambda c: c.callbacks.retry_storage("202108272230", retry=-1), "retry"),
        (lambda c: c.callbacks.retry_storage("202108272230", retry=True), "retry"),
        (lambda c: c.callbacks.retry_storage("202108272230", target_url="ftp://x"), "http"),
        (lambda c: c.callbacks.retry_storage("202108272230", target_url="http://"), "http"),
    ],
)
async def test_bad_arguments_send_nothing(client, wire, call, message) -> None:
    with pytest.raises(ValueError, match=message):
        await call(client)
    assert wire.sent() == {}
