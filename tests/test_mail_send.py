"""kit mail against hostile SMTP servers: raw sockets on 127.0.0.1, in a thread.

A server that drips a byte at a time must not hold the sender past --timeout,
which bounds the whole exchange; a server that never ends its reply must not
fill memory. Rendering is replaced by a tiny fake: these tests are about the
conversation with the server only.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from framework_kit import api
from framework_kit.cli import app
from framework_kit.documents import RenderedFile

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ukraine-three-level.yaml"
SERVER_GIVES_UP = 8.0  # seconds: the hostile server stops by itself, so a failing test ends


@pytest.fixture(autouse=True)
def tiny_render(monkeypatch):
    def render(checked, **options):
        result = api.RenderResult(**{n: getattr(checked, n) for n in api.CheckResult.__dataclass_fields__})
        result.files = [RenderedFile("brief", "brief", "Brief", "brief.pdf", "pdf", b"%PDF-1.4\n", 1)]
        return result

    monkeypatch.setattr(api, "render_checked", render)
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "localhost")  # no resolver lookups


@contextmanager
def hostile_server(behaviour):
    """A one-connection server on 127.0.0.1 that runs ``behaviour(connection, stop)``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(SERVER_GIVES_UP)
    stop = threading.Event()

    def serve():
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            try:
                behaviour(connection, stop)
            except OSError:  # the client hung up, as it should
                pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        listener.close()
        thread.join(SERVER_GIVES_UP + 2)


def drip(connection, stop, *, greet: bool = False):
    """A reply that never ends, one byte every quarter of a second: the greeting, or with
    ``greet`` a proper greeting and then the EHLO reply."""
    if greet:
        connection.sendall(b"220 hostile.example ESMTP\r\n")
        connection.recv(1024)
    connection.sendall(b"220-" if not greet else b"250-")
    started = time.monotonic()
    while not stop.wait(0.25) and time.monotonic() - started < SERVER_GIVES_UP:
        connection.sendall(b"x")


def drip_after_hello(connection, stop):
    drip(connection, stop, greet=True)


def endless_reply(connection, stop):
    """An EHLO reply of 300,000 continuation lines (2 MB), then silence."""
    connection.sendall(b"220 hostile.example ESMTP\r\n")
    connection.recv(1024)
    chunk = b"250-SIZE 1\r\n" * 1000
    for _ in range(300):
        if stop.is_set():
            return
        connection.sendall(chunk)
    connection.sendall(b"250 OK\r\n")
    stop.wait(SERVER_GIVES_UP)


def send_through(port: int, timeout: str = "1"):
    started = time.monotonic()
    result = CliRunner().invoke(app, ["mail", str(EXAMPLE), "--to", "a@example.org",
                                      "--from", "desk@example.org", "--smtp", f"127.0.0.1:{port}",
                                      "--timeout", timeout])
    return result, time.monotonic() - started


@pytest.mark.parametrize("behaviour", [drip, drip_after_hello])
def test_a_dripping_server_cannot_hold_the_sender_past_the_timeout(behaviour):
    with hostile_server(behaviour) as port:
        result, elapsed = send_through(port, "1")
    assert result.exit_code == 1
    assert f"127.0.0.1:{port} did not finish within 1 second. Nothing was sent" in result.stderr
    assert elapsed < 4, elapsed  # rendering the fake and checking the spec included


def test_endless_continuation_lines_are_cut_off():
    with hostile_server(endless_reply) as port:
        result, elapsed = send_through(port, "30")
    assert result.exit_code == 1
    assert "sent a reply of more than 200 lines" in result.stderr
    assert "does not behave like a mail server. Nothing was sent" in result.stderr
    assert elapsed < 10, elapsed
