"""``kit explain``: every code explains itself, from the rule and the seed framework."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from framework_kit import framework as seeds
from framework_kit.cli import app
from framework_kit.explain import UnknownCode, entries, explain_text
from framework_kit.rules import LEVELS, LEVEL_RULES, all_rules
from framework_kit.rules.schema_codes import SCHEMA_CODES

ALL_CODES = [f"S00{i}" for i in range(1, 9)] + [f"E10{i}" for i in range(6)] + \
    [f"E20{i}" for i in range(1, 7)] + [f"W10{i}" for i in range(1, 8)]
RENDER_CODES = ["T001", "T002", "R001", "R002", "R003", "R004", "R005"]
HEADINGS = ["What it checks", "Why", "Example", "How to fix"]


def sections(text: str) -> dict[str, str]:
    """Heading -> indented body, read back from the printed explanation."""
    out: dict[str, str] = {}
    current = None
    for line in text.splitlines()[1:]:
        if line in HEADINGS:
            current = line
            out[current] = ""
        elif current:
            out[current] += line[4:] + "\n" if line.startswith("    ") else line + "\n"
    return {k: v.strip() for k, v in out.items()}


def test_the_codes_are_exactly_the_contracts_plus_the_rendering_codes():
    assert sorted(entries()) == sorted(ALL_CODES + RENDER_CODES)
    assert sorted(SCHEMA_CODES) == ALL_CODES[:8]
    assert sorted(all_rules()) == sorted(ALL_CODES[8:])  # run_rules never runs S codes


@pytest.mark.parametrize("code", ALL_CODES + RENDER_CODES)
def test_every_code_explains_with_all_sections(code):
    text = explain_text(code)
    first = text.splitlines()[0]
    severity = "warning" if code.startswith("W") or code in ("T002", "R005") else "error"
    assert first.startswith(f"{code} ({severity}): ")
    assert len(first) > len(code) + 15  # a summary follows
    body = sections(text)
    assert list(body) == HEADINGS
    for heading in HEADINGS:
        assert len(body[heading]) > 20, (code, heading)


@pytest.mark.parametrize("code", [c for c in ALL_CODES if c != "S001"])
def test_every_example_is_yaml(code):
    # S001's example is a parse error on purpose.
    assert yaml.safe_load(sections(explain_text(code))["Example"]) is not None


def test_s001_example_really_does_not_parse():
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(sections(explain_text("S001"))["Example"])


# W107 (language versions) comes from treaty practice, not from the article: it cites nothing.
NOT_FROM_THE_ARTICLE = {"W107"}


@pytest.mark.parametrize("code", sorted(set(all_rules()) - NOT_FROM_THE_ARTICLE))
def test_why_cites_the_article_and_its_passage(code):
    why = sections(explain_text(code))["Why"]
    assert seeds.citation() in " ".join(why.split())
    for passage in seeds.passages_for(code):
        assert " ".join(passage["text"].split()) in " ".join(why.split())


def test_w107_cites_no_passage_of_the_article():
    assert seeds.passages_for("W107") == []
    assert seeds.citation() not in " ".join(sections(explain_text("W107"))["Why"].split())


def test_rule_explanation_names_its_essential():
    assert explain_text("E203").splitlines()[1].startswith("Essential 2:")
    assert explain_text("E101").splitlines()[1].startswith("Essential 1:")
    assert "advice" in explain_text("W104").splitlines()[1]


def test_lowercase_and_spaces_are_accepted():
    assert explain_text(" e203 ") == explain_text("E203")


def test_listing_has_every_code_with_its_summary():
    listing = explain_text(None)
    summaries = {e.code: e.summary for e in entries().values()}
    for code, summary in summaries.items():
        assert re.search(rf"^  {code}  {re.escape(summary)}$", listing, re.M), code
    assert "Essential 1" in listing and "Essential 2" in listing and "warnings" in listing


def test_unknown_code_suggests_close_codes():
    with pytest.raises(UnknownCode) as info:
        explain_text("E2033")
    assert "E203" in str(info.value) and "'E2033'" in str(info.value)


def test_unknown_code_without_neighbours_lists_the_ranges():
    with pytest.raises(UnknownCode) as info:
        explain_text("banana")
    assert "S001-S008" in str(info.value)


def test_cli_explain(runner):
    result = runner.invoke(app, ["explain", "E203"])
    assert result.exit_code == 0
    assert result.output.startswith("E203 (error): a belligerent administers the buffer zone")
    assert "administered_by" in result.output


def test_cli_explain_unknown_code_exits_2(runner):
    result = runner.invoke(app, ["explain", "Z999"])
    assert result.exit_code == 2
    assert "unknown code 'Z999'" in result.output
    assert "Traceback" not in result.output


def test_cli_explain_without_code_lists(runner):
    result = runner.invoke(app, ["explain"])
    assert result.exit_code == 0
    assert all(code in result.output for code in ALL_CODES)


def test_explain_stays_light():
    script = (
        "import sys; from framework_kit.explain import explain_text; explain_text('E203');"
        " explain_text(None);"
        " heavy = [m for m in ('reportlab', 'docx', 'jinja2') if m in sys.modules];"
        " print(heavy); sys.exit(1 if heavy else 0)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# --- the seed framework --------------------------------------------------------------

def test_seed_framework_grounds_every_rule():
    framework = seeds.load_framework()
    parts = {p["id"] for p in framework["essentials"]}
    assert parts == {"essential-1", "essential-2", "advice"}
    passages = {p["id"] for p in framework["passages"]}
    assert set(framework["rules"]) == set(all_rules())
    for code, entry in framework["rules"].items():
        assert entry["part"] == all_rules()[code].essential, code
        assert (entry["passages"] or code in NOT_FROM_THE_ARTICLE) and set(entry["passages"]) <= passages, code


def test_seed_levels_match_the_rules():
    levels = seeds.load_framework()["levels"]
    assert [lv["id"] for lv in levels] == list(LEVELS)
    for lv in levels:
        assert lv["rule"] == LEVEL_RULES[lv["id"]]
        assert lv["issues"] and lv["who"]


def test_seed_citation():
    assert seeds.citation() == ('United States Institute of Peace, "Another Way to Help Ukraine: '
                                'Prepare Now for a Peace Process", June 2022')
