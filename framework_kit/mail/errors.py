"""What can go wrong with a mail, as exceptions that describe the problem in plain words.

The library speaks of what is wrong ("the recipient 'jane' has no @"), never of
command-line options: ``field`` names the parameter of :func:`framework_kit.api.mail_brief`
at fault and ``remedy`` names a fix, so a front end (the CLI) can say which of its
options to change. This module imports nothing of the project.
"""

from __future__ import annotations


class MailError(Exception):
    """A problem the user can fix; ``str()`` is one plain line. ``exit_code`` is 1 or 2.

    ``field``: the parameter at fault (to, cc, bcc, sender, subject, server, user,
    password, output, templates_dir, attach), or None. ``remedy``: a key for a fix the
    front end can spell in its own terms (starttls, ssl, encrypt, one-recipient-each,
    attach-all, bcc-send, password), or None.
    """

    exit_code = 1

    def __init__(self, message: str, *, field: str | None = None, remedy: str | None = None):
        super().__init__(message)
        self.message, self.field, self.remedy = message, field, remedy


class UsageError(MailError):
    """What was asked cannot work (a bad address, a line break in the subject …)."""

    exit_code = 2


class SendError(MailError):
    """The server could not be reached or refused the message.

    ``reason`` says what went wrong and ``outcome`` whether anything was sent
    ("Nothing was sent", or that it may have arrived); ``str()`` joins them.
    """

    exit_code = 1

    def __init__(self, reason: str, outcome: str = "", *, remedy: str | None = None):
        super().__init__(reason + outcome, remedy=remedy)
        self.reason, self.outcome = reason, outcome

    @property
    def nothing_sent(self) -> bool:
        """True when it is certain that no recipient has the message."""
        return self.outcome == NOTHING_SENT


NOTHING_SENT = ". Nothing was sent"


__all__ = ["MailError", "NOTHING_SENT", "SendError", "UsageError"]
