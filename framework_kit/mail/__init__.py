"""The brief as an email: addresses checked, message built, saved as a draft or sent.

One job per module: :mod:`.addresses` (what the user typed for the headers),
:mod:`.headers` (encoded words and folding), :mod:`.summary` (the body's text),
:mod:`.message` (the MIME message and saving it), :mod:`.send` (SMTP, once, within a
deadline), :mod:`.errors`. :func:`framework_kit.api.mail_brief` strings them together.
Sending (:mod:`.send`, smtplib and ssl) is imported only when a message is sent.
"""

from __future__ import annotations

from .addresses import (Envelope, check_subject, envelope, parse_address, parse_addresses,
                        refuse_control_characters)
from .errors import NOTHING_SENT, MailError, SendError, UsageError
from .headers import address_header, text_header
from .message import (MIME_TYPES, SIZE_WARNING_BYTES, SMTP_POLICY, ascii_filename, build_message,
                      check_output, default_subject, message_bytes, size_warning, write_message)

__all__ = [
    "Envelope", "MIME_TYPES", "MailError", "NOTHING_SENT", "SIZE_WARNING_BYTES",
    "SMTP_POLICY", "SendError", "UsageError", "address_header", "ascii_filename", "build_message",
    "check_output", "check_subject", "default_subject", "envelope", "message_bytes",
    "parse_address", "parse_addresses", "refuse_control_characters", "size_warning",
    "text_header", "write_message",
]
