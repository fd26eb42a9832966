"""The command line's forked worker: answers, errors, a killed child, and no child left behind."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import BrokenExecutor

import pytest
from conftest import UKRAINE

from framework_kit import api
from framework_kit.forking import ForkPerCall
from framework_kit.render import writing

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is Linux and macOS only")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def rendered_side_by_side():
    """The Ukraine example rendered as kit render does: with a forked child beside this process."""
    executor = ForkPerCall()
    try:
        return api.render_checked(api.check_file(UKRAINE), executor=executor)
    finally:
        executor.close()


def test_the_child_works_on_the_arguments_it_was_forked_with():
    lock = threading.Lock()  # cannot be pickled: the child must not be sent its arguments
    executor = ForkPerCall()
    try:
        call = executor.submit(lambda held, n: (type(held).__name__, [n] * 3), lock, 7)
        assert call.result() == ("lock", [7, 7, 7])
        assert call.result() == ("lock", [7, 7, 7])  # asked twice, answered twice
    finally:
        executor.close()


def test_an_error_in_the_child_is_raised_in_the_parent():
    executor = ForkPerCall()
    try:
        call = executor.submit(int, "seven")
        with pytest.raises(ValueError, match="seven"):
            call.result()
    finally:
        executor.close()


def test_a_child_killed_before_answering_is_a_broken_executor():
    executor = ForkPerCall()
    try:
        call = executor.submit(lambda: os.kill(os.getpid(), signal.SIGKILL))
        with pytest.raises(BrokenExecutor):
            call.result()
    finally:
        executor.close()


def test_a_killed_worker_has_its_documents_written_here_and_the_bytes_do_not_change(monkeypatch):
    parent, real = os.getpid(), writing.write_format

    def dies_in_the_child(*args):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args)

    alone = api.render_bytes(UKRAINE.read_bytes(), str(UKRAINE))
    monkeypatch.setattr(writing, "write_format", dies_in_the_child)
    beside = rendered_side_by_side()
    assert alone.ok and beside.ok
    assert [(f.filename, f.data) for f in beside.files] == [(f.filename, f.data) for f in alone.files]


def test_side_by_side_gives_the_bytes_of_one_process():
    alone = api.render_bytes(UKRAINE.read_bytes(), str(UKRAINE))
    beside = rendered_side_by_side()
    assert len(beside.files) == 12
    assert [(f.filename, f.data) for f in beside.files] == [(f.filename, f.data) for f in alone.files]


def test_closing_stops_a_child_still_at_work():
    executor = ForkPerCall()
    call = executor.submit(time.sleep, 600)
    pid = call._pid
    assert not _gone(pid)
    executor.close()
    assert _gone(pid)  # killed and reaped: no zombie either


def test_pages_over_the_bound_only_once_both_sides_are_counted_give_the_r003_of_one_process(monkeypatch):
    from framework_kit.render import layout_bounds

    # The example's PDFs take 11 pages: the bound is reached while the last one is laid out.
    monkeypatch.setattr(layout_bounds, "MAX_PAGES", 10)
    monkeypatch.setattr(layout_bounds, "_LINES_PER_PAGE", 10**9)  # the estimate lets it through
    alone = api.render_bytes(UKRAINE.read_bytes(), str(UKRAINE))
    beside = rendered_side_by_side()
    assert [d.code for d in alone.diagnostics if d.is_error] == ["R003"]
    assert [(d.code, d.message, d.span) for d in beside.diagnostics] == [
        (d.code, d.message, d.span) for d in alone.diagnostics]
    assert beside.files == []
