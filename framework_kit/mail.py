"""The brief as an email: addresses checked, message built, written as a draft or sent.

Everything a user types that ends up in a mail header (addresses, the subject)
is checked here before anything is rendered, written or sent: a line break in
a header value could smuggle in headers of its own (header injection), and a
malformed address only fails later, at the server, after the user has waited.

Headers that carry free text (Subject, display names) are encoded and folded
here, not by the standard library's folder: that folder can drop the spaces
between two encoded words (CPython's ``_refold_parse_tree``), so a Cyrillic
subject would arrive with words run together. Every character of such a
header, spaces included, travels inside an RFC 2047 encoded word, and the
receiving side rebuilds it exactly.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import os
import unicodedata
from dataclasses import dataclass
from email import policy as email_policy
from email.errors import NonASCIILocalPartDefect
from email.headerregistry import Address, HeaderRegistry
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Iterable, Sequence

from .mail_body import html_body, plain_body

MIME_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
SIZE_WARNING_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 60.0
MAX_LINE = 78  # RFC 5322: lines SHOULD stay within 78 characters
MAX_ENCODED_WORD = 75  # RFC 2047
SMTP_POLICY = email_policy.SMTP  # CRLF line ends, headers of at most 78 characters

_REGISTRY = HeaderRegistry()
_LABEL_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-")


class MailError(Exception):
    """A problem the user can fix; the message is one plain line. ``exit_code`` is 1 or 2."""

    exit_code = 1


class UsageError(MailError):
    """The command line is wrong (a bad address, a line break in the subject …)."""

    exit_code = 2


class SendError(MailError):
    """The server could not be reached or refused the message."""

    exit_code = 1


# --- what the user typed ---------------------------------------------------------------

def refuse_control_characters(value: str, option: str) -> None:
    """Raise ``UsageError`` if ``value`` holds a line break or another control character."""
    for char in value:
        if char in "\r\n\x85\u2028\u2029":
            raise UsageError(
                f"{option} contains a line break; it must be a single line (a line break in a "
                "mail header could add headers of its own, so it is refused)")
        if unicodedata.category(char) == "Cc":
            raise UsageError(f"{option} contains the control character U+{ord(char):04X}; "
                             "remove it and try again")


def _ascii_domain(domain: str) -> str | None:
    """The domain in ASCII (IDNA for non-ASCII names), or None when it is no mail domain."""
    if domain.startswith("[") and domain.endswith("]"):
        return domain  # an address literal such as [192.0.2.1]
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or len(ascii_domain) > 253:
        return None
    for label in labels:
        if not label or len(label) > 63 or label[0] == "-" or label[-1] == "-":
            return None
        if not set(label) <= _LABEL_CHARS:
            return None
    return ascii_domain


def parse_addresses(values: Iterable[str], option: str) -> list[Address]:
    """Every address in ``values`` (each may list several, separated by commas).

    Accepts ``name@example.org`` and ``Name <name@example.org>`` (any script in
    the name). Raises ``UsageError`` naming the option and the value at fault.
    """
    hint = 'write it as name@example.org or "Name <name@example.org>"'
    out: list[Address] = []
    for value in values:
        refuse_control_characters(value, option)
        if not value.strip():
            raise UsageError(f"{option} is empty; {hint}")
        try:
            header = _REGISTRY("to", value)
            defects = list(header.defects)
            addresses = list(header.addresses)
            grouped = any(group.display_name for group in header.groups)
        except Exception:  # the parser itself trips on some inputs, e.g. "jane@"
            defects, addresses, grouped = ["unreadable"], [], False
        non_ascii = (f"{option} '{value}': letters outside ASCII before the @ are not accepted "
                     "by most mail servers; use the recipient's ASCII address")
        if any(isinstance(d, NonASCIILocalPartDefect) for d in defects):
            raise UsageError(non_ascii)
        if defects or grouped or not addresses:
            raise UsageError(f"{option} '{value}' is not a valid email address; {hint}")
        for address in addresses:
            if not address.username or not address.domain:
                raise UsageError(f"{option} '{value}' is not a valid email address; {hint}")
            if not address.username.isascii():
                raise UsageError(non_ascii)
            domain = _ascii_domain(address.domain)
            if domain is None:
                raise UsageError(f"{option} '{value}': '{address.domain}' is not a mail domain; {hint}")
            out.append(Address(address.display_name, address.username, domain))
    return out


def check_subject(subject: str | None) -> str | None:
    """The subject as given, or ``UsageError`` if it is empty or spans several lines."""
    if subject is None:
        return None
    refuse_control_characters(subject, "--subject")
    if not subject.strip():
        raise UsageError("--subject is empty; leave it out to use the default subject")
    return subject


def default_subject(design) -> str:
    """'<title> — brief v<version> (<date>)'."""
    process = design.process
    # A title written as a YAML block holds line breaks; a subject is one line.
    title, version = " ".join(process.title.split()), " ".join(str(process.version).split())
    return f"{title} — brief v{version} ({process.date.isoformat()})"


# --- headers -----------------------------------------------------------------------------

class _FoldedHeader(str):
    """A header already encoded and folded; the email policy emits its lines verbatim.

    ``EmailPolicy`` passes any value with a ``name`` attribute through unchanged
    and asks it to ``fold`` itself (the documented protocol of header objects).
    The string value is the decoded text, so ``message["Subject"]`` reads as typed.
    """

    def __new__(cls, name: str, text: str, lines: list[str]):
        header = super().__new__(cls, text)
        header.name = name
        header.lines = lines
        return header

    def fold(self, *, policy) -> str:
        return policy.linesep.join(self.lines) + policy.linesep


def _base64_length(size: int) -> int:
    return 4 * ((size + 2) // 3)


# Characters that RFC 2047 lets stand for themselves in a Q-encoded word anywhere,
# display names included (section 5, rule 3); everything else is written =XX.
_Q_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!*+-/")


def _q_encode(char: str) -> str:
    if char == " ":
        return "_"
    if char in _Q_SAFE:
        return char
    return "".join(f"={byte:02X}" for byte in char.encode("utf-8"))


def _encoded_words(text: str, first_room: int) -> list[str]:
    """``text`` as RFC 2047 encoded words, whole characters each, none over its room.

    Mostly-Latin text is Q-encoded (still readable in the raw message), other
    scripts Base64-encoded, whichever is shorter.
    """
    overhead = len("=?utf-8?b??=")
    quoted = sum(len(_q_encode(c)) for c in text) <= _base64_length(len(text.encode("utf-8")))
    words: list[str] = []
    chunk = ""
    room = min(first_room, MAX_ENCODED_WORD)

    def size(piece: str) -> int:
        if quoted:
            return sum(len(_q_encode(c)) for c in piece)
        return _base64_length(len(piece.encode("utf-8")))

    def word(piece: str) -> str:
        if quoted:
            return "=?utf-8?q?" + "".join(_q_encode(c) for c in piece) + "?="
        return "=?utf-8?b?" + base64.b64encode(piece.encode("utf-8")).decode("ascii") + "?="

    for char in text:
        if chunk and overhead + size(chunk + char) > room:
            words.append(word(chunk))
            chunk, room = "", MAX_ENCODED_WORD
        chunk += char
    if chunk:
        words.append(word(chunk))
    return words


def _needs_encoding(text: str) -> bool:
    """True unless ``text`` is plain ASCII that survives folding and unfolding as it is."""
    return (not text.isascii() or not text.isprintable() or "=?" in text or "  " in text
            or text != text.strip() or "\t" in text)


def _fold_tokens(name: str, tokens: Sequence[str]) -> list[str]:
    """Lines of the header: tokens joined by single spaces, wrapped before a token."""
    lines = [f"{name}:"]
    for token in tokens:
        if len(lines[-1]) + 1 + len(token) > MAX_LINE and lines[-1] != f"{name}:":
            lines.append("")
        lines[-1] += " " + token
    return lines


def text_header(name: str, text: str) -> _FoldedHeader:
    """An unstructured header (Subject) that every reader decodes to exactly ``text``."""
    if not _needs_encoding(text):
        lines = _fold_tokens(name, text.split(" "))
        if all(len(line) <= MAX_LINE for line in lines):
            return _FoldedHeader(name, text, lines)
    words = _encoded_words(text, MAX_LINE - len(name) - 2)
    return _FoldedHeader(name, text, _fold_tokens(name, words))


def address_header(name: str, addresses: Sequence[Address]) -> _FoldedHeader:
    """An address-list header (From, To, Cc) with display names in any script.

    A long name spans several encoded words; RFC 2047 readers join them without
    the space between them. (CPython's own address parser, before gh-128110 was
    fixed, keeps that space: a Python reader may see one extra space there.)
    """
    tokens: list[str] = []
    for index, address in enumerate(addresses):
        display = address.display_name
        if not display:
            parts = [address.addr_spec]
        elif _needs_encoding(display):
            parts = _encoded_words(display, MAX_ENCODED_WORD) + [f"<{address.addr_spec}>"]
        else:
            parts = [str(address)]  # quotes the name when it holds specials
        if index < len(addresses) - 1:
            parts[-1] += ","
        tokens.extend(parts)
    text = ", ".join(str(address) for address in addresses)
    return _FoldedHeader(name, text, _fold_tokens(name, tokens))


# --- attachments ---------------------------------------------------------------------------

# Ukrainian national transliteration (2010), with the Russian and Belarusian letters it
# lacks; only a fallback name for old clients, the real name travels in RFC 2231.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ё": "e",
    "ж": "zh", "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m",
    "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ў": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "iu", "я": "ia",
}


def ascii_filename(name: str, fallback: str) -> str:
    """An ASCII spelling of ``name`` for mail clients that ignore RFC 2231.

    Cyrillic is transliterated, accents are dropped, anything else becomes a
    hyphen; ``fallback`` is used when nothing readable is left of the stem.
    """
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", stem):
        lower = char.lower()
        if lower in _CYRILLIC:
            latin = _CYRILLIC[lower]
            out.append(latin.capitalize() if char != lower else latin)
            continue
        # NFKD splits "é" into "e" and an accent; the accent is dropped.
        kept = [c for c in unicodedata.normalize("NFKD", char)
                if c.isascii() and (c.isalnum() or c in "._-")]
        if kept:
            out.extend(kept)
        elif out and out[-1] != "-":
            out.append("-")
    ascii_stem = "".join(out).strip("-.")
    if not any(c.isalnum() for c in ascii_stem):
        ascii_stem = fallback
    return f"{ascii_stem}.{extension}" if extension else ascii_stem


def attachment_size(files: Sequence) -> int:
    """Total bytes of the attached files."""
    return sum(len(f.data) for f in files)


def size_warning(files: Sequence) -> str | None:
    """A warning when the attachments exceed what many mail servers accept."""
    total = attachment_size(files)
    if total <= SIZE_WARNING_BYTES:
        return None
    return (f"the attachments total {total / 1024 / 1024:.1f} MB; many mail servers refuse "
            "messages above 10 MB. Consider --attach brief, or share the documents another way")


def _attach(message: EmailMessage, rendered) -> None:
    maintype, subtype = MIME_TYPES.get(rendered.format, ("application", "octet-stream"))
    name = rendered.filename
    # The standard library writes a non-ASCII name as RFC 2231 filename*=utf-8''...;
    # clients that ignore RFC 2231 read the Content-Type name, which stays ASCII.
    # Both forms in Content-Disposition would repeat one parameter (RFC 2045 §5.1).
    message.add_attachment(rendered.data, maintype=maintype, subtype=subtype, filename=name)
    part = message.get_payload()[-1]
    part.set_param("name", ascii_filename(name, rendered.key), header="Content-Type")


# --- the message ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Envelope:
    """Who the message is from and to; checked by :func:`envelope`."""

    sender: Address
    to: tuple[Address, ...]
    cc: tuple[Address, ...] = ()
    subject: str | None = None

    @property
    def recipients(self) -> list[str]:
        """Every To and Cc address once, for the SMTP envelope."""
        return list(dict.fromkeys(a.addr_spec for a in self.to + self.cc))


def envelope(sender: str, to: Iterable[str], cc: Iterable[str] = (), subject: str | None = None) -> Envelope:
    """Check what the user typed; raise ``UsageError`` on the first value at fault."""
    senders = parse_addresses([sender], "--from")
    if len(senders) != 1:
        raise UsageError("--from takes exactly one address")
    to_list = parse_addresses(to, "--to")
    if not to_list:
        raise UsageError("give at least one recipient with --to")
    return Envelope(senders[0], tuple(to_list), tuple(parse_addresses(cc, "--cc")),
                    check_subject(subject))


def _clock() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible drafts and tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).astimezone()


def build_message(design, result, files: Sequence, mail: Envelope, *,
                  now: dt.datetime | None = None, message_id: str | None = None) -> EmailMessage:
    """The whole message: headers, a plain-text body, its HTML twin and the attachments.

    ``result`` is the design's CheckResult (for the essentials' status); ``files``
    are RenderedFile objects. ``now`` and ``message_id`` make the output
    reproducible; by default they come from the clock (or SOURCE_DATE_EPOCH).
    """
    subject = mail.subject or default_subject(design)
    message = EmailMessage(policy=SMTP_POLICY)
    message["From"] = address_header("From", [mail.sender])
    message["To"] = address_header("To", list(mail.to))
    if mail.cc:
        message["Cc"] = address_header("Cc", list(mail.cc))
    message["Subject"] = text_header("Subject", subject)
    when = now or _clock()
    message["Date"] = format_datetime(when)
    if message_id is None:
        if os.environ.get("SOURCE_DATE_EPOCH"):
            digest = hashlib.sha256(repr((subject, mail, when.isoformat())).encode())
            for rendered in files:
                digest.update(rendered.data)
            message_id = f"<{digest.hexdigest()[:32]}@{mail.sender.domain}>"
        else:
            message_id = make_msgid("kit", domain=mail.sender.domain)
    message["Message-ID"] = message_id
    message.set_content(plain_body(design, result, files))
    message.add_alternative(html_body(design, result, files), subtype="html")
    for rendered in files:
        _attach(message, rendered)
    for part in message.walk():
        if part is not message:
            del part["MIME-Version"]  # only the top level carries it (RFC 2045 §4)
    return message


def message_bytes(message: EmailMessage, *, unsent: bool = False) -> bytes:
    """The message in wire form; ``unsent`` adds ``X-Unsent: 1`` so clients open it as a draft."""
    if not unsent:
        return message.as_bytes(policy=SMTP_POLICY)
    message["X-Unsent"] = "1"
    try:
        return message.as_bytes(policy=SMTP_POLICY)
    finally:
        del message["X-Unsent"]


def write_draft(message: EmailMessage, path: str | os.PathLike) -> Path:
    """Write the message as an unsent draft (.eml), atomically; return the path written."""
    from .output import WriteError, write_files

    target = Path(path)
    if target.is_dir():
        raise UsageError(f"-o {target} is a folder; give a file name such as brief.eml")
    try:
        return write_files(target.parent, [(target.name, message_bytes(message, unsent=True))])[0]
    except WriteError as exc:
        raise MailError(str(exc)) from None



def check_delivery(output, smtp: str | None, *, starttls: bool, ssl: bool, user: str | None,
                   templates=None) -> None:
    """Refuse option combinations that cannot work, before anything is checked or rendered."""
    if templates is not None and not Path(templates).is_dir():
        raise UsageError(f"--templates {templates}: no such folder "
                         "(create one with 'kit templates export FOLDER')")
    if output is None and smtp is None:
        raise UsageError("say what to do with the message: -o FILE.eml writes a draft to open in "
                         "your mail client, --smtp HOST[:PORT] sends it")
    if smtp is None and (starttls or ssl or user):
        option = "--starttls" if starttls else "--ssl" if ssl else "--user"
        raise UsageError(f"{option} only applies when sending; add --smtp HOST[:PORT]")
    if user is not None:
        refuse_control_characters(user, "--user")
        if not (starttls or ssl):
            raise UsageError("--user needs --starttls or --ssl: a password must not cross the "
                             "network unencrypted")
    if output is not None and Path(output).is_dir():
        raise UsageError(f"-o {output} is a folder; give a file name such as brief.eml")


def render_design(design, result, *, formats, only=None, templates_dir=None) -> list:
    """The design's documents in memory (``documents.RenderedFile``), as ``kit render`` makes them."""
    from . import api

    built = api.build_documents(design, result.assessment, only=only, templates_dir=templates_dir)
    return api.write_documents(design, built, formats=formats, templates_dir=templates_dir)


def render_attachments(result, attach: str = "brief", templates_dir=None) -> list:
    """Render what the mail carries, exactly as ``kit render`` would: the brief PDF, or all.

    Raises ``diagnostics.RenderError`` on template problems and ``MailError``
    when the design renders nothing to attach.
    """
    design = result.design
    if attach == "brief":
        if "brief" not in design.documents_to_render():
            raise MailError("the spec's 'documents' list leaves out the brief; add brief to it, "
                            "or attach everything with --attach all")
        files = render_design(design, result, formats=("pdf",), only=("brief",),
                              templates_dir=templates_dir)
        files = [f for f in files if f.document == "brief" and f.format == "pdf"]
    else:
        files = render_design(design, result, formats=("docx", "pdf"),
                                       templates_dir=templates_dir)
    if not files:
        raise MailError("nothing was rendered to attach")
    return files


__all__ = [
    "Envelope", "MailError", "SendError", "UsageError", "MIME_TYPES", "SIZE_WARNING_BYTES",
    "address_header", "ascii_filename", "build_message", "check_delivery", "check_subject",
    "default_subject", "envelope", "message_bytes", "parse_addresses", "refuse_control_characters",
    "render_attachments", "size_warning", "text_header", "write_draft",
]
