"""Right-to-left text: which text is, and the order its characters are shown in.

A spec holds Arabic or Hebrew in logical order, as typed. Shown, each line reads
from the right, and a Latin name or a number inside it reads from the left: the
Unicode Bidirectional Algorithm (UAX #9) gives every character an embedding level
(even: left to right, odd: right to left), and each line, once the paragraph is
broken into lines, is reordered by those levels (rule L2). The levels come from
python-bidi (the unicode-bidi crate, with the paired-bracket rule N0 that keeps
"Annex (A)" together); the line breaking and the reordering are the writer's.

python-bidi is imported only when a text holds right-to-left characters.
"""

from __future__ import annotations

import re

from .scripts import script_of_language

RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo"})
# Letters of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, their presentation
# forms and the supplementary right-to-left blocks): a text holding none is left to right.
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff"
                  "\U0001e800-\U0001efff]")
# The Arabic blocks: characters the Arabic font draws (IBM Plex Serif has none of them).
ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF), (0xFB50, 0xFDFF),
                 (0xFE70, 0xFEFF))
_LEVELS = re.compile(r"levels:\s*\[(.*?)\]", re.S)
_LEVEL = re.compile(r"Level\(\s*(\d+)")


class BidiError(RuntimeError):
    """python-bidi answered in a form this module does not know (a changed release)."""


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a letter of a right-to-left script."""
    return not text.isascii() and _RTL.search(text) is not None


def starts_rtl(text: str) -> bool:
    """Whether the first strong letter of ``text`` is right to left (UAX #9, rule P2)."""
    import unicodedata

    for character in text:
        kind = unicodedata.bidirectional(character)
        if kind in ("R", "AL", "L"):
            return kind != "L"
    return False


def is_rtl_language(tag: str) -> bool:
    """Whether the language ``tag`` (ar, he, fa, ur …) is written right to left."""
    return bool(tag) and script_of_language(tag) in RTL_SCRIPTS


def is_arabic_block(code: int) -> bool:
    """Whether the code point is in one of the Arabic blocks."""
    return any(low <= code <= high for low, high in ARABIC_RANGES)


def levels(text: str, rtl: bool) -> list[int]:
    """The embedding level of each character of ``text``, a paragraph whose base
    direction is right to left when ``rtl``.

    python-bidi returns its levels only as the crate's debug listing, one per byte
    of the UTF-8 text; each character takes the level of its first byte.
    """
    if not text:
        return []
    if not has_rtl(text) and not rtl:
        return [0] * len(text)
    from bidi import get_display

    found = _LEVELS.search(str(get_display(text, base_dir="R" if rtl else "L", debug=True)))
    by_byte = [int(level) for level in _LEVEL.findall(found.group(1))] if found else []
    out, offset = [], 0
    for character in text:
        if offset >= len(by_byte):
            break
        out.append(by_byte[offset])
        offset += len(character.encode("utf-8"))
    if len(out) != len(text) or offset != len(by_byte):
        raise BidiError("python-bidi's embedding levels could not be read; "
                        "install python-bidi 0.5 or 0.6")
    return out


def visual_order(line_levels: list[int]) -> list[int]:
    """Indices of a line's items (each at one level) in the order they are shown, left to
    right (rule L2: from the highest level down to the lowest odd one, reverse every run
    at that level or above)."""
    order = list(range(len(line_levels)))
    if not line_levels:
        return order
    highest = max(line_levels)
    odd = [level for level in line_levels if level % 2]
    if not odd:
        return order
    shown = list(line_levels)
    for level in range(highest, min(odd) - 1, -1):
        start = None
        for index in range(len(shown) + 1):
            inside = index < len(shown) and shown[index] >= level
            if inside and start is None:
                start = index
            elif not inside and start is not None:
                order[start:index] = order[start:index][::-1]
                shown[start:index] = shown[start:index][::-1]
                start = None
    return order


__all__ = ["ARABIC_RANGES", "BidiError", "RTL_SCRIPTS", "has_rtl", "is_arabic_block",
           "is_rtl_language", "levels", "starts_rtl", "visual_order"]
