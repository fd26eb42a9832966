"""What to do with the message, checked before the spec is read; then doing it: send, save.

:func:`check_request` refuses whatever cannot work (nowhere to put the message,
a login without encryption, blind copies in a file) before anything is rendered.
:func:`deliver` builds the message, sends it once and saves it: once sent, the
saved file is the sent copy, byte for byte (no ``X-Unsent``, so no client offers
to send it again); when nothing was sent, it is the unsent draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .addresses import Envelope, envelope, refuse_control_characters
from .errors import MailError, SendError, UsageError
from .message import build_message, check_output, message_bytes, write_message

ATTACH = ("brief", "all", "none")


@dataclass(frozen=True)
class Request:
    """A checked request: who the message is for, where to save it, the server to send through."""

    envelope: Envelope
    attach: str = "brief"
    target: Path | None = None
    server: object = None  # send.Server, or None
    user: str | None = None


@dataclass
class Delivery:
    """What :func:`deliver` did; ``error`` is the problem that spoiled it, or None."""

    message: object = None  # the EmailMessage
    accepted: list[str] = field(default_factory=list)  # every recipient the server took
    blind: list[str] = field(default_factory=list)  # the blind-copy addresses among them
    saved: Path | None = None
    saved_as_sent: bool = False
    server: str = ""  # HOST:PORT
    error: MailError | None = None


@dataclass
class MailResult:
    """What :func:`framework_kit.api.mail_brief` did.

    ``check``: the spec's check (``api.CheckResult``, a ``RenderResult`` once the
    attachments were rendered: its diagnostics include the templates'). ``error``:
    the one problem that stopped or spoiled the mail (``exit_code`` 2 for what
    cannot work as asked, 1 for a failure on the way), or None.
    """

    check: object
    files: list = field(default_factory=list)  # the attachments (documents.RenderedFile)
    warnings: list[str] = field(default_factory=list)
    delivery: Delivery | None = None
    error: MailError | None = None

    @property
    def ok(self) -> bool:
        return self.check.ok and self.error is None

    @property
    def exit_code(self) -> int:
        if not self.check.ok and self.check.exit_code:
            return self.check.exit_code
        return self.error.exit_code if self.error is not None else 0


def check_request(*, sender: str, to, cc=(), bcc=(), subject=None, attach="brief", templates_dir=None,
                  output=None, server=None, security="none", user=None) -> Request:
    """Every address, the subject and the delivery checked; ``UsageError`` on the first at fault."""
    mail = envelope(sender, to, cc, subject, bcc)
    if attach not in ATTACH:
        raise UsageError(f"attach '{attach}' is none of {', '.join(ATTACH)}", field="attach")
    if templates_dir is not None and not Path(templates_dir).is_dir():
        raise UsageError(f"{templates_dir}: no such templates folder", field="templates_dir")
    if output is None and server is None:
        raise UsageError("nothing to do with the message: give a file to save it in, or a mail "
                         "server to send it through", field="output")
    if server is None and security != "none":
        raise UsageError("connection security applies only when sending through a mail server",
                         field="security")
    if server is None and user is not None:
        raise UsageError("a login applies only when sending through a mail server", field="user")
    if server is None and mail.bcc:
        raise UsageError("blind copies reach their recipients only when the message is sent; a "
                         "saved message must not name them", field="bcc", remedy="bcc-send")
    if user is not None:
        refuse_control_characters(user, "user")
        if security == "none":
            raise UsageError("a login needs an encrypted connection (STARTTLS or implicit TLS): a "
                             "password must not cross the network unencrypted", field="user",
                             remedy="encrypt")
    target = check_output(output) if output is not None else None
    smtp = None
    if server is not None:
        from .send import parse_server

        smtp = parse_server(server, security)
    return Request(mail, attach, target, smtp, user)


def deliver(request: Request, design, assessment, files: Sequence, *, password: str | None = None,
            timeout: float | None = None, tls_context=None) -> Delivery:
    """Build the message, send it once if a server was given, save it if a file was."""
    done = Delivery(build_message(design, assessment, files, request.envelope))
    wire, sent = message_bytes(done.message), False
    if request.server is not None:
        done.server = str(request.server)
        sent = _send(done, request, wire, password, timeout, tls_context)
    if request.target is not None:
        data = wire if sent else message_bytes(done.message, unsent=True)
        try:
            done.saved, done.saved_as_sent = write_message(data, request.target), sent
        except MailError as exc:
            done.error = done.error or exc
    return done


def _send(done: Delivery, request: Request, wire: bytes, password, timeout, tls_context) -> bool:
    """Send once; True when any recipient may have the message."""
    from .send import DEFAULT_TIMEOUT, PartlySent, send

    mail = request.envelope
    blind = {a.addr_spec for a in mail.bcc} - {a.addr_spec for a in mail.to + mail.cc}
    try:
        done.accepted = send(wire, mail, request.server, user=request.user, password=password,
                             timeout=timeout or DEFAULT_TIMEOUT, context=tls_context)
    except PartlySent as exc:
        done.accepted, done.error = exc.accepted, exc
    except SendError as exc:
        done.error = exc
        return not exc.nothing_sent
    done.blind = [a for a in done.accepted if a in blind]
    return True


__all__ = ["ATTACH", "Delivery", "MailResult", "Request", "check_request", "deliver"]
