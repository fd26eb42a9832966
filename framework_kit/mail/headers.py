"""Headers that carry free text (Subject, display names), encoded and folded to arrive as typed.

The encoding is the standard library's: :class:`email.header.Header` for the
subject and :meth:`email.charset.Charset.header_encode` for display names
(RFC 2047 encoded words, Q or Base64, whichever is shorter). What is decided
here is only where the text is cut into encoded words:

- A subject may be cut anywhere between two characters: every RFC 2047 reader,
  Python's included, joins the encoded words of an unstructured header without
  the folding space between them.
- A display name is cut only after a space, the space kept inside the encoded
  word before the cut. RFC 2047 readers drop the folding space between two
  encoded words, so the name reads exactly as typed. CPython's own address
  parser before gh-128110 was fixed keeps that folding space: it may show a
  doubled space where the name had one, but never a word broken in two
  ("медіаці ї", as a cut anywhere gives it). A single word too long for one
  encoded word (over 20 Cyrillic letters without a space) is the only exception.

Headers are emitted through the policy's documented header-object protocol
(:class:`_FoldedHeader`), so the policy's own refolder never re-cuts them.
"""

from __future__ import annotations

import re
from email.charset import Charset
from email.header import Header
from email.headerregistry import Address
from typing import Sequence

MAX_LINE = 78  # RFC 5322: lines SHOULD stay within 78 characters
MAX_ENCODED_WORD = 75  # RFC 2047
_UTF8 = Charset("utf-8")


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


def needs_encoding(text: str) -> bool:
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
    if not needs_encoding(text):
        lines = _fold_tokens(name, text.split(" "))
        if all(len(line) <= MAX_LINE for line in lines):
            return _FoldedHeader(name, text, lines)
    encoded = Header(text, _UTF8, header_name=name).encode(linesep="\n", maxlinelen=MAX_LINE)
    lines = encoded.split("\n")
    lines[0] = f"{name}: {lines[0]}"
    return _FoldedHeader(name, text, lines)


def _phrase_words(text: str) -> list[str]:
    """``text`` as encoded words, each cut after a space (see the module's docstring)."""
    pieces = re.findall(r"\S+\s*|\s+", text)  # each word with the spaces that follow it
    words: list[str] = []
    chunk = ""
    for piece in pieces:
        if chunk and len(_UTF8.header_encode(chunk + piece)) > MAX_ENCODED_WORD:
            words.append(chunk)
            chunk = ""
        chunk += piece
    if chunk:
        words.append(chunk)
    out: list[str] = []
    for word in words:
        encoded = _UTF8.header_encode(word)
        if len(encoded) <= MAX_ENCODED_WORD:
            out.append(encoded)
        else:  # one word too long for an encoded word: cut between characters
            lengths = iter(lambda: MAX_ENCODED_WORD, None)
            out.extend(_UTF8.header_encode_lines(word, lengths))
    return out


def address_header(name: str, addresses: Sequence[Address]) -> _FoldedHeader:
    """An address-list header (From, To, Cc) with display names in any script."""
    tokens: list[str] = []
    for index, address in enumerate(addresses):
        display = address.display_name
        if not display:
            parts = [address.addr_spec]
        elif needs_encoding(display):
            parts = _phrase_words(display) + [f"<{address.addr_spec}>"]
        else:
            parts = [str(address)]  # quotes the name when it holds specials (a comma …)
        if index < len(addresses) - 1:
            parts[-1] += ","
        tokens.extend(parts)
    text = ", ".join(str(address) for address in addresses)
    return _FoldedHeader(name, text, _fold_tokens(name, tokens))


__all__ = ["MAX_LINE", "address_header", "needs_encoding", "text_header"]
