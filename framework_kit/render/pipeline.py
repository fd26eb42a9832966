"""Design -> rendered files in memory: templates, document tree, writers.

Writing to disk is :mod:`framework_kit.render.files`; this module returns bytes.
Nothing here reads the clock: every date comes from the spec (the writers take
it from ``meta.date``), so the same spec and templates give the same bytes.

Data files are looked up in the user's templates folder first, then in the
packaged defaults: ``theme.yaml`` and ``reference.docx`` here, the document
templates in :mod:`framework_kit.render.templates`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..data import data_folder
from ..diagnostics import Diagnostic, error
from .codes import OUTPUT_PROBLEM, REFERENCE_PROBLEM, THEME_PROBLEM

FORMATS = ("docx", "pdf")
DOCUMENTS = ("brief", "term-sheets", "buffer-zone-annex", "cbm-schedule")
THEME_FILE = "theme.yaml"
REFERENCE_FILE = "reference.docx"
# What ``kit templates export`` copies: the same patterns the wheel ships.
EXPORTED_PATTERNS = ("*.xml", "*.yaml", "*.md")


@dataclass(frozen=True)
class RenderedFile:
    """One output file, in memory."""

    document: str  # brief | term-sheets | buffer-zone-annex | cbm-schedule
    key: str  # brief | term-sheet-<table-id> | buffer-zone-annex | cbm-schedule
    title: str  # human title, e.g. "Term Sheet — Table A: Bilateral Negotiations"
    filename: str  # safe file name, e.g. "ukraine-three-level-process_v0.3_brief.pdf"
    format: str  # pdf | docx
    data: bytes
    pages: int | None  # known for PDF; for DOCX the PDF twin's count when rendered


class RenderError(Exception):
    """Rendering failed in a way the user can fix (a template error, a bad theme)."""

    def __init__(self, diagnostics):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


def default_templates_folder() -> Path:
    """The packaged templates: inside the installed package, else the checkout's templates/."""
    return data_folder("templates")


def check_formats(formats) -> tuple[str, ...]:
    """The formats in canonical order; ``ValueError`` naming any unknown one."""
    return tuple(_choose(formats, FORMATS, "format"))


def check_documents(only) -> list[str] | None:
    """The documents asked for, in canonical order, or None for all; ``ValueError`` if unknown."""
    return None if only is None else _choose(only, DOCUMENTS, "document")


def _choose(given, known: tuple[str, ...], what: str) -> list[str]:
    given = [given] if isinstance(given, str) else given
    chosen = [str(item).strip().lower() for item in given]
    unknown = [item for item in chosen if item not in known]
    if unknown or not chosen:
        raise ValueError(f"unknown {what} {', '.join(map(repr, unknown)) or '(none)'}; "
                         f"choose from {', '.join(known)}")
    return [item for item in known if item in chosen]


def load_theme(templates_dir: str | os.PathLike | None = None):
    """The theme from ``templates_dir/theme.yaml`` if there is one, else the packaged default."""
    from .theme import ThemeError

    path = default_templates_folder() / THEME_FILE
    if templates_dir is not None:
        folder = Path(templates_dir)
        if not folder.is_dir():
            raise RenderError([_problem(THEME_PROBLEM, "the templates folder does not exist",
                                        str(folder), "give the folder written by 'kit templates export'")])
        if (folder / THEME_FILE).is_file():
            path = folder / THEME_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RenderError([_problem(THEME_PROBLEM, f"the theme cannot be read ({_reason(exc)})",
                                    str(path), "check the file, or export a fresh copy")]) from None
    try:
        return _parsed_theme(text, path.name)
    except ThemeError as exc:
        raise RenderError([_problem(THEME_PROBLEM, str(exc), str(path),
                                    "compare with the theme.yaml that 'kit templates export' writes")]) from None


@lru_cache(maxsize=8)
def _parsed_theme(text: str, source: str):
    """A batch reads the same theme file for every spec: parse each text once (themes are frozen)."""
    from .theme import parse_theme

    return parse_theme(text, source=source)


def load_reference(reference_doc, templates_dir, theme) -> bytes | None:
    """The reference document's bytes: the one given, else the templates folder's, else None.

    None means the theme's default. So does an unmodified copy of the default
    (an export): its output stays byte-identical to the default's, and a page
    size changed in the folder's theme.yaml still reaches the DOCX.
    """
    path = Path(reference_doc) if reference_doc is not None else None
    if path is None and templates_dir is not None and (Path(templates_dir) / REFERENCE_FILE).is_file():
        path = Path(templates_dir) / REFERENCE_FILE
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RenderError([_problem(REFERENCE_PROBLEM, f"the reference document cannot be read "
                                    f"({_reason(exc)})", str(path),
                                    "check the file's name and permissions")]) from None
    from .reference import reference_docx

    unmodified = data == reference_docx(theme) or data == reference_docx(load_theme(None))
    return None if unmodified else data


def render_design(design, result, *, formats=("docx", "pdf"), only=None, templates_dir=None,
                  reference_doc=None, parallel=True) -> list[RenderedFile]:
    """Render a checked design (``result`` is its CheckResult, for waivers and rule outcomes).

    Only the writers of the formats asked for are loaded. A DOCX file carries the
    page count of its PDF twin when both are rendered. Raises ``RenderError`` (with
    diagnostics) on template, theme, reference-document or layout problems. With
    ``parallel``, the DOCX files are written in a child process while this one
    writes the PDFs, where that is safe (:mod:`.background`).
    """
    formats = check_formats(formats)
    documents = check_documents(only)
    theme = load_theme(templates_dir)
    reference = load_reference(reference_doc, templates_dir, theme) if "docx" in formats else None
    built = _build(design, result, documents, templates_dir)
    from .background import Job
    from .files import file_name

    docx_job = Job(lambda: [_write_docx(item, theme, reference, reference_doc, templates_dir)
                            for item in built], fork=parallel and "pdf" in formats) if "docx" in formats else None
    try:
        pdfs = [_write_pdf(item, theme) for item in built] if "pdf" in formats else None
    except BaseException:
        if docx_job is not None:
            docx_job.cancel()
        raise
    docxs = docx_job.result() if docx_job is not None else None
    process = design.process
    out: list[RenderedFile] = []
    for index, item in enumerate(built):
        data = {"pdf": pdfs[index][0] if pdfs else b"", "docx": docxs[index] if docxs else b""}
        pages = pdfs[index][1] if pdfs else None
        for fmt in formats:
            out.append(RenderedFile(
                document=item.document, key=item.key, title=item.title,
                filename=file_name(process.file_title, process.version, item.key, fmt),
                format=fmt, data=data[fmt], pages=pages))
    return out


def export_templates(folder: str | os.PathLike, *, force: bool = False) -> list[Path]:
    """Copy the default templates, theme and README plus a fresh reference.docx into ``folder``.

    Refuses (``WriteError``) to overwrite an existing file unless ``force``.
    """
    from .files import write_files
    from .reference import reference_docx

    source = default_templates_folder()
    names = sorted({p.name for pattern in EXPORTED_PATTERNS for p in source.glob(pattern) if p.is_file()})
    items = [(name, (source / name).read_bytes()) for name in names]
    items.append((REFERENCE_FILE, reference_docx(load_theme(None))))
    return write_files(folder, items, overwrite=force)


# ----------------------------------------------------------------- stages


def _build(design, result, documents, templates_dir):
    from .build import build_documents
    from .templates import TemplateProblem

    try:
        return build_documents(design, result, only=documents, templates_dir=templates_dir)
    except TemplateProblem as exc:
        raise RenderError([exc.diagnostic]) from None


def _write_pdf(item, theme) -> tuple[bytes, int]:
    from .fonts import FontError
    from .writers import pdf

    try:
        return pdf.write(item.tree, theme)
    except (pdf.PdfError, FontError) as exc:
        raise RenderError([_problem(OUTPUT_PROBLEM, f"{item.title}: {exc}", "",
                                    "shorten the text or split the table that does not fit")]) from None


def _write_docx(item, theme, reference, reference_doc, templates_dir) -> bytes:
    from .writers import docx
    from .writers.docx_reference import ReferenceDocError

    try:
        return docx.write(item.tree, theme, reference)
    except ReferenceDocError as exc:
        where = reference_doc or Path(templates_dir or ".") / REFERENCE_FILE
        raise RenderError([_problem(REFERENCE_PROBLEM, str(exc), str(where),
                                    "check the file given to --reference-doc, or the reference.docx "
                                    "in the templates folder")]) from None


def _problem(code: str, message: str, file: str, help: str) -> Diagnostic:
    return error(code, message, help=help).with_file(file)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return getattr(exc, "strerror", None) or str(exc)
