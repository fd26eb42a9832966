"""The folder the studio was started on: the only place it reads specs from or saves them to.

A browser page, or anything else that reaches the port, names a spec by its path
relative to that folder. Every such name is resolved (symbolic links followed) and
refused unless it lands on a spec file inside the folder: ``../../etc/passwd``, an
absolute path or a link pointing out of the folder all end as :class:`Refused`.
Saving writes only over a spec that is already there (the file it was opened
from), atomically, never a new file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ..spec.load import MAX_BYTES, SPEC_SUFFIXES

MAX_LISTED = 500  # a folder with more specs than this is not a design folder


class Refused(Exception):
    """A name the studio will not read or write; the message says why, plainly."""

    status = 403


class NotFound(Refused):
    status = 404


@dataclass(frozen=True)
class Workspace:
    """The folder (resolved) and, when started on one file, that file alone."""

    root: Path
    only: Path | None = None

    @classmethod
    def open(cls, path: str | os.PathLike) -> "Workspace":
        """The workspace of ``kit serve PATH``: a folder, or a spec file and its folder.

        Raises ``FileNotFoundError``/``NotADirectoryError`` with a plain message.
        """
        target = Path(path).resolve()
        if target.is_dir():
            return cls(target)
        if target.is_file():
            if target.suffix.lower() not in SPEC_SUFFIXES:
                raise NotADirectoryError(f"{path} is not a spec (.yaml) or a folder")
            return cls(target.parent, target)
        raise FileNotFoundError(f"{path}: no such file or folder")

    def specs(self) -> list[str]:
        """The spec files the studio offers, as names relative to the folder, sorted."""
        if self.only is not None:
            return [self.only.name]
        found = []
        for entry in sorted(self.root.iterdir(), key=lambda p: p.name):
            if entry.suffix.lower() in SPEC_SUFFIXES and not entry.name.startswith(".") \
                    and self._inside(entry) and entry.is_file():
                found.append(entry.name)
                if len(found) >= MAX_LISTED:
                    break
        return found

    def default(self) -> str | None:
        """The spec to open first: the one the studio was started on, else the first listed."""
        specs = self.specs()
        return specs[0] if specs else None

    def resolve(self, name: str) -> Path:
        """The file a relative ``name`` stands for; ``Refused`` unless it is one of :meth:`specs`."""
        if not name or "\x00" in name or Path(name).is_absolute() or "\\" in name:
            raise Refused(f"'{name}' is not a spec in this folder")
        target = (self.root / name).resolve()
        if not self._inside(target):
            raise Refused(f"'{name}' is outside the folder the studio was started on")
        if self.only is not None and target != self.only:
            raise Refused(f"the studio was started on {self.only.name}; it opens no other file")
        if target.suffix.lower() not in SPEC_SUFFIXES:
            raise Refused(f"'{name}' is not a spec file (.yaml or .yml)")
        if not target.is_file():
            raise NotFound(f"'{name}': no such spec in this folder")
        return target

    def read(self, name: str) -> bytes:
        """The bytes of the spec ``name`` (at most the spec size limit, plus one to refuse it)."""
        target = self.resolve(name)
        try:
            with target.open("rb") as handle:
                return handle.read(MAX_BYTES + 1)
        except OSError as exc:
            raise Refused(f"'{name}' cannot be read ({exc.strerror or exc})") from None

    def save(self, name: str, data: bytes) -> Path:
        """Replace the spec ``name`` with ``data``, all at once; it must exist already."""
        from ..output import WriteError, write_files

        target = self.resolve(name)
        try:
            return write_files(target.parent, [(target.name, data)])[0]
        except WriteError as exc:
            raise Refused(str(exc)) from None

    def _inside(self, path: Path) -> bool:
        resolved = path.resolve()
        return resolved == self.root or self.root in resolved.parents
