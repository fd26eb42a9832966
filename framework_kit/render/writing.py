"""The built trees written in each format, with a writer's errors turned into diagnostics.

The registry (:mod:`.writers`) writes one tree; this module writes them all, in
every format asked for, optionally in an executor the caller supplies (the
library itself never starts a process), and reports what went wrong the way a
drafter reads it: R002 names the reference document, R003 the document that
could not be laid out (or the spec text that makes too many pages), R004 a
character the font cannot draw.
"""

from __future__ import annotations

from ..diagnostics import RenderError, error


def write_within_bounds(design, built: list, formats, settings, executor=None, source_lines=()) -> dict:
    """:func:`write_side_by_side`, once no character lacks its glyph (R004) and the PDFs'
    pages are within the bound (R003), both at the spec text at fault."""
    from .glyphs import refuse_missing_glyphs
    from .layout_bounds import refuse_too_many_pages, too_many_pages
    from .writers import PageLimit

    refuse_missing_glyphs(design, built, settings.theme, source_lines)
    if "pdf" in formats:
        refuse_too_many_pages(design, built)
    try:
        return write_side_by_side(built, formats, settings, executor)
    except PageLimit as exc:  # counted while laid out: the estimate let it through
        raise RenderError([too_many_pages(exc.title, exc.text, design, design.process.language,
                                          counted=True)]) from None


def write_side_by_side(built: list, formats, settings, executor=None) -> dict:
    """format -> the ``Written`` of each built document, in order.

    With an ``executor``, every format but the last is written there while this
    thread writes the last; a broken executor (a killed worker) has its work
    redone here. The bytes are the same either way.
    """
    elsewhere = formats[:-1] if executor is not None else ()
    pending = {fmt: executor.submit(write_format, fmt, built, settings) for fmt in elsewhere}
    written = {}
    try:
        for fmt in formats:
            if fmt not in pending:
                written[fmt] = write_format(fmt, built, settings)
    finally:
        for fmt, future in pending.items():
            written[fmt] = _collect(future, fmt, built, settings)
    return written


def settings_for(templates_dir, reference_doc, formats):
    """What the writers need: the theme, and the reference document when DOCX is asked for."""
    from .theme import load_theme
    from .writers import Settings

    theme = load_theme(templates_dir)
    if "docx" not in formats:
        return Settings(theme)
    from .writers.docx.reference_choice import ReferenceDocError, reference_file

    try:
        return Settings(theme, *reference_file(reference_doc, templates_dir))
    except ReferenceDocError as exc:
        _raise_writer_problem(exc, None, Settings(theme))


def write_format(fmt: str, built: list, settings) -> list:
    """Every built document in one format; writer errors become diagnostics (``RenderError``).

    The pages of all the documents together stay within ``layout_bounds.MAX_PAGES``;
    beyond, the writer's ``PageLimit`` goes up with the document's title, for the
    caller, who knows the spec, to point at the text.
    """
    from .fonts import FontError
    from .layout_bounds import MAX_PAGES
    from .writers import PageLimit, WriterError, write

    out, item, pages = [], None, 0
    try:
        for item in built:
            out.append(write(fmt, item.tree, settings._replace(max_pages=MAX_PAGES - pages)))
            pages += out[-1].pages or 0
    except PageLimit as exc:
        raise PageLimit(exc.text, item.title) from None
    except (WriterError, FontError) as exc:
        _raise_writer_problem(exc, item, settings)
    return out


def _raise_writer_problem(exc: Exception, item, settings):
    """A writer's error as the diagnostic the user sees: R002 names the reference document,
    R003 the document that could not be laid out."""
    from .codes import OUTPUT_PROBLEM, REFERENCE_PROBLEM

    code = getattr(exc, "code", OUTPUT_PROBLEM)
    help = getattr(exc, "help", "shorten the text or split the table that does not fit")
    if code == REFERENCE_PROBLEM:
        message, file = str(exc), getattr(exc, "file", "") or settings.reference_path
    else:
        message, file = f"{item.title}: {exc}" if item is not None else str(exc), ""
    raise RenderError([error(code, message, help=help).with_file(file)]) from None


def _collect(future, fmt: str, built: list, settings) -> list:
    from concurrent.futures import BrokenExecutor

    try:
        return future.result()
    except BrokenExecutor:  # the worker died (killed, out of memory): do its work here
        return write_format(fmt, built, settings)
