"""The user's own cache folder, for what framework-kit keeps between runs.

What is kept there is read back as trusted (compiled templates are run, font
facts are drawn into documents), so a folder is used only when it is a real
folder owned by the user that nobody else may write to, nor to the folders above
it up to the cache root (``$XDG_CACHE_HOME`` or ``~/.cache``). ``KIT_NO_CACHE``
turns every cache off. Whatever goes wrong gives None: the caller then works as
if there were no cache, with the same output.
"""

from __future__ import annotations

import os
import stat
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
