"""The packaged templates, compiled once per installation instead of once per run.

Compiling the four document templates costs a cold ``kit render`` about 40 ms,
more than rendering them. Jinja can keep the compiled code between runs; this
cache keeps it in the user's own cache folder (``$XDG_CACHE_HOME`` or
``~/.cache``, then ``framework-kit``), and only for the packaged templates:
a drafter's templates change too often to be worth it.

Loading compiled code runs it, so the folder must be the user's alone: it is
created private (0700) and used only when it is a real folder owned by the
user that nobody else may write to. Its name carries a digest of this
package's sandbox code and of Jinja's version, so compiled code never outlives
the sandbox that produced it. Any failure (a read-only home, a damaged file)
falls back to compiling, as if there were no cache; the output is the same
either way.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from jinja2 import __version__ as jinja_version
from jinja2.bccache import Bucket, FileSystemBytecodeCache

_SANDBOX_SOURCES = ("templates.py", "sandbox.py", "template_cache.py")


class DefaultsBytecodeCache(FileSystemBytecodeCache):
    """Compiled code of the templates under ``defaults``, kept in ``directory``."""

    def __init__(self, directory: Path, defaults: Path):
        super().__init__(str(directory), "%s.jinja")
        self.defaults = str(defaults) + os.sep

    def get_bucket(self, environment, name, filename, source) -> Bucket:
        if not filename or not filename.startswith(self.defaults):
            return Bucket(environment, "", self.get_source_checksum(source))  # not kept
        return super().get_bucket(environment, name, filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        if not bucket.key:
            return
        try:
            super().load_bytecode(bucket)
        except Exception:  # a damaged or foreign file: compile as if it were not there
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        if not bucket.key:
            return
        try:
            super().dump_bytecode(bucket)
        except OSError:  # a full disk or a read-only home: the next run compiles again
            pass


def defaults_cache(defaults: Path) -> DefaultsBytecodeCache | None:
    """The cache for the packaged templates in ``defaults``, or None when no safe folder exists."""
    if os.environ.get("KIT_NO_CACHE") or not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    if not os.path.isabs(base):
        return None
    digest = _digest()
    if digest is None:
        return None
    folder = Path(base) / "framework-kit" / f"templates-{digest}"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Nobody else may write to the folder or to those above it, up to the cache root.
        for path in (Path(base), folder.parent, folder):
            info = os.lstat(path)
            if (not stat.S_ISDIR(info.st_mode) or info.st_uid not in (os.getuid(), 0)
                    or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
                return None
        if os.lstat(folder).st_uid != os.getuid():
            return None
    except OSError:
        return None
    return DefaultsBytecodeCache(folder, defaults)


def _digest() -> str | None:
    """What the compiled code depends on: the sandbox's code and Jinja's version (None: unknown)."""
    digest = hashlib.sha256(jinja_version.encode())
    here = Path(__file__).resolve().parent
    for name in _SANDBOX_SOURCES:
        try:
            digest.update((here / name).read_bytes())
        except OSError:
            return None
    return digest.hexdigest()[:16]
