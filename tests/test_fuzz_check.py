"""Property-based: whatever a mutated example looks like, checking it never raises and the
JSON output is always a JSON list of the contract's diagnostics."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework_kit import api
from framework_kit.cli import app
from framework_kit.report import format_json, format_text

from conftest import UKRAINE

EXAMPLE = UKRAINE.read_text(encoding="utf-8")
LINES = EXAMPLE.splitlines(keepends=True)
FIELDS = {"file", "line", "column", "severity", "code", "message", "help"}

yaml_bits = st.sampled_from([
    ":", "- ", "[", "]", "{", "}", "&a ", "*a", "!!str ", "\t", "  ", "\n", "'", '"', "#",
    "~", "null", "NO", "on", "0.3", "012345", "2026-13-45", "\\u0007", "\x00", "\x85",
    "kit: 2", "role: belligerent", "status: annexed", "Україна", "<font size=500>", "AT&T",
])


@st.composite
def mutated(draw) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 6))):
        action = draw(st.sampled_from(["delete", "duplicate", "insert", "swap"]))
        i = draw(st.integers(0, len(lines) - 1))
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            line = lines[i]
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.one_of(yaml_bits, st.text(max_size=5))) + line[at:]
    return "".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_example_never_raises_and_json_is_valid(text):
    data = text.encode("utf-8", "surrogatepass")
    result = api.check_bytes(data, "spec.yaml")
    assert result.exit_code in (0, 1, 2)
    assert (result.exit_code == 0) == (not result.errors and not result.unreadable)
    items = json.loads(format_json(result.diagnostics))
    assert all(set(item) == FIELDS for item in items)
    for d in result.diagnostics:
        assert d.span.line >= 1 and d.span.column >= 1
        format_text(d, result.lines)


@settings(max_examples=40, deadline=None)
@given(mutated())
def test_cli_json_output_is_always_json(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("fuzz") / "spec.yaml"
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["check", "--format", "json", str(path)])
    assert result.exit_code in (0, 1, 2), result.output
    assert isinstance(json.loads(result.stdout), list)
