"""The public surface that the CLI and the tests call.

Checking imports only the loader, the model and the rules. Rendering and mail
are imported inside the functions that need them, so ``kit check`` and
``kit --help`` never load reportlab, python-docx or Jinja2.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Span, Unreadable, did_you_mean, error, sort_key
from .spec.load import MAX_BYTES, load_bytes
from .spec.model import Design
from .spec.validate import validate

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


@dataclass
class CheckResult:
    """What checking one spec found."""

    file: str
    design: Design | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    unreadable: bool = False
    failed: set[str] = field(default_factory=set)
    waived: dict[str, int] = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return not self.unreadable and not self.errors

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return EXIT_UNREADABLE
        return EXIT_ERRORS if self.errors else EXIT_OK


def read_spec(path: str | os.PathLike) -> bytes:
    """The bytes of a spec file, or ``Unreadable`` with a plain-language reason."""
    p = Path(path)
    try:
        if p.is_dir():
            raise Unreadable(error("S001", "this is a folder, not a spec file",
                                   help="give the path of a .yaml file"))
        with p.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # one byte over is enough to refuse it
    except FileNotFoundError:
        raise Unreadable(error("S001", "no such file", help="check the path and the file name")) from None
    except PermissionError:
        raise Unreadable(error("S001", "permission denied: the file cannot be read",
                               help="check the file's permissions")) from None
    except OSError as exc:
        raise Unreadable(error("S001", f"the file cannot be read ({exc.strerror or exc})")) from None
    return data


def check_bytes(data: bytes, file: str = "<spec>") -> CheckResult:
    """Check a spec given as bytes: schema first, then the rules if the schema holds."""
    try:
        loaded = load_bytes(data)
    except Unreadable as exc:
        return CheckResult(file, None, [exc.diagnostic.with_file(file)], unreadable=True)
    validated = validate(loaded.root)
    diagnostics = loaded.diagnostics + validated.diagnostics
    design = validated.design
    if design is not None:
        diagnostics += _check_waivers(design)
    result = CheckResult(file, None, diagnostics, loaded.lines)
    if not any(d.is_error for d in diagnostics) and design is not None:
        from .rules.registry import run_rules

        outcome = run_rules(design)
        result.design = design
        result.diagnostics = diagnostics + outcome.diagnostics
        result.failed, result.waived = outcome.failed, outcome.waived
    result.diagnostics = sorted((d.with_file(file) for d in result.diagnostics), key=sort_key)
    return result


def check_file(path: str | os.PathLike) -> CheckResult:
    """Check one spec file."""
    file = str(path)
    try:
        data = read_spec(path)
    except Unreadable as exc:
        return CheckResult(file, None, [exc.diagnostic.with_file(file)], unreadable=True)
    return check_bytes(data, file)


def _check_waivers(design: Design) -> list[Diagnostic]:
    from .rules.registry import all_rules

    if design.checks is None:
        return []
    codes = list(all_rules())
    out = []
    for index, code in enumerate(design.checks.ignore):
        if code in codes:
            continue
        if code[:1] == "S":
            message = f"'{code}' cannot be waived: schema errors must be fixed"
            help = "only E and W codes can be listed in checks.ignore"
        else:
            message = f"'{code}' is not a rule code"
            help = did_you_mean(code, codes, "see 'kit explain' for the codes", cutoff=0.5)
        out.append(error("S004", f"checks.ignore: {message}", design.checks.item_at("ignore", index), help))
    return out


@dataclass
class RenderResult(CheckResult):
    """What rendering one spec did: its check, and the files written (none on any error)."""

    files: list = field(default_factory=list)  # RenderedFile, in memory
    written: list = field(default_factory=list)  # (Path, RenderedFile) pairs
    problem: str = ""  # the files could not be written (full disk, no permission)

    @property
    def ok(self) -> bool:
        return super().ok and not self.problem

    @property
    def exit_code(self) -> int:
        code = super().exit_code
        return EXIT_ERRORS if code == EXIT_OK and self.problem else code


def render_bytes(data: bytes, file: str = "<spec>", *, formats=("docx", "pdf"), only=None,
                 templates_dir=None, reference_doc=None) -> RenderResult:
    """Check a spec given as bytes and render its documents in memory; nothing touches the disk.

    ``result.files`` holds every rendered file (``RenderedFile``: document, key,
    title, filename, format, data, pages); it is empty when any error was found.
    Safe to call from several threads at once.
    """
    return _render_checked(check_bytes(data, file), formats=formats, only=only,
                           templates_dir=templates_dir, reference_doc=reference_doc, parallel=False)


def _render_checked(checked: CheckResult, *, formats, only, templates_dir, reference_doc,
                    parallel) -> RenderResult:
    from .render.pipeline import RenderError, check_documents, check_formats, render_design

    formats, only = check_formats(formats), check_documents(only)
    result = RenderResult(checked.file, checked.design, list(checked.diagnostics), checked.lines,
                          checked.unreadable, checked.failed, checked.waived)
    if not checked.ok:
        return result
    try:
        result.files = render_design(checked.design, checked, formats=formats, only=only,
                                     templates_dir=templates_dir, reference_doc=reference_doc,
                                     parallel=parallel)
    except RenderError as exc:
        result.diagnostics += [d if d.file else d.with_file(checked.file) for d in exc.diagnostics]
        return result
    if not result.files:
        result.problem = "no documents to render: the spec has no section for the documents asked for"
    return result


def render_file(path: str | os.PathLike, outdir: str | os.PathLike, *, formats=("docx", "pdf"),
                only=None, templates_dir=None, reference_doc=None, avoid=frozenset(),
                parallel=True) -> RenderResult:
    """Check ``path``, render its documents in memory, then write them all into ``outdir``.

    On any error diagnostic nothing is written. ``avoid`` holds file names already
    written by this batch: a spec that would overwrite one of them fails instead.
    ``parallel`` lets a child process write the DOCX files while this one writes
    the PDFs (see :mod:`framework_kit.render.background`); the files are the same.
    Bad ``formats`` or ``only`` values raise ``ValueError``.
    """
    from .render.files import WriteError, write_files

    result = _render_checked(check_file(path), formats=formats, only=only, templates_dir=templates_dir,
                             reference_doc=reference_doc, parallel=parallel)
    if not result.ok:
        return result
    rendered = result.files
    clashes = sorted({f.filename for f in rendered} & set(avoid))
    if clashes:
        result.problem = (f"would overwrite {', '.join(clashes)}, written for another spec of this "
                          "batch; give this spec its own short_title or version")
        return result
    try:
        paths = write_files(outdir, [(f.filename, f.data) for f in rendered])
    except WriteError as exc:
        result.problem = str(exc)
        return result
    result.written = list(zip(paths, rendered))
    return result


def export_templates(folder: str | os.PathLike, *, force: bool = False) -> list[Path]:
    """Write the default templates, theme.yaml, README.md and reference.docx into ``folder``.

    Raises ``WriteError`` when a file exists (unless ``force``) or cannot be written.
    """
    from .render.pipeline import export_templates as export

    return export(folder, force=force)


def explain(code: str | None = None) -> str:
    """The explanation of one rule, or the list of every code with its summary."""
    from .explain import explain_text

    return explain_text(code)


def json_schema() -> dict:
    """A JSON Schema of the spec format, for editors."""
    from .spec.model import DESIGN

    schema = DESIGN.schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "framework-kit spec, version 1"
    return schema


__all__ = [
    "CheckResult", "check_bytes", "check_file", "explain", "json_schema", "read_spec",
    "RenderResult", "render_bytes", "render_file", "export_templates",
    "EXIT_OK", "EXIT_ERRORS", "EXIT_UNREADABLE", "Span",
]
