"""The packaged templates, compiled once per installation instead of once per run.

Compiling the four document templates costs a cold ``kit render`` about 40 ms,
more than rendering them. Jinja can keep the compiled code between runs; this
cache keeps it in the user's own cache folder (:mod:`.private_cache`: loading
compiled code runs it, so the folder must be the user's alone), and only for
the packaged templates: a drafter's templates change too often to be worth it.
Its name carries a digest of this package's sandbox code and of Jinja's
version, so compiled code never outlives the sandbox that produced it. Any failure (a read-only home, a damaged file)
falls back to compiling, as if there were no cache; the output is the same
either way.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from jinja2 import __version__ as jinja_version
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from .private_cache import private_folder

_SANDBOX_SOURCES = ("templates.py", "sandbox.py", "template_cache.py", "private_cache.py")


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
    digest = _digest()
    folder = private_folder(f"templates-{digest}") if digest is not None else None
    return DefaultsBytecodeCache(folder, defaults) if folder is not None else None


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
