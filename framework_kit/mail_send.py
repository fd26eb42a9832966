"""Sending the message over SMTP: once, over TLS when asked, every failure in one line.

There is deliberately no retry anywhere here: after an unclear failure (a
timeout, a dropped connection) the server may already hold the message, and a
second attempt could deliver it twice. The user is told what is known instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

from .mail import DEFAULT_TIMEOUT, Envelope, SendError, UsageError, refuse_control_characters

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}


@dataclass(frozen=True)
class Server:
    """Where and how to send: ``security`` is starttls, ssl (implicit TLS) or none."""

    host: str
    port: int
    security: str = "none"

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_server(text: str, *, starttls: bool = False, ssl: bool = False) -> Server:
    """``HOST[:PORT]`` (``[::1]:587`` for IPv6) with its TLS mode; ``UsageError`` if malformed."""
    refuse_control_characters(text, "--smtp")
    if starttls and ssl:
        raise UsageError("--starttls and --ssl exclude each other: --starttls upgrades a plain "
                         "connection (usually port 587), --ssl starts with TLS (usually port 465)")
    security = "starttls" if starttls else "ssl" if ssl else "none"
    text = text.strip()
    port_text = ""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise UsageError(f"--smtp '{text}' is not HOST[:PORT]")
        port_text = rest[1:]
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host = text
    if not host or any(c.isspace() or c in "/@" for c in host):
        raise UsageError(f"--smtp '{text}' is not HOST[:PORT], e.g. smtp.example.org:587")
    if port_text or text.endswith(":"):
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(f"--smtp '{text}': the port must be a number from 1 to 65535")
        port = int(port_text)
    else:
        port = SECURITY_PORTS[security]
    return Server(host, port, security)


def _reason(exc: BaseException, server: Server, user: str | None, timeout: float) -> str:
    """What went wrong, in plain words; :func:`send` adds whether anything was sent."""
    import smtplib
    import socket
    import ssl

    def reply(e) -> str:
        return f"{e.smtp_code} {_decode(e.smtp_error)}".strip()

    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, OSError):
        exc = exc.__context__  # smtplib reports a timed-out read as a disconnection
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"the server {server} refused the login for '{user}' ({reply(exc)}); check the "
                "user name and the password (KIT_SMTP_PASSWORD)")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{address} ({code} {_decode(text)})"
                            for address, (code, text) in exc.recipients.items())
        return f"the server {server} refused every recipient: {refused}"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (f"the server {server} refused the sender {exc.sender} ({reply(exc)}); "
                "use an address this server lets you send from")
    if isinstance(exc, smtplib.SMTPDataError):
        return f"the server {server} rejected the message ({reply(exc)})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"the server {server} does not support this: {exc}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"the server {server} closed the connection unexpectedly"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server {server} answered {reply(exc)}"
    if isinstance(exc, smtplib.SMTPException):
        return f"the server {server} could not take the message: {exc}"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"TLS failed: the certificate of {server.host} cannot be trusted "
                f"({exc.verify_message})")
    if isinstance(exc, ssl.SSLError):
        hint = ("; is this port for implicit TLS? Try --starttls, usually with port 587"
                if server.security == "ssl" else "")
        return f"TLS failed with {server} ({exc.reason or exc}){hint}"
    if isinstance(exc, socket.gaierror):
        return f"cannot find the mail server '{server.host}'; check its name"
    if isinstance(exc, ConnectionRefusedError):
        return f"cannot connect to {server}: connection refused; check the host and the port"
    if isinstance(exc, TimeoutError):
        unit = "second" if timeout == 1 else "seconds"
        return f"the mail server {server} did not answer within {timeout:g} {unit}"
    if isinstance(exc, UnicodeEncodeError):
        return "the user name or password holds characters that SMTP login cannot carry"
    if isinstance(exc, OSError):
        return f"cannot talk to {server}: {exc.strerror or exc}"
    return f"sending through {server} failed: {exc}"


def _outcome(exc: BaseException, transmitting: bool) -> str:
    """'Nothing was sent', unless the connection broke while the message was on its way."""
    import smtplib

    answered = isinstance(exc, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused))
    if transmitting and not answered:
        return ("; the message may or may not have been delivered: ask the recipients "
                "before sending it again")
    return ". Nothing was sent"


def _decode(value) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())


def send(message: EmailMessage, mail: Envelope, server: Server, *, user: str | None = None,
         password: str | None = None, timeout: float = DEFAULT_TIMEOUT, context=None) -> list[str]:
    """Send ``message`` once; return the recipients the server accepted.

    There is no retry: a second attempt after an unclear failure could deliver
    the message twice. Any failure raises ``SendError`` with one plain line,
    including a partial refusal (some recipients got it, the rest are named).
    ``context`` is the TLS context (default: the system's trusted certificates).
    """
    import smtplib
    import ssl

    if user and server.security == "none":
        raise UsageError("--user needs --starttls or --ssl: a password must not cross the "
                         "network unencrypted")
    if server.security != "none" and context is None:
        context = ssl.create_default_context()
    recipients = mail.recipients
    client = None
    transmitting = False
    try:
        if server.security == "ssl":
            client = smtplib.SMTP_SSL(server.host, server.port, timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(server.host, server.port, timeout=timeout)
        if server.security == "starttls":
            client.ehlo()
            if not client.has_extn("starttls"):
                raise SendError(f"the server {server} does not offer STARTTLS; try --ssl "
                                "(usually port 465). Nothing was sent")
            client.starttls(context=context)
            client.ehlo()
        if user:
            client.login(user, password or "")
        transmitting = True
        refused = client.send_message(message, from_addr=mail.sender.addr_spec,
                                      to_addrs=recipients)
    except SendError:
        _close(client)
        raise
    except (OSError, smtplib.SMTPException, ValueError) as exc:  # ValueError: e.g. a bad IDN host
        _close(client)
        raise SendError(_reason(exc, server, user, timeout) + _outcome(exc, transmitting)) from None
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        # The server has the message; a failed goodbye must not make anyone send it again.
        _close(client)
    accepted = [r for r in recipients if r not in refused]
    if refused:
        detail = "; ".join(f"{addr} ({code} {_decode(text)})" for addr, (code, text) in refused.items())
        raise SendError(f"sent to {', '.join(accepted)}, but the server {server} refused {detail}; "
                        "do not send it again to those who received it")
    return accepted


def _close(client) -> None:
    if client is not None:
        try:
            client.close()
        except OSError:
            pass


__all__ = ["SECURITY_PORTS", "Server", "parse_server", "send"]
