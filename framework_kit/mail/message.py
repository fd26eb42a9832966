"""The brief as a message: headers, a plain-text body with its HTML twin, the attachments.

The message is built once and saved as it is: as an unsent draft (``X-Unsent: 1``,
which Outlook and Thunderbird open ready to edit and send) or, once it has been
sent, as the sent copy (no marker, so no client offers to send it again).
Blind-copy recipients travel in the SMTP envelope only, never in a header.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import unicodedata
from email import policy as email_policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Sequence

from .addresses import Envelope
from .errors import MailError, UsageError
from .headers import address_header, text_header

MIME_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
SIZE_WARNING_BYTES = 10 * 1024 * 1024
SMTP_POLICY = email_policy.SMTP  # CRLF line ends, headers of at most 78 characters


def default_subject(design) -> str:
    """'<title> — brief v<version> (<date>)'."""
    process = design.process
    # A title written as a YAML block holds line breaks; a subject is one line.
    title, version = " ".join(process.title.split()), " ".join(str(process.version).split())
    return f"{title} — brief v{version} ({process.date.isoformat()})"


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


def _clock() -> dt.datetime:
    """Now, or SOURCE_DATE_EPOCH when set (reproducible drafts and tests)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).astimezone()


def build_message(design, assessment, files: Sequence, mail: Envelope, *,
                  now: dt.datetime | None = None, message_id: str | None = None) -> EmailMessage:
    """The whole message: headers, a plain-text body, its HTML twin and the attachments.

    ``assessment`` is the design's ``rules.assessment.Assessment`` (the essentials'
    verdicts, the same the brief prints); ``files``
    are RenderedFile objects (none: a message without attachments). ``now`` and
    ``message_id`` make the output reproducible; by default they come from the
    clock (or SOURCE_DATE_EPOCH). ``mail.bcc`` appears in no header.
    """
    from .summary import html_body, plain_body

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
            digest = hashlib.sha256(repr((subject, mail.sender, mail.to, mail.cc, when.isoformat())).encode())
            for rendered in files:
                digest.update(rendered.data)
            message_id = f"<{digest.hexdigest()[:32]}@{mail.sender.domain}>"
        else:
            message_id = make_msgid("kit", domain=mail.sender.domain)
    message["Message-ID"] = message_id
    message.set_content(plain_body(design, assessment, files))
    message.add_alternative(html_body(design, assessment, files), subtype="html")
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


def check_output(path: str | os.PathLike) -> Path:
    """Where the message will be saved; ``UsageError`` if that is a folder."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give the file to write, such as brief.eml",
                         field="output")
    return target


def write_message(data: bytes, path: str | os.PathLike) -> Path:
    """Save the message's bytes (see :func:`message_bytes`) as an .eml file, atomically."""
    from ..output import WriteError, write_files

    target = check_output(path)
    try:
        return write_files(target.parent, [(target.name, data)])[0]
    except WriteError as exc:
        raise MailError(str(exc), field="output") from None


__all__ = ["MIME_TYPES", "SIZE_WARNING_BYTES", "SMTP_POLICY", "ascii_filename", "attachment_size",
           "build_message", "check_output", "default_subject", "message_bytes", "size_warning",
           "write_message"]
