"""Safe file names and all-or-nothing writes."""

from __future__ import annotations

import errno
import os

import pytest

from framework_kit import output as files
from framework_kit.output import WriteError, file_name, slug, target_path, write_files

FORBIDDEN = ("/", "\\", "..", "\x00", "\n", ":", "*", "?", '"', "<", ">", "|")


def assert_safe(name: str) -> None:
    assert len(name.encode("utf-8")) <= 120
    for bad in FORBIDDEN:
        assert bad not in name, (bad, name)
    assert not name.endswith((".", " ")) and not name.startswith((".", "-", " "))
    assert all(ch.isprintable() for ch in name)


@pytest.mark.parametrize("title, expected", [
    ("../../etc/passwd", "etc-passwd_v0.3_brief.pdf"),
    ("a/b\\c", "a-b-c_v0.3_brief.pdf"),
    ("/", "spec_v0.3_brief.pdf"),
    ("", "spec_v0.3_brief.pdf"),
    ("...", "spec_v0.3_brief.pdf"),
    ("Ukraine three-level process", "ukraine-three-level-process_v0.3_brief.pdf"),
    ("Україна — мир", "україна-мир_v0.3_brief.pdf"),
    ("CON", "con-spec_v0.3_brief.pdf"),
    ("com1", "com1-spec_v0.3_brief.pdf"),
    ("Tab\there\x07bell", "tab-here-bell_v0.3_brief.pdf"),
])
def test_file_names(title, expected):
    name = file_name(title, "0.3", "brief", "pdf")
    assert name == expected
    assert_safe(name)


def test_cyrillic_is_kept_in_nfc():
    decomposed = "\u0423\u043a\u0440\u0430\u0457\u043d\u0430 \u0418\u0306"  # "Україна Й", Й as И + breve
    assert slug(decomposed) == "україна-\u0439"
    assert slug("\u0418\u0306") == "\u0439"


def test_long_titles_are_cut_to_120_bytes_on_a_character_boundary():
    for title in ("x" * 300, "Україна " * 60, "ü" * 300):
        name = file_name(title, "0.3", "term-sheet-table-a", "docx")
        assert_safe(name)
        assert name.endswith("_v0.3_term-sheet-table-a.docx")
        assert len(name.encode("utf-8")) >= 110  # cut, not emptied
        name.encode("utf-8").decode("utf-8")


def test_version_keeps_single_dots_only():
    assert file_name("t", "0.3", "brief", "pdf") == "t_v0.3_brief.pdf"
    assert file_name("t", "../1..2.", "brief", "pdf") == "t_v1.2_brief.pdf"
    assert file_name("t", "", "brief", "pdf") == "t_brief.pdf"
    assert_safe(file_name("t", "9" * 200, "k" * 200, "pdf"))


def test_target_path_never_leaves_the_folder(tmp_path):
    assert target_path(tmp_path, "a.pdf") == tmp_path.resolve() / "a.pdf"
    for bad in ("../a.pdf", "sub/a.pdf", "..", "", "/etc/passwd"):
        with pytest.raises(WriteError):
            target_path(tmp_path, bad)


def test_write_files_writes_every_file_and_no_temp(tmp_path):
    out = tmp_path / "new" / "out"
    paths = write_files(out, [("a.pdf", b"A"), ("b.docx", b"B")])
    assert [p.name for p in paths] == ["a.pdf", "b.docx"]
    assert (out / "a.pdf").read_bytes() == b"A" and (out / "b.docx").read_bytes() == b"B"
    assert sorted(os.listdir(out)) == ["a.pdf", "b.docx"]
    assert oct((out / "a.pdf").stat().st_mode & 0o777) != oct(0o600)  # shareable, not private


def _fail_on_second_write(monkeypatch, exception):
    real = os.fsync
    calls = []

    def flaky(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise exception
        return real(fd)

    monkeypatch.setattr(files.os, "fsync", flaky)


def test_a_full_disk_leaves_earlier_files_intact_and_no_partial_file(tmp_path, monkeypatch):
    (tmp_path / "a.pdf").write_bytes(b"old A")
    (tmp_path / "keep.txt").write_bytes(b"unrelated")
    _fail_on_second_write(monkeypatch, OSError(errno.ENOSPC, "No space left on device"))
    with pytest.raises(WriteError) as caught:
        write_files(tmp_path, [("a.pdf", b"new A"), ("b.pdf", b"new B"), ("c.pdf", b"new C")])
    message = str(caught.value)
    assert "disk is full" in message and "b.pdf" in message and "Traceback" not in message
    assert sorted(os.listdir(tmp_path)) == ["a.pdf", "keep.txt"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old A"


def test_ctrl_c_mid_write_removes_temporary_files(tmp_path, monkeypatch):
    _fail_on_second_write(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        write_files(tmp_path, [("a.pdf", b"A"), ("b.pdf", b"B")])
    assert os.listdir(tmp_path) == []


def _fail_on_rename(monkeypatch, number: int, exception: BaseException) -> None:
    real, calls = os.replace, []

    def flaky(src, dst):
        if not str(src).endswith(".old"):  # an undo step is never the one to fail
            calls.append(dst)
            if len(calls) == number:
                raise exception
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", flaky)


def test_a_failed_rename_leaves_complete_files_only(tmp_path, monkeypatch):
    (tmp_path / "b.pdf").write_bytes(b"old B")
    _fail_on_rename(monkeypatch, 3, OSError(errno.EIO, "Input/output error"))
    with pytest.raises(WriteError, match="Input/output error"):
        write_files(tmp_path, [("a.pdf", b"A"), ("b.pdf", b"B"), ("c.pdf", b"C")])
    # The two renames already done are undone: the folder is exactly as it was.
    assert os.listdir(tmp_path) == ["b.pdf"]
    assert (tmp_path / "b.pdf").read_bytes() == b"old B"


def test_ctrl_c_during_the_renames_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    before = {f"{n}.pdf": f"old {n}".encode() for n in "abcdefghijkl"}
    for name, data in before.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "notes.txt").write_bytes(b"notes")
    _fail_on_rename(monkeypatch, 4, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        write_files(tmp_path, [(name, b"new") for name in before])
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == {**before, "notes.txt": b"notes"}


SLOW_RENAMES = """
import os, sys, time
from framework_kit import output as files
real, calls = os.replace, []

def replace(source, target):
    real(source, target)
    if os.path.dirname(os.path.abspath(target)) == os.path.abspath({out!r}):
        calls.append(target)
        if len(calls) == 1:
            open({ready!r}, "w").close()
        time.sleep(0.3)

files.os.replace = replace
from framework_kit.cli import main
sys.argv = ["kit", "render", {spec!r}, "-o", {out!r}]
main()
"""


def test_a_real_ctrl_c_during_the_renames_finishes_them_and_exits_130(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    from conftest import UKRAINE

    out, ready = tmp_path / "out", tmp_path / "ready"
    out.mkdir()
    (out / "notes.txt").write_bytes(b"notes")
    script = SLOW_RENAMES.format(ready=str(ready), spec=str(UKRAINE), out=str(out))
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    ends = time.monotonic() + 120
    while not ready.exists():
        assert process.poll() is None and time.monotonic() < ends, process.communicate()
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if line.strip()] == [
        "kit: interrupted; no file was left half-written"]
    names = sorted(p.name for p in out.iterdir())
    # Every file of the spec is in place (the set of renames finished), no temporary file.
    assert not [n for n in names if n.startswith(files.TEMP_PREFIX)], names
    assert len([n for n in names if n.endswith((".pdf", ".docx"))]) == 12, names


def test_unwritable_folder_is_a_plain_message(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", refuse)
    with pytest.raises(WriteError) as caught:
        write_files(tmp_path / "out", [("a.pdf", b"A")])
    assert "permission denied" in str(caught.value)
    assert "choose a folder you can write to" in str(caught.value).lower()


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only folder")
def test_read_only_folder_for_real(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(WriteError, match="permission denied"):
            write_files(folder, [("a.pdf", b"A")])
    finally:
        folder.chmod(0o700)


def test_output_folder_that_is_a_file(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("I am a file")
    with pytest.raises(WriteError, match="is a file, not a folder"):
        write_files(blocker, [("a.pdf", b"A")])


def test_refuses_to_overwrite_when_asked(tmp_path):
    (tmp_path / "b.pdf").write_bytes(b"mine")
    with pytest.raises(WriteError, match="b.pdf already in"):
        write_files(tmp_path, [("a.pdf", b"A"), ("b.pdf", b"B")], overwrite=False)
    assert sorted(os.listdir(tmp_path)) == ["b.pdf"]
    assert (tmp_path / "b.pdf").read_bytes() == b"mine"


@pytest.mark.parametrize("inside", [False, True], ids=["pointing-outside", "pointing-inside"])
def test_a_symlink_planted_in_the_folder_is_not_followed(tmp_path, inside):
    folder = tmp_path / "out"
    folder.mkdir()
    precious = (folder if inside else tmp_path) / "notes.txt"
    precious.write_text("keep me")
    (folder / "a.pdf").symlink_to(precious)
    paths = write_files(folder, [("a.pdf", b"A")])
    # The link itself is replaced by the new file; what it pointed at is untouched.
    assert paths == [folder.resolve() / "a.pdf"]
    assert precious.read_text() == "keep me"
    assert not (folder / "a.pdf").is_symlink() and (folder / "a.pdf").read_bytes() == b"A"
    assert sorted(os.listdir(folder)) == sorted(["a.pdf"] + (["notes.txt"] if inside else []))


def test_a_symlink_to_a_file_is_refused_when_asked_not_to_overwrite(tmp_path):
    (tmp_path / "a.pdf").symlink_to(tmp_path / "missing.txt")  # a dangling link is still there
    with pytest.raises(WriteError, match="a.pdf already in"):
        write_files(tmp_path, [("a.pdf", b"A")], overwrite=False)
