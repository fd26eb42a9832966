"""Safe file names and atomic writes for rendered documents.

A file name is ``<short_title-slug>_v<version>_<key>.<ext>``. The slug keeps
letters of every script (normalised to NFC, lower-cased): a Ukrainian drafter's
``Україна`` stays ``україна`` rather than a transliteration that no two
ministries spell alike. Everything that is not a letter, mark or digit becomes
a hyphen, so a name can never hold ``/``, ``\\``, ``..``, control characters
or a trailing dot or space. Names stay within 120 bytes of UTF-8, avoid the
device names Windows reserves (CON, NUL, COM1 ...), and fall back to ``spec``
when nothing usable is left.

Writing is all or nothing per call: every file goes to a temporary file in the
output folder first; only when all of them are complete are they moved into
place with :func:`os.replace`. A failure (a full disk, Ctrl-C) removes the
temporary files and leaves whatever was in the folder before untouched; a failure
among the renames puts back what the earlier renames replaced, and Ctrl-C is held
back while they run, so the set of renames finishes or is undone, never half done.
A process killed outright (SIGKILL, a power cut) cannot clean up: its temporary files
carry its process id, and the next write into the folder removes those whose process
is gone.

A name in the folder that is a symbolic link is never followed: the link itself is
replaced by the new file, wherever it pointed. :func:`confined_path` is the reading
side of the same rule, for files taken from a folder that arrived by email (templates,
theme, reference document, fonts): a path whose real location leaves the folder is refused.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import signal
import tempfile
import unicodedata
from pathlib import Path

from .interrupts import ctrl_c_handled

MAX_NAME_BYTES = 120
FALLBACK = "spec"
TEMP_PREFIX = ".kit-"
_LEFT_BEHIND = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-[^/]*\.(tmp|probe|old)")
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", "clock$", "conin$", "conout$"} | {
    f"{device}{suffix}" for device in ("com", "lpt") for suffix in "0123456789¹²³"}
# The version keeps its dots (v0.3), but never two in a row or at either end.
_VERSION_MAX_CHARS = 20


class WriteError(Exception):
    """Files could not be written; the message says why and what to do, in plain words."""


class FilesExist(WriteError):
    """Writing would replace files the caller asked to keep."""


class OutsideFolder(ValueError):
    """A file asked for inside a folder really lies outside it (a symbolic link, ``..``)."""


def confined_path(folder: str | os.PathLike, name: str | os.PathLike) -> Path:
    """The real path of ``folder/name``, every symbolic link resolved, if it stays in ``folder``.

    Raises :class:`OutsideFolder` when ``name`` is absolute, climbs out with
    ``..``, or passes through a symbolic link whose target lies outside the
    folder's own real path. The file need not exist: the caller checks that.
    Use it for every file read from a folder someone else supplied.
    """
    root = Path(folder).resolve()
    if Path(name).is_absolute():
        raise OutsideFolder(f"{name} is not inside {root}")
    real = (root / name).resolve()
    if real != root and root not in real.parents:
        raise OutsideFolder(f"{name} leads outside {root}")
    return real


def slug(text: str, *, keep: str = "") -> str:
    """Lower-case letters, marks and digits of ``text`` joined by single hyphens.

    Characters in ``keep`` (e.g. ``"."`` for a version) survive, but never two
    in a row and never at either end. Returns "" when nothing usable is left.
    """
    text = unicodedata.normalize("NFC", str(text)).lower()
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LN" or (category[0] == "M" and out and out[-1] not in "-" + keep):
            out.append(char)
        elif char in keep:
            if out and out[-1] not in "-" + keep:
                out.append(char)
        elif out and out[-1] != "-":
            out.append("-")
    result = "".join(out).strip("-" + keep)
    # A mark may have followed a character later stripped; NFC again keeps it composed.
    result = unicodedata.normalize("NFC", result)
    if result.split(".")[0] in _WINDOWS_DEVICES:
        result = f"{result}-{FALLBACK}"
    return result


def _cut(text: str, max_bytes: int) -> str:
    """``text`` shortened to at most ``max_bytes`` of UTF-8, never inside a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= max_bytes:
        return text
    cut = encoded[:max(max_bytes, 0)].decode("utf-8", errors="ignore")
    # Never end on a half-kept combining sequence or a separator.
    while cut and unicodedata.category(cut[-1])[0] == "M":
        cut = cut[:-1]
    return cut.rstrip("-.")


def file_name(title: str, version: str, key: str, extension: str, language: str = "") -> str:
    """The safe file name ``<title-slug>_v<version>_<key>.<ext>`` (at most 120 bytes); a
    language version's ``<title-slug>_v<version>_<key>_<language>.<ext>``."""
    extension = slug(extension) or "bin"
    key_part = (slug(key) or "document") + (f"_{slug(language)}" if language else "")
    version_part = _cut(slug(version, keep="."), _VERSION_MAX_CHARS).rstrip(".")
    tail = (f"_v{version_part}" if version_part else "") + f"_{key_part}.{extension}"
    room = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    if room < len(FALLBACK):
        # Only a pathological key gets here; shorten it rather than the title.
        key_part = _cut(key_part, max(len(key_part.encode("utf-8")) + room - 40, 8))
        tail = (f"_v{version_part}" if version_part else "") + f"_{key_part}.{extension}"
        room = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    stem = _cut(slug(title), room) or FALLBACK
    return stem + tail


def target_path(outdir: str | os.PathLike, name: str) -> Path:
    """``outdir/name``, refusing any name that would land outside ``outdir``.

    The last component is not resolved: a symbolic link of that name is the
    entry to replace, never a way to reach its target.
    """
    folder = Path(outdir).resolve()
    if name in ("", ".", "..") or Path(name).name != name or "/" in name or os.sep in name:
        raise WriteError(f"refusing to write {name!r}: it would land outside {folder}")
    return folder / name


def _explain(exc: OSError, outdir: Path, name: str = "") -> str:
    what = f"{name} in {outdir}" if name else f"in {outdir}"
    if exc.errno == errno.ENOSPC or exc.errno == getattr(errno, "EDQUOT", -1):
        return (f"the disk is full: could not write {what}. Free some space and try again; "
                "the files already in the folder were left as they were")
    if isinstance(exc, PermissionError) or exc.errno == errno.EROFS:
        return (f"cannot write {what}: permission denied. Choose a folder you can write to "
                "instead, or change this folder's permissions")
    if isinstance(exc, (NotADirectoryError, FileExistsError)):
        return f"{outdir} is a file, not a folder: choose another folder for the files"
    return f"cannot write {what}: {exc.strerror or exc}"


def prepare_folder(outdir: str | os.PathLike) -> Path:
    """Create ``outdir`` if needed and prove it is writable; raise ``WriteError`` if not."""
    folder = Path(outdir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder = folder.resolve()
        handle, probe = tempfile.mkstemp(prefix=_temp_prefix(), suffix=".probe", dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise WriteError(_explain(exc, folder)) from None
    _remove_left_behind(folder)
    return folder


def _temp_prefix() -> str:
    return f"{TEMP_PREFIX}{os.getpid()}-"


def _remove_left_behind(folder: Path) -> None:
    """Delete the temporary files of kit processes that were killed before they could."""
    try:
        with os.scandir(folder) as entries:
            stale = [e.path for e in entries if (m := _LEFT_BEHIND.fullmatch(e.name))
                     and not _running(int(m.group(1))) and e.is_file(follow_symlinks=False)]
    except OSError:
        return
    for path in stale:
        try:
            os.unlink(path)
        except OSError:
            pass  # another run got there first, or the folder is read-only: harmless


def _running(pid: int) -> bool:
    # On Windows os.kill(pid, 0) would terminate the process: never ask there.
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # someone else's process, or no such number: leave the file alone
    return True


def write_files(outdir: str | os.PathLike, files: list[tuple[str, bytes]], *,
                overwrite: bool = True) -> list[Path]:
    """Write ``(name, data)`` pairs into ``outdir`` atomically; return the paths written.

    Every file is written in full to a temporary file beside its target before
    any target is replaced, so a failure part-way leaves no partial or temporary
    file and no target changed. With ``overwrite=False`` an existing target is
    refused before anything is written.
    """
    folder = prepare_folder(outdir)
    targets = [target_path(folder, name) for name, _ in files]
    if not overwrite:
        existing = [t.name for t in targets if os.path.lexists(t)]
        if existing:
            raise FilesExist(f"{', '.join(existing)} already in {folder}")
    staged: list[str] = []
    current = ""
    try:
        for (name, data), target in zip(files, targets):
            current = name
            handle, temp = _temp_file(folder)
            staged.append(temp)
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
        with _ctrl_c_held_back():
            _move_into_place(staged, targets, folder)
        staged.clear()
    except OSError as exc:
        raise WriteError(_explain(exc, folder, current)) from None
    finally:
        for temp in staged:
            _remove(temp)
    return targets


def _move_into_place(staged: list[str], targets: list[Path], folder: Path) -> None:
    """Rename every staged file onto its target: all of them, or none (what was there is put back).

    Before a target is replaced, a hard link keeps its old content under a
    temporary name; on any failure the renames done so far are undone from those.
    """
    done: list[tuple[Path, str | None]] = []  # target, the backup of what it replaced
    current = ""
    try:
        for temp, target in zip(staged, targets):
            current = target.name
            backup = _keep_old(target, folder)
            done.append((target, backup))
            os.replace(temp, target)
    except BaseException as exc:
        for target, backup in reversed(done):
            try:
                if backup is not None:
                    os.replace(backup, target)
                    _remove(backup)  # rename does nothing between two links to one file
                else:  # there was nothing: take the new file away again
                    os.unlink(target)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise WriteError(_explain(exc, folder, current)) from None
        raise
    for _target, backup in done:
        if backup is not None:
            _remove(backup)


def _keep_old(target: Path, folder: Path) -> str | None:
    """A hidden hard link to what ``target`` is now (the link itself for a symbolic link), or None."""
    if not os.path.lexists(target):
        return None
    backup = os.path.join(folder, f"{_temp_prefix()}{secrets.token_hex(6)}.old")
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError:  # no hard links here (some network and FAT file systems): move it aside
        os.replace(target, backup)
    return backup


class _ctrl_c_held_back(ctrl_c_handled):
    """Note Ctrl-C instead of acting on it for the duration; act on it on leaving."""

    def __init__(self) -> None:
        self.caught: list = []
        super().__init__(lambda: self.caught.append(True))

    def __exit__(self, exc_type, *exc) -> bool:
        previous = self.previous
        super().__exit__(exc_type, *exc)
        if previous is not None and self.caught and exc_type is None:
            if callable(previous):
                previous(signal.SIGINT, None)  # Python's own raises KeyboardInterrupt
            elif previous != signal.SIG_IGN:
                raise KeyboardInterrupt
        return False


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _temp_file(folder: Path) -> tuple[int, str]:
    """A new temporary file in ``folder``, readable by others as the umask allows.

    Created like mkstemp (exclusive, never through a link) but with mode 0o644
    for the kernel to mask: documents are for sharing, and reading the umask
    would mean setting it, process-wide, under other threads' feet.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    while True:
        path = os.path.join(folder, f"{_temp_prefix()}{secrets.token_hex(6)}.tmp")
        try:
            return os.open(path, flags, 0o644), path
        except FileExistsError:
            continue
