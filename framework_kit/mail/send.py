"""Sending the message over SMTP: once, within a deadline, over TLS when asked, every failure in one line.

There is deliberately no retry anywhere here: after an unclear failure (a
timeout, a dropped connection) the server may already hold the message, and a
second attempt could deliver it twice. The user is told what is known instead.

A hostile or broken server cannot hold the sender: the timeout is a deadline
for the whole exchange (connection, TLS, every reply and the message itself),
not a wait per read, so a server dripping a byte a second still ends on time;
and a reply may hold at most ``MAX_REPLY_LINES`` lines of at most 8 kB each
(smtplib's own limit), so endless ``250-`` continuation lines cannot fill memory.
"""

from __future__ import annotations

import smtplib
import time
from dataclasses import dataclass

from .addresses import Envelope, refuse_control_characters
from .errors import NOTHING_SENT, SendError, UsageError

SECURITY_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
DEFAULT_TIMEOUT = 120.0
MAX_REPLY_LINES = 200  # an EHLO reply lists a dozen extensions; no server needs more
_RECV_BYTES = 4096


@dataclass(frozen=True)
class Server:
    """Where and how to send: ``security`` is starttls, ssl (implicit TLS) or none."""

    host: str
    port: int
    security: str = "none"

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_server(text: str, security: str = "none") -> Server:
    """``HOST[:PORT]`` (``[::1]:587`` for IPv6) with its TLS mode; ``UsageError`` if malformed."""
    refuse_control_characters(text, "server")
    if security not in SECURITY_PORTS:
        raise UsageError(f"the connection security '{security}' is none of "
                         f"{', '.join(SECURITY_PORTS)}", field="security")
    text = text.strip()
    port_text = ""
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest and not rest.startswith(":"):
            raise UsageError(f"the mail server '{text}' is not HOST[:PORT]", field="server")
        port_text = rest[1:]
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host = text
    if not host or any(c.isspace() or c in "/@" for c in host):
        raise UsageError(f"the mail server '{text}' is not HOST[:PORT], e.g. smtp.example.org:587",
                         field="server")
    if port_text or text.endswith(":"):
        if not port_text.isdigit() or not 0 < int(port_text) < 65536:
            raise UsageError(f"the mail server '{text}': the port must be a number from 1 to 65535",
                             field="server")
        port = int(port_text)
    else:
        port = SECURITY_PORTS[security]
    return Server(host, port, security)


class ReplyTooLong(OSError):
    """The server's reply ran past ``MAX_REPLY_LINES`` continuation lines."""


class _Replies:
    """smtplib's reply file, reading the socket against the connection's deadline.

    smtplib asks only for ``readline(limit)`` and ``close()``. Each read waits at
    most the time left before the deadline; each reply is cut off after
    ``MAX_REPLY_LINES`` lines.
    """

    def __init__(self, connection: "_Deadline"):
        self.connection = connection
        self.buffer = bytearray()
        self.lines = 0

    def readline(self, limit: int = -1) -> bytes:
        limit = limit if limit > 0 else 1 << 20
        while True:
            end = self.buffer.find(b"\n", 0, limit)
            if end >= 0 or len(self.buffer) >= limit:
                size = end + 1 if end >= 0 else limit
                line = bytes(self.buffer[:size])
                del self.buffer[:size]
                return self._counted(line)
            sock = self.connection.sock
            if sock is None:
                raise OSError("the connection is closed")
            sock.settimeout(self.connection.time_left())
            data = sock.recv(_RECV_BYTES)
            if not data:
                line = bytes(self.buffer)
                self.buffer.clear()
                return line
            self.buffer += data

    def _counted(self, line: bytes) -> bytes:
        if line[3:4] == b"-":
            self.lines += 1
            if self.lines > MAX_REPLY_LINES:
                raise ReplyTooLong(f"a reply of more than {MAX_REPLY_LINES} lines")
        else:
            self.lines = 0
        return line

    def close(self) -> None:
        self.buffer.clear()


class _Deadline:
    """Mixed into smtplib's clients: every wait bounded by one deadline for the whole exchange."""

    def __init__(self, *args, timeout: float, **kwargs):
        self.deadline = time.monotonic() + timeout
        self._replies = None
        super().__init__(*args, timeout=timeout, **kwargs)

    def time_left(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline for the exchange has passed")
        return left

    @property
    def file(self):
        # smtplib sets ``file`` to None after STARTTLS: bytes read before the
        # handshake must never count as the encrypted server's reply.
        if self._replies is None and self.sock is not None:
            self._replies = _Replies(self)
        return self._replies

    @file.setter
    def file(self, value) -> None:
        if value is None:
            self._replies = None

    def _get_socket(self, host, port, timeout):
        return super()._get_socket(host, port, self.time_left())

    def send(self, s):
        if self.sock:
            self.sock.settimeout(self.time_left())  # sendall keeps to it as a whole
        return super().send(s)

    def starttls(self, *args, **kwargs):
        if self.sock:
            self.sock.settimeout(self.time_left())  # the handshake keeps to it as a whole
        return super().starttls(*args, **kwargs)


class _Client(_Deadline, smtplib.SMTP):
    pass


class _TLSClient(_Deadline, smtplib.SMTP_SSL):
    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        sock.settimeout(self.time_left())
        return sock


def _reply(e) -> str:
    return f"{e.smtp_code} {_decode(e.smtp_error)}".strip()


def _wants_starttls(exc: BaseException, server: Server) -> bool:
    """The server refuses to go on without STARTTLS (530, "Must issue a STARTTLS command first")."""
    if server.security != "none" or not isinstance(exc, smtplib.SMTPResponseException):
        return False
    return exc.smtp_code == 530 or "starttls" in _decode(exc.smtp_error).lower()


def _reason(exc: BaseException, server: Server, user: str | None, timeout: float) -> tuple[str, str | None]:
    """What went wrong, in plain words, and a remedy key; :func:`send` adds whether anything was sent."""
    import socket
    import ssl

    if isinstance(exc, smtplib.SMTPServerDisconnected) and isinstance(exc.__context__, OSError):
        exc = exc.__context__  # smtplib reports a failed read as a disconnection
    if _wants_starttls(exc, server):
        return (f"the server {server} takes mail only over a connection encrypted with STARTTLS "
                f"({_reply(exc)})", "starttls")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"the server {server} refused the login for '{user}' ({_reply(exc)}); check the "
                "user name and the password", "password")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{address} ({code} {_decode(text)})"
                            for address, (code, text) in exc.recipients.items())
        return f"the server {server} refused every recipient: {refused}", None
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return (f"the server {server} refused the sender {exc.sender} ({_reply(exc)}); "
                "use an address this server lets you send from", None)
    if isinstance(exc, smtplib.SMTPDataError):
        return f"the server {server} rejected the message ({_reply(exc)})", None
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return f"the server {server} does not support this: {exc}", None
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"the server {server} closed the connection unexpectedly", None
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"the server {server} answered {_reply(exc)}", None
    if isinstance(exc, smtplib.SMTPException):
        return f"the server {server} could not take the message: {exc}", None
    if isinstance(exc, ReplyTooLong):
        return (f"the server {server} sent {exc.args[0]}; it does not behave like a mail server",
                None)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"TLS failed: the certificate of {server.host} cannot be trusted "
                f"({exc.verify_message})", None)
    if isinstance(exc, ssl.SSLError):
        if server.security == "ssl":
            return (f"TLS failed with {server} ({exc.reason or exc}); this port may expect "
                    "STARTTLS rather than implicit TLS", "starttls")
        return f"TLS failed with {server} ({exc.reason or exc})", None
    if isinstance(exc, socket.gaierror):
        return f"cannot find the mail server '{server.host}'; check its name", None
    if isinstance(exc, ConnectionRefusedError):
        return f"cannot connect to {server}: connection refused; check the host and the port", None
    if isinstance(exc, TimeoutError):
        unit = "second" if timeout == 1 else "seconds"
        return f"the mail server {server} did not finish within {timeout:g} {unit}", None
    if isinstance(exc, UnicodeEncodeError):
        return "the user name or password holds characters that SMTP login cannot carry", None
    if isinstance(exc, OSError):
        return f"cannot talk to {server}: {exc.strerror or exc}", None
    return f"sending through {server} failed: {exc}", None


def _outcome(exc: BaseException, transmitting: bool) -> str:
    """'Nothing was sent', unless the connection broke while the message was on its way."""
    answered = isinstance(exc, (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused))
    if transmitting and not answered:
        return ("; the message may or may not have been delivered: ask the recipients "
                "before sending it again")
    return NOTHING_SENT


def _decode(value) -> str:
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return " ".join(text.split())


def send(message: bytes, mail: Envelope, server: Server, *, user: str | None = None,
         password: str | None = None, timeout: float = DEFAULT_TIMEOUT, context=None) -> list[str]:
    """Send ``message`` (its wire bytes) once, to every To, Cc and Bcc address; return who accepted it.

    The bytes are sent as they are, so a saved copy of them is the message the
    recipients got, boundaries included.

    ``timeout`` is a deadline in seconds for the whole exchange. There is no
    retry: a second attempt after an unclear failure could deliver the message
    twice. Any failure raises ``SendError`` with one plain line, including a
    partial refusal (some recipients got it, the rest are named). ``context``
    is the TLS context (default: the system's trusted certificates).
    """
    import ssl

    if user and server.security == "none":
        raise UsageError("a login needs an encrypted connection (STARTTLS or implicit TLS): a "
                         "password must not cross the network unencrypted", field="user",
                         remedy="encrypt")
    if server.security != "none" and context is None:
        context = ssl.create_default_context()
    recipients = mail.recipients
    client = None
    transmitting = False
    try:
        if server.security == "ssl":
            client = _TLSClient(server.host, server.port, timeout=timeout, context=context)
        else:
            client = _Client(server.host, server.port, timeout=timeout)
        if server.security == "starttls":
            client.ehlo()
            if not client.has_extn("starttls"):
                raise SendError(f"the server {server} does not offer STARTTLS", NOTHING_SENT,
                                remedy="ssl")
            client.starttls(context=context)
            client.ehlo()
        if user:
            client.login(user, password or "")
        client.ehlo_or_helo_if_needed()
        transmitting = True  # from here on, a broken connection may leave the message delivered
        refused = client.sendmail(mail.sender.addr_spec, recipients, message)
    except SendError:
        _close(client)
        raise
    except (OSError, smtplib.SMTPException, ValueError) as exc:  # ValueError: e.g. a bad IDN host
        _close(client)
        reason, remedy = _reason(exc, server, user, timeout)
        raise SendError(reason, _outcome(exc, transmitting), remedy=remedy) from None
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        # The server has the message; a failed goodbye must not make anyone send it again.
        _close(client)
    accepted = [r for r in recipients if r not in refused]
    if refused:
        detail = "; ".join(f"{addr} ({code} {_decode(text)})" for addr, (code, text) in refused.items())
        raise PartlySent(accepted, f"sent to {', '.join(accepted)}, but the server {server} refused "
                         f"{detail}; do not send it again to those who received it")
    return accepted


class PartlySent(SendError):
    """Some recipients have the message, the others were refused; ``accepted`` names who has it."""

    def __init__(self, accepted: list[str], reason: str):
        super().__init__(reason)
        self.accepted = accepted


def _close(client) -> None:
    if client is not None:
        try:
            client.close()
        except OSError:
            pass


__all__ = ["DEFAULT_TIMEOUT", "MAX_REPLY_LINES", "PartlySent", "SECURITY_PORTS", "Server",
           "parse_server", "send"]
