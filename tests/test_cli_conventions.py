"""The command-line conventions users of modern CLIs expect (issue: the rough edges)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import EXAMPLES, UKRAINE, write_spec

from framework_kit.cli import app

STEM = "ukraine-three-level-process_v0.3_"


def test_only_may_be_repeated_and_combined_with_commas(runner, tmp_path):
    result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(tmp_path), "--format", "pdf",
                                 "--only", "brief", "--only", "cbm-schedule,buffer-zone-annex"])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path)) == sorted(
        f"{STEM}{key}.pdf" for key in ("brief", "cbm-schedule", "buffer-zone-annex"))


def test_a_misspelt_document_gets_a_did_you_mean(runner, tmp_path):
    result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(tmp_path), "--only", "term-sheet"])
    assert result.exit_code == 2
    assert "did you mean 'term-sheets'?" in result.stderr
    assert not os.listdir(tmp_path)


def test_a_document_the_spec_leaves_out_is_named(runner, tmp_path):
    spec = write_spec(tmp_path, UKRAINE.read_text(encoding="utf-8") + "\ndocuments: [brief]\n")
    result = runner.invoke(app, ["render", str(spec), "-o", str(tmp_path / "out"), "--only", "term-sheets"])
    assert result.exit_code == 1
    assert "'documents' list names only brief, so term-sheets is not rendered" in result.stderr


def test_check_takes_a_folder_as_render_does(runner):
    result = runner.invoke(app, ["check", str(EXAMPLES)])
    assert result.exit_code == 1  # the folder holds the invalid example
    assert f"{len(list(EXAMPLES.glob('*.yaml')))} specs:" in result.output.splitlines()[-1]


def test_check_reads_standard_input(runner):
    result = runner.invoke(app, ["check", "-"], input=UKRAINE.read_text(encoding="utf-8"))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "<stdin>: no problems"


def test_render_refuses_standard_input_plainly(runner, tmp_path):
    result = runner.invoke(app, ["render", "-", "-o", str(tmp_path)])
    assert result.exit_code == 2 and "standard input" in result.stderr


def test_init_creates_folders_prints_to_stdout_and_explains_a_folder(runner, tmp_path):
    target = tmp_path / "new" / "sub" / "design.yaml"
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    assert "kit check design.yaml" in target.read_text(encoding="utf-8")
    printed = runner.invoke(app, ["init", "-"])
    assert printed.exit_code == 0 and printed.output.startswith("# yaml-language-server: $schema=")
    assert not (tmp_path / "-").exists() and not os.path.exists("-")
    folder = runner.invoke(app, ["init", str(tmp_path / "new")])
    assert folder.exit_code == 2 and "is a folder; give a file name" in folder.stderr
    assert "--force" not in folder.stderr
    forced = runner.invoke(app, ["init", str(tmp_path / "new"), "--force"])
    assert forced.exit_code == 2 and forced.stderr == folder.stderr  # the same advice, not a failure
    assert sorted(os.listdir(tmp_path / "new")) == ["sub"]


def test_short_help_and_plain_usage_lines(runner):
    for command in (["render"], ["check"], ["mail"], ["init"], ["templates", "export"]):
        result = runner.invoke(app, [*command, "-h"])
        assert result.exit_code == 0, result.output
        assert "{" not in result.output.splitlines()[0]
    assert "Usage: kit render [OPTIONS] SPEC..." in runner.invoke(app, ["render", "-h"]).output
    assert "FOLDER" not in runner.invoke(app, ["templates", "export", "-h"]).output  # its usage says DIR
    mail = runner.invoke(app, ["mail", "-h"]).output
    assert "(from 1 to 3600)" in mail and "[default: 120]" in mail
    serve = runner.invoke(app, ["serve", "-h"]).output
    assert "--port NUMBER" in serve and "from 1 to 65535 (0: any free" in serve
    for command in ("check", "render", "diff", "init", "mail", "serve", "explain", "schema"):
        shown = runner.invoke(app, [command, "-h"]).output
        # click's own notation for ranges and types means nothing to a drafter
        assert not re.search(r"x[<>]=|<=x|<int|<float|\[default: \.\]", shown), (command, shown)


@pytest.mark.parametrize("option, value, says", [
    (["mail", str(UKRAINE), "--to", "a@example.org", "--from", "d@example.org", "--smtp", "localhost",
      "--timeout"], "inf", "inf is not a number of seconds from 1 to 3600"),
    (["mail", str(UKRAINE), "--to", "a@example.org", "--from", "d@example.org", "--smtp", "localhost",
      "--timeout"], "nan", "nan is not a number of seconds from 1 to 3600"),
    (["mail", str(UKRAINE), "--to", "a@example.org", "--from", "d@example.org", "--smtp", "localhost",
      "--timeout"], "0.5", "0.5 is not a number of seconds from 1 to 3600"),
    (["mail", str(UKRAINE), "--to", "a@example.org", "--from", "d@example.org", "--smtp", "localhost",
      "--timeout"], "soon", "soon is not a number of seconds"),
    (["serve", str(UKRAINE), "--port"], "70000", "70000 is not a port: give a number from 1 to 65535"),
    (["serve", str(UKRAINE), "--port"], "http", "http is not a port"),
])
def test_a_number_option_is_refused_in_plain_words(runner, option, value, says):
    result = runner.invoke(app, [*option, value])
    assert result.exit_code == 2 and says in result.stderr, result.output + result.stderr
    assert "internal error" not in result.stderr and "valid float" not in result.stderr


def test_quiet_and_verbose(runner, tmp_path):
    quiet = runner.invoke(app, ["check", "-q", str(UKRAINE)])
    assert quiet.exit_code == 0 and quiet.output == ""
    verbose = runner.invoke(app, ["check", "-v", str(UKRAINE)])
    assert "essential-1: met" in verbose.output and "essential-2: met" in verbose.output
    rendered = runner.invoke(app, ["render", "-q", str(UKRAINE), "-o", str(tmp_path), "--only", "brief"])
    assert rendered.exit_code == 0 and rendered.output == "" and len(os.listdir(tmp_path)) == 2


def test_shell_completion_is_offered(runner):
    assert "--install-completion" in runner.invoke(app, ["--help"]).output


def test_force_color_and_no_color(tmp_path):
    bad = write_spec(tmp_path, UKRAINE.read_text(encoding="utf-8").replace("kit: 1", "kit: 2"))

    def run(**env):
        done = subprocess.run([sys.executable, "-m", "framework_kit", "check", str(bad)],
                              capture_output=True, text=True, timeout=120,
                              env={k: v for k, v in {**os.environ, **env}.items() if v is not None})
        return done.stdout

    assert "\x1b[" in run(FORCE_COLOR="1", NO_COLOR=None)
    assert "\x1b[" not in run(FORCE_COLOR="1", NO_COLOR="1")
    assert "\x1b[" not in run(FORCE_COLOR=None, NO_COLOR=None)  # not a terminal


def test_mail_draft_to_standard_output_is_not_a_file_named_dash(tmp_path):
    done = subprocess.run([sys.executable, "-m", "framework_kit", "mail", str(UKRAINE), "--to",
                           "Petrenko, Olena <o@example.org>", "--from", "desk@example.org", "-o", "-"],
                          capture_output=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"From: desk@example.org\r\nTo: \"Petrenko, Olena\" <o@example.org>") \
        or done.stdout.startswith(b"From: desk@example.org\nTo: \"Petrenko, Olena\" <o@example.org>")
    assert b"X-Unsent: 1" in done.stdout and not (tmp_path / "-").exists()
    refused = subprocess.run([sys.executable, "-m", "framework_kit", "mail", str(UKRAINE), "--to",
                              "o@example.org", "--from", "desk@example.org", "-o", "-", "--smtp", "localhost"],
                             capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert refused.returncode == 2 and "save it to a file with -o FILE.eml" in refused.stderr
