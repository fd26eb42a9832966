"""The framework's rules (E100-E206, W101-W107), run through the public API.

Each fixture in tests/rules/fixtures names its expected diagnostics on its first
line (``# expect: E203 28:25``); the test compares code, severity, line and
column exactly, in file order.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from framework_kit import api
from framework_kit.diagnostics import Severity
from framework_kit.rules import LEVELS, all_rules, qualifying_tables

from conftest import EXAMPLES, UKRAINE

FIXTURES = Path(__file__).resolve().parent / "rules" / "fixtures"
FIXTURE_FILES = sorted(FIXTURES.glob("*.yaml"))
_EXPECT = re.compile(r"# expect: (.*)")


def expected(path: Path) -> list[tuple[str, str, int, int]]:
    """(code, severity, line, column) from a fixture's first line."""
    match = _EXPECT.match(path.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{path.name} has no '# expect:' line"
    if match.group(1).strip() == "none":
        return []
    out = []
    for item in match.group(1).split(","):
        code, position = item.split()
        line, column = position.split(":")
        severity = "error" if code.startswith("E") else "warning"
        out.append((code, severity, int(line), int(column)))
    return out


def found(path: Path) -> list[tuple[str, str, int, int]]:
    result = api.check_file(path)
    return [(d.code, d.severity.value, d.span.line, d.span.column) for d in result.diagnostics]


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture(path):
    assert found(path) == expected(path)


def test_fixtures_are_what_the_builder_writes():
    sys.path.insert(0, str(FIXTURES.parent))
    try:
        import build_fixtures
    finally:
        sys.path.pop(0)
    on_disk = {p.stem for p in FIXTURE_FILES}
    assert on_disk == set(build_fixtures.FIXTURES)
    for name in build_fixtures.FIXTURES:
        assert (FIXTURES / f"{name}.yaml").read_text(encoding="utf-8") == build_fixtures.build(name), name


def test_every_rule_has_a_fixture_that_triggers_it_and_one_that_does_not():
    triggered = {code for path in FIXTURE_FILES for code, *_ in expected(path)}
    for code in all_rules():
        assert code in triggered, f"no fixture triggers {code}"
        named = [p for p in FIXTURE_FILES if p.stem.startswith(code)]
        assert named, f"no fixture named {code}_n.yaml"
    clean = [p for p in FIXTURE_FILES if not expected(p)]
    assert len(clean) >= 5  # the clean design and near misses of several rules


def test_fixtures_have_no_schema_errors():
    # Otherwise the rules would not have run at all.
    for path in FIXTURE_FILES:
        assert not [d for d in api.check_file(path).diagnostics if d.code.startswith("S")], path


def test_severity_follows_the_code():
    for code, r in all_rules().items():
        assert r.severity is (Severity.ERROR if code.startswith("E") else Severity.WARNING)


# --- messages say what is wrong, with the ids involved ---------------------------------

def only(path_name: str):
    diagnostics = api.check_file(FIXTURES / path_name).diagnostics
    assert len(diagnostics) == 1
    return diagnostics[0]


def test_e203_names_the_belligerent_and_says_how_to_fix():
    d = only("E203_0.yaml")
    assert "'blue'" in d.message and "Blue Federation" in d.message and "belligerent" in d.message
    assert "third party" in d.help


def test_e101_names_the_near_miss_table_and_the_missing_belligerent():
    d = only("E101_0.yaml")
    assert "table 'bi'" in d.message and "'blue'" in d.message
    assert "level: bilateral" in d.help and "red, blue" in d.help


def test_e103_says_which_belligerent_holds_territory():
    d = only("E103_0.yaml")
    assert "'blue'" in d.message and "table 'st'" in d.message


def test_e104_names_both_tables():
    d = only("E104_0.yaml")
    assert "'st'" in d.message and "'bi'" in d.message and "starts_after" in d.help


def test_e202_and_w106_name_the_entry():
    assert "'isle'" in only("E202_0.yaml").message
    assert "'hotline'" in only("W106_0.yaml").message


def test_every_diagnostic_has_a_message_and_help():
    for path in FIXTURE_FILES:
        for d in api.check_file(path).diagnostics:
            assert d.message and d.help, (path.name, d.code)


# --- waivers --------------------------------------------------------------------------

def test_a_waiver_hides_the_code_but_records_it():
    result = api.check_file(FIXTURES / "E201_2.yaml")
    assert result.diagnostics == []
    assert result.waived == {"E201": 1}
    assert "E201" in result.failed
    assert result.exit_code == 0


def test_a_waived_e101_still_stops_e104_and_e105():
    result = api.check_file(FIXTURES / "E101_3.yaml")
    assert result.diagnostics == []
    assert result.waived == {"E101": 1}
    assert "E105" not in result.failed  # not run at all


def test_the_same_design_with_e101_passing_reports_e105():
    # The control for the test above: the conditional linkage does trigger E105
    # once E101 holds, so its absence there is the dependency at work.
    text = (FIXTURES / "E101_3.yaml").read_text(encoding="utf-8")
    text = text.replace("parties: [red, union], observers", "parties: [red, blue], observers")
    result = api.check_bytes(text.encode(), "control.yaml")
    assert [d.code for d in result.diagnostics] == ["E105"]


def test_e100_does_not_stop_the_other_rules():
    assert [code for code, *_ in expected(FIXTURES / "E100_1.yaml")] == ["E100", "E103"]


# --- the examples --------------------------------------------------------------------

@pytest.mark.parametrize("name", ["ukraine-three-level.yaml", "invented-river-delta.yaml"])
def test_shipped_examples_are_clean(name):
    result = api.check_file(EXAMPLES / name)
    assert result.diagnostics == [] and result.exit_code == 0


def test_invalid_example_shows_what_its_header_promises():
    path = EXAMPLES / "invalid-design.yaml"
    promised = set(re.findall(r"^#\s+([EW]\d{3})\s", path.read_text(encoding="utf-8"), re.M))
    result = api.check_file(path)
    assert {d.code for d in result.diagnostics} == promised
    assert not any(d.code.startswith("S") for d in result.diagnostics)
    assert result.exit_code == 1


def test_qualifying_tables_of_the_ukraine_example():
    design = api.check_file(UKRAINE).design
    tables = qualifying_tables(design)
    assert list(tables) == list(LEVELS)
    assert {level: [t.id for t in ts] for level, ts in tables.items()} == {
        "bilateral": ["table-a"], "regional": ["table-b"], "strategic": ["table-c"]}


def test_rules_read_roles_not_names():
    # Renaming every id leaves the verdict unchanged (kinds and roles stay as they are).
    text = (FIXTURES / "E203_0.yaml").read_text(encoding="utf-8")
    for old, new in (("red", "north"), ("blue", "south"), ("union", "league"), ("pact", "bloc"),
                     ("far", "overseas"), ("near", "border")):
        text = re.sub(rf"(?<!kind: )\b{old}\b", new, text)
    result = api.check_bytes(text.encode(), "renamed.yaml")
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("E203", 28, 25)]
    assert "'south'" in result.diagnostics[0].message
