"""The waitress server's channel: whole answers, in order, on a kept-alive connection."""

from __future__ import annotations

import hashlib
import http.client
import threading
from collections.abc import Iterator

import pytest
from flask import Flask, Response
from waitress.server import BaseWSGIServer, MultiSocketServer, create_server

from web.serving.channel import QuietChannel

CHUNK = 256 * 1024
CHUNKS = 64
HIGH_WATERMARK = 64 * 1024
CLIENT_TIMEOUT_SECONDS = 60


def chunk(n: int) -> bytes:
    return hashlib.sha256(str(n).encode()).digest() * (CHUNK // 32)


def streaming_app() -> Flask:
    app = Flask(__name__)

    @app.get("/stream")
    def stream() -> Response:
        return Response((chunk(n) for n in range(CHUNKS)), mimetype="application/octet-stream")

    @app.get("/small")
    def small() -> dict[str, str]:
        return {"ok": "yes"}

    return app


@pytest.fixture
def port() -> Iterator[int]:
    """A server whose output passes its high watermark long before the answer is sent."""
    created = create_server(
        streaming_app(), port=0, threads=2, outbuf_high_watermark=HIGH_WATERMARK
    )
    assert not isinstance(created, MultiSocketServer)
    created.channel_class = QuietChannel
    server: BaseWSGIServer = created
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield int(server.getsockname()[1])
    server.close()
    thread.join()


def test_a_streamed_answer_past_the_high_watermark_arrives_whole_and_in_order(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT_SECONDS)
    connection.request("GET", "/stream")
    body = connection.getresponse().read()
    connection.close()
    assert body == b"".join(chunk(n) for n in range(CHUNKS))


def test_the_connection_serves_the_next_request_after_a_streamed_answer(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT_SECONDS)
    connection.request("GET", "/stream")
    connection.getresponse().read()
    connection.request("GET", "/small")
    response = connection.getresponse()
    assert (response.status, response.read()) == (200, b'{"ok":"yes"}\n')
    connection.close()


def test_many_small_answers_on_one_connection_each_arrive(port: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=CLIENT_TIMEOUT_SECONDS)
    statuses = []
    for _ in range(200):
        connection.request("GET", "/small")
        response = connection.getresponse()
        response.read()
        statuses.append(response.status)
    connection.close()
    assert statuses == [200] * 200
