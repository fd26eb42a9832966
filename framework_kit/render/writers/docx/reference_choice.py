"""Which reference document a render takes its styles from, decided without reading it.

The one given, else the templates folder's reference.docx, else none (the
theme's default styles). Kept apart from :mod:`.reference`, which parses a
reference with lxml: choosing needs neither, and the command line chooses in
the process that lays out the PDFs while a child writes the DOCX files.
"""

from __future__ import annotations

from pathlib import Path

from ..base import WriterError

REFERENCE_FILE = "reference.docx"


class ReferenceDocError(WriterError):
    """A reference document that cannot be used; the message says why, in plain words."""

    code = "R002"
    help = "check the reference document given, or the reference.docx in the templates folder"
    file = ""  # the reference document's path, when known


def reference_file(reference_doc, templates_dir) -> tuple[bytes | None, str]:
    """The reference document's bytes and path: the one given, else the templates folder's.

    ``(None, "")`` means the theme's default (and so does an unmodified copy of it:
    see :func:`.reference.load_reference`).
    """
    path = Path(reference_doc) if reference_doc is not None else None  # the user's own choice
    if path is None and templates_dir is not None and _inside(Path(templates_dir)).is_file():
        path = Path(templates_dir) / REFERENCE_FILE
    if path is None:
        return None, ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else (
            "permission denied" if isinstance(exc, PermissionError) else exc.strerror or str(exc))
        error = ReferenceDocError(f"the reference document cannot be read ({reason})",
                                  help="check the file's name and permissions")
        error.file = str(path)
        raise error from None
    return data, str(path)


def _inside(folder: Path) -> Path:
    """The real path of the folder's reference.docx; R002 when a symbolic link leads out of it."""
    from ....output import OutsideFolder, confined_path

    try:
        return confined_path(folder, REFERENCE_FILE)
    except OutsideFolder:
        error = ReferenceDocError(f"{REFERENCE_FILE} is a symbolic link leading outside the templates "
                                  "folder; only files inside it are read",
                                  help=f"put a real {REFERENCE_FILE} in the folder")
        error.file = str(folder / REFERENCE_FILE)
        raise error from None
