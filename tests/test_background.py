"""The DOCX files written by a forked child: same results, same errors, nothing left running."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from framework_kit import api
from framework_kit.render import background
from framework_kit.render.background import Job

from conftest import UKRAINE

forks = pytest.mark.skipif(not background.can_fork(), reason="this machine renders in one process")


@forks
def test_the_work_runs_in_a_child_and_its_value_comes_back():
    job = Job(lambda: (os.getpid(), b"\x00" * 300_000))  # more than a pipe holds at once
    pid, data = job.result()
    assert pid != os.getpid() and data == b"\x00" * 300_000


@forks
def test_a_failing_child_means_the_work_is_done_again_here_and_raises_here():
    calls = []

    def work():
        calls.append(os.getpid())
        raise ValueError("a document the DOCX writer refuses")

    job = Job(work)
    with pytest.raises(ValueError, match="refuses"):
        job.result()
    assert calls == [os.getpid()]  # the child's call happened in the child's copy of the list


@forks
def test_a_child_killed_on_the_way_is_replaced_by_the_work_done_here():
    parent = os.getpid()

    def work():
        if os.getpid() != parent:
            time.sleep(30)  # the child hangs until it is killed
        return os.getpid()

    job = Job(work)
    os.kill(job._pid, signal.SIGKILL)
    started = time.monotonic()
    assert job.result() == os.getpid()
    assert time.monotonic() - started < 10


@forks
def test_cancel_stops_the_child_and_reaps_it():
    job = Job(lambda: time.sleep(30))
    pid = job._pid
    job.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind


def test_no_fork_when_told_not_to_or_when_threads_run(monkeypatch):
    assert Job(os.getpid, fork=False).result() == os.getpid()
    monkeypatch.setenv("KIT_SERIAL", "1")
    assert not background.can_fork()
    monkeypatch.delenv("KIT_SERIAL")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not background.can_fork()
    finally:
        stop.set()
        thread.join()


def test_parallel_and_serial_rendering_write_the_same_bytes(tmp_path):
    parallel = api.render_file(UKRAINE, tmp_path / "parallel", parallel=True)
    serial = api.render_file(UKRAINE, tmp_path / "serial", parallel=False)
    assert parallel.ok and serial.ok and len(parallel.written) == 12
    for (path, _), (twin, _) in zip(parallel.written, serial.written, strict=True):
        assert path.name == twin.name and path.read_bytes() == twin.read_bytes()
