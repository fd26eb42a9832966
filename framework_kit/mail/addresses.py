"""What the user typed for the mail's headers: addresses and subject, checked before anything else.

Everything that ends up in a header is checked here, before the spec is
rendered, written or sent: a line break in a header value could smuggle in
headers of its own (header injection), and a malformed address would only fail
later, at the server, after the user has waited.

An address is either ``name@example.org`` or ``Display Name <name@example.org>``.
With the address in angle brackets, everything before them is the display name,
commas and any script included (``Petrenko, Olena <o@example.org>``); a value
holding several addresses is refused with a word on how to give several
recipients, never silently split.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.headerregistry import Address
from typing import Iterable

from .errors import UsageError

# How each field is spoken of in a message.
ROLES = {"sender": "the sender", "to": "the recipient", "cc": "the copy recipient",
         "bcc": "the blind-copy recipient", "subject": "the subject", "user": "the user name",
         "server": "the mail server"}
FORM = 'write an address as name@example.org or "Name <name@example.org>"'
LINE_BREAKS = "\r\n\x85\u2028\u2029"

_LABEL_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")
# RFC 5322 dot-atom text: the characters a local part may hold without quoting.
_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_ANGLE = re.compile(r"\s*(?P<name>[^<>]*?)\s*<(?P<address>[^<>]*)>\s*")


def refuse_control_characters(value: str, field: str) -> None:
    """Raise ``UsageError`` if ``value`` holds a line break or another control character."""
    role = ROLES.get(field, field)
    for char in value:
        if char in LINE_BREAKS:
            raise UsageError(
                f"{role} contains a line break; it must be a single line (a line break in a "
                "mail header could add headers of its own, so it is refused)", field=field)
        if unicodedata.category(char) == "Cc":
            raise UsageError(f"{role} contains the control character U+{ord(char):04X}; "
                             "remove it and try again", field=field)


def ascii_domain(domain: str) -> str | None:
    """The domain in ASCII (IDNA for non-ASCII names), or None when it is no mail domain."""
    if domain.startswith("[") and domain.endswith("]"):
        return domain  # an address literal such as [192.0.2.1]
    try:
        encoded = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = encoded.split(".")
    if len(labels) < 2 or len(encoded) > 253:
        return None
    for label in labels:
        if not label or len(label) > 63 or label[0] == "-" or label[-1] == "-":
            return None
        if not set(label) <= _LABEL_CHARS:
            return None
    return encoded


def _display_name(text: str) -> str:
    """The display name as meant: surrounding quotes removed, escapes undone, spaces kept single."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = re.sub(r"\\(.)", r"\1", text[1:-1])
    return " ".join(text.split())


def _holds_several(value: str) -> bool:
    """True when ``value`` reads as a list of complete addresses (``a@x, b@y``, ``a@x b@y``).

    A display name with a comma (``Petrenko, Olena <o@x>``) is one address: only one
    part of it has an @.
    """
    parts = [part for part in re.split(r"[,;]|\s+(?=[^\s<>]*@)", value) if part.strip()]
    complete = [part for part in parts if re.search(r"[^\s<@]@[^\s>@]", part)]
    return len(complete) > 1


def _several(value: str, role: str, field: str) -> UsageError:
    return UsageError(f"{role} '{value}' holds several addresses; give each recipient separately"
                      if field != "sender" else
                      f"{role} '{value}' holds several addresses; a message has one sender",
                      field=field, remedy="one-recipient-each" if field != "sender" else None)


def parse_address(value: str, field: str) -> Address:
    """One address as typed, checked; ``UsageError`` saying what is wrong with it otherwise.

    ``field`` is the parameter it came from (sender, to, cc, bcc), named in the error.
    """
    role = ROLES.get(field, field)
    refuse_control_characters(value, field)
    if not value.strip():
        raise UsageError(f"{role} is empty; {FORM}", field=field)
    if _holds_several(value):
        raise _several(value, role, field)
    angle = _ANGLE.fullmatch(value)
    if angle:
        name, spec = _display_name(angle["name"]), angle["address"].strip()
    elif "<" in value or ">" in value:
        raise UsageError(f"{role} '{value}' has unbalanced angle brackets; {FORM}", field=field)
    else:
        name, spec = "", value.strip()
    local, at, domain = spec.rpartition("@")
    problem = None
    if not at:
        problem = "has no @"
    elif not local:
        problem = "has nothing before the @"
    elif not domain:
        problem = "has nothing after the @"
    elif any(c.isspace() for c in spec):
        problem = "contains a space"
    elif not local.isascii():
        raise UsageError(f"{role} '{value}': letters outside ASCII before the @ are not accepted "
                         "by most mail servers; use the recipient's ASCII address", field=field)
    elif not _ATOM.fullmatch(local):
        problem = f"has '{local}' before the @, which is not a mailbox name"
    if problem:
        raise UsageError(f"{role} '{value}' {problem}; {FORM}", field=field)
    encoded = ascii_domain(domain)
    if encoded is None:
        raise UsageError(f"{role} '{value}': '{domain}' is not a mail domain; {FORM}", field=field)
    return Address(name, local, encoded)


def parse_addresses(values: Iterable[str], field: str) -> list[Address]:
    """Every address in ``values``, one per value, in order (see :func:`parse_address`)."""
    return [parse_address(value, field) for value in values]


def check_subject(subject: str | None) -> str | None:
    """The subject as given, or ``UsageError`` if it is empty or spans several lines."""
    if subject is None:
        return None
    refuse_control_characters(subject, "subject")
    if not subject.strip():
        raise UsageError("the subject is empty; leave it out to use the default subject",
                         field="subject")
    return subject


@dataclass(frozen=True)
class Envelope:
    """Who the message is from and to; built by :func:`envelope`.

    ``bcc`` receive the message but appear in no header: only the SMTP envelope
    carries them.
    """

    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...] = ()
    subject: str | None = None
    bcc: tuple[Address, ...] = ()

    @property
    def recipients(self) -> list[str]:
        """Every To, Cc and Bcc address once, for the SMTP envelope."""
        return list(dict.fromkeys(a.addr_spec for a in self.to + self.cc + self.bcc))


def envelope(sender: str, to: Iterable[str], cc: Iterable[str] = (), subject: str | None = None,
             bcc: Iterable[str] = ()) -> Envelope:
    """Check what the user typed; raise ``UsageError`` on the first value at fault."""
    from_address = parse_address(sender, "sender")
    to_list = parse_addresses(to, "to")
    if not to_list:
        raise UsageError("the message has no recipient; give at least one", field="to")
    return Envelope(from_address, tuple(to_list), tuple(parse_addresses(cc, "cc")),
                    check_subject(subject), tuple(parse_addresses(bcc, "bcc")))


__all__ = ["Envelope", "ROLES", "ascii_domain", "check_subject", "envelope", "parse_address",
           "parse_addresses", "refuse_control_characters"]
