"""The public surface: every command, the studio, redlines and the tests call these.

The stages run one way: load and validate the spec (:mod:`.spec`), judge it
(:mod:`.rules`, one :class:`~.rules.assessment.Assessment`), build document
trees (:mod:`.render`), write them in each format (:mod:`.render.writers`), save
them (:mod:`.output`). Checking imports only the loader, the model and the rules;
rendering is imported inside the functions that need it, so ``kit check`` and
``kit --help`` never load reportlab, python-docx or Jinja2.

Nothing here forks, reads the clock or changes process-wide state: several
threads may render different specs at once. A caller that wants the formats
written side by side passes an executor (the CLI passes one that forks).
"""

from __future__ import annotations

import os
from pathlib import Path

from .diagnostics import Diagnostic, RenderError, Span, Unreadable, did_you_mean, error, sort_key
from .spec.load import MAX_BYTES, load_bytes
from .spec.model import Design
from .spec.validate import validate
from .results import EXIT_ERRORS, EXIT_OK, EXIT_UNREADABLE, CheckResult, RenderResult

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
        return CheckResult(file, None, [exc.diagnostic.with_file(file)], exc.lines, unreadable=True)
    validated = validate(loaded.root)
    diagnostics = loaded.diagnostics + validated.diagnostics
    design = validated.design
    if design is not None:
        diagnostics += _check_waivers(design)
    result = CheckResult(file, None, diagnostics, loaded.lines)
    if not any(d.is_error for d in diagnostics) and design is not None:
        from .rules.registry import run_rules

        outcome = run_rules(design)
        result.design, result.outcome = design, outcome
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


def build_documents(design, assessment, *, only=None, templates_dir=None, parallel=False) -> list:
    """The document trees (``render.build.BuiltDocument``) of a checked design.

    ``only`` names documents as the spec's ``documents`` does (``term-sheets``) or by key
    (``term-sheet-table-a``); ``parallel`` adds each document's language versions side by side
    (language 'en+uk+ru'). Raises ``RenderError`` with T001 diagnostics when a template fails.
    """
    from .render.build import build_documents as build

    return build(design, assessment, only=only, templates_dir=templates_dir, parallel=parallel)


def write_documents(design, built: list, *, formats=("docx", "pdf"), templates_dir=None,
                    reference_doc=None, executor=None, source_lines=()) -> list:
    """Each built document in each format, in memory: a list of ``RenderedFile``.

    ``executor`` (anything with ``concurrent.futures``' ``submit``) writes every format but the
    last while this thread writes the last; the bytes are the same either way.
    A broken executor (a killed worker) means its work is redone here. Raises
    ``RenderError`` with R001-R004 (``source_lines``, the spec's, place R004 exactly).
    """
    from .documents import RenderedFile
    from .output import file_name
    from .render.writing import settings_for, write_within_bounds

    formats = check_formats(formats)
    settings = settings_for(templates_dir, reference_doc, formats)
    written = write_within_bounds(design, built, formats, settings, executor, source_lines)
    process = design.process
    return [RenderedFile(item.document, item.key, item.title,
                         file_name(process.file_title, process.version, item.key, fmt, item.language), fmt,
                         written[fmt][index].data, written[fmt][index].pages, item.language)
            for index, item in enumerate(built) for fmt in formats]


def render_bytes(data: bytes, file: str = "<spec>", *, formats=("docx", "pdf"), only=None,
                 templates_dir=None, reference_doc=None, parallel=False) -> RenderResult:
    """Check a spec given as bytes and render its documents in memory; nothing touches the disk.

    ``result.files`` holds every rendered file (``RenderedFile``: document, key,
    title, filename, format, data, pages); it is empty when any error was found.
    Safe to call from several threads at once.
    """
    return render_checked(check_bytes(data, file), formats=formats, only=only,
                          templates_dir=templates_dir, reference_doc=reference_doc, parallel=parallel)


def render_checked(checked: CheckResult, *, formats=("docx", "pdf"), only=None, templates_dir=None,
                   reference_doc=None, executor=None, parallel=False) -> RenderResult:
    """Render a checked spec in memory (``executor``: see write_documents; ``parallel``: build_documents)."""
    formats, only = check_formats(formats), check_documents(only)
    result = RenderResult(**{name: getattr(checked, name) for name in CheckResult.__dataclass_fields__})
    result.diagnostics = list(checked.diagnostics)
    if not checked.ok:
        return result
    try:
        built = build_documents(checked.design, checked.assessment, only=only,
                                templates_dir=templates_dir, parallel=parallel)
        result.diagnostics += [d.with_file(checked.file) for d in built.warnings]  # T002
        result.files = write_documents(checked.design, built, formats=formats, templates_dir=templates_dir,
                                       reference_doc=reference_doc, executor=executor, source_lines=checked.lines)
    except RenderError as exc:
        result.diagnostics += [d if d.file else d.with_file(checked.file) for d in exc.diagnostics]
        return result
    if not result.files:
        result.problem = _nothing_to_render(checked.design, only)
    from .render.overflow import brief_warnings  # R005: a warning; the files stand
    result.diagnostics += brief_warnings(checked.design, result.files, checked.file)
    return result


def render_file(path: str | os.PathLike, outdir: str | os.PathLike, *, formats=("docx", "pdf"),
                only=None, templates_dir=None, reference_doc=None, avoid=frozenset(),
                executor=None, parallel=False) -> RenderResult:
    """Check ``path``, render its documents in memory, then write them all into ``outdir``.

    On any error diagnostic nothing is written. ``avoid`` holds file names already
    written by this batch: a spec that would overwrite one of them fails instead.
    Bad ``formats`` or ``only`` values raise ``ValueError``.
    """
    from .output import WriteError, write_files

    formats, only = check_formats(formats), check_documents(only)
    result = render_checked(check_file(path), formats=formats, only=only, templates_dir=templates_dir,
                            reference_doc=reference_doc, executor=executor, parallel=parallel)
    if not result.ok:
        return result
    clashes = sorted({f.filename for f in result.files} & set(avoid))
    if clashes:
        result.problem = (f"would overwrite {', '.join(clashes)}, written for another spec of this "
                          "batch; give this spec its own short_title or version")
        return result
    try:
        paths = write_files(outdir, [(f.filename, f.data) for f in result.files])
    except WriteError as exc:
        result.problem = str(exc)
        return result
    result.written = list(zip(paths, result.files))
    return result


def _nothing_to_render(design, only) -> str:
    listed = design.documents_to_render()
    if only and design.documents is not None:
        return (f"the spec's 'documents' list names only {', '.join(listed) or 'nothing'}, so "
                f"{', '.join(only)} is not rendered; add it to that list, or leave the list out")
    return "no documents to render: the spec has no section for the documents asked for"


def check_formats(formats) -> tuple[str, ...]:
    """The formats in canonical order; ``ValueError`` naming any unknown one."""
    from .render.writers import FORMATS

    return tuple(_choose(formats, FORMATS, "format"))


def check_documents(only) -> list[str] | None:
    """The documents asked for (kinds in order, then keys: term-sheet-table-a), None for all; else ValueError."""
    from .documents import DOCUMENTS, kinds_and_keys

    if only is None:
        return None
    kinds, keys = kinds_and_keys([str(item).strip().lower() for item in ([only] if isinstance(only, str) else only)])
    return (_choose(kinds, DOCUMENTS, "document") if kinds or not keys else []) + keys


def _choose(given, known: tuple[str, ...], what: str) -> list[str]:
    given = [given] if isinstance(given, str) else given
    chosen = [str(item).strip().lower() for item in given]
    unknown = [item for item in chosen if item not in known]
    if unknown or not chosen:
        hint = did_you_mean(unknown[0], known, "", cutoff=0.6) if unknown else ""
        raise ValueError(f"unknown {what} {', '.join(map(repr, unknown)) or '(none)'}; "
                         f"{hint + ' ' if hint else ''}choose from {', '.join(known)}")
    return [item for item in known if item in chosen]


def mail_brief(spec: str | os.PathLike, *, sender: str, to, cc=(), bcc=(), subject: str | None = None,
               attach: str = "brief", templates_dir=None, output=None, server: str | None = None,
               security: str = "none", user: str | None = None, password=None,
               timeout: float | None = None, tls_context=None):
    """Check ``spec``, render what the mail carries, build the message, send it and/or save it.

    Returns a ``mail.delivery.MailResult``; problems the user can fix never raise.
    The addresses, subject and delivery are checked before the spec is read.
    ``attach``: brief (its PDF), all (every document, DOCX and PDF) or none.
    ``output``: the .eml file to save (the sent copy once sent, else an unsent draft).
    ``server``: ``HOST[:PORT]``, with ``security`` starttls, ssl or none; ``bcc``
    are reached through the envelope only. ``password``: the login's, or a function
    ``(user, server) -> str`` called once the spec has passed. ``timeout``: seconds
    for the whole exchange with the server.
    """
    from .mail import MailError
    from .mail.delivery import MailResult, check_request, deliver
    from .mail.message import size_warning

    try:
        request = check_request(sender=sender, to=to, cc=cc, bcc=bcc, subject=subject, attach=attach,
                                templates_dir=templates_dir, output=output, server=server,
                                security=security, user=user)
    except MailError as exc:
        return MailResult(CheckResult(str(spec), None), error=exc)
    result = MailResult(check_file(spec))
    try:
        if result.ok:
            if callable(password):
                password = password(user, str(request.server)) if user else None
            result.files = _attachments(result, attach, templates_dir)
    except MailError as exc:
        result.error = exc
    if result.ok:
        result.warnings = [w for w in [size_warning(result.files)] if w]
        result.delivery = deliver(request, result.check.design, result.check.assessment, result.files,
                                  password=password, timeout=timeout, tls_context=tls_context)
        result.error = result.delivery.error
    return result


def mail_draft(checked: CheckResult, *, sender, to, cc=(), subject=None, attach="brief", templates_dir=None):
    """``(MailResult, bytes or None)``: in memory, the unsent draft ``kit mail -o`` saves for a checked spec."""
    from .mail import MailError, build_message, envelope, message_bytes
    from .mail.delivery import MailResult

    result = MailResult(checked)
    try:
        mail = envelope(sender, to, cc, subject)
        result.files = _attachments(result, attach, templates_dir) if result.ok else []
    except MailError as exc:
        result.error = exc
    if not result.ok:
        return result, None
    return result, message_bytes(build_message(checked.design, result.check.assessment, result.files, mail),
                                 unsent=True)


def _attachments(result, attach: str, templates_dir) -> list:
    """The files the mail carries, rendered as ``kit render`` renders them (diagnostics to ``result``)."""
    from .mail import MailError

    if attach == "none":
        return []
    if attach == "brief" and "brief" not in result.check.design.documents_to_render():
        raise MailError("the spec's 'documents' list leaves out the brief; add brief to it",
                        remedy="attach-all")
    brief = attach == "brief"
    result.check = render_checked(result.check, formats=("pdf",) if brief else ("docx", "pdf"),
                                  only=("brief",) if brief else None, templates_dir=templates_dir)
    if result.check.problem:
        raise MailError(result.check.problem)
    return [f for f in result.check.files if not brief or (f.document == "brief" and f.format == "pdf")]


def export_templates(folder: str | os.PathLike, *, force: bool = False) -> list[Path]:
    """Write the default templates, theme.yaml, README.md and a fresh reference.docx into ``folder``.

    Raises ``output.FilesExist`` when a file exists (unless ``force``), ``WriteError``
    when one cannot be written.
    """
    from .data import data_folder
    from .output import write_files
    from .render.theme import load_theme
    from .render.writers.docx.default_reference import REFERENCE_FILE, reference_docx

    source = data_folder("templates")
    names = sorted({p.name for pattern in EXPORTED_PATTERNS for p in source.glob(pattern) if p.is_file()})
    items = [(name, (source / name).read_bytes()) for name in names]
    items.append((REFERENCE_FILE, reference_docx(load_theme(None))))
    return write_files(folder, items, overwrite=force)


# What ``kit templates export`` copies: the same patterns the wheel ships.
EXPORTED_PATTERNS = ("*.xml", "*.yaml", "*.md", "*.po")


def explain(code: str | None = None) -> str:
    """The explanation of one rule, or the list of every code with its summary."""
    from .explain import explain_text

    return explain_text(code)


def schema() -> dict:
    """A JSON Schema of the spec format, for editors."""
    from .spec.model import DESIGN

    schema = DESIGN.schema()
    # Only the rules know their codes (the spec package never imports them): an editor then
    # flags "S002" or "W999" in checks.ignore as it is typed, as kit check would.
    from .rules.registry import all_rules

    schema["properties"]["checks"]["properties"]["ignore"]["items"] = {"enum": list(all_rules())}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "framework-kit spec, version 1"
    return schema


def starter_spec(name: str = "spec.yaml") -> str:
    """The commented starter spec that ``kit init`` writes, its comments naming the file
    ``name``; it passes ``kit check``, and its first line points editors at the JSON Schema
    (written with ``kit schema > framework-kit.schema.json``) for completion."""
    from .data import data_folder

    text = (data_folder("spec") / "starter.yaml").read_text(encoding="utf-8")
    return ("# yaml-language-server: $schema=framework-kit.schema.json\n"
            + text.replace("spec.yaml", name))


__all__ = ["CheckResult", "RenderResult", "EXIT_OK", "EXIT_ERRORS", "EXIT_UNREADABLE", "Span",
           "read_spec", "check_bytes", "check_file", "build_documents", "write_documents", "render_bytes",
           "render_checked", "render_file", "check_formats", "check_documents", "export_templates",
           "mail_brief", "mail_draft", "explain", "schema", "starter_spec"]
