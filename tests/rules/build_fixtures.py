"""Writes tests/rules/fixtures/<CODE>_<n>.yaml: one small spec per rule case.

Every fixture is the clean design ``BASE`` with a few textual edits, so each file
stays readable on its own (``kit check tests/rules/fixtures/E203_0.yaml``) and
differs from the clean design only where its rule is concerned. The first line of
each file is its expectation, written by hand here, never copied from the tool's
output: ``# expect: E203 25:22, W105 22:1`` (code LINE:COL, in file order) or
``# expect: none``. ``test_rules.py`` checks that the files on disk are what this
builder writes, so edit the table below and run:

    .venv/bin/python tests/rules/build_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

FIXTURES_DIR = Path(__file__).resolve().parent / "fixtures"

# Line 1 is the expectation; the design starts on line 2. Line numbers below refer to
# the file as written: the tables section starts on line 12, the buffer zone on line 26.
BASE = """\
kit: 1
process: {title: Rule fixture, date: 2026-01-01}
participants:
  - {id: red, name: Red Republic, kind: state, role: belligerent}
  - {id: blue, name: Blue Federation, kind: state, role: belligerent}
  - {id: union, name: Middle Union, kind: union}
  - {id: pact, name: Northern Pact, kind: alliance}
  - {id: far, name: Far State, kind: state}
  - {id: un, name: Assembly of Nations, kind: organization, role: third-party}
  - {id: near, name: Near State, kind: state, neighbour: true}
tables:
  - {id: bi, name: Bilateral, level: bilateral, parties: [red, blue], observers: [near]}
  - id: re
    name: Regional
    level: regional
    parties: [red, blue, union]
    agenda:
      - {title: Reform of the regional organization, topics: [osce-reform]}
      - {title: War crimes, topics: [accountability]}
  - {id: st, name: Strategic, level: strategic, parties: [blue, pact, far]}
linkages:
  - {id: all, tables: [bi, re, st], kind: interlocking}
territories:
  - {id: land, name: The Land, status: undetermined, held_by: blue, claimed_by: red}
buffer_zone:
  covers: [land]
  administered_by: [un]
  status_clause: Without prejudice to the final status of the Land.
  peacekeeping: {name: Mission, mandated_by: un}
confidence_building_measures:
  - {id: hotline, title: Hotline, verification: The mission logs every call.}
"""

_BI = "  - {id: bi, name: Bilateral, level: bilateral, parties: [red, blue], observers: [near]}"
_ST = "  - {id: st, name: Strategic, level: strategic, parties: [blue, pact, far]}"
_LINK = "  - {id: all, tables: [bi, re, st], kind: interlocking}"
_LAND = "  - {id: land, name: The Land, status: undetermined, held_by: blue, claimed_by: red}"
_ZONE = BASE[BASE.index("buffer_zone:"):BASE.index("confidence_building_measures:")]
_OSCE = "      - {title: Reform of the regional organization, topics: [osce-reform]}\n"
_CRIMES = "      - {title: War crimes, topics: [accountability]}\n"
_SECOND_LAND = _LAND + "\n  - {id: isle, name: The Isle, status: undetermined}"
_WG = _ST + "\n  - {id: wg, name: Working group, level: other, parties: [red, blue]}"

# name -> (edits as (old, new) on BASE, expectation). Each ``old`` occurs exactly once.
FIXTURES: dict[str, tuple[list[tuple[str, str]], str]] = {
    "clean_0": ([], "none"),
    # E100: only one belligerent; the others still pass (holder 'blue' is at every table).
    "E100_0": ([("kind: state, role: belligerent}\n  - {id: blue", "kind: state}\n  - {id: blue")],
               "E100 4:1"),
    # E100 does not stop the other rules: with no belligerent, no strategic table qualifies.
    "E100_1": ([("Red Republic, kind: state, role: belligerent", "Red Republic, kind: state"),
                ("Blue Federation, kind: state, role: belligerent", "Blue Federation, kind: state")],
               "E100 4:1, E103 12:1"),
    # Three belligerents, all seated where needed: no E100.
    "E100_2": ([("{id: far, name: Far State, kind: state}",
                 "{id: far, name: Far State, kind: state}\n"
                 "  - {id: green, name: Green Land, kind: state, role: belligerent}"),
                ("parties: [red, blue], observers", "parties: [red, blue, green], observers"),
                ("parties: [red, blue, union]", "parties: [red, blue, green, union]")],
               "none"),
    "E101_0": ([("parties: [red, blue], observers", "parties: [red, union], observers")],
               "E101 12:1"),
    "E101_1": ([("level: bilateral", "level: other")], "E101 12:1"),
    # More parties than the belligerents still qualifies.
    "E101_2": ([("parties: [red, blue], observers", "parties: [red, blue, far], observers")],
               "none"),
    "E102_0": ([("parties: [red, blue, union]", "parties: [red, blue, far]")], "E102 12:1"),
    "E102_1": ([("parties: [red, blue, union]", "parties: [red, union, far]")], "E102 12:1"),
    # A union that only facilitates is not a party.
    "E102_2": ([("parties: [red, blue, union]",
                 "parties: [red, blue, far]\n    facilitators: [union]")], "E102 12:1"),
    # The belligerent at the strategic table is not the one holding the territory.
    "E103_0": ([("parties: [blue, pact, far]", "parties: [red, pact, far]")], "E103 12:1"),
    # With no held_by naming a belligerent, any belligerent will do.
    "E103_1": ([("parties: [blue, pact, far]", "parties: [red, pact, far]"),
                (", held_by: blue", "")], "none"),
    "E103_2": ([("parties: [blue, pact, far]", "parties: [blue, pact, union]")], "E103 12:1"),
    "E103_3": ([("parties: [blue, pact, far]", "parties: [blue, far, un]")], "E103 12:1"),
    "E104_0": ([(_ST, _ST[:-1] + ", starts_after: [bi]}")], "E104 12:1"),
    "E104_1": ([(_LINK, _LINK + "\n  - {tables: [bi, re], kind: sequential}")], "E104 22:1"),
    # Waiting for a table that carries no level is fine.
    "E104_2": ([(_ST, _WG), ("{id: st, name: Strategic, level: strategic,",
                             "{id: st, name: Strategic, level: strategic, starts_after: [wg],")],
               "none"),
    # Not checked while E102 fails: only E102 is reported.
    "E104_3": ([(_ST, _ST[:-1] + ", starts_after: [bi]}"),
                ("parties: [red, blue, union]", "parties: [red, blue, far]")], "E102 12:1"),
    "E105_0": ([("kind: interlocking", "kind: conditional")], "E105 22:1"),
    "E105_1": ([("linkages:\n" + _LINK + "\n", "")], "E105 12:1"),
    "E105_2": ([("tables: [bi, re, st]", "tables: [bi, re]")], "E105 22:1"),
    "E201_0": ([("status: undetermined", "status: annexed")], "E201 25:40"),
    "E201_1": ([("status: undetermined", "status: disputed")], "E201 25:40"),
    # A waived E201 is hidden.
    "E201_2": ([("status: undetermined", "status: ceded"),
                ("kit: 1\n", "kit: 1\nchecks: {ignore: [E201]}\n")], "none"),
    "E202_0": ([(_LAND, _SECOND_LAND)], "E202 27:1"),
    "E202_1": ([(_ZONE, "")], "E202 24:1"),
    "E203_0": ([("administered_by: [un]", "administered_by: [un, blue]")], "E203 28:25"),
    "E203_1": ([("administered_by: [un]", "administered_by:\n    - red\n    - un")], "E203 29:7"),
    "E204_0": ([("  peacekeeping: {name: Mission, mandated_by: un}\n", "")], "E204 26:1"),
    "E204_1": ([("{name: Mission, mandated_by: un}", "{name: Mission}")], "E204 30:3"),
    "E204_2": ([("mandated_by: un}", "mandated_by: blue}")], "E204 30:3"),
    "E205_0": ([("  administered_by: [un]\n", "  administered_by: [un]\n  until: 2027-06-30\n")],
               "E205 29:10"),
    "E205_1": ([("  administered_by: [un]\n",
                 "  administered_by: [un]\n  until: completion-of-negotiations\n")], "none"),
    # No territories and no zone: the design as a whole (its first key).
    "E206_0": ([("territories:\n" + _LAND + "\n", ""), (_ZONE, "")], "E206 2:1"),
    "E206_1": ([("territories:\n" + _LAND + "\n", "territories: []\n"),
                ("covers: [land]", "covers: []")], "E206 24:1"),
    "W101_0": ([(", observers: [near]}", "}")], "W101 12:1"),
    "W101_1": ([(", neighbour: true}", "}")], "W101 4:1"),
    # A neighbour in the chair counts.
    "W101_2": ([(", observers: [near]}", ", facilitators: [near]}")], "none"),
    "W102_0": ([(_OSCE, "")], "W102 12:1"),
    # The item must be on the regional table, not elsewhere.
    "W102_1": ([(_OSCE, ""), (_ST, _ST[:-1] + ", agenda: [{title: OSCE, topics: [osce-reform]}]}")],
               "W102 12:1"),
    "W103_0": ([(_ST, _ST[:-1] + ", agenda: [{title: The Land, topics: [territory]}]}")],
               "W103 12:1"),
    # The claimant 'red' sits at the bilateral table.
    "W103_1": ([(_BI, _BI[:-1] + ", agenda: [{title: The Land, topics: [territory]}]}")], "none"),
    "W104_0": ([(_CRIMES, "")], "W104 12:1"),
    "W105_0": ([("  status_clause: Without prejudice to the final status of the Land.\n", "")],
               "W105 26:1"),
    "W106_0": ([(", verification: The mission logs every call.}", "}")], "W106 32:6"),
    "W106_1": ([("  - {id: hotline, title: Hotline, verification: The mission logs every call.}",
                 "  - title: Hotline\n    id: hotline\n  - {id: drill, title: Drill notice,"
                 " verification: Observers attend.}")], "W106 32:5"),
    # A text in two of the process's three languages: at the text's first language line.
    "W107_0": ([("date: 2026-01-01}", "date: 2026-01-01, languages: [en, uk]}"),
                ("name: Red Republic,", "name: {en: Red Republic},")], "W107 5:22"),
    # Every language given; plain text needs no translation: no W107.
    "W107_1": ([("date: 2026-01-01}", "date: 2026-01-01, languages: [en, uk]}"),
                ("name: Red Republic,", "name: {uk: Червона Республіка, en: Red Republic},")], "none"),
    # A waived E101 still counts as failing: E105 (no interlocking linkage) is not checked.
    "E101_3": ([("parties: [red, blue], observers", "parties: [red, union], observers"),
                ("kind: interlocking", "kind: conditional"),
                ("kit: 1\n", "kit: 1\nchecks:\n  ignore: [E101]\n")], "none"),
}


def build(name: str) -> str:
    """The text of fixture ``name``: its expectation line, then the edited design."""
    edits, expected = FIXTURES[name]
    text = BASE
    for old, new in edits:
        if text.count(old) != 1:
            raise ValueError(f"{name}: {old!r} occurs {text.count(old)} times")
        text = text.replace(old, new)
    return f"# expect: {expected}\n{text}"


def main() -> None:
    FIXTURES_DIR.mkdir(exist_ok=True)
    for old in FIXTURES_DIR.glob("*.yaml"):
        old.unlink()
    for name in FIXTURES:
        (FIXTURES_DIR / f"{name}.yaml").write_text(build(name), encoding="utf-8")


if __name__ == "__main__":
    main()
