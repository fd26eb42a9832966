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
takes a lock; it is a few milliseconds a face and document.
"""

from __future__ import annotations

import threading

from ....lazy_patterns import defer_import, import_module

defer_import("uharfbuzz")  # before reportlab's ttfonts imports it: see lazy_patterns

from reportlab.pdfbase import ttfonts  # noqa: E402

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


_subsetting = threading.Lock()
_make_subset = ttfonts.TTFontFile.makeSubset


def _make_subset_alone(face, subset):
    with _subsetting:
        return _make_subset(face, subset)


ttfonts.TTFontFile.makeSubset = _make_subset_alone
