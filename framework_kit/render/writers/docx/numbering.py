"""numbering.xml: bullets, ordered lists (1. (a) (i)) and the clause outline (1, 1.1).

Clause and section numbers arrive in the document tree already worded ("2", "2.3"),
and the PDF prints them as they are. The DOCX gives them to Word's multi-level
numbering instead, so that a drafter who inserts a clause gets the following ones
renumbered and Word cross-references can point at clauses. :class:`Outline` does that
only where Word would show exactly the number the tree holds; any other number
("Annex A", a gap, a repeat) stays typed text, so both formats always print the same.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from . import ooxml
from .default_reference import NUMBER_INDENT
from .ooxml import NSMAP, paragraph_properties, w

_BULLETS = ("\u2022", "\u2013", "\u2022", "\u2013", "\u2022", "\u2013", "\u2022", "\u2013", "\u2022")
# Legal-style numbering: 1.  (a)  (i)  then again.
_ORDERED = (("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)"),
            ("decimal", "%4."), ("lowerLetter", "(%5)"), ("lowerRoman", "(%6)"),
            ("decimal", "%7."), ("lowerLetter", "(%8)"), ("lowerRoman", "(%9)"))
# The clause outline: 1, 1.1, 1.1.1 ..., as the templates number sections and clauses.
_OUTLINE = tuple(("decimal", ".".join(f"%{n}" for n in range(1, level + 2))) for level in range(9))
BULLET_ABSTRACT, ORDERED_ABSTRACT, OUTLINE_ABSTRACT = 1, 2, 3
LIST_INDENT = 425  # 7.5 mm per level
_DOTTED = re.compile(r"[1-9][0-9]{0,5}(?:\.[1-9][0-9]{0,5}){0,8}")


class Numbering:
    """The w:num instances of one document: (num id, abstract id, level, start)."""

    def __init__(self) -> None:
        self.instances: list[tuple[int, int, int, int]] = [(1, BULLET_ABSTRACT, -1, 1)]

    def add(self, abstract_id: int, level: int = -1, start: int = 1) -> int:
        """A new instance of ``abstract_id`` whose ``level`` starts at ``start``."""
        num_id = len(self.instances) + 1
        self.instances.append((num_id, abstract_id, level, start))
        return num_id

    def xml(self) -> bytes:
        root = etree.fromstring(_abstract_numbering())
        for num_id, abstract_id, level, start in self.instances:
            num = etree.SubElement(root, w("num"))
            num.set(w("numId"), str(num_id))
            etree.SubElement(num, w("abstractNumId")).set(w("val"), str(abstract_id))
            if level >= 0:
                override = etree.SubElement(num, w("lvlOverride"))
                override.set(w("ilvl"), str(level))
                etree.SubElement(override, w("startOverride")).set(w("val"), str(start))
        return ooxml.serialize(root)


class Outline:
    """Which section and clause numbers Word's outline numbering can produce.

    A redline is read two ways: every change accepted (the new version) and every
    change rejected (the old one), and Word numbers each reading by counting the
    paragraphs it keeps. So the outline counts both readings: a number is left to
    Word only where the count of each reading that holds the paragraph gives its
    number in that version (a plain document's two readings are one).
    """

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.num_id = 0
        self.counters: dict[str, list[int]] = {"new": [], "old": []}  # counted so far, by level
        self.level: int | None = None  # of the last numbered paragraph, while its section lasts
        self.reading = "both"  # "new" or "old" while an inserted or deleted block is written
        self.typed_only = False  # while a block whose number must stay text is written
        self.renumbered = None  # a redline's (old, new) -> the runs of a typed number that changed
        self._numbers: dict[str, str] = {}

    def place(self, number: str, old: str = "") -> tuple[int, int] | None:
        """(num id, level) to number ``number`` with, or None when it must stay text.
        ``old`` is the paragraph's number in the old version when it differs."""
        numbers = {"new": number, "old": old or number}
        if self.reading != "both":
            numbers = {self.reading: number}
        self._numbers = numbers
        if self.typed_only or not all(_DOTTED.fullmatch(n) for n in numbers.values()):
            return None
        parts = {reading: [int(p) for p in n.split(".")] for reading, n in numbers.items()}
        levels = {len(p) - 1 for p in parts.values()}
        if len(levels) > 1:
            return None
        level = levels.pop()
        if self.num_id and all(self._next(self.counters[r], p) for r, p in parts.items()):
            self.counters.update(parts)
            self.level = level
            return self.num_id, level
        starts = {p[-1] for p in parts.values()}
        if level == 0 and len(starts) == 1:  # the first section, or one after a gap: a new list
            start = starts.pop()
            self.num_id = self.numbering.add(OUTLINE_ABSTRACT, 0, start)
            # A reading without this paragraph counts its first section of the list from start.
            self.counters = {r: parts.get(r, [start - 1]) for r in ("new", "old")}
            self.level = 0
            return self.num_id, 0
        return None

    @staticmethod
    def _next(counters: list[int], parts: list[int]) -> bool:
        level = len(parts) - 1
        counted = counters[level] if level < len(counters) else 0
        return parts[:-1] == counters[:level] and parts[-1] == counted + 1

    def typed(self, number: str) -> list:
        """The runs of a number left as text: in a redline, a number that differs between
        the versions is its old text deleted and its new text inserted."""
        old = self._numbers.get("old", number) if self.reading == "both" else number
        if self.renumbered is not None and old != number.strip():
            return self.renumbered(old, number)
        from .parts import text_run

        return [text_run(number)]

    def continuation(self) -> tuple[int, int] | None:
        """numPr for an unnumbered paragraph that belongs to the numbered one above it
        (a clause's attribution, a section's opening words): numId 0, which Word reads
        as "no number", at that paragraph's level, which tells readers such as pandoc
        that the list goes on instead of ending and starting again at 1."""
        return None if self.level is None else (0, self.level)

    def leave(self) -> None:
        """An unnumbered heading ends the section: nothing below continues it."""
        self.level = None


@lru_cache(maxsize=1)
def _abstract_numbering() -> bytes:
    """The list definitions, the same in every document."""
    root = etree.Element(w("numbering"), nsmap={p: NSMAP[p] for p in ("w", "r")})
    for abstract_id, levels in ((BULLET_ABSTRACT, None), (ORDERED_ABSTRACT, _ORDERED),
                                (OUTLINE_ABSTRACT, _OUTLINE)):
        abstract = etree.SubElement(root, w("abstractNum"))
        abstract.set(w("abstractNumId"), str(abstract_id))
        kind_of_list = "multilevel" if abstract_id == OUTLINE_ABSTRACT else "hybridMultilevel"
        etree.SubElement(abstract, w("multiLevelType")).set(w("val"), kind_of_list)
        for level in range(9):
            lvl = etree.SubElement(abstract, w("lvl"))
            lvl.set(w("ilvl"), str(level))
            etree.SubElement(lvl, w("start")).set(w("val"), "1")
            kind, text = levels[level] if levels else ("bullet", _BULLETS[level])
            etree.SubElement(lvl, w("numFmt")).set(w("val"), kind)
            etree.SubElement(lvl, w("lvlText")).set(w("val"), text)
            etree.SubElement(lvl, w("lvlJc")).set(w("val"), "left")
            if abstract_id == OUTLINE_ABSTRACT:
                # Like the typed numbers: a section's number at the margin and its
                # title at the heading styles' tab; a clause's number in the hanging
                # indent of the clause styles.
                indent = NUMBER_INDENT if level else 0
                lvl.append(paragraph_properties(tabs=[("num", NUMBER_INDENT, "")],
                                                left=indent, hanging=indent))
                continue
            hanging = 425 if levels else 284
            lvl.append(paragraph_properties(tabs=[("num", LIST_INDENT * (level + 1), "")],
                                            left=LIST_INDENT * (level + 1), hanging=hanging))
    return etree.tostring(root)
