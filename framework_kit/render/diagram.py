"""The picture of a process: its tables by level and the linkages between them.

:func:`architecture` lays the design out as format-free shapes of the
document tree; the writers draw them. The layout is a stack of bands, one per
level of essential 1 (bilateral, regional, strategic, then "other"), with one
box per table and the linkages routed in lanes to the right of the boxes, so
no box can overlap another and no line runs through a box, whatever the number
of tables or participants. Everything is computed from the design alone, in
spec order: the same design always gives the same figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import doctree
from .furniture import gettext as _

WIDTH = 460.0  # points: 16.2 cm, inside the text width of A4 and Letter pages
LEVEL_ORDER = ("bilateral", "regional", "strategic", "other")
LEVEL_NAMES = {"bilateral": "Bilateral", "regional": "Regional", "strategic": "Strategic",
               "other": "Other tables"}
LEVEL_NOTES = {"bilateral": "level", "regional": "level", "strategic": "level", "other": ""}

_COLUMN = 74.0  # the level names' column
_SIZE = 8.0  # text in boxes: the brief promises no text under 8 pt
_LINE = 1.22  # matches the writers' line spacing in boxes
_PADDING = 3.5
_BOX_GAP = 5.0  # between boxes of one level
_BAND_GAP = 10.0  # between levels (the separator line runs in the middle)
_LANE_FIRST = 12.0  # from the boxes' right edge to the nearest lane
_LANE_GAP = 10.0
_MAX_LANES_WIDTH = 140.0
_MAX_LINES = 3  # text lines in a box, the title included; the rest is "and N more"
_SHORT_NAME = 30  # characters; longer participant names are shortened in the picture
_GLOSSED_NAME = 22  # "Україна (Ukraine)" stays whole, "Rzeczpospolita Polska (Poland)" becomes "Poland"

_STYLE = {  # linkage kind -> (stroke colour, dashed, arrow)
    "interlocking": ("accent", False, False),
    "conditional": ("ink", True, True),
    "sequential": ("ink", False, True),
}
_LEGEND = {
    "interlocking": "interlocking: together or not at all",
    "conditional": "conditional: waiting table → its condition",
    "sequential": "sequential: later table → the one before",
}


def architecture(design, levels: dict[str, tuple[str, ...]]) -> doctree.Figure:
    """The process architecture of ``design`` as a figure of boxes, connectors and labels.

    ``levels`` maps each level of essential 1 to the ids of the tables that
    qualify for it (the assessment's judgement): those boxes are shaded.
    """
    measure = _Measure()
    qualifying = levels
    lanes = _lanes(design)
    shorts = short_names(design)
    box_width = WIDTH - _COLUMN - _lanes_width(lanes)
    shapes: list[doctree.Shape] = []
    boxes: dict[str, doctree.Box] = {}
    y = 4.0
    bands = [level for level in LEVEL_ORDER
             if level != "other" or any(t.level == "other" for t in design.tables)]
    for index, level in enumerate(bands):
        if index:
            shapes.append(doctree.Connector([(0.0, y + _BAND_GAP / 2), (WIDTH, y + _BAND_GAP / 2)],
                                            stroke="header"))
            y += _BAND_GAP
        top = y
        tables = [t for t in design.tables if t.level == level]
        if not tables:
            box = _box(_COLUMN, y, box_width, [_("No table at this level")], stroke="muted", title=False)
            shapes.append(box)
            y += box.height
        for number, table in enumerate(tables):
            if number:
                y += _BOX_GAP
            lines = _table_lines(design, table, box_width, measure, shorts,
                                 _MAX_LINES if len(design.tables) <= 4 else 2)
            shaded = table.id in qualifying.get(level, ())
            box = _box(_COLUMN, y, box_width, lines, fill="header" if shaded else "paper",
                       stroke="accent" if shaded else "ink")
            shapes.append(box)
            boxes[table.id] = box
            y += box.height
        shapes.append(doctree.Label(0.0, top + 3, _(LEVEL_NAMES[level]), size=8.5, bold=True,
                                    colour="accent"))
        if LEVEL_NOTES[level]:
            shapes.append(doctree.Label(0.0, top + 14, _(LEVEL_NOTES[level]), size=8, colour="muted"))
    shapes.extend(_route(lanes, boxes, _COLUMN + box_width))
    y += 14.0
    legend, y = _legend(lanes, qualifying, y, measure)
    shapes.extend(legend)
    return doctree.Figure(
        width=WIDTH,
        height=round(y + 2.0, 2),
        shapes=shapes,
        caption="",  # the brief's heading says what it is; a caption line would cost a page's room
        description=_description(design),
    )


# ----------------------------------------------------------------- text


class _Measure:
    """Text widths in the document font, or a cautious estimate when it is unavailable."""

    def __init__(self):
        try:
            from .fonts import register_fonts  # first: it defers what reportlab imports needlessly

            from reportlab.pdfbase.pdfmetrics import stringWidth

            names = register_fonts()
            self._fonts = (names.regular, names.bold)
            self._string_width = stringWidth
        except Exception:  # noqa: BLE001 - a missing font must not stop the picture
            self._string_width = None

    def width(self, text: str, size: float, bold: bool = False) -> float:
        if self._string_width is None:
            return len(text) * size * (0.6 if bold else 0.56)
        return self._string_width(text, self._fonts[bold], size)

    def fit(self, text: str, size: float, room: float, bold: bool = False) -> str:
        """``text`` cut with an ellipsis so that it fits ``room`` on one line."""
        if self.width(text, size, bold) <= room:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits with the ellipsis; names may be huge
            middle = (low + high + 1) // 2
            if self.width(text[:middle] + "…", size, bold) <= room:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip(" ,;:·") + "…"

    def wrap(self, words: list[str], size: float, room: float, prefix: str) -> list[tuple[str, int]]:
        """``prefix`` and ``words`` joined by commas, in lines of at most ``room`` points.

        Each line comes with the number of words it holds.
        """
        room_for_word = room - self.width(prefix, size)
        lines: list[tuple[str, int]] = []
        current, count = "", 0
        for word in words:
            word = self.fit(word, size, room_for_word)
            if not current:
                current, count = (prefix if not lines else "") + word, 1
            elif self.width(f"{current}, {word},", size) <= room:
                current, count = f"{current}, {word}", count + 1
            else:
                lines.append((current + ",", count))
                current, count = word, 1
        if current:
            lines.append((current, count))
        return lines


def short_name(name: str) -> str:
    """A participant's name short enough for a box: the gloss in brackets, an acronym, or cut.

    "Российская Федерация (Russian Federation)" -> "Russian Federation";
    "North Atlantic Treaty Organization" -> "NATO".
    """
    name = " ".join(name.split())
    bracket = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name)
    # A long name glossed in brackets ("Rzeczpospolita Polska (Poland)") is known by its gloss.
    if bracket and len(name) > _GLOSSED_NAME and len(bracket.group(2)) <= _SHORT_NAME:
        return bracket.group(2).strip()
    if len(name) <= _SHORT_NAME:
        return name
    words = re.findall(r"[^\W\d_]+", name)
    initials = "".join(w[0] for w in words if w[0].isupper())
    if len(initials) >= 2:
        return initials
    return name[:_SHORT_NAME - 1].rstrip() + "…"


def short_names(design) -> dict[str, str]:
    """participant id -> its name in the picture; ids stand in where short names would clash."""
    shorts = {p.id: short_name(p.name) for p in design.participants}
    clashing = {name for name in shorts.values() if list(shorts.values()).count(name) > 1}
    return {pid: (pid if name in clashing else name) for pid, name in shorts.items()}


def _table_lines(design, table, width: float, measure: _Measure, shorts: dict,
                 most: int = _MAX_LINES) -> list[str]:
    room = width - 2 * _PADDING - 2
    lines = [(measure.fit(" ".join(table.name.split()), _SIZE, room, bold=True), 0)]
    # Observers are left to the brief's matrix and the term sheets: the picture stays compact.
    for label, ids in (("Parties", table.parties), ("Facilitators", table.facilitators)):
        if not ids:
            continue
        if len(ids) == 1:
            label = label[:-1] if label != "Parties" else "Party"
        names = [shorts.get(pid, pid) for pid in ids]
        lines.extend(measure.wrap(names, _SIZE, room, _(label) + ": "))
    if len(lines) > most:
        # The last line keeps the names that fit and says how many more there are.
        hidden = sum(count for _, count in lines[most:])
        last, shown = lines[most - 1]
        more = _(" and {count} more", count=hidden)
        while shown > 1 and measure.width(last.rstrip(",") + more, _SIZE) > room:
            last, shown = last.rsplit(", ", 1)[0], shown - 1
            hidden += 1
            more = _(" and {count} more", count=hidden)
        lines = lines[:most - 1] + [(last.rstrip(",") + more, 0)]
    return [line for line, _ in lines]


def _box(x: float, y: float, width: float, lines: list[str], *,
         fill: str = "paper", stroke: str = "ink", title: bool = True) -> doctree.Box:
    height = 2 * _PADDING + _SIZE * (_LINE * (len(lines) - 1) + 1.0)
    return doctree.Box(round(x, 2), round(y, 2), round(width, 2), round(height, 2), lines,
                       fill=fill, stroke=stroke, title=title, font_size=_SIZE)


# ----------------------------------------------------------------- linkages


@dataclass
class _Lane:
    """One vertical run to the right of the boxes: a linkage, or one step of a sequence."""

    kind: str
    members: list[str]  # table ids, in spec order, no repeats
    target: str | None = None  # the table an arrow points to
    x: float = 0.0
    slots: dict = field(default_factory=dict)  # table id -> y where the lane meets its box


def _lanes(design) -> list[_Lane]:
    known = {t.id for t in design.tables}
    lanes: list[_Lane] = []
    steps: set[tuple[str, str]] = set()
    for linkage in design.linkages:
        members = [m for m in dict.fromkeys(linkage.tables or []) if m in known]
        if len(members) < 2 or linkage.kind not in _STYLE:
            continue
        if linkage.kind == "interlocking":
            lanes.append(_Lane("interlocking", members))
        elif linkage.kind == "conditional":
            # The contract (1.1): the first table is the condition and the others wait on
            # it; an arrow runs from each waiting table to the table it waits on.
            lanes.append(_Lane("conditional", members, target=members[0]))
        else:
            for before, after in zip(members, members[1:]):
                steps.add((before, after))
                lanes.append(_Lane("sequential", [before, after], target=before))
    for table in design.tables:
        for before in dict.fromkeys(table.starts_after or []):
            if before in known and before != table.id and (before, table.id) not in steps:
                steps.add((before, table.id))
                lanes.append(_Lane("sequential", [before, table.id], target=before))
    return lanes


def _lanes_width(lanes: list[_Lane]) -> float:
    if not lanes:
        return 8.0
    return min(_LANE_FIRST + _LANE_GAP * (len(lanes) - 1), _MAX_LANES_WIDTH) + 8.0


def _route(lanes: list[_Lane], boxes: dict[str, doctree.Box], right: float) -> list[doctree.Shape]:
    """Connectors for every lane; short lanes run nearest the boxes to cross fewer stubs."""
    if not lanes:
        return []

    def centre(tid: str) -> float:
        return boxes[tid].y + boxes[tid].height / 2

    def extent(lane: _Lane) -> tuple[float, float]:
        ys = [centre(m) for m in lane.members]
        return min(ys), max(ys)

    order = sorted(range(len(lanes)), key=lambda i: (extent(lanes[i])[1] - extent(lanes[i])[0], i))
    gap = min(_LANE_GAP, (_MAX_LANES_WIDTH - _LANE_FIRST) / max(len(lanes) - 1, 1))
    for rank, index in enumerate(order):
        lanes[index].x = round(right + _LANE_FIRST + rank * gap, 2)
    _assign_slots(lanes, boxes, centre)
    shapes: list[doctree.Shape] = []
    for lane in lanes:
        stroke, dashed, arrow = _STYLE[lane.kind]
        points = {m: lane.slots[m] for m in lane.members}
        if lane.target is None:
            top = min(lane.members, key=lambda m: (points[m], m))
            bottom = max(lane.members, key=lambda m: (points[m], m))
            shapes.append(doctree.Connector(
                [(right, points[top]), (lane.x, points[top]), (lane.x, points[bottom]),
                 (right, points[bottom])], stroke=stroke, dashed=dashed))
            for member in lane.members:
                if member not in (top, bottom):
                    shapes.append(doctree.Connector([(right, points[member]), (lane.x, points[member])],
                                                    stroke=stroke, dashed=dashed))
            continue
        goal = points[lane.target]
        sources = [m for m in lane.members if m != lane.target]
        for side in (sorted(s for s in sources if points[s] < goal),
                     sorted(s for s in sources if points[s] >= goal)):
            if not side:
                continue
            far = max(side, key=lambda s: (abs(points[s] - goal), s))
            shapes.append(doctree.Connector(
                [(right, points[far]), (lane.x, points[far]), (lane.x, goal), (right, goal)],
                stroke=stroke, dashed=dashed, arrow=arrow))
            for source in side:
                if source != far:
                    shapes.append(doctree.Connector([(right, points[source]), (lane.x, points[source])],
                                                    stroke=stroke, dashed=dashed))
    return shapes


def _assign_slots(lanes: list[_Lane], boxes: dict[str, doctree.Box], centre) -> None:
    """Where each lane meets each of its boxes: spread along the box's right edge.

    Lanes arriving from above take the upper slots (inner lanes first), lanes
    leaving downward the lower ones (outer lanes first), so that a stub rarely
    crosses another lane.
    """
    for tid, box in boxes.items():
        here = [lane for lane in lanes if tid in lane.members]
        if not here:
            continue

        def key(lane: _Lane):
            ys = [centre(m) for m in lane.members]
            if centre(tid) >= max(ys):  # the lane comes from above
                return (0, lane.x)
            if centre(tid) <= min(ys):  # the lane leaves downward
                return (2, -lane.x)
            return (1, lane.x)

        here.sort(key=key)
        for number, lane in enumerate(here):
            lane.slots[tid] = round(box.y + box.height * (number + 1) / (len(here) + 1), 2)


# ----------------------------------------------------------------- legend and words


def _legend(lanes: list[_Lane], qualifying, y: float,
            measure: _Measure) -> tuple[list[doctree.Shape], float]:
    shapes: list[doctree.Shape] = []
    items: list[tuple[str, str]] = [(kind, _(_LEGEND[kind])) for kind in _STYLE
                                    if any(lane.kind == kind for lane in lanes)]
    if any(qualifying.values()):
        items.append(("shaded", _("shaded: meets its level's test")))
    if not items:
        return shapes, y
    heading = _("Legend")
    shapes.append(doctree.Label(0.0, y, heading, size=8, bold=True, colour="muted"))
    start = max(40.0, measure.width(heading, 8, bold=True) + 8.0)  # "Умовні позначення" is longer
    x = start
    row = 9.0
    for kind, text in items:
        width = 26.0 + measure.width(text, 8) + 10.0
        if x + width > WIDTH and x > start:
            x, y = start, y + 12.0
        if kind == "shaded":
            shapes.append(doctree.Box(x, y, 20.0, 8.0, [], fill="header", stroke="accent", title=False))
        else:
            stroke, dashed, arrow = _STYLE[kind]
            shapes.append(doctree.Connector([(x, y + 4.0), (x + 20.0, y + 4.0)], stroke=stroke,
                                            dashed=dashed, arrow=arrow))
        shapes.append(doctree.Label(x + 26.0, y, text, size=8, colour="muted"))
        x += width
    return shapes, y + row


def _description(design) -> str:
    """The alternative text: the same facts as the picture, in words."""
    parts = []
    for level in LEVEL_ORDER:
        tables = [t for t in design.tables if t.level == level]
        if not tables:
            if level != "other":
                parts.append(_("{level} level: no table.", level=_(LEVEL_NAMES[level])))
            continue
        described = []
        for table in tables:
            who = _(", ").join(design.name_of(p) for p in table.parties)
            described.append(_("{table} (parties: {names})", table=table.name, names=who))
        parts.append(_(LEVEL_NAMES[level]) + ": " + "; ".join(described) + ".")
    names = {t.id: t.name for t in design.tables}
    for linkage in design.linkages:
        tables = [names.get(t, t) for t in linkage.tables or []]
        parts.append(_(linkage.kind.capitalize() + " linkage: {tables}", tables=_(", ").join(tables)) + ".")
    return " ".join(parts)
