"""``kit diff`` behind the command line: check both specs, compare, write redlines and the summary.

Nothing is written unless both specs pass ``kit check`` and every file could be
made; the files are then written together (atomically, like ``kit render``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..api import EXIT_ERRORS, EXIT_OK, CheckResult, check_file
from .design import Comparison, compare


@dataclass
class DiffResult:
    """What comparing two specs found and wrote."""

    old: CheckResult
    new: CheckResult
    comparison: Comparison | None = None
    files: list = field(default_factory=list)  # (name, bytes), in memory
    written: list = field(default_factory=list)  # paths
    problem: str = ""  # could not render or write
    diagnostics: list = field(default_factory=list)  # render problems (templates, theme)

    @property
    def checks(self) -> list[CheckResult]:
        return [self.old, self.new]

    @property
    def warnings(self) -> list[str]:
        if self.comparison is None:
            return []
        a, b = self.comparison.old.process.title, self.comparison.new.process.title
        if a != b:
            return [f"the two versions have different titles (“{a}” and “{b}”): they may be two "
                    "different processes; everything that differs is shown as deleted and inserted"]
        return []

    @property
    def exit_code(self) -> int:
        codes = [r.exit_code for r in self.checks if not r.ok]
        if codes:
            return max(codes)
        return EXIT_ERRORS if self.problem or self.diagnostics else EXIT_OK


def diff_files(old_path, new_path, outdir: str | os.PathLike | None, *, author: str | None = None,
               only=None, formats=("docx", "pdf"), templates_dir=None, parallel: bool = True) -> DiffResult:
    """Check both specs, compare them and, with ``outdir``, write the redlines and the changes document.

    ``outdir`` None compares only (nothing is rendered). Bad ``formats`` or
    ``only`` raise ``ValueError``.
    """
    from ..render.pipeline import check_documents, check_formats

    formats, only = check_formats(formats), check_documents(only)
    result = DiffResult(check_file(old_path), check_file(new_path))
    if not (result.old.ok and result.new.ok):
        return result
    result.comparison = compare(result.old.design, result.new.design)
    if outdir is None:
        return result
    from ..render.files import WriteError, write_files
    from ..render.pipeline import RenderError

    try:
        result.files = render_diff(result, author=author, only=only, formats=formats,
                                   templates_dir=templates_dir, parallel=parallel)
    except RenderError as exc:
        result.diagnostics = list(exc.diagnostics)
        return result
    try:
        result.written = write_files(outdir, result.files)
    except WriteError as exc:
        result.problem = str(exc)
    return result


def render_diff(result: DiffResult, *, author, only, formats, templates_dir, parallel) -> list:
    """(file name, bytes) of every redline, blackline and the changes document, in memory."""
    from ..render.background import Job
    from ..render.build import build_documents
    from ..render.files import file_name
    from ..render.pipeline import load_theme
    from .redline import redline
    from .summary import changes_document

    old, new = result.old.design, result.new.design
    author = author or new.process.prepared_by or "framework-kit"
    theme = load_theme(templates_dir)
    before = {b.key: b for b in build_documents(old, result.old, only=only, templates_dir=templates_dir)}
    after = {b.key: b for b in build_documents(new, result.new, only=only, templates_dir=templates_dir)}
    keys = list(after) + [k for k in before if k not in after]
    compared = f"version {old.process.version} of {_long(old.process.date)}"
    trees = [(key, redline(before[key].tree if key in before else None,
                           after[key].tree if key in after else None,
                           author=author, date=new.process.date.isoformat(), compared_with=compared))
             for key in keys]
    versions = f"{old.process.version}-v{new.process.version}"
    title = new.process.file_title

    def name(key: str, fmt: str, suffix: str = "_redline") -> str:
        stem, _, extension = file_name(title, versions, key, fmt).rpartition(".")
        return f"{stem}{suffix}.{extension}"

    summary = changes_document(result.comparison, author=author)
    documents = [(key, "_redline", tree) for key, tree in trees] + [("changes", "", summary)]
    # A cold diff lays out one more document than a render, and the redlines are longer:
    # the child process that writes the DOCX files also takes the last PDFs, so that both
    # cores finish together (a PDF costs about four DOCX files).
    both = "docx" in formats and "pdf" in formats and parallel
    here = max(1, round(len(documents) * 5 / 8)) if both else len(documents)
    trees_only = [tree for _, _, tree in documents]

    def child_work():
        docx = [_docx(tree, theme) for tree in trees_only] if "docx" in formats else []
        pdf = [_pdf(tree, theme) for tree in trees_only[here:]] if "pdf" in formats else []
        return docx, pdf

    job = Job(child_work, fork=both) if ("docx" in formats or here < len(documents)) else None
    try:
        pdfs = [_pdf(tree, theme) for tree in trees_only[:here]] if "pdf" in formats else []
    except BaseException:
        if job is not None:
            job.cancel()
        raise
    docxs, rest = job.result() if job is not None else ([], [])
    pdfs += rest
    out = []
    for index, (key, suffix, _) in enumerate(documents):
        if docxs:
            out.append((name(key, "docx", suffix), docxs[index]))
        if pdfs:
            out.append((name(key, "pdf", suffix), pdfs[index]))
    return out


def _long(date) -> str:
    from ..render.view import long_date

    return long_date(date)


def _pdf(tree, theme) -> bytes:
    from ..render.pipeline import RenderError
    from ..render.writers import pdf

    try:
        return pdf.write(tree, theme)[0]
    except pdf.PdfError as exc:
        from ..diagnostics import error
        from ..render.codes import OUTPUT_PROBLEM

        raise RenderError([error(OUTPUT_PROBLEM, f"{tree.meta.title}: {exc}",
                                 help="shorten the text or split the table that does not fit")]) from None


def _docx(tree, theme) -> bytes:
    from ..render.writers import docx

    return docx.write(tree, theme, None)
