"""reportlab's platypus, imported and set up for speed; imported first by the PDF writer's modules.

At import, ``reportlab.platypus.paragraph`` compiles a case-insensitive URL
pattern over the whole Basic Multilingual Plane: a third of the cost of
importing platypus (about 30 ms), for a pattern used only to hyphenate long
URLs. Here that one pattern is compiled when it is first used instead; every
other pattern is compiled as usual.

Line breaking asks, for each pair of neighbouring words, whether two fragments
share their formatting (``sameFrag``). The C accelerator's version looks each
attribute up with ``getattr`` and so raises and discards an ``AttributeError``
for every one a fragment lacks (most lack four or more): about 9 µs a call, an
eighth of a term sheet's PDF time. :func:`same_formatting` answers the same
question from the fragments' dictionaries, as reportlab's own pure-Python
fallback does, in about 2 µs. A test compares the two on every pair a
rendering asks about.

A registered TrueType face is shared by every document the process writes,
and reportlab cuts a face's subset by moving one read position through the
font file, which it keeps on the face. Two threads embedding the same face at
once (``api.render_bytes`` from two threads, or the studio serving while it
warms up) move each other's position and embed a corrupt subset. Subsetting
takes a lock; it is a few milliseconds a face and document. The subsets it cuts
are kept compressed between runs (:mod:`.kept_subsets`): reportlab's ``makeSubset``
asks the kept files first, and its Flate filter (``PDFZCompress``, the one
object every stream of reportlab's is compressed through) embeds a kept
subset's stream as it was kept.
"""

from __future__ import annotations

import threading

from ....lazy_patterns import before_reportlab, import_module

before_reportlab()  # before reportlab's ttfonts imports uharfbuzz and Pillow: see lazy_patterns

from reportlab.pdfbase import pdfdoc, ttfonts  # noqa: E402

from . import kept_subsets  # noqa: E402

_URI_PATTERN_START = "(^(?:[a-z0-9\\.\\-\\+]*)://)"
# What reportlab compares to decide that two fragments can be drawn as one run.
_FORMATTING = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor", "nobr")
_NEVER_MERGED = ("cbDefn", "lineBreak")  # anchors, images and line breaks stand alone


def same_formatting(first, second) -> int:
    """1 when the two fragments can be drawn as one run, 0 otherwise (reportlab's sameFrag)."""
    one, two = first.__dict__, second.__dict__
    for name in _NEVER_MERGED:
        if name in one or name in two:
            return 0
    get_one, get_two = one.get, two.get
    return int([get_one(name) for name in _FORMATTING] == [get_two(name) for name in _FORMATTING])


paragraph = import_module("reportlab.platypus.paragraph",
                          lambda pattern: pattern.startswith(_URI_PATTERN_START))
accelerated_same_frag = paragraph.sameFrag
paragraph.sameFrag = same_formatting


class WordQueue:
    """The words a paragraph's lines are broken from, taken from the front in constant time.

    reportlab's line breaking takes each word with ``pop(0)`` from a list, which
    moves all the words after it: a paragraph's cost grew with the square of its
    length (800,000 words a template printed in one paragraph: 90 s for 411 pages,
    against 9 s with this). Kept reversed; only what ``breakLines`` does is offered:
    take the first, put words back in front, insert after the first, iterate.
    """

    __slots__ = ("_reversed",)

    def __init__(self, words) -> None:
        self._reversed = list(words)[::-1]

    def __bool__(self) -> bool:
        return bool(self._reversed)

    def __len__(self) -> int:
        return len(self._reversed)

    def __iter__(self):
        return reversed(self._reversed)

    def pop(self, index: int = 0):
        if index != 0:
            raise IndexError("only the first word is taken")
        return self._reversed.pop()

    def __setitem__(self, where, words) -> None:  # only words[0:0] = [...]: put them back in front
        if not (isinstance(where, slice) and where.start == 0 and where.stop == 0):
            raise IndexError("words are only put back in front")
        self._reversed.extend(reversed(list(words)))

    def insert(self, index: int, word) -> None:
        self._reversed.insert(len(self._reversed) - index, word)


_fragment_words = paragraph._getFragWords
paragraph._getFragWords = lambda frags, maxWidth=None: WordQueue(_fragment_words(frags, maxWidth))


_subsetting = threading.Lock()
_make_subset = ttfonts.TTFontFile.makeSubset


def _make_subset_alone(face, subset):
    with _subsetting:
        return _make_subset(face, subset)


ttfonts.TTFontFile.makeSubset = lambda face, characters: kept_subsets.subset(face, characters, _make_subset_alone)


class _KeptFlate(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's Flate filter, which gives a kept font subset its kept stream (kept_subsets)."""

    def encode(self, text):
        kept = kept_subsets.stream(text)
        return kept if kept is not None else super().encode(text)


pdfdoc.PDFZCompress = _KeptFlate()


# PDF/A (ISO 19005-2, 6.1.7.1) wants an end-of-line marker between a stream's data and
# "endstream", not counted in its /Length; reportlab writes the keyword straight after the
# data. The archival canvas (archive.py) marks its documents, which get the marker; any
# other reportlab document in the process is written exactly as reportlab writes it.
# Data that ends in CR gets CR LF: a lone LF after it would be read as the marker CR LF,
# and the stream taken for one byte shorter than its /Length.
ENDSTREAM = b"endstream\n"
_format_stream = pdfdoc.PDFStream.format


def _format_stream_for_archive(stream, document) -> bytes:
    data = _format_stream(stream, document)
    if getattr(document, "archival", False):
        if not data.endswith(ENDSTREAM):
            raise AssertionError("reportlab no longer ends a stream with 'endstream': see reportlab_patches")
        data = data[:-len(ENDSTREAM)]
        return data + (b"\r\n" if data.endswith(b"\r") else b"\n") + ENDSTREAM
    return data


pdfdoc.PDFStream.format = _format_stream_for_archive
