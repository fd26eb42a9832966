"""How ``kit serve`` starts and stops: the first preview rendered in a forked child, no process left behind.

The child is the serve edge's (``serve/warmup.py``); the library itself never forks
(``tests/test_api.py``). Renders delivered from elsewhere obey the same rule as
the studio's own: a request waits only for the render of exactly its spec.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from framework_kit import api
from framework_kit.serve.renders import Renderer

from conftest import UKRAINE

NAME = UKRAINE.name
FORMATS = {"formats": ("pdf",), "only": ("brief",)}

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="the child is forked on Linux only; /proc")


# --- a render delivered from another process --------------------------------------------------


def counting(monkeypatch) -> list:
    calls = []
    real = api.render_bytes

    def counted(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "render_bytes", counted)
    return calls


def test_a_render_expected_from_elsewhere_is_waited_for_not_repeated(monkeypatch):
    renderer, answers = Renderer(), []
    deliver = renderer.expect(UKRAINE.read_bytes(), NAME, **FORMATS)
    elsewhere = api.render_bytes(UKRAINE.read_bytes(), NAME, **FORMATS)  # what the child sends
    pages = Renderer().pages(elsewhere.files[0].data)
    calls = counting(monkeypatch)
    waiting = threading.Thread(target=lambda: answers.append(
        renderer.preview(UKRAINE.read_bytes(), NAME, "brief", "tab", renderer.tickets.take("tab"))))
    waiting.start()
    time.sleep(0.2)
    assert waiting.is_alive() and not calls  # waits for the child instead of rendering
    deliver(elsewhere, pages)
    waiting.join(30)
    [(result, shown)] = answers
    assert result is elsewhere and shown.pages == pages[0] and calls == []


def test_a_newer_edit_does_not_wait_for_the_first_spec_and_never_gets_its_pages():
    renderer = Renderer()
    renderer.expect(UKRAINE.read_bytes(), NAME, **FORMATS)  # never delivered
    edited = UKRAINE.read_bytes().replace(b"title: A Three-Level", b"title: An Edited Three-Level", 1)
    assert edited != UKRAINE.read_bytes()
    result, shown = renderer.preview(edited, NAME, "brief", "tab", renderer.tickets.take("tab"))
    assert result.ok and shown.pages
    pdf = result.files[0].data
    assert b"Edited" in subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True).stdout


def test_a_child_that_failed_leaves_the_render_to_the_studio(monkeypatch):
    renderer, answers = Renderer(), []
    deliver = renderer.expect(UKRAINE.read_bytes(), NAME, **FORMATS)
    calls = counting(monkeypatch)
    waiting = threading.Thread(target=lambda: answers.append(
        renderer.render(UKRAINE.read_bytes(), NAME, **FORMATS)))
    waiting.start()
    deliver(None, None)  # the child died
    waiting.join(30)
    assert answers[0].ok and len(calls) == 1


# --- the process ------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in found]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def start(path: Path) -> tuple[subprocess.Popen, str, list[int]]:
    """``kit serve`` in its own session (as a terminal runs it); its address and the children seen."""
    process = subprocess.Popen([sys.executable, "-m", "framework_kit", "serve", str(path), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    seen: set[int] = set()
    line = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()))
    reader.start()
    while reader.is_alive():  # the child is forked before the address is printed
        seen.update(children(process.pid))
        time.sleep(0.002)
    found = re.search(r"http://127\.0\.0\.1:\d+/", line[0])
    assert found, (line, process.stderr.read())
    seen.update(children(process.pid))
    return process, found.group(0), sorted(seen)


def finish(process: subprocess.Popen) -> str:
    process.wait(20)
    process.stdout.close()
    error = process.stderr.read()
    process.stderr.close()
    return error


@linux_only
@pytest.mark.slow
def test_the_first_preview_comes_from_a_child_that_then_ends(tmp_path):
    process, address, seen = start(UKRAINE)
    try:
        assert len(seen) == 1, "the first preview renders in one forked child"
        request = urllib.request.Request(address + "api/preview?document=brief", data=UKRAINE.read_bytes(),
                                         method="POST")
        with urllib.request.urlopen(request, timeout=60) as answer:
            shown = json.load(answer)
        assert shown["name"] == "brief" and shown["pageCount"] == len(shown["pages"]) >= 1
        deadline = time.monotonic() + 10
        while alive(seen[0]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(seen[0]) and children(process.pid) == []
    finally:
        os.killpg(process.pid, signal.SIGINT)
        error = finish(process)
    assert process.returncode == 0 and "Traceback" not in error


@linux_only
@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "terminate"])
def test_stopping_while_the_first_preview_renders_leaves_no_process(stop):
    """Ctrl-C reaches the whole process group, as a terminal sends it; a test's teardown, the studio alone."""
    process, _, seen = start(UKRAINE)
    assert seen and all(alive(child) for child in seen)  # still rendering
    if stop == signal.SIGINT:
        os.killpg(process.pid, stop)
    else:
        process.send_signal(stop)
    error = finish(process)
    # Before uvicorn takes over the signals, Ctrl-C is the command line's (130) and SIGTERM ends
    # the studio at once (-15); its child is told to stop either way.
    assert process.returncode in (0, 130, -signal.SIGTERM) and "Traceback" not in error, error
    deadline = time.monotonic() + 5
    while any(alive(child) for child in seen) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(child) for child in seen)


def test_ctrl_c_before_the_server_takes_the_signals_over_only_asks_it_to_stop():
    # Before uvicorn's event loop runs, Python's own handler raised KeyboardInterrupt wherever the
    # program was; once inside the event loop's constructor, whose half-built loop then printed a
    # traceback when collected (1 start in 30 of the test above).
    from framework_kit.serve.server import _ctrl_c_stops

    class Server:
        should_exit = finished = False

        def run(self, sockets):
            signal.raise_signal(signal.SIGINT)  # Ctrl-C while the event loop is being built
            self.finished = True

    before = signal.getsignal(signal.SIGINT)
    server = Server()
    try:
        with _ctrl_c_stops(server):
            server.run([])
    except KeyboardInterrupt:
        pytest.fail("Ctrl-C raised KeyboardInterrupt in the middle of the server's start")
    assert server.should_exit and server.finished
    assert signal.getsignal(signal.SIGINT) is before
