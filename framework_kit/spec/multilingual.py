"""Multilingual text (format 1.1): one text field, written in several languages.

A text field may be a mapping of language tags to texts (``name: {en: Ukraine,
uk: Україна}``). It is read into a :class:`Text`: a ``str`` whose value is the text
in the process's first language, so every rule, every message and every plain use
reads the first language unchanged, and which also carries each language's text
and where it stood in the file. :meth:`Text.in_language` is the one place a text is
resolved for a language; :func:`in_language` gives a whole design in one language,
which is what a language version of the documents is rendered from.
"""

from __future__ import annotations

import copy

from ..diagnostics import Span


class Text(str):
    """A text given in several languages; as a ``str``, its text in the first language.

    ``texts`` maps each tag to its text in the order written, ``spans`` each tag to
    where its text stands, ``key_spans`` to where the tag itself stands, and ``span``
    is the mapping's first key (where a missing language is reported).
    """

    texts: dict[str, str]
    spans: dict[str, Span]
    key_spans: dict[str, Span]
    span: Span

    def __new__(cls, first: str, texts: dict[str, str], spans: dict[str, Span],
                key_spans: dict[str, Span], span: Span) -> "Text":
        self = super().__new__(cls, first)
        self.texts, self.spans, self.key_spans, self.span = texts, spans, key_spans, span
        return self

    def __reduce__(self):  # a process pool pickles the design
        return (Text, (str(self), self.texts, self.spans, self.key_spans, self.span))

    def missing(self, languages) -> list[str]:
        """The languages of ``languages`` this text is not given in."""
        return [tag for tag in languages if tag not in self.texts]

    def in_language(self, language: str, pending=None) -> str:
        """The text in ``language``; when it lacks that language, the first language's text,
        passed through ``pending`` (which marks it as a translation still to come)."""
        if language in self.texts:
            return self.texts[language]
        return pending(str(self)) if pending is not None else str(self)


def first_text(texts: dict[str, str], languages) -> str:
    """The text a mapping stands for: in the first of ``languages`` it is given in, else its first."""
    for tag in languages:
        if tag in texts:
            return texts[tag]
    return next(iter(texts.values()))


def texts_of(value):
    """Every :class:`Text` inside a record, a list or a text, in the order of the file."""
    if isinstance(value, Text):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from texts_of(item)
    elif hasattr(value, "spec_fields"):
        for name in value.spec_fields:
            yield from texts_of(getattr(value, name))


def in_language(value, language: str, pending=None):
    """A copy of a record (or list, or text) with every :class:`Text` resolved for ``language``.

    Records are copied, never changed: the checked design stays in its first language.
    """
    if isinstance(value, Text):
        return value.in_language(language, pending)
    if isinstance(value, list):
        return [in_language(item, language, pending) for item in value]
    if hasattr(value, "spec_fields"):
        out = copy.copy(value)
        for name in value.spec_fields:
            setattr(out, name, in_language(getattr(value, name), language, pending))
        return out
    return value


__all__ = ["Text", "first_text", "in_language", "texts_of"]
