"""What every writer shares: its settings, its result and its error.

A writer turns one document tree into the bytes of one file. It never sees
the spec, and it refuses a tree node it does not know instead of dropping it.
"""

from __future__ import annotations

from typing import NamedTuple

from ..theme import Theme


class Settings(NamedTuple):
    """What a writer needs besides the tree: the theme, and the reference.docx's bytes if any."""

    theme: Theme
    reference: bytes | None = None  # DOCX only: None means the theme's default styles
    reference_path: str = ""  # where ``reference`` was read from, for messages
    max_pages: int | None = None  # writers that lay out pages stop beyond it (``PageLimit``)


class Written(NamedTuple):
    """One written file: its bytes, and its page count when the writer lays out pages."""

    data: bytes
    pages: int | None


class WriterError(Exception):
    """The tree cannot be written; ``code`` is the rendering code the user is shown."""

    code = "R003"
    help = "shorten the text or split the table that does not fit"

    def __init__(self, message: str, *, help: str | None = None):
        super().__init__(message)
        if help is not None:
            self.help = help


class UnknownNode(WriterError):
    """A tree node this writer has no rule for: a bug to report, never a silent gap."""

    help = "this is a bug in framework-kit; please report it with the spec and templates used"

    def __init__(self, writer: str, node: object, what: str = ""):
        # ``what`` names more closely what is unknown, e.g. "the revision kind 'x'".
        what = what or f"the document element '{type(node).__name__}'"
        super().__init__(f"the {writer} writer does not know {what}")


class PageLimit(WriterError):
    """The document has reached the pages it may take; ``text`` is what was being laid out.

    The caller, which knows the spec, turns it into R003 at the text's position.
    """

    def __init__(self, text: str, title: str = ""):
        super().__init__("the page limit is reached")
        self.args = (text, title)  # so that it crosses a process pool whole
        self.text, self.title = text, title
