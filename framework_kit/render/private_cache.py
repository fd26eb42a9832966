"""The user's own cache folder, for what framework-kit keeps between runs.

What is kept there is read back as trusted (compiled templates are run, font
facts are drawn into documents), so a folder is used only when it is a real
folder owned by the user that nobody else may write to, nor to the folders above
it up to the cache root (``$XDG_CACHE_HOME`` or ``~/.cache``). ``KIT_NO_CACHE``
turns every cache off. Whatever goes wrong gives None: the caller then works as
if there were no cache, with the same output.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile
from pathlib import Path


def private_folder(name: str) -> Path | None:
    """``<cache root>/framework-kit/<name>``, created private (0700), or None when none is safe."""
    if os.environ.get("KIT_NO_CACHE") or not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    folder = Path(base) / "framework-kit" / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        for path in (Path(base), folder.parent, folder):
            info = os.lstat(path)
            if (not stat.S_ISDIR(info.st_mode) or info.st_uid not in (os.getuid(), 0)
                    or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
                return None
        if os.lstat(folder).st_uid != os.getuid():
            return None
    except OSError:
        return None
    return folder


def kept_file(name: str, key: bytes, suffix: str) -> Path | None:
    """The file in the private folder ``name`` that keeps what ``key`` stands for (named by its
    hash), or None when no folder is safe."""
    folder = private_folder(name)
    if folder is None:
        return None
    return folder / f"{hashlib.sha256(key).hexdigest()[:32]}{suffix}"


def read_kept(file: Path | None) -> bytes | None:
    """What ``file`` holds, or None when there is no such file or it cannot be read."""
    if file is None:
        return None
    try:
        return file.read_bytes()
    except OSError:
        return None


def keep(file: Path | None, data: bytes) -> None:
    """Write ``data`` to ``file`` whole or not at all (another run may read it meanwhile);
    a full disk or a read-only home only means the next run works it out again."""
    if file is None:
        return
    try:
        handle = tempfile.NamedTemporaryFile(dir=file.parent, suffix=".tmp", delete=False)
    except OSError:
        return
    try:
        with handle:
            handle.write(data)
        os.replace(handle.name, file)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(handle.name)
