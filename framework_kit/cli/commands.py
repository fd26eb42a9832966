"""The ``kit`` commands: options in, one API call, text out, exit 0/1/2.

Heavy libraries (reportlab, python-docx, Jinja2) are imported inside the
commands that need them, never at start-up.
"""

from __future__ import annotations

import enum
import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
import typer.core

from .. import __version__, api
from ..report import format_json, format_text, read_source_lines, summary

app = typer.Typer(
    name="kit",
    help="Check a peace-process design (YAML) against the framework and render its draft documents.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _Command(typer.core.TyperCommand):
    """A command whose usage line reads as a drafter expects: ``kit render [OPTIONS] SPEC...``.

    typer 0.28 writes a required argument in braces (``{SPEC}``), which reads like a
    template placeholder to be typed as it is.
    """

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, typer.core.TyperArgument):
                name = (param.metavar or param.name or "").strip("[]").upper()
                name += "..." if param.nargs == -1 else ""
                pieces.append(name if param.required else f"[{name}]")
        return pieces


QUIET = typer.Option(False, "-q", "--quiet", help="Print only the problems found, nothing else.")


class OutputFormat(str, enum.Enum):
    text = "text"
    json = "json"


def _use_colour(stream) -> bool:
    """NO_COLOR turns colour off and FORCE_COLOR on (no-color.org, force-color.org);
    otherwise colour only on a terminal that is not 'dumb'."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "") not in ("", "0", "false"):
        return True
    return stream.isatty() and os.environ.get("TERM") != "dumb"


def echo_diagnostics(results, output: OutputFormat = OutputFormat.text, *, quiet: bool = False,
                     err: bool = False) -> None:
    """Print every diagnostic of ``results`` (text with excerpts, or one JSON list).

    ``quiet`` leaves out the summary line when nothing was found; ``err`` prints to
    standard error (when standard output carries a document).
    """
    diagnostics = [d for r in results for d in r.diagnostics]
    if output is OutputFormat.json:
        typer.echo(format_json(diagnostics), err=err)
        return
    colour = _use_colour(sys.stderr if err else sys.stdout)
    for result in results:
        for d in result.diagnostics:
            # A template diagnostic quotes the template, not the spec.
            lines = result.lines if d.file == result.file else read_source_lines(d.file)
            # click strips colour off a terminal unless told
            typer.echo(format_text(d, lines, colour), color=colour, err=err)
            typer.echo("", err=err)
    if quiet and not diagnostics:
        return
    names = ", ".join(r.file for r in results) if len(results) == 1 else f"{len(results)} specs"
    typer.echo(f"{names}: {summary(diagnostics)}", err=err)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kit (framework-kit) {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """Check a peace-process design (YAML) against the framework and render its draft documents."""


@app.command(cls=_Command)
def check(
    specs: List[Path] = typer.Argument(..., metavar="SPEC", show_default=False,
                                       help="Spec files (YAML), folders of them, or - to read one "
                                       "from standard input."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
    quiet: bool = QUIET,
    verbose: bool = typer.Option(False, "-v", "--verbose",
                                 help="Also say how the design stands on each essential."),
) -> None:
    """Validate specs against the format and the framework's two essentials."""
    from .specs import expand_specs

    try:
        paths = expand_specs(specs, allow_stdin=True)
    except ValueError as exc:
        typer.echo(f"kit check: {exc}", err=True)
        raise typer.Exit(api.EXIT_UNREADABLE) from None
    results = [api.check_bytes(sys.stdin.buffer.read(), "<stdin>") if str(path) == "-"
               else api.check_file(path) for path in paths]
    echo_diagnostics(results, format, quiet=quiet)
    if verbose and format is OutputFormat.text:
        for result in results:
            if result.assessment is not None:
                for verdict in result.assessment.verdicts:
                    typer.echo(f"  {verdict.part}: {verdict.status}")
    raise typer.Exit(max(r.exit_code for r in results))


@app.command(cls=_Command)
def explain(code: Optional[str] = typer.Argument(None, help="A rule code such as E203.")) -> None:
    """Explain a rule: what it checks, why, an example and the fix. Without a code: list them."""
    from ..explain import UnknownCode

    try:
        typer.echo(api.explain(code.upper() if code else None))
    except UnknownCode as exc:
        typer.echo(f"kit explain: {exc}", err=True)
        raise typer.Exit(2) from None


@app.command(cls=_Command)
def schema() -> None:
    """Print a JSON Schema of the spec format (for editors)."""
    import json

    typer.echo(json.dumps(api.schema(), ensure_ascii=False, indent=2))


@app.command(cls=_Command)
def render(
    specs: List[Path] = typer.Argument(..., metavar="SPEC", help="Spec files (YAML), or folders of them.",
                                       show_default=False),
    output: Path = typer.Option(Path("out"), "-o", "--output", metavar="OUTDIR",
                                help="The folder to write the documents to."),
    formats: List[str] = typer.Option(["docx,pdf"], "--format", metavar="FORMATS",
                                      help="docx, pdf, or both (separated by a comma, or the "
                                      "option repeated)."),
    only: Optional[List[str]] = typer.Option(
        None, "--only", metavar="DOCUMENTS", show_default=False,
        help="Render only these documents (separated by commas, or the option repeated): "
        "brief, term-sheets, buffer-zone-annex, cbm-schedule, or one term sheet as term-sheet-<table-id>."),
    templates: Optional[Path] = typer.Option(
        None, "--templates", metavar="DIR", help="A folder of templates overriding the built-in ones "
        "(start from 'kit templates export')."),
    reference_doc: Optional[Path] = typer.Option(
        None, "--reference-doc", metavar="FILE",
        help="A restyled reference.docx whose styles and page set-up the DOCX files use."),
    parallel: bool = typer.Option(False, "--parallel",
                                  help="For a process in several languages, also write each document "
                                  "with its language versions side by side."),
    quiet: bool = QUIET,
    verbose: bool = typer.Option(False, "-v", "--verbose",
                                 help="Also print each document's title and size."),
) -> None:
    """Check specs and render their documents (DOCX and PDF); a spec with errors writes nothing."""
    from .render import run_render

    def show(results):
        echo_diagnostics(results, quiet=quiet)

    raise typer.Exit(run_render(specs, output, ",".join(formats), ",".join(only) if only else None,
                                templates, reference_doc, show=show, interactive=sys.stdout.isatty(),
                                quiet=quiet, verbose=verbose, parallel=parallel))


@app.command(cls=_Command)
def diff(
    old: Path = typer.Argument(..., metavar="OLD", help="The earlier version of the spec (YAML).",
                               show_default=False),
    new: Path = typer.Argument(..., metavar="NEW", help="The later version of the spec (YAML).",
                               show_default=False),
    output: Path = typer.Option(Path("out"), "-o", "--output", metavar="OUTDIR",
                                help="The folder to write the redlines and the comparison to."),
    author: Optional[str] = typer.Option(
        None, "--author", metavar="NAME", help="Who the tracked changes are by; default: the new "
        "version's prepared_by."),
    only: Optional[List[str]] = typer.Option(
        None, "--only", metavar="DOCUMENTS", show_default=False,
        help="Compare only these documents (separated by commas, or the option repeated): "
        "brief, term-sheets, buffer-zone-annex, cbm-schedule."),
    format: OutputFormat = typer.Option(OutputFormat.text, "--format", help="text or json."),
) -> None:
    """Compare two versions of a spec: list the changes, write redlines (DOCX) and blacklines (PDF)."""
    from ..diff.report import changes_json, changes_text
    from ..diff.run import diff_files
    from .render import side_by_side
    from .specs import split_list

    try:
        with side_by_side(enabled=True) as executor:
            result = diff_files(old, new, output, author=author, executor=executor,
                                only=split_list(",".join(only)) if only else None)
    except ValueError as exc:
        typer.echo(f"kit diff: {exc}", err=True)
        raise typer.Exit(api.EXIT_UNREADABLE) from None
    if result.comparison is None:  # a spec has errors: its diagnostics, nothing written
        echo_diagnostics([r for r in result.checks if r.diagnostics and not r.ok], format)
        typer.echo("nothing written", err=True)
        raise typer.Exit(result.exit_code)
    for warning in result.warnings:
        typer.echo(f"kit diff: warning: {warning}", err=True)
    if result.diagnostics:
        echo_diagnostics([api.CheckResult(str(new), None, result.diagnostics)], format)
    typer.echo(changes_json(result.comparison) if format is OutputFormat.json
               else "\n".join(changes_text(result.comparison)))
    if result.problem:
        typer.echo(f"kit diff: {result.problem}", err=True)
    for path in result.written:
        typer.echo(f"wrote {os.path.join(str(output), path.name)}", err=format is OutputFormat.json)
    raise typer.Exit(result.exit_code)


templates_app = typer.Typer(help="Copy the document templates to customise them.", no_args_is_help=True,
                            rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]})
app.add_typer(templates_app, name="templates")


@templates_app.command("export", cls=_Command)
def templates_export(
    folder: Path = typer.Argument(..., metavar="DIR", help="The folder to copy the templates into.",
                                  show_default=False),
    force: bool = typer.Option(False, "--force", help="Overwrite files that already exist."),
) -> None:
    """Copy the default templates, theme.yaml and a reference.docx into DIR, to edit them."""
    from ..output import FilesExist, WriteError

    try:
        written = api.export_templates(folder, force=force)
    except WriteError as exc:
        hint = "; use --force to overwrite them" if isinstance(exc, FilesExist) else ""
        typer.echo(f"kit templates export: {exc}{hint}", err=True)
        raise typer.Exit(1 if isinstance(exc, FilesExist) else 2) from None
    for path in written:
        typer.echo(f"wrote {path}")
    typer.echo(f"edit them, then: kit render SPEC --templates {folder}")


@app.command(cls=_Command)
def init(
    path: Path = typer.Argument(Path("spec.yaml"), metavar="[FILE]",
                                help="Where to write the starter spec (- prints it)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write a commented starter spec that passes 'kit check'."""
    if str(path) == "-":
        typer.echo(api.starter_spec(), nl=False)
        return
    if path.is_dir():
        typer.echo(f"kit init: {path} is a folder; give a file name, such as {path / 'spec.yaml'}",
                   err=True)
        raise typer.Exit(2)
    if path.exists() and not force:
        typer.echo(f"kit init: {path} already exists; use --force to overwrite it", err=True)
        raise typer.Exit(1)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(api.starter_spec(path.name), encoding="utf-8")
    except OSError as exc:
        typer.echo(f"kit init: cannot write {path}: {exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"wrote {path}; next: kit check {path}")


def _number(kind: type, least: float, most: float, wanted: str):
    """A callback reading a number option given as text, refused in plain words: click's
    own number types say "'abc' is not a valid float" and show ranges as '0<=x<=65535',
    and an endless timeout ('inf') was an internal error."""

    def read(value: str):
        try:
            number = kind(value)
        except (TypeError, ValueError):
            number = None
        if number is None or not least <= number <= most:  # also refuses nan
            raise typer.BadParameter(f"{value} is not {wanted}")
        return number

    return read


SECONDS = _number(float, 1, 3600, "a number of seconds from 1 to 3600")
PORT = _number(int, 0, 65535, "a port: give a number from 1 to 65535, or 0 for any free one")


class Attach(str, enum.Enum):
    brief = "brief"
    all = "all"
    none = "none"


@app.command(cls=_Command)
def mail(
    spec: Path = typer.Argument(..., metavar="SPEC", help="The spec file (YAML).", show_default=False),
    to: List[str] = typer.Option(..., "--to", metavar="ADDR",
                                 help='A recipient, name@example.org or "Name <name@example.org>"; '
                                 "repeat --to for each recipient.", show_default=False),
    cc: List[str] = typer.Option([], "--cc", metavar="ADDR", help="A recipient in copy; repeat for more.",
                                 show_default=False),
    bcc: List[str] = typer.Option([], "--bcc", metavar="ADDR",
                                  help="A blind-copy recipient (in no header, only when sending); "
                                  "repeat for more.", show_default=False),
    sender: str = typer.Option(..., "--from", metavar="ADDR", help="The sender's address.",
                               show_default=False),
    subject: Optional[str] = typer.Option(None, "--subject", metavar="TEXT",
                                          help='Default: "<title> — brief v<version> (<date>)".'),
    attach: Attach = typer.Option(Attach.brief, "--attach",
                                  help="brief: the brief as PDF; all: every document, DOCX and PDF; "
                                  "none: the summary alone."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", metavar="FILE.eml",
                                          help="Save the message (.eml): an unsent draft to open in a "
                                          "mail client, or the sent copy with --smtp."),
    smtp: Optional[str] = typer.Option(None, "--smtp", metavar="HOST[:PORT]",
                                       help="Send through this mail server."),
    starttls: bool = typer.Option(False, "--starttls", help="Encrypt with STARTTLS (port 587)."),
    ssl: bool = typer.Option(False, "--ssl", help="Encrypt from the start, implicit TLS (port 465)."),
    user: Optional[str] = typer.Option(None, "--user", metavar="NAME",
                                       help="Log in as NAME; the password comes from "
                                       "KIT_SMTP_PASSWORD or a hidden prompt."),
    templates: Optional[Path] = typer.Option(None, "--templates", metavar="DIR",
                                             help="A folder of templates overriding the built-in ones."),
    timeout: str = typer.Option("120", "--timeout", metavar="SECONDS", callback=SECONDS,
                                  help="Seconds the whole exchange with the server may take "
                                  "(from 1 to 3600)."),
) -> None:
    """Mail the brief: write a draft (.eml) for your mail client, or send it over SMTP."""
    from .mail import run_mail

    raise typer.Exit(run_mail(spec, to=to, cc=cc, bcc=bcc, sender=sender, subject=subject,
                              attach=attach.value, output=output, smtp=smtp, starttls=starttls,
                              ssl=ssl, user=user, templates=templates, timeout=timeout,
                              show=echo_diagnostics))


@app.command(cls=_Command)
def serve(
    path: Path = typer.Argument(Path("."), metavar="[SPEC_OR_FOLDER]", show_default=False,
                                help="A spec to edit, or a folder whose specs to list (default: here)."),
    port: str = typer.Option("8765", "--port", metavar="NUMBER", callback=PORT,
                             help="The port on 127.0.0.1, from 1 to 65535 (0: any free one)."),
    open_browser: bool = typer.Option(False, "--open", help="Open the studio in the web browser."),
    templates: Optional[Path] = typer.Option(None, "--templates", metavar="DIR",
                                             help="A folder of templates overriding the built-in ones."),
    reference_doc: Optional[Path] = typer.Option(
        None, "--reference-doc", metavar="FILE",
        help="A restyled reference.docx whose styles and page set-up the DOCX files use."),
) -> None:
    """Open a local studio in the browser: edit a spec, see its problems and documents as you type."""
    from ..serve import run

    raise typer.Exit(run(path, port=port, open_browser=open_browser, templates_dir=templates,
                         reference_doc=reference_doc))


