"""`kit check`, `kit init`, `kit schema`, `kit --version` through typer's test runner."""

from __future__ import annotations

import json

from framework_kit import __version__
from framework_kit.cli import app

from conftest import UKRAINE, write_spec


def test_ukraine_example_has_no_problems(runner):
    result = runner.invoke(app, ["check", str(UKRAINE)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("no problems")


def test_text_diagnostic_has_location_source_line_caret_and_help(runner, tmp_path):
    spec = write_spec(tmp_path, UKRAINE.read_text(encoding="utf-8").replace(
        "  prepared_by:", "  prepard_by:"))
    result = runner.invoke(app, ["check", str(spec)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    head = next(i for i, line in enumerate(lines) if "error S002" in line)
    assert lines[head].startswith(f"{spec}:15:3: error S002 unknown key 'prepard_by'")
    assert lines[head + 1].endswith("|   prepard_by: Mediation Support Unit (illustrative)")
    assert lines[head + 2].endswith("|   ^")
    assert "help: did you mean 'prepared_by'?" in lines[head + 3]
    assert lines[-1].endswith(": 1 error")
    assert "\x1b[" not in result.output  # no colour when not on a terminal


def test_json_output_has_exactly_the_contract_fields(runner, tmp_path):
    spec = write_spec(tmp_path, UKRAINE.read_text(encoding="utf-8").replace("kit: 1", 'kit: "1"'))
    result = runner.invoke(app, ["check", "--format", "json", str(spec)])
    assert result.exit_code == 1
    [item] = json.loads(result.output)
    assert item == {
        "file": str(spec), "line": 6, "column": 6, "severity": "error", "code": "S007",
        "message": item["message"], "help": "write 'kit: 1'",
    }


def test_unparseable_yaml_exits_2(runner, tmp_path):
    spec = write_spec(tmp_path, "kit: [1\n")
    result = runner.invoke(app, ["check", str(spec)])
    assert result.exit_code == 2
    assert "error S001" in result.output


def test_missing_file_exits_2_with_a_message(runner, tmp_path):
    result = runner.invoke(app, ["check", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "nope.yaml:1:1: error S001 no such file" in result.output


def test_several_files_report_all_and_exit_with_the_worst(runner, tmp_path):
    bad = write_spec(tmp_path, "kit: [1\n", "bad.yaml")
    result = runner.invoke(app, ["check", str(UKRAINE), str(bad)])
    assert result.exit_code == 2
    assert "2 specs: 1 error" in result.output


def test_wrong_command_line_exits_2(runner):
    assert runner.invoke(app, ["check"]).exit_code == 2
    assert runner.invoke(app, ["check", "--format", "xml", str(UKRAINE)]).exit_code == 2


def test_init_writes_a_starter_that_passes_and_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "new.yaml"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    assert runner.invoke(app, ["check", str(target)]).exit_code == 0
    target.write_text("mine", encoding="utf-8")
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert target.read_text(encoding="utf-8") == "mine"
    assert runner.invoke(app, ["init", "--force", str(target)]).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=framework-kit.schema.json\n# A peace-process design")
    assert "kit check new.yaml" in text and "spec.yaml" not in text


def test_schema_is_json(runner):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"].startswith("framework-kit spec")


def test_version(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_the_shipped_schema_file_is_what_kit_schema_prints(runner):
    # Editors read examples/framework-kit.schema.json; it must not drift from the format.
    shipped = json.loads((UKRAINE.parent / "framework-kit.schema.json").read_text(encoding="utf-8"))
    assert shipped == json.loads(runner.invoke(app, ["schema"]).output)


def test_the_app_built_for_one_command_behaves_like_the_whole_app(runner, tmp_path):
    from framework_kit.cli import _app_for

    single = _app_for(["check", str(UKRAINE)])
    assert single is not app and [c.callback.__name__ for c in single.registered_commands] == ["check"]
    assert len(app.registered_commands) > 1 and app.registered_groups  # the original is untouched
    assert runner.invoke(single, ["check", str(UKRAINE)]).output == runner.invoke(
        app, ["check", str(UKRAINE)]).output
    help_text = runner.invoke(single, ["check", "--help"]).output
    assert help_text == runner.invoke(app, ["check", "--help"]).output and "Usage: kit check" in help_text
    for args in (["--help"], ["--version"], ["templates", "export", str(tmp_path)], ["chek"], []):
        assert _app_for(args) is app
