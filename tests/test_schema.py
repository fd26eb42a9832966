"""Schema diagnostics (S002-S007): codes, lines and columns exactly as the contract says."""

from __future__ import annotations

import json
import textwrap

import pytest

from framework_kit import api
from framework_kit.api import starter_spec
STARTER = starter_spec()

VALID = STARTER


def check(text: str):
    return api.check_bytes(textwrap.dedent(text).encode(), "spec.yaml")


def codes(result) -> list[tuple[str, int, int]]:
    return [(d.code, d.span.line, d.span.column) for d in result.diagnostics]


def replace(old: str, new: str) -> str:
    assert old in VALID, old
    return VALID.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_starter_spec_is_valid():
    result = api.check_bytes(VALID.encode(), "spec.yaml")
    assert result.diagnostics == [] and result.exit_code == 0


def test_unknown_key_with_did_you_mean():
    text = replace("  prepared_by:", "  prepard_by:")
    [d] = check(text).diagnostics
    assert (d.code, d.span.line, d.span.column) == ("S002", line_of(text, "prepard_by"), 3)
    assert "prepared_by" in d.help


def test_missing_required_key_points_at_the_mapping_first_key():
    text = replace("  title: A Three-Level Peace Process", "  titel: A Three-Level Peace Process")
    result = check(text)
    s003 = [d for d in result.diagnostics if d.code == "S003"]
    assert [(d.span.line, d.span.column) for d in s003] == [(line_of(text, "titel:"), 3)]
    assert "'title'" in s003[0].message


def test_missing_section_is_s003_at_the_first_key_and_references_into_it_are_quiet():
    text = "kit: 1\nprocess: {title: T, date: 2026-01-01}\ntables: []\n"
    assert codes(check(text)) == [("S003", 1, 1)]


@pytest.mark.parametrize(
    "old, new, column",
    [
        ("role: belligerent}   #", "role: no}   #", None),
        ("status: draft ", "status: drafty ", None),
        ("neighbour: true}", "neighbour: yes}", None),
        ("strength: 5000", "strength: 0", 15),
        ("date: 2026-01-01", "date: 2026-13-01", 9),
        ("status: proposed ", "status: 1 ", None),
    ],
)
def test_wrong_value_is_s004_at_the_value(old, new, column):
    text = replace(old, new)
    [d] = check(text).diagnostics
    assert d.code == "S004"
    line = line_of(text, new.strip())
    assert d.span.line == line
    if column is not None:
        assert d.span.column == column


def test_str_fields_keep_numbers_and_no_as_text():
    text = replace('version: "0.1"', "version: 0.10").replace(
        "name: State A,", "name: NO,")
    result = check(text)
    assert result.ok
    assert result.design.process.version == "0.10"
    assert result.design.participant("state-a").name == "NO"


def test_null_in_a_required_field_is_s004():
    text = replace("  title: A Three-Level Peace Process", "  title:")
    [d] = check(text).diagnostics
    assert d.code == "S004" and d.span.line == line_of(text, "  title:")


def test_unknown_reference_is_s005_with_a_suggestion():
    text = replace("parties: [state-a, state-b]\n    facilitators", "parties: [state-a, state-c]\n    facilitators")
    [d] = check(text).diagnostics
    assert (d.code, d.span.line, d.span.column) == ("S005", line_of(text, "[state-a, state-c]"), 24)
    assert "state-a" in d.help or "state-b" in d.help


def test_reference_into_an_absent_optional_section_is_s005():
    text = STARTER.split("# Essential 2")[0] + "buffer_zone:\n  covers: [somewhere]\n  administered_by: [un]\n"
    result = check(text)
    assert ("S005", line_of(text, "covers:"), 12) in codes(result)


def test_document_whose_section_is_absent_is_s005():
    text = STARTER.split("confidence_building_measures:")[0] + "documents: [brief, cbm-schedule]\n"
    [d] = check(text).diagnostics
    assert (d.code, d.span.line, d.span.column) == ("S005", line_of(text, "documents:"), 20)


def test_duplicate_id_is_s006_at_the_second_occurrence():
    text = replace("{id: neighbour,", "{id: un,")
    [d] = [d for d in check(text).diagnostics if d.code == "S006"]
    assert (d.span.line, d.span.column) == (line_of(text, "{id: un, name: A Neighbouring"), 10)


def test_agenda_ids_are_unique_within_their_table_only():
    text = replace("      - title: Ceasefire", "      - id: one\n        title: Ceasefire").replace(
        "      - title: Accountability", "      - id: one\n        title: Accountability")
    result = check(text)
    assert [d.code for d in result.diagnostics] == ["S006"]
    text_ok = replace("      - title: Ceasefire", "      - id: one\n        title: Ceasefire").replace(
        "      - title: Arms control", "      - id: one\n        title: Arms control")
    assert check(text_ok).ok


@pytest.mark.parametrize("value", ['"1"', "2", "1.0", "one"])
def test_kit_version_other_than_1_is_s007_at_the_value(value):
    text = replace("kit: 1", f"kit: {value}")
    [d] = check(text).diagnostics
    assert (d.code, d.span.line, d.span.column) == ("S007", line_of(text, "kit:"), 6)


def test_agreed_clause_with_options_is_s004_at_its_options():
    text = replace("status: proposed                   # agreed",
                   "status: agreed\n            options: [x, y]  #")
    [d] = check(text).diagnostics
    assert (d.code, d.span.line, d.span.column) == ("S004", line_of(text, "options: [x, y]"), 22)


def test_control_character_in_text_is_refused_at_its_line():
    text = replace("name: State A,", 'name: "State\\u0007 A",')
    [d] = check(text).diagnostics
    assert d.code == "S004" and "U+0007" in d.message and d.span.line == line_of(text, "State\\u0007")


def test_s_code_in_checks_ignore_is_s004():
    text = VALID + "checks:\n  ignore: [W101, S002, E999]\n"
    result = check(text)
    assert [(d.code, d.span.column) for d in result.diagnostics] == [("S004", 18), ("S004", 24)]


def test_all_problems_are_reported_in_one_run():
    text = replace("prepared_by:", "prepard_by:").replace("kind: union}", "kind: onion}")
    assert sorted(d.code for d in check(text).diagnostics) == ["S002", "S004"]


def test_schema_errors_stop_the_design_rules():
    # Without tables the design would fail E101; with an S error, no E/W rule runs.
    text = replace("kind: union}", "kind: onion}").replace("level: bilateral", "level: other")
    assert {d.code for d in check(text).diagnostics} == {"S004"}


def test_json_schema_describes_every_section():
    schema = api.schema()
    assert set(schema["required"]) == {"kit", "process", "participants", "tables"}
    assert schema["properties"]["kit"] == {"const": 1, "description": "format version; must be 1"}
    json.dumps(schema)


def test_the_json_schema_allows_only_known_e_and_w_codes_in_checks_ignore():
    from framework_kit.rules.registry import all_rules

    items = api.schema()["properties"]["checks"]["properties"]["ignore"]["items"]
    assert items == {"enum": list(all_rules())}
    assert "S002" not in items["enum"] and "W999" not in items["enum"]
    assert all(code[0] in "EW" for code in items["enum"])


def test_clause_ids_are_unique_within_their_agenda_item_only():
    clauses = ("          - id: cease\n            text: The Parties shall observe a ceasefire from D-Day.\n"
               "          - id: {second}\n            text: A second clause.\n")
    base = "          - text: The Parties shall observe a ceasefire from D-Day.\n"
    text = replace(base, clauses.format(second="cease"))
    [d] = check(text).diagnostics
    # The second clause's "- id: cease" line, at the id's value.
    assert (d.code, d.span.line, d.span.column) == ("S006", line_of(text, "A second clause") - 1, 17)
    assert "agenda item 1 of table" in d.message
    assert check(replace(base, clauses.format(second="other"))).ok


def test_clause_id_must_be_an_id():
    text = replace("          - text: The Parties shall observe",
                   "          - id: Cease Fire\n            text: The Parties shall observe")
    assert [d.code for d in check(text).diagnostics] == ["S004"]
