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
    """Which section and clause numbers Word's outline numbering can produce."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.num_id = 0
        self.counters: list[int] = []  # what Word has counted so far, by level
        self.level: int | None = None  # of the last numbered paragraph, while its section lasts

    def place(self, number: str) -> tuple[int, int] | None:
        """(num id, level) to number ``number`` with, or None when it must stay text."""
        if not _DOTTED.fullmatch(number):
            return None
        parts = [int(part) for part in number.split(".")]
        level, last = len(parts) - 1, parts[-1]
        counted = self.counters[level] if level < len(self.counters) else 0
        if self.num_id and parts[:-1] == self.counters[:level] and last == counted + 1:
            self.counters, self.level = parts, level
            return self.num_id, level
        if level == 0:  # the first section, or one after a gap: a new list from there
            self.num_id = self.numbering.add(OUTLINE_ABSTRACT, 0, last)
            self.counters, self.level = parts, 0
            return self.num_id, 0
        return None

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
