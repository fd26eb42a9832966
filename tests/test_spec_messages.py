"""Messages a new user reads after an everyday mistake (issue 15, "Spec messages"): plain
places instead of programmer paths, the likely meaning of a renamed id or a misspelt key,
and the reason a date is refused."""

from __future__ import annotations

import re

import pytest
from conftest import UKRAINE

from framework_kit import api
from framework_kit.report import format_text, summary
from framework_kit.api import starter_spec

STARTER = starter_spec()


def check(text: str):
    return api.check_bytes(text.encode(), "spec.yaml")


def replace(old: str, new: str, text: str = STARTER) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_a_renamed_participant_suggests_the_new_id_nothing_refers_to():
    text = replace("{id: state-a,", "{id: state-1,")
    result = check(text)
    s005 = [d for d in result.diagnostics if d.code == "S005"]
    assert len(s005) == 5 and len({d.span for d in s005}) == 5  # one per reference
    assert {d.help for d in s005} == {"did you mean 'state-1', which nothing refers to yet?"}
    assert summary(result.diagnostics) == "5 errors; 5 references to the undeclared id 'state-a'"


def test_a_typo_in_one_reference_still_suggests_the_closest_id():
    text = replace("parties: [state-a, state-b]\n    facilitators",
                   "parties: [state-a, state-bb]\n    facilitators")
    [d] = check(text).diagnostics
    assert d.help == "did you mean 'state-b'?"
    assert summary([d]) == "1 error"


def test_a_misspelt_required_key_gives_an_s003_and_an_s002_that_name_each_other():
    text = replace("    parties: [state-a, state-b]\n    facilitators",
                   "    partys: [state-a, state-b]\n    facilitators")
    line = text.splitlines().index("    partys: [state-a, state-b]") + 1
    s003, s002 = sorted(check(text).diagnostics, key=lambda d: d.code, reverse=True)
    assert (s003.code, s002.code, s002.span.line) == ("S003", "S002", line)
    assert s003.message == (f"the 1st table lacks the required key 'parties'; is 'partys' on line "
                            f"{line} meant to be it?")
    assert s003.help == "rename 'partys' to 'parties'"
    assert s002.help == "did you mean 'parties'? it is required here"


def test_a_missing_required_key_says_where_to_add_it():
    text = re.sub(r"\n    level: bilateral[^\n]*", "", STARTER, count=1)
    [d] = check(text).diagnostics
    assert (d.code, d.help) == ("S003", "add 'level:' to the 1st table")
    spec = {d.message: d.help for d in check("kit: 1\n").diagnostics}
    assert spec["the spec lacks the required key 'process'"] == "add 'process:' to the spec"


@pytest.mark.parametrize("date, reason", [
    ("2026-02-30", "February 2026 has 28 days"),
    ("2028-02-30", "February 2028 has 29 days"),
    ("2026-04-31", "April 2026 has 30 days"),
    ("2026-13-01", "there is no month 13"),
    ("2026-05-00", "there is no day 0"),
])
def test_an_impossible_date_is_said_not_to_exist(date, reason):
    text = re.sub(r"date: \d{4}-\d\d-\d\d", f"date: {date}", STARTER, count=1)
    [d] = check(text).diagnostics
    assert d.code == "S004"
    assert d.message == f"the process's date {date} does not exist ({reason})"


@pytest.mark.parametrize("old, new, message", [
    ("parties: [state-a, state-b]\n    facilitators", "parties: [state-a, state-c]\n    facilitators",
     "the 1st table's 2nd party names 'state-c', which is not declared in participants"),
    ("kind: union}", "kind: onion}",
     "the 3rd participant's kind must be one of state, union, alliance, organization, other, "
     "not 'onion'"),
    ("  prepared_by:", "  prepard_by:", "unknown key 'prepard_by' in the process"),
    ("      - title: Ceasefire and separation of forces", "      - title: [Ceasefire]",
     "the 1st table's 1st agenda item's title must be text, not a list"),
    ("  title: ", "  title: {a: b}\n  x: ", "the process's title must be text, not a group of "
     "'key: value' lines"),
])
def test_places_are_said_in_words_not_programmer_paths(old, new, message):
    diagnostics = check(replace(old, new)).diagnostics
    assert message in [d.message for d in diagnostics]
    for d in diagnostics:
        assert not re.search(r"\w\[\d+\]|\.\w|mapping", d.message), d.message


def _excerpt(text: str) -> tuple[object, list[str]]:
    """The first diagnostic of ``text`` and its printed form, line by line."""
    result = check(text)
    first = result.diagnostics[0]
    return first, format_text(first, result.lines).splitlines()


KEYS = "kit: 1\nprocess:\n"


@pytest.mark.parametrize("body, line, column, message, help", [
    ("  title: *Draft* terms\n", 3, 16, "a text that starts with '*' must be in quotes: YAML reads '*' as a reference",
     'put the whole text in quotes: title: "*Draft* terms"'),
    ("  title: *Draft terms\n", 3, 10, "a text that starts with '*' (Markdown italics or bold) must be "
     "in quotes", 'put the whole text in quotes, e.g. "*Draft …"'),
    ("  title: Phase 1: ceasefire\n", 3, 17, "a text containing ': ' is read as a new key",
     'put the whole text in quotes: title: "Phase 1: ceasefire"'),
    ("  principles:\n    - Phase 1: ceasefire, and more: x\n", 4, 35,
     "a text containing ': ' is read as a new key",
     'put the whole text in quotes: - "Phase 1: ceasefire, and more: x"'),
    ('  title: "Phase 1\n  date: 2026-01-01\n', 3, 10, 'this " is never closed',
     'add the closing " at the end of that text'),
    # Left open mid-file, the quote runs on until the next text's opening quote closes it.
    ('  title: "Phase 1\n  date: 2026-01-01\n  prepared_by: "Drafting office"\n', 3, 10,
     'this " is never closed on its line: the quoted text runs on to line 5, where the next " ends it',
     'add the closing " at the end of that text'),
    ("  title: 'Phase 1\n  date: 2026-01-01\n  prepared_by: Mediators' office\n", 3, 10,
     "this ' is never closed on its line: the quoted text runs on to line 5, where the next ' ends it",
     "add the closing ' at the end of that text (an apostrophe inside"),
    # The comment after the text stays out of the quotes the help writes.
    ("  title: Phase 1: ceasefire       # printed on every document\n", 3, 17,
     "a text containing ': ' is read as a new key", 'put the whole text in quotes: title: "Phase 1: ceasefire"'),
    ("  principles: [one, two\n  date: 2026-01-01\n", 3, 15,
     "this [ is never closed: on line 4, column 7 the list still has no ]",
     "add the closing ] at the end of that list"),
    ("  title: 'it's'\n", 3, 14, "the text in '…' ends at the second '",
     "write an apostrophe inside '…' twice ('it''s')"),
    ("  title: `code`\n", 3, 10, "a text that starts with '`' must be in quotes",
     'put the whole text in quotes: title: "`code`"'),
])
def test_a_yaml_syntax_error_is_explained_for_a_drafter(body, line, column, message, help):
    first, printed = _excerpt(KEYS + body)
    assert (first.code, first.span.line, first.span.column) == ("S001", line, column)
    assert first.message.startswith(message) and first.help.startswith(help), first
    assert "YAML:" not in first.message and "scanning" not in first.message
    assert "⟨U+000A⟩" not in "\n".join(printed)
    source = (KEYS + body).splitlines()[line - 1]
    assert printed[1] == f" {line} | {source}"
    assert printed[2] == " " * (len(str(line)) + 1) + " | " + " " * (column - 1) + "^"


def test_a_key_indented_three_spaces_inside_a_table_names_both_columns():
    text = replace("    name: \"Table A", "   name: \"Table A")
    first, printed = _excerpt(text)
    assert first.code == "S001" and "'name' starts in column 4" in first.message
    assert "'id' on line" in first.message and "starts in column 5" in first.message
    assert first.help == "indent 'name' by 4 spaces, like 'id'"
    assert "'- '" not in first.help
    assert printed[2].endswith("|    ^")  # under the key, in the column the message names


def test_a_key_indented_one_space_too_far_is_pointed_at_where_it_starts():
    # After a line without a comment the parser stops at the colon, not at the key.
    text = replace("    level: bilateral\n    parties:", "    level: bilateral\n     parties:",
                   UKRAINE.read_text(encoding="utf-8"))
    first, printed = _excerpt(text)
    assert first.message.startswith("'parties' starts in column 6, but 'level' on line")
    assert first.span.column == 6 and printed[2].endswith("|      ^")


@pytest.mark.parametrize("text, sigil", [("&Co rights", "'&Co'"), ("!important notice", "'!important'")])
def test_a_text_starting_with_an_anchor_or_tag_sign_is_not_silently_cut(text, sigil):
    first, _ = _excerpt(replace("  prepared_by:", f"  prepared_by: {text}\n  reference:"))
    assert first.code == "S004" and first.message.startswith(f"{sigil} at the start of this text")
    assert first.help.startswith('put the whole text in quotes: prepared_by: "')


def test_a_long_text_cut_by_an_anchor_sign_is_shown_shortened_not_seemingly_ended():
    first, _ = _excerpt(replace("  prepared_by:", "  prepared_by: &The Parties shall exchange all "
                                "prisoners of war\n  reference:"))
    assert first.message.endswith("the value would be 'Parties shall exchange all prisoners of …'")


def test_the_caret_under_cjk_text_counts_display_columns():
    text = replace("{id: state-a, name: State A, kind: state,", "{id: state-a, name: 和平进程, kind: stat,")
    result = check(text)
    [d] = result.diagnostics
    printed = format_text(d, result.lines).splitlines()
    gutter = printed[1].index("|") + 2
    assert printed[1][gutter:].startswith("  - {id: state-a, name: 和平进程, kind: stat,")
    # The four CJK characters before the caret take two terminal columns each.
    assert printed[2].index("^") - gutter == len("  - {id: state-a, name: ") + 8 + len(", kind: ")
