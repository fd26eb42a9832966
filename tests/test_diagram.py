"""The process architecture figure: every table drawn, nothing overlapping, lines styled by kind."""

from __future__ import annotations

import itertools

import pytest
import yaml
from conftest import UKRAINE

from framework_kit import api
from framework_kit.render import doctree
from framework_kit.render.diagram import WIDTH, architecture, short_name, short_names

LEVELS = ("bilateral", "regional", "strategic", "other")


def design_of(data: dict):
    result = api.check_bytes(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))
    assert result.design is not None, [d.message for d in result.diagnostics]
    return result.design, result


def synthetic(tables: int, participants: int, *, linkages: list | None = None, long_names=False,
              name: str = "State {}"):
    """A schema-valid design with ``tables`` tables spread over the levels and ``participants`` actors."""
    people = []
    for number in range(participants):
        full = (f"Ministry of Foreign Affairs and Cooperation of State {number}"
                if long_names else name.format(number))
        people.append({"id": f"p{number}", "name": full, "kind": "state",
                       "role": "belligerent" if number < 2 else "participant"})
    ids = [p["id"] for p in people]
    spec_tables = []
    for number in range(tables):
        seated = ids[number % len(ids):] + ids[:number % len(ids)]
        spec_tables.append({
            "id": f"t{number}", "name": f"Table {number}: Working group on topic {number}",
            "level": LEVELS[number % len(LEVELS)], "parties": seated[: max(2, len(ids) - 2)],
            "facilitators": seated[-2:-1], "observers": seated[-1:],
        })
    data = {"kit": 1, "process": {"title": "Synthetic", "date": "2026-11-25"},
            "participants": people, "tables": spec_tables}
    if linkages is not None:
        data["linkages"] = linkages
    return design_of(data)


def boxes(figure: doctree.Figure) -> list[doctree.Box]:
    return [s for s in figure.shapes if isinstance(s, doctree.Box)]


def overlaps(a: doctree.Box, b: doctree.Box) -> bool:
    return (a.x < b.x + b.width and b.x < a.x + a.width
            and a.y < b.y + b.height and b.y < a.y + a.height)


def assert_sane(figure: doctree.Figure) -> None:
    assert 0 < figure.width <= 482, "wider than 17 cm"
    for a, b in itertools.combinations(boxes(figure), 2):
        assert not overlaps(a, b), (a.lines[:1], b.lines[:1])
    for shape in figure.shapes:
        if isinstance(shape, doctree.Box):
            assert shape.x >= 0 and shape.x + shape.width <= figure.width + 0.01
            assert shape.y >= 0 and shape.y + shape.height <= figure.height + 0.01
        elif isinstance(shape, doctree.Connector):
            for x, y in shape.points:
                assert 0 <= x <= figure.width + 0.01 and 0 <= y <= figure.height + 0.01
        else:
            assert 0 <= shape.x <= figure.width and 0 <= shape.y <= figure.height
    for line in (s for s in figure.shapes if isinstance(s, doctree.Connector)):
        for start, end in zip(line.points, line.points[1:]):
            for box in boxes(figure):
                assert not crosses(start, end, box), (line, box.lines[:1])


def crosses(start, end, box: doctree.Box) -> bool:
    """Whether a straight segment runs through the inside of ``box`` (touching its edge is fine)."""
    inset = 0.5
    left, right = box.x + inset, box.x + box.width - inset
    top, bottom = box.y + inset, box.y + box.height - inset
    steps = 50
    for step in range(steps + 1):
        x = start[0] + (end[0] - start[0]) * step / steps
        y = start[1] + (end[1] - start[1]) * step / steps
        if left < x < right and top < y < bottom:
            return True
    return False


def table_box(figure, name: str) -> doctree.Box:
    found = [b for b in boxes(figure) if b.lines and b.lines[0] == name]
    assert len(found) == 1, name
    return found[0]


def test_ukraine_every_table_with_its_seats_in_its_level_band():
    result = api.check_file(UKRAINE)
    figure = architecture(result.design, result.assessment.levels)
    assert_sane(figure)
    a = table_box(figure, "Table A: Bilateral Negotiations")
    b = table_box(figure, "Table B: Regional Arrangements")
    c = table_box(figure, "Table C: Strategic Stability")
    assert a.y < b.y < c.y  # bilateral, regional, strategic from the top
    assert "Parties: Україна (Ukraine), Russian Federation" in a.lines
    assert "Facilitators: Türkiye, United Nations" in a.lines
    # Observers are left to the brief's matrix: the picture stays compact.
    assert not any(line.startswith("Observers") for line in b.lines)
    assert "Parties: Russian Federation, NATO, United States of America" in c.lines
    labels = {s.text: s for s in figure.shapes if isinstance(s, doctree.Label)}
    for name, box in (("Bilateral", a), ("Regional", b), ("Strategic", c)):
        assert abs(labels[name].y - box.y) < 10, name
    # Every table qualifies for its level in the example: all shaded.
    assert {a.fill, b.fill, c.fill} == {"header"}
    assert "Table C: Strategic Stability (parties: Российская Федерация" in figure.description


def test_ukraine_linkages_styled_by_kind():
    result = api.check_file(UKRAINE)
    figure = architecture(result.design, result.assessment.levels)
    a = table_box(figure, "Table A: Bilateral Negotiations")
    b = table_box(figure, "Table B: Regional Arrangements")
    c = table_box(figure, "Table C: Strategic Stability")
    right = a.x + a.width
    connectors = [s for s in figure.shapes if isinstance(s, doctree.Connector) and s.points[0][0] >= right]
    solid = [s for s in connectors if not s.dashed and not s.arrow]
    dashed = [s for s in connectors if s.dashed]
    # The interlocking linkage runs from Table A down to Table C with a stub at Table B.
    spans = [(min(y for _, y in s.points), max(y for _, y in s.points)) for s in solid]
    assert any(top < a.y + a.height and bottom > c.y for top, bottom in spans)
    assert any(b.y < top and bottom < b.y + b.height for top, bottom in spans)
    # The conditional one (tables: [table-a, table-b]): Table A is the condition, so the
    # dashed arrow runs from Table B, which waits, to Table A (the contract, 1.1).
    assert len(dashed) == 1 and dashed[0].arrow
    start, end = dashed[0].points[0], dashed[0].points[-1]
    assert b.y < start[1] < b.y + b.height and a.y < end[1] < a.y + a.height
    assert end[0] == pytest.approx(right)
    legend = [s.text for s in figure.shapes if isinstance(s, doctree.Label)]
    assert any(t.startswith("interlocking") for t in legend)
    assert any(t.startswith("conditional") for t in legend)
    assert not any(t.startswith("sequential") for t in legend)


@pytest.mark.parametrize("tables, participants", [(1, 2), (3, 6), (6, 12), (4, 30), (12, 30)])
def test_no_overlaps_whatever_the_size(tables, participants):
    linkages = [{"tables": [f"t{n}" for n in range(tables)], "kind": "interlocking"}] if tables > 1 else []
    if tables > 2:
        linkages.append({"tables": ["t2", "t0"], "kind": "conditional"})
        linkages.append({"tables": ["t0", "t1", "t2"], "kind": "sequential"})
    design, result = synthetic(tables, participants, linkages=linkages, long_names=participants > 12)
    figure = architecture(design, result.assessment.levels)
    assert_sane(figure)
    for number in range(tables):
        assert table_box(figure, f"Table {number}: Working group on topic {number}")
    for box in boxes(figure):
        assert len(box.lines) <= 7


def test_one_table_draws_placeholders_for_missing_levels():
    design, result = synthetic(1, 2, linkages=[])
    figure = architecture(design, result.assessment.levels)
    assert_sane(figure)
    placeholders = [b for b in boxes(figure) if b.lines == ["No table at this level"]]
    assert len(placeholders) == 2  # regional and strategic
    assert all(b.stroke == "muted" and not b.title for b in placeholders)
    assert not [s for s in figure.shapes if isinstance(s, doctree.Connector) and s.arrow]


def test_thirty_participants_are_summarised_not_spilled():
    design, result = synthetic(2, 30, name="Kingdom of Atlantis {:02d}")
    figure = architecture(design, result.assessment.levels)
    assert_sane(figure)
    box = table_box(figure, "Table 0: Working group on topic 0")
    assert len(box.lines) == 3
    shown = sum(line.count("Kingdom of Atlantis") for line in box.lines)
    hidden = int(box.lines[-1].rsplit(" and ", 1)[1].split()[0])
    table = design.tables[0]
    assert hidden == len(table.parties) + len(table.facilitators) - shown  # facilitators count too
    assert box.lines[1].startswith("Parties: Kingdom of Atlantis 00, Kingdom of Atlantis 01")


def test_clashing_short_names_fall_back_to_ids():
    design, _ = synthetic(1, 3, long_names=True)
    assert short_names(design) == {"p0": "p0", "p1": "p1", "p2": "p2"}
    result = api.check_file(UKRAINE)
    assert short_names(result.design)["nato"] == "NATO"


def test_same_design_same_figure():
    result = api.check_file(UKRAINE)
    assert architecture(result.design, result.assessment.levels) == architecture(result.design, result.assessment.levels)


def test_starts_after_drawn_as_a_sequential_arrow():
    design, result = synthetic(3, 4, linkages=[])
    design.tables[2].starts_after = ["t0"]
    figure = architecture(design, result.assessment.levels)
    first = table_box(figure, "Table 0: Working group on topic 0")
    arrows = [s for s in figure.shapes if isinstance(s, doctree.Connector) and s.arrow
              and s.points[0][0] >= first.x + first.width]
    assert len(arrows) == 1 and not arrows[0].dashed
    later = table_box(figure, "Table 2: Working group on topic 2")
    # From the table that waits to the one it waits on (the contract, 1.1).
    assert later.y < arrows[0].points[0][1] < later.y + later.height
    assert first.y < arrows[0].points[-1][1] < first.y + first.height


@pytest.mark.parametrize("name, short", [
    ("United Nations", "United Nations"),
    ("North Atlantic Treaty Organization", "NATO"),
    ("Российская Федерация (Russian Federation)", "Russian Federation"),
    ("Organization for Security and Co-operation in Europe", "OSCE"),
    ("abcdefghijklmnopqrstuvwxyz abcdefghijkl", "abcdefghijklmnopqrstuvwxyz ab…"),
    ("Commonwealth of Westland", "Commonwealth of Westland"),
])
def test_short_names(name, short):
    assert short_name(name) == short


def test_figure_fits_the_text_width():
    assert WIDTH <= 17 / 2.54 * 72


def test_many_linkages_stay_inside_the_figure():
    pairs = [[f"t{a}", f"t{b}"] for a in range(6) for b in range(6) if a < b]
    kinds = ("interlocking", "conditional", "sequential")
    linkages = [{"tables": pair, "kind": kinds[n % 3]} for n, pair in enumerate(pairs)]
    design, result = synthetic(6, 12, linkages=linkages)
    figure = architecture(design, result.assessment.levels)
    assert_sane(figure)
    lanes = {x for s in figure.shapes if isinstance(s, doctree.Connector) for x, _ in s.points[1:-1]}
    assert len(lanes) >= len(pairs)  # every linkage keeps a lane of its own


def test_huge_names_are_cut_quickly():
    import time

    # As long as a name may be (MAX_TEXT_CHARS); the table name bypasses the check.
    design, result = synthetic(2, 3, name="Delegation {} " + "very long name " * 1300)
    design.tables[0].name = "A table " * 20000
    started = time.perf_counter()
    figure = architecture(design, result.assessment.levels)
    assert time.perf_counter() - started < 10  # does not hang on huge names
    assert_sane(figure)
    title = boxes(figure)[0].lines[0]
    assert title.startswith("A table A table") and title.endswith("…") and len(title) < 200
