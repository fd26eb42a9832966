"""``kit mail`` behind the command line: one call of :func:`framework_kit.api.mail_brief`, its result printed.

The library names what is wrong by its parameter (``field``) and a remedy key;
here each becomes the option that sets it and the option that fixes it.
"""

from __future__ import annotations

import os
import sys

import typer

from .. import api
from .render import by_file

OPTIONS = {"sender": "--from", "to": "--to", "cc": "--cc", "bcc": "--bcc", "subject": "--subject",
           "attach": "--attach", "templates_dir": "--templates", "output": "-o",
           "server": "--smtp", "security": "--starttls/--ssl", "user": "--user"}
REMEDIES = {
    "starttls": "add --starttls (usually with port 587)",
    "ssl": "try --ssl (usually port 465)",
    "encrypt": "add --starttls or --ssl",
    "one-recipient-each": "repeat {option} for each, e.g. {option} a@example.org {option} b@example.org",
    "attach-all": "or attach everything with --attach all",
    "bcc-send": "send it with --smtp, or add the blind copies in your mail client",
    "password": "the password comes from KIT_SMTP_PASSWORD or the prompt",
}


def run_mail(spec, *, to, cc, bcc, sender, subject, attach: str, output, smtp, starttls: bool, ssl: bool,
             user, templates, timeout: float, show) -> int:
    """Mail the brief as the options say; print what happened; return the exit code.

    ``show`` prints diagnostics the way ``kit check`` does.
    """
    if starttls and ssl:
        return _fail(2, "--starttls and --ssl exclude each other: --starttls upgrades a plain "
                     "connection (usually port 587), --ssl starts with TLS (usually port 465)")
    if output is None and smtp is None:
        return _fail(2, "say what to do with the message: -o FILE.eml writes a draft to open in your "
                     "mail client, --smtp HOST[:PORT] sends it")
    if output is not None and str(output) == "-":
        return _print_draft(spec, to=to, cc=cc, bcc=bcc, sender=sender, subject=subject, attach=attach,
                            smtp=smtp, templates=templates, show=show)
    result = api.mail_brief(
        spec, sender=sender, to=to, cc=cc, bcc=bcc, subject=subject, attach=attach,
        templates_dir=templates, output=output, server=smtp,
        security="starttls" if starttls else "ssl" if ssl else "none", user=user,
        password=_smtp_password, timeout=timeout)
    if result.check.diagnostics:
        show(by_file(result.check))
    for warning in result.warnings:
        typer.echo(f"kit mail: warning: {warning}", err=True)
    if result.delivery is not None:
        _report(result.delivery, result.files, output, smtp)
    if result.error is not None:
        return _fail(result.exit_code, problem(result.error))
    return result.exit_code


def _print_draft(spec, *, to, cc, bcc, sender, subject, attach, smtp, templates, show) -> int:
    """``-o -``: the unsent draft on standard output (for a pipe), everything else on standard error."""
    if smtp is not None or bcc:
        return _fail(2, "-o - prints an unsent draft; to send it too, or with --bcc, save it to a "
                     "file with -o FILE.eml")
    checked = api.check_file(spec)
    if checked.diagnostics:
        show(by_file(checked), err=True)
    if not checked.ok:
        return checked.exit_code
    result, data = api.mail_draft(checked, sender=sender, to=to, cc=cc, subject=subject,
                                  attach=attach, templates_dir=templates)
    if data is None:
        if result.check.diagnostics != checked.diagnostics:
            show(by_file(result.check), err=True)
        return _fail(result.exit_code, problem(result.error)) if result.error else result.exit_code
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


def _report(done, files, output, smtp) -> None:
    """Who has the message and where it was saved (``done``: a ``mail.delivery.Delivery``)."""
    names = (files[0].filename if len(files) == 1
             else f"{len(files)} attachments" if files else "no attachment")
    if done.accepted:
        seen = ", ".join(a for a in done.accepted if a not in done.blind)
        blind = f" (and, in blind copy, {', '.join(done.blind)})" if done.blind else ""
        typer.echo(f"sent to {seen}{blind} through {done.server}")
    if done.saved is not None and done.saved_as_sent:
        typer.echo(f"wrote {output} (the sent copy, with {names}; not a draft to send again)")
    elif done.saved is not None:
        after = "; nothing was sent" if smtp else "; open it in your mail client"
        typer.echo(f"wrote {output} (an unsent draft with {names}){after}")


def problem(error) -> str:
    """The library's problem in the command line's terms: the option at fault, its remedy."""
    option = OPTIONS.get(getattr(error, "field", None) or "")
    remedy = REMEDIES.get(getattr(error, "remedy", None) or "", "").replace("{option}", option or "")
    if hasattr(error, "reason"):  # a SendError: the remedy goes before whether anything was sent
        return error.reason + (f"; {remedy}" if remedy else "") + error.outcome
    text = f"{option}: {error}" if option else str(error)
    return text + (f"; {remedy}" if remedy else "")


def _fail(code: int, message: str) -> int:
    typer.echo(f"kit mail: {message}", err=True)
    return code


def _can_prompt() -> bool:
    return sys.stdin.isatty()


def _smtp_password(user: str, server: str) -> str:
    """KIT_SMTP_PASSWORD, or a hidden prompt: never a command-line option (shells keep history)."""
    from ..mail import UsageError

    password = os.environ.get("KIT_SMTP_PASSWORD")
    if password:
        return password
    if not _can_prompt():
        raise UsageError("no password: set KIT_SMTP_PASSWORD (there is no terminal to ask on)")
    try:
        return typer.prompt(f"Password for {user} at {server}", hide_input=True)
    except typer.Abort:
        raise UsageError("no password given: set KIT_SMTP_PASSWORD or type it at the prompt") from None
