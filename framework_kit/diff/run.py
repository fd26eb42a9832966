"""``kit diff`` behind the command line: check both specs, compare, write redlines and the summary.

It sits above :mod:`framework_kit.api`, like the command line: the specs are
checked, their documents built and the merged trees written through the API.
Nothing is written unless both specs pass ``kit check`` and every file could be
made; the files are then written together (atomically, like ``kit render``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .. import api
from .design import Comparison, compare


@dataclass
class DiffResult:
    """What comparing two specs found and wrote."""

    old: api.CheckResult
    new: api.CheckResult
    comparison: Comparison | None = None
    files: list = field(default_factory=list)  # (name, bytes), in memory
    written: list = field(default_factory=list)  # paths
    problem: str = ""  # the files could not be written
    diagnostics: list = field(default_factory=list)  # render problems (templates, theme, layout)

    @property
    def checks(self) -> list[api.CheckResult]:
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
        return api.EXIT_ERRORS if self.problem or self.diagnostics else api.EXIT_OK


def _first(design) -> str:
    """The language version a redline shows: a process in several languages is compared in
    its first language (the one the rules read); "" names the only version of the others."""
    return design.process.languages[0] if len(design.process.languages) > 1 else ""


def diff_files(old_path, new_path, outdir: str | os.PathLike | None, *, author: str | None = None,
               only=None, formats=("docx", "pdf"), templates_dir=None, executor=None) -> DiffResult:
    """Check both specs, compare them and, with ``outdir``, write the redlines and the changes document.

    ``outdir`` None compares only (nothing is rendered). ``executor`` (a
    ``concurrent.futures``-like executor) lays out part of the files side by side, as
    ``api.write_documents`` does. Bad ``formats`` or ``only`` raise ``ValueError``.
    """
    formats, only = api.check_formats(formats), api.check_documents(only)
    result = DiffResult(api.check_file(old_path), api.check_file(new_path))
    if not (result.old.ok and result.new.ok):
        return result
    result.comparison = compare(result.old.design, result.new.design)
    if outdir is None:
        return result
    from ..diagnostics import RenderError
    from ..output import WriteError, write_files

    try:
        result.files = render_diff(result, author=author, only=only, formats=formats,
                                   templates_dir=templates_dir, executor=executor)
    except RenderError as exc:
        result.diagnostics = [d if d.file else d.with_file(result.new.file) for d in exc.diagnostics]
        return result
    try:
        result.written = write_files(outdir, result.files)
    except WriteError as exc:
        result.problem = str(exc)
    return result


def render_diff(result: DiffResult, *, author, only, formats, templates_dir, executor=None) -> list:
    """(file name, bytes) of every redline, blackline and the changes document, in memory."""
    from ..output import file_name
    from ..render.build import BuiltDocument
    from ..render.view import long_date
    from .redline import redline
    from .summary import changes_document

    old, new = result.old.design, result.new.design
    author = author or new.process.prepared_by or "framework-kit"
    before = {b.key: b for b in api.build_documents(old, result.old.assessment, only=only,
                                                     templates_dir=templates_dir) if b.language == _first(old)}
    after = {b.key: b for b in api.build_documents(new, result.new.assessment, only=only,
                                                    templates_dir=templates_dir) if b.language == _first(new)}
    compared = f"version {old.process.version} of {long_date(old.process.date)}"
    built = []
    for key in list(after) + [k for k in before if k not in after]:
        one = after.get(key) or before[key]
        tree = redline(before[key].tree if key in before else None,
                       after[key].tree if key in after else None,
                       author=author, date=new.process.date.isoformat(), compared_with=compared)
        built.append(BuiltDocument(one.document, key, one.title, tree))
    summary = changes_document(result.comparison, author=author)
    built.append(BuiltDocument("changes", "changes", summary.meta.title, summary))
    versions = f"{old.process.version}-v{new.process.version}"

    def name(key: str, fmt: str) -> str:
        stem, _, extension = file_name(new.process.file_title, versions, key, fmt).rpartition(".")
        return f"{stem}{'' if key == 'changes' else '_redline'}.{extension}"

    # As for a render, the executor's worker writes the DOCX files while this process lays out
    # the PDFs: sharing the PDFs out too would make the worker load reportlab and the fonts
    # as well, which costs more than it saves on a busy machine.
    files = api.write_documents(new, built, formats=formats, templates_dir=templates_dir, executor=executor)
    by_key = {(f.key, f.format): f.data for f in files}
    return [(name(item.key, fmt), by_key[item.key, fmt]) for item in built for fmt in formats]


__all__ = ["DiffResult", "diff_files", "render_diff"]
