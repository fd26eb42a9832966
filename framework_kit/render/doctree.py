"""The document tree: plain data that knows no output format.

Templates produce it (through :mod:`framework_kit.render.build`), the writers
in :mod:`framework_kit.render.writers` consume it. A writer never sees the spec;
everything it needs to print is here, already worded and numbered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

# ---------------------------------------------------------------- inlines


@dataclass(slots=True)
class Text:
    text: str


@dataclass(slots=True)
class Strong:
    children: list["Inline"]


@dataclass(slots=True)
class Emph:
    children: list["Inline"]


@dataclass(slots=True)
class Link:
    href: str
    children: list["Inline"]


@dataclass(slots=True)
class Note:
    """A drafter's note: a footnote in the PDF, a footnote or comment in the DOCX."""

    children: list["Inline"]


@dataclass(slots=True)
class LineBreak:
    pass


@dataclass(slots=True)
class Inserted:
    """Redlines only: words the new version adds (a tracked insertion)."""

    children: list["Inline"]


@dataclass(slots=True)
class Deleted:
    """Redlines only: words the new version drops (a tracked deletion)."""

    children: list["Inline"]


Inline = Union[Text, Strong, Emph, Link, Note, LineBreak, Inserted, Deleted]

# ---------------------------------------------------------------- blocks


@dataclass(slots=True)
class Heading:
    level: int  # 1 = document title, 2 = section, 3 = sub-section
    children: list[Inline]
    number: str = ""  # "1", "2.3", "Annex A" ...: printed before the text
    old_number: str = ""  # redlines only: its number in the old version, when that differs


@dataclass(slots=True)
class Paragraph:
    children: list[Inline]
    style: str = "body"  # body | lead | small | legend | quote | center


@dataclass(slots=True)
class Clause:
    """A numbered paragraph of a draft text (1.1, 1.2 ...).

    ``status`` is agreed, proposed or bracketed; the words, brackets and
    options are already in ``children``; ``status`` only drives styling.
    """

    number: str
    children: list[Inline]
    status: str = "proposed"
    attribution: str = ""  # e.g. "Proposed by Ukraine"
    old_number: str = ""  # redlines only: its number in the old version, when that differs


@dataclass(slots=True)
class ListBlock:
    items: list[list["Block"]]
    ordered: bool = False


@dataclass(slots=True)
class Cell:
    children: list[Inline]
    bold: bool = False
    shade: str = ""  # a theme colour name, e.g. "header", "accent", "muted"; "" = none
    align: str = "left"  # left | center | right
    language: str = ""  # its own language, when not the document's (a parallel edition's column)


@dataclass(slots=True)
class Table:
    header: list[Cell]
    rows: list[list[Cell]]
    widths: list[float] = field(default_factory=list)  # fractions of the text width
    style: str = "grid"  # grid | fields (label/value pairs, no header row shown)
    caption: str = ""


# Diagram shapes: coordinates in points, origin at the top-left of the figure.


@dataclass(slots=True)
class Box:
    x: float
    y: float
    width: float
    height: float
    lines: list[str]  # text lines, centred; the first one bold when ``title``
    fill: str = "paper"  # theme colour names
    stroke: str = "ink"
    title: bool = True
    font_size: float = 8.0


@dataclass(slots=True)
class Connector:
    points: list[tuple[float, float]]
    stroke: str = "ink"
    dashed: bool = False
    arrow: bool = False
    label: str = ""


@dataclass(slots=True)
class Label:
    x: float
    y: float
    text: str
    size: float = 8.0
    bold: bool = False
    align: str = "left"  # left | center | right
    colour: str = "ink"


Shape = Union[Box, Connector, Label]


@dataclass(slots=True)
class Figure:
    width: float
    height: float
    shapes: list[Shape]
    caption: str = ""
    description: str = ""  # alternative text


@dataclass(slots=True)
class Signatory:
    party: str
    name: str = ""  # the person who initials: left blank for them to write in
    place: str = ""
    date: str = ""
    office: str = ""  # the delegation head or office (a participant's represented_by)

    def value(self, line: str) -> str:
        """What stands on the line ``line`` of SIGNATURE_LINES ("" for a blank line)."""
        return {"Office": self.office, "Name": self.name, "Place": self.place, "Date": self.date}.get(line, "")


# The lines of an initialling block, in order, the same in both formats: each is a label
# and a line, filled when the tree gives a value (the office) and blank otherwise.
SIGNATURE_LINES = ("Office", "Name", "Place", "Date", "Initials")


@dataclass(frozen=True, slots=True)
class Look:
    """One layout decision for an element, read by both writers so that the DOCX and PDF agree."""

    align: str = "left"  # left | justify | center
    italic: bool = False
    colour: str = ""  # a theme colour name for the text; "" = ink
    rule: str = ""  # a theme colour name for a rule beside the text (left margin); "" = none


# Treaty text is justified; text under discussion carries a rule in the margin as well as its
# colour, so it shows in black-and-white print; the subtitle under a title is italic.
LOOKS = {
    "clause": Look(align="justify"),
    "clause-bracketed": Look(align="justify", colour="bracketed", rule="bracketed"),
    "lead": Look(italic=True, colour="accent"),
}
# Table cells are set at this share of the body size, and a compact table's (the brief's)
# lines at this leading, in both formats: the DOCX styles translate them into Word's terms.
TABLE_TEXT_SHARE = 0.86
COMPACT_LEADING = 1.18
# A cell's padding in points (top, bottom, sides), compact tables' and the others'. The DOCX
# gives a compact table the same; the others keep the reference's table styles.
CELL_PADDING = {"compact": (1.5, 2.5, 3.0), "other": (3.5, 4.0, 5.0)}
# The only link targets a document carries: Markdown, the templates' <a> and the writers agree.
LINK_SCHEMES = ("http", "https", "mailto")
LINK_PREFIXES = tuple(f"{scheme}:" for scheme in LINK_SCHEMES)  # as an href starts


@dataclass(slots=True)
class SignatureBlock:
    heading: str  # e.g. "Initialled ad referendum"
    signatories: list[Signatory]
    # the words beside each line, in the document's language
    labels: dict = field(default_factory=lambda: dict(SIGNATURE_LABELS))


SIGNATURE_LABELS = {"office": "Office", "name": "Name", "place": "Place", "date": "Date", "initials": "Initials"}
# The initialling block's measures in points, the same in both formats: each signatory's
# label column, the gap between two signatories, and the height of each line to write on.
SIGNATURE_LABEL_WIDTH, SIGNATURE_GAP, SIGNATURE_LINE_HEIGHT = 52, 24, 24


@dataclass(slots=True)
class PageBreak:
    pass


@dataclass(slots=True)
class Rule:
    """A horizontal line."""


@dataclass(slots=True)
class Revision:
    """Redlines only: a block that differs between two versions of a document.

    ``kind`` is ``inserted`` or ``deleted`` (the whole block), ``moved-from`` /
    ``moved-to`` (the two ends of a move; ``moved`` names the other end's
    number), or ``changed`` (the changed words are Inserted/Deleted inlines inside
    ``block``). A clause whose status changed keeps its ``old_status`` (its
    style changes); ``attribution`` holds the marked words of a clause's changed
    attribution line. A table's ``rows`` gives each body row's kind ("",
    ``inserted``, ``deleted``).
    """

    kind: str
    block: "Block"
    moved: str = ""
    old_status: str = ""
    attribution: list | None = None
    rows: list[str] = field(default_factory=list)


Block = Union[Heading, Paragraph, Clause, ListBlock, Table, Figure, SignatureBlock, PageBreak, Rule,
              Revision]

# ---------------------------------------------------------------- document


PAGE_LABEL = "Page {page} of {pages}"


@dataclass(slots=True)
class Meta:
    title: str
    subject: str = ""
    author: str = ""
    keywords: list[str] = field(default_factory=list)
    reference: str = ""
    version: str = ""
    date: str = ""  # ISO date, already a string
    marking: str = ""  # header marking
    watermark: str = ""  # diagonal watermark text; "" for none (final texts)
    language: str = "en"
    # Every language of the process (BCP-47, the document's first): a run in another
    # script is tagged with the one written in that script.
    languages: tuple[str, ...] = ()
    document: str = ""  # brief | term-sheet | buffer-zone-annex | cbm-schedule
    footer: str = ""  # left part of the footer, e.g. "Version 0.3 — 2026-11-25"
    orientation: str = "portrait"  # portrait | landscape (a wide schedule)
    # Redlines only: who made the tracked changes and when (ISO date), and what they compare.
    revised_by: str = ""
    revised_on: str = ""
    compared_with: str = ""  # e.g. "Version 0.3 of 25 November 2026"
    page_label: str = PAGE_LABEL  # the right of the footer, in the document's language
    notes_label: str = "Notes"  # the heading of the notes that could not stay on their page


@dataclass(slots=True)
class Document:
    meta: Meta
    blocks: list[Block]


# A table stays with what introduces it, in both formats: its heading, and a short paragraph
# between the two (the brief's "Checked against ..."). A table of up to TABLE_KEPT_WHOLE rows
# (its header row included) moves whole to the next page; a longer one keeps its first
# TABLE_KEPT_ROWS rows with its heading.
TABLE_KEPT_WHOLE, TABLE_KEPT_ROWS, LEAD_IN_LIMIT = 5, 2, 300


def leads_into_table(blocks: list[Block], index: int) -> bool:
    """Whether ``blocks[index]`` is a short paragraph that introduces the table after it,
    under a heading: it is kept on the page of the table's first rows, with the heading."""
    block = blocks[index]
    return (0 < index < len(blocks) - 1 and isinstance(block, Paragraph)
            and isinstance(blocks[index - 1], Heading) and isinstance(blocks[index + 1], Table)
            and len(plain_text(block.children)) <= LEAD_IN_LIMIT)


def introduced_table(blocks: list[Block], index: int) -> bool:
    """Whether ``blocks[index]`` is a table right under its heading, or under a heading and
    the short paragraph that leads into it: its first rows are kept with them."""
    if not isinstance(blocks[index], Table) or index == 0:
        return False
    return isinstance(blocks[index - 1], Heading) or leads_into_table(blocks, index - 1)


def kept_with_signatures(blocks: list[Block], index: int) -> list[int]:
    """The blocks the initialling block at ``index`` is kept on the page of, besides the one
    right before it: the last clause it authenticates, across the short paragraphs between
    them (the "Done at ... in the English and Arabic languages" of the authentic texts)."""
    kept, position = [], index - 1
    while position >= 0 and isinstance(blocks[position], Paragraph) and len(kept) < 2:
        kept.append(position)
        position -= 1
    if kept and position >= 0 and isinstance(blocks[position], Clause):
        kept.append(position)
    return kept


def plain_text(inlines: list[Inline]) -> str:
    """The text of inlines without markup (notes left out)."""
    out = []
    for node in inlines:
        if isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        elif isinstance(node, (Strong, Emph, Link, Inserted, Deleted)):
            out.append(plain_text(node.children))
    return "".join(out)
