"""What rendering needs to know of a font file, read with fontTools once per installation.

Three facts: the characters a face can draw (the glyph check, R004), the
outlines of a text in it (the PDF's watermark, drawn as shapes) and each
character's advance width (the DOCX's table columns, widened for a word too wide). Reading them
means importing fontTools and parsing the file, about a tenth of a cold
``kit render`` for facts that only change when the file does. So they are kept
in the user's private cache folder (:mod:`.private_cache`), one small JSON file
per fact (a face's character map; a text's outlines in a face), named by the
font file's real path, size and modification time: a font replaced in place is
read again. Only short texts' outlines are kept (a watermark is a marking of a
few words); a long one is drawn from the font each time, so that what is read
back at every render stays a few kilobytes. JSON holds only numbers, never code; a kept
file that cannot be read, or does not have the expected shape, is read from the
font again, and written anew. The answers are the same with or without the
cache (the tests compare the bytes of documents rendered both ways).
"""

from __future__ import annotations

import json
import math
import os
import threading
from functools import lru_cache
from typing import NamedTuple

from .private_cache import keep, kept_file, read_kept

# Raised when what is kept changes shape: older files are then simply not found.
_FORMAT = 2
# The longest text whose outlines are kept between runs (the shipped markings are under 40).
_KEPT_TEXT = 120
# fontTools decompiles glyphs lazily, which is not safe to share between threads unguarded.
_LOCK = threading.Lock()


class Outline(NamedTuple):
    """A text's outlines in font units, baseline at 0: pen calls, the text's advance, units per em.

    Each call is ``("m", x, y)``, ``("l", x, y)``, ``("c", x1, y1, x2, y2, x3, y3)``
    or ``("h",)``, the PDF path operators they become.
    """

    calls: tuple
    advance: float
    units: int


class FontState(NamedTuple):
    """A font file as it is now: what its facts are kept under (in memory and on disk)."""

    path: str
    size: int
    mtime: int


def state(path) -> FontState:
    """The state of the font file at ``path`` (a link is followed to the file)."""
    real = os.path.realpath(path)
    info = os.stat(real)
    return FontState(real, info.st_size, info.st_mtime_ns)


def coverage(path) -> frozenset[int]:
    """The code points the font file at ``path`` has a glyph for."""
    return _coverage(state(path))


def outline(text: str, path) -> Outline:
    """``text`` as outlines from the TrueType file at ``path``."""
    return outline_in(text, state(path))


def advances(path) -> tuple[int, dict[int, int]]:
    """The font's units per em and each character's advance width, in font units."""
    return _advances(state(path))


@lru_cache(maxsize=8)
def _advances(key: FontState) -> tuple[int, dict[int, int]]:
    file = _file(key, "advances")
    found = _read(file)
    if _valid_advances(found):
        units, runs = found
        return units, {first + n: width for first, widths in runs for n, width in enumerate(widths)}
    with _LOCK:
        font, glyphs, cmap, units = _font(key)
        metrics = font["hmtx"].metrics
        widths = {code: metrics[glyph][0] for code, glyph in cmap.items() if glyph in metrics}
    runs: list[list] = []  # consecutive code points share a run: [first, [width, ...]]
    for code in sorted(widths):
        if runs and runs[-1][0] + len(runs[-1][1]) == code:
            runs[-1][1].append(widths[code])
        else:
            runs.append([code, [widths[code]]])
    _write(file, [units, runs])
    return units, widths


@lru_cache(maxsize=32)
def _coverage(key: FontState) -> frozenset[int]:
    file = _file(key, "coverage")
    ranges = _read(file)
    if _valid_ranges(ranges):
        return frozenset(point for first, last in ranges for point in range(first, last + 1))
    with _LOCK:
        points = frozenset(_font(key)[2])
    _write(file, _ranges(points))
    return points


@lru_cache(maxsize=64)
def outline_in(text: str, key: FontState) -> Outline:
    """``text`` as outlines from the font file in the state ``key`` (see :func:`state`)."""
    file = _file(key, "outline\0" + text) if len(text) <= _KEPT_TEXT else None
    found = _read(file)
    if _valid_outline(found):
        calls, advance, units = found
        return Outline(tuple(tuple(call) for call in calls), advance, units)
    with _LOCK:
        drawn = _draw(text, key)
    _write(file, [drawn.calls, drawn.advance, drawn.units])
    return drawn


def _draw(text: str, key: FontState) -> Outline:
    from fontTools.pens.basePen import BasePen

    calls: list = []

    class Pen(BasePen):
        offset = 0

        def _moveTo(self, point):
            calls.append(("m", self.offset + point[0], point[1]))

        def _lineTo(self, point):
            calls.append(("l", self.offset + point[0], point[1]))

        def _curveToOne(self, one, two, three):
            calls.append(("c", self.offset + one[0], one[1], self.offset + two[0], two[1],
                          self.offset + three[0], three[1]))

        def _closePath(self):
            calls.append(("h",))

    font, glyphs, cmap, units = _font(key)
    pen = Pen(glyphs)
    for character in text:
        glyph = glyphs[cmap.get(ord(character), ".notdef")]
        glyph.draw(pen)
        pen.offset += glyph.width
    return Outline(tuple(calls), pen.offset, units)


@lru_cache(maxsize=8)
def _font(key: FontState):
    import io

    from fontTools.ttLib import TTFont

    # Read whole: a font kept for the life of the process must not hold a file open.
    with open(key.path, "rb") as handle:
        font = TTFont(io.BytesIO(handle.read()), lazy=True)
    return font, font.getGlyphSet(), font.getBestCmap() or {}, font["head"].unitsPerEm


# ------------------------------------------------------------------ kept files


def _file(key: FontState, fact: str):
    return kept_file(f"fonts-{_FORMAT}", "\0".join((key.path, str(key.size), str(key.mtime), fact)).encode(
        "utf-8", "surrogatepass"), ".json")


def _read(file):
    """What ``file`` holds, or None (no file, or not JSON)."""
    try:
        return json.loads(read_kept(file) or b"null")
    except ValueError:
        return None


def _write(file, fact) -> None:
    keep(file, json.dumps(fact, separators=(",", ":")).encode("ascii"))


def _ranges(points) -> list[list[int]]:
    ranges: list[list[int]] = []
    for point in sorted(points):
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return ranges


def _valid_ranges(ranges) -> bool:
    return isinstance(ranges, list) and bool(ranges) and all(
        isinstance(pair, list) and len(pair) == 2 and all(type(n) is int for n in pair)
        and 0 <= pair[0] <= pair[1] <= 0x10FFFF for pair in ranges)


def _valid_advances(found) -> bool:
    return (isinstance(found, list) and len(found) == 2 and type(found[0]) is int and found[0] > 0
            and isinstance(found[1], list) and bool(found[1]) and all(
                isinstance(run, list) and len(run) == 2 and type(run[0]) is int and 0 <= run[0] <= 0x10FFFF
                and isinstance(run[1], list) and all(type(n) is int and n >= 0 for n in run[1])
                for run in found[1]))


_ARITY = {"m": 2, "l": 2, "c": 6, "h": 0}


def _valid_outline(found) -> bool:
    if not (isinstance(found, list) and len(found) == 3 and isinstance(found[0], list)
            and _number(found[1]) and type(found[2]) is int and found[2] > 0):
        return False
    return all(isinstance(call, list) and call and _ARITY.get(call[0]) == len(call) - 1
               and all(_number(n) for n in call[1:]) for call in found[0])


def _number(value) -> bool:
    return type(value) in (int, float) and math.isfinite(value)
