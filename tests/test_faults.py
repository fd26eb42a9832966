"""Real faults while writing: an unwritable folder, a full disk, a render killed half-way.

The tests run as root in CI, where chmod does not stop a write, so they use real
mechanisms: /proc, a path under a regular file, read-only and size-limited tmpfs mounts
(skipped, saying why, where mounting is not permitted), /dev/full, and SIGKILL. Each case
ends with one plain line, no traceback, exit status 1 as documented for a spec that could
not be rendered, and no partial file; the files written before stay byte-identical and the
next run succeeds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from framework_kit import api
from framework_kit import output as files
from framework_kit.output import TEMP_PREFIX, WriteError, write_files

from conftest import UKRAINE

BATCH = 4  # specs in the killed batch


def _kit(*args, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "framework_kit", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def _temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX))


def _assert_one_plain_line(done: subprocess.CompletedProcess, words: str) -> None:
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 1, done.stdout + done.stderr
    problems = [line for line in done.stderr.splitlines() if line.startswith("kit render:")]
    assert len(problems) == 1 and words in problems[0], done.stderr


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """The files of a clean render of the example: what every later render must match."""
    out = tmp_path_factory.mktemp("reference")
    assert api.render_file(UKRAINE, out).exit_code == 0
    return _snapshot(out)


# ------------------------------------------------------------------ mounts


class Mounts:
    """tmpfs mounts made by one test, all undone at its end."""

    def __init__(self):
        self.points: list[Path] = []

    def tmpfs(self, point: Path, size: str, read_only: bool = False) -> Path:
        point.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(point)],
                              capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"mounting a tmpfs is not permitted here ({done.stderr.strip() or done.returncode})")
        self.points.append(point)
        if read_only:
            self.remount(point, "ro")
        return point

    def remount(self, point: Path, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True)

    def undo(self) -> None:
        for point in reversed(self.points):
            subprocess.run(["umount", "-l", str(point)], capture_output=True)


@pytest.fixture
def mounts():
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root and the mount command")
    made = Mounts()
    yield made
    made.undo()


# ------------------------------------------------------------------ unwritable


def test_an_output_folder_under_proc_is_a_plain_message(tmp_path):
    done = _kit("render", UKRAINE, "-o", f"/proc/kit-out-{uuid.uuid4().hex}", cwd=tmp_path)
    _assert_one_plain_line(done, "cannot write")
    assert "wrote" not in done.stdout and list(tmp_path.iterdir()) == []


def test_an_output_folder_whose_parent_is_a_file_is_a_plain_message(tmp_path):
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    done = _kit("render", UKRAINE, "-o", tmp_path / "notes.txt" / "out", cwd=tmp_path)
    _assert_one_plain_line(done, "is a file, not a folder")
    assert _snapshot(tmp_path) == {"notes.txt": b"keep me"}


def test_a_read_only_mount_keeps_its_files_and_is_a_plain_message(tmp_path, mounts, reference):
    point = mounts.tmpfs(tmp_path / "ro", "4m")
    earlier = {name: data for name, data in reference.items() if "brief" in name}
    for name, data in earlier.items():
        (point / name).write_bytes(b"an older draft " + data[:100])
    mounts.remount(point, "ro")
    _fails_then_succeeds(point, mounts, "rw", "permission denied", reference)


# ------------------------------------------------------------------ full disk


def test_a_full_disk_leaves_earlier_files_and_no_partial_file(tmp_path, mounts, reference):
    point = mounts.tmpfs(tmp_path / "small", "256k")  # the twelve files need about 480 kB
    earlier = next(name for name in reference if name.endswith("cbm-schedule.pdf"))
    (point / earlier).write_bytes(reference[earlier])
    (point / "minutes.txt").write_text("minutes of the last round", encoding="utf-8")
    _fails_then_succeeds(point, mounts, "size=4m", "the disk is full",
                         {**reference, "minutes.txt": b"minutes of the last round"})


def _fails_then_succeeds(point: Path, mounts: Mounts, repair: str, words: str, expected: dict) -> None:
    """Render into ``point``: a plain failure changing nothing; then, repaired, the full set."""
    before = _snapshot(point)
    done = _kit("render", UKRAINE, "-o", point, cwd=point.parent)
    _assert_one_plain_line(done, words)
    assert _snapshot(point) == before
    mounts.remount(point, repair)
    again = _kit("render", UKRAINE, "-o", point, cwd=point.parent)
    assert again.returncode == 0, again.stderr
    assert _snapshot(point) == expected


def test_the_always_full_device_fails_the_write_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    """Every write goes to /dev/full, so the kernel itself answers ENOSPC at flush or fsync."""
    (tmp_path / "a.pdf").write_bytes(b"earlier")
    real_temp_file = files._temp_file

    def onto_dev_full(folder):
        handle, path = real_temp_file(folder)
        os.close(handle)
        return os.open("/dev/full", os.O_WRONLY), path

    monkeypatch.setattr(files, "_temp_file", onto_dev_full)
    with pytest.raises(WriteError, match="the disk is full"):
        write_files(tmp_path, [("a.pdf", b"new" * 10_000), ("b.pdf", b"x" * 10_000)])
    assert _snapshot(tmp_path) == {"a.pdf": b"earlier"}


# ------------------------------------------------------------------ SIGKILL


def _batch(tmp_path: Path) -> Path:
    folder = tmp_path / "specs"
    folder.mkdir()
    text = UKRAINE.read_text(encoding="utf-8")
    for i in range(BATCH):
        (folder / f"spec-{i}.yaml").write_text(
            text.replace("short_title: ", f"short_title: batch {i} ", 1), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def batch_reference(tmp_path_factory) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("batch")
    specs = _batch(root)
    out = root / "reference"
    for spec in sorted(specs.iterdir()):
        assert api.render_file(spec, out).exit_code == 0
    return specs, _snapshot(out)


def _wait_for(condition, process: subprocess.Popen, limit: float = 90) -> None:
    ends = time.monotonic() + limit
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < ends, "the render never got there"
        time.sleep(0.005)


def test_a_render_killed_as_its_first_files_appear_leaves_only_complete_files(tmp_path, batch_reference):
    specs, expected = batch_reference
    out = tmp_path / "out"
    out.mkdir()
    (out / "minutes.txt").write_text("earlier", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "framework_kit", "render", str(specs), "-o", str(out)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: any(p.suffix in (".pdf", ".docx") for p in out.iterdir()), process)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    after = _snapshot(out)
    assert after.pop("minutes.txt") == b"earlier"
    finished = {name: data for name, data in after.items() if not name.startswith(TEMP_PREFIX)}
    assert finished and all(expected[name] == data for name, data in finished.items())
    again = _kit("render", specs, "-o", out, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _snapshot(out) == {**expected, "minutes.txt": b"earlier"}


KILLED_MID_WRITE = textwrap.dedent("""
    import os, sys, time
    from framework_kit import output as files
    real, calls = os.replace, []

    def replace(source, target):
        calls.append(target)
        if len(calls) == {stop}:  # the second spec's files are staged, two already in place
            open({ready!r}, "w").close()
            time.sleep(120)
        real(source, target)

    files.os.replace = replace
    from framework_kit.cli import main
    sys.argv = ["kit", "render", {specs!r}, "-o", {out!r}]
    main()
""")


def test_a_render_killed_while_moving_files_into_place_is_repaired_by_the_next_run(tmp_path, batch_reference):
    specs, expected = batch_reference
    per_spec = len(expected) // BATCH
    out, ready = tmp_path / "out", tmp_path / "ready"
    script = KILLED_MID_WRITE.format(stop=per_spec + 3, ready=str(ready), specs=str(specs), out=str(out))
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        _wait_for(ready.exists, process)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    after = _snapshot(out)
    finished = {name: data for name, data in after.items() if not name.startswith(TEMP_PREFIX)}
    assert len(finished) == per_spec + 2
    assert all(expected[name] == data for name, data in finished.items())
    # The killed process could not remove its staged files; they are hidden and complete,
    # and the next run into the folder clears them away.
    assert len(_temps(out)) == per_spec - 2
    again = _kit("render", specs, "-o", out, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _temps(out) == [] and _snapshot(out) == expected


def test_only_the_temporary_files_of_dead_processes_are_cleared(tmp_path):
    finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                              capture_output=True, text=True, check=True)
    dead, alive = int(finished.stdout), os.getppid()
    names = [f"{TEMP_PREFIX}{dead}-abc.tmp", f"{TEMP_PREFIX}{alive}-abc.tmp",
             f"{TEMP_PREFIX}{os.getpid()}-abc.tmp", f"{TEMP_PREFIX}notes.tmp", "report.tmp"]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    write_files(tmp_path, [("a.pdf", b"a")])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:] + ["a.pdf"])
