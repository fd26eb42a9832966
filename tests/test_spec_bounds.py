"""Hostile specs that used to be slow or slip through: repeated unknown ids, one long text
aliased many times, and bidirectional override characters (issue 16, items 5 and 6).

The work is counted, not timed (bench/ has the timings): a did-you-mean search per unknown
id, a character scan per distinct text.
"""

from __future__ import annotations

import pytest

from framework_kit import api
from framework_kit.report import summary
from framework_kit.spec import types, validate
from framework_kit.api import starter_spec

STARTER = starter_spec()

from conftest import BAD_INPUTS


def _many_references(participants: int = 990, references: int = 2000) -> bytes:
    declared = "".join(f"  - {{id: p-{i}, name: P {i}, kind: state}}\n" for i in range(participants))
    text = STARTER.replace("participants:\n", "participants:\n" + declared, 1)
    at = text.index("    parties: [state-a, state-b]")
    text = text[:at] + f"    observers: [{', '.join(['state-x'] * references)}]\n" + text[at:]
    return text.encode()


def _aliased_principle(copies: int = 240_000) -> bytes:
    principle = "Nothing is agreed until everything is agreed. " * 400
    text = STARTER.replace("    - Nothing is agreed until everything is agreed.\n",
                           f"    - &p {principle}\n" + "    - *p\n" * copies, 1)
    return text.encode()


def _calls(monkeypatch, module, name: str) -> list:
    """The first argument of every call to ``module.name`` from now on."""
    calls = []
    real = getattr(module, name)

    def counted(first, *args, **kwargs):
        calls.append(first)
        return real(first, *args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_the_did_you_mean_search_runs_once_per_unknown_id(monkeypatch):
    searches = _calls(monkeypatch, validate, "did_you_mean")
    result = api.check_bytes(_many_references())
    s005 = [d for d in result.diagnostics if d.code == "S005"]
    assert len(s005) == 2000  # the contract: one S005 per reference
    assert len({d.span for d in s005}) == 2000
    assert set(searches) == {"state-x"} and len(searches) <= 2
    assert summary(result.diagnostics).endswith("; 2000 references to the undeclared id 'state-x'")


def test_many_distinct_unknown_ids_are_searched_a_bounded_number_of_times(monkeypatch):
    # 20,000 different undeclared ids among 1,000 participants: 31 s of did-you-mean searches.
    searches = _calls(monkeypatch, validate, "did_you_mean")
    text = _many_references().decode().replace(", ".join(["state-x"] * 2000),
                                                ", ".join(f"state-x{i}" for i in range(2000)))
    result = api.check_bytes(text.encode())
    s005 = [d for d in result.diagnostics if d.code == "S005"]
    assert len(s005) == 2000 and len({d.message for d in s005}) == 2000
    assert len(set(searches)) == validate.MAX_SUGGESTIONS and len(searches) <= 2 * validate.MAX_SUGGESTIONS
    assert s005[0].help == "did you mean 'state-b'?"
    assert s005[-1].help.startswith("declared in participants: alliance, neighbour, p-0, p-1")


def test_an_aliased_text_is_scanned_once_for_forbidden_characters(monkeypatch):
    scanned = _calls(monkeypatch, types, "_character_problem")
    result = api.check_bytes(_aliased_principle())
    assert result.exit_code == 0, result.diagnostics[:3]
    assert len(result.design.process.principles) == 240_001
    long_scans = [len(text) for text in scanned if len(text) > 1000]
    assert long_scans == [len("Nothing is agreed until everything is agreed. " * 400) - 1]


@pytest.mark.parametrize("character", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                                       "\u2066", "\u2067", "\u2068", "\u2069"])
def test_bidirectional_controls_are_s004_naming_the_character_and_its_position(character):
    text = STARTER.replace("name: State A,", f'name: "EUR \\u{ord(character):04x}0001 million",', 1)
    result = api.check_bytes(text.encode(), "spec.yaml")
    [d] = result.diagnostics
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "EUR" in l)
    assert (d.code, d.span.line) == ("S004", line)
    assert f"U+{ord(character):04X}" in d.message and "at character 5" in d.message
    assert character not in d.message  # named, never printed raw into a terminal or JSON
    assert result.exit_code == 1


def test_an_override_written_raw_in_the_file_is_refused_too():
    escaped = (BAD_INPUTS / "spec-bidi-override.yaml").read_text(encoding="utf-8")
    raw = escaped.replace("\\u202e", "\u202e").replace("\\u200f", "\u200f")
    assert "\u202e" in raw
    for text in (escaped, raw):
        [d] = api.check_bytes(text.encode()).diagnostics
        assert (d.code, d.span.line) == ("S004", 23) and "U+202E RIGHT-TO-LEFT OVERRIDE" in d.message


@pytest.mark.parametrize("reference", ["&#x202E;", "&#X202e;", "&#8238;", "&#x2067;", "&#0008294;"])
def test_an_override_written_as_a_character_reference_in_markdown_is_refused(reference):
    # Markdown turns the reference into the character: the PDF read "EUR 0001", the DOCX held U+202E.
    code = int(reference[3:-1], 16) if reference[2] in "xX" else int(reference[2:-1])
    text = STARTER.replace("          - text: The Parties shall observe a ceasefire from D-Day.",
                           f'          - text: "EUR {reference}0001 million"', 1)
    result = api.check_bytes(text.encode(), "spec.yaml")
    [d] = result.diagnostics
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "EUR" in l)
    assert (d.code, d.span.line, result.exit_code) == ("S004", line, 1)
    assert f"U+{code:04X}" in d.message and f"written as '{reference}'" in d.message
    assert "at character 5" in d.message


def test_a_character_reference_in_a_plain_text_is_printed_literally_and_allowed():
    spec = STARTER.replace("name: State A,", 'name: "State &#x202E;A",', 1)  # a name is not Markdown
    assert api.check_bytes(spec.encode()).exit_code == 0


@pytest.mark.parametrize("text", ["Ukraine \u200e(UA)", "\u05de\u05d5\u05f4\u05de \u200f(IL)",
                                  "\u0645\u0641\u0627\u0648\u0636\u0627\u062a \u061c1"])
def test_right_to_left_text_and_direction_marks_stay_allowed(text):
    spec = STARTER.replace("name: State A,", f'name: "{text}",', 1)
    assert api.check_bytes(spec.encode()).exit_code == 0


def test_a_mistake_in_an_aliased_mapping_is_reported_once_at_its_place(monkeypatch):
    from framework_kit.spec import records

    searches = _calls(monkeypatch, records, "did_you_mean")
    at = STARTER.index("        terms:\n")
    clause = "          - &c {text: The Parties shall observe a ceasefire., stauts: agreed}\n"
    text = (STARTER[:at] + "        terms:\n" + clause + "          - *c\n" * 45_000
            + STARTER[at + len("        terms:\n"):])
    result = api.check_bytes(text.encode(), "spec.yaml")
    [d] = result.diagnostics
    line = text.splitlines().index(clause.rstrip("\n")) + 1
    assert (d.code, d.span.line, d.help) == ("S002", line, "did you mean 'status'?")
    assert searches == ["stauts"]
