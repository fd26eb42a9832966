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


def test_a_failed_rename_leaves_complete_files_only(tmp_path, monkeypatch):
    real = os.replace
    calls = []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    monkeypatch.setattr(files.os, "replace", flaky)
    with pytest.raises(WriteError, match="Input/output error"):
        write_files(tmp_path, [("a.pdf", b"A"), ("b.pdf", b"B")])
    assert os.listdir(tmp_path) == ["a.pdf"]
    assert (tmp_path / "a.pdf").read_bytes() == b"A"


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


def test_a_symlink_planted_in_the_folder_is_not_followed(tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.pdf").symlink_to(outside)
    with pytest.raises(WriteError, match="outside"):
        write_files(folder, [("a.pdf", b"A")])
    assert outside.read_text() == "keep me"
    assert sorted(os.listdir(folder)) == ["a.pdf"]
