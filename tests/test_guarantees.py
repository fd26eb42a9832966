"""SECURITY.md names the tests that prove each guarantee: they must exist, the bounds it states
must be the values of the constants it names, and the README agrees.

Also the two guarantees no other test file owns: an unexpected failure is one line, and
YAML tags in a spec run nothing.
"""

from __future__ import annotations

import ast
import re
import sys

import pytest

from framework_kit import api
from framework_kit.cli import main

from conftest import ROOT

SECURITY = ROOT / "SECURITY.md"
NAMED = re.compile(r"^- (tests/test_\w+\.py)::(test_\w+)\s*$", re.M)


def _sections(text: str) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            out[heading] = []
        elif (found := NAMED.match(line)) and heading:
            out[heading].append(found.groups())
    return out


def _tests_defined(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.name for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")}


def test_every_guarantee_names_tests_that_exist():
    sections = _sections(SECURITY.read_text(encoding="utf-8"))
    assert len(sections) == 9 and all(sections.values()), sections
    missing = []
    for named in sections.values():
        for file, test in named:
            path = ROOT / file
            if not path.is_file() or test not in _tests_defined(path):
                missing.append(f"{file}::{test}")
    assert missing == []


_NAMED_BOUND = re.compile(r"\((`[\w/]+\.py` )?(`[A-Z_]*MAX_[A-Z_]+`(?:, `[A-Z_]*MAX_[A-Z_]+`)*)")
_STATED = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(MB|kB)?")


def _stated_bounds(text: str) -> list[tuple[str, str, float, tuple]]:
    """(module path, constant, number stated before it, the values its unit may mean), for every
    ``4 MB (`spec/load.py` `MAX_BYTES`)`` in ``text``; a name without a path is in the last
    path named before it."""
    flat, module, out = " ".join(text.split()), "", []
    for found in _NAMED_BOUND.finditer(flat):
        module = found.group(1).strip("` ") if found.group(1) else module
        names = [name.strip("`") for name in found.group(2).split(", ")]
        before = flat[max(0, found.start() - 80):found.start()].rsplit("|", 1)[-1]
        numbers = _STATED.findall(before)[-len(names):]
        assert len(numbers) == len(names), (names, before)
        for name, (number, unit) in zip(names, numbers):
            scale = {"MB": (10**6, 2**20), "kB": (10**3, 2**10)}.get(unit, (1,))
            out.append((module, name, float(number.replace(",", "")), scale))
    return out


def test_every_bound_security_md_states_is_the_codes_own_value():
    # The table of bounds gives a number and the constant that holds it: both must agree.
    import importlib

    stated = _stated_bounds(SECURITY.read_text(encoding="utf-8"))
    assert len(stated) >= 18, stated
    wrong = []
    for module, name, number, scale in stated:
        imported = importlib.import_module("framework_kit." + module[:-3].replace("/", "."))
        value = getattr(imported, name, None)
        if value is None or all(number * unit != value for unit in scale):
            wrong.append(f"{module} {name} = {value}, SECURITY.md says {number:g}")
    assert wrong == []


def test_the_readme_lists_the_same_guarantees():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    between = readme.split("<!-- guarantees:begin -->", 1)[1].split("<!-- guarantees:end -->", 1)[0]
    assert "SECURITY.md" in between
    headings = [re.sub(r"^\d+\.\s*", "", h) for h in _sections(SECURITY.read_text(encoding="utf-8"))]
    for heading in headings:
        assert heading.lower() in between.lower(), heading


def test_an_unexpected_failure_is_one_line_not_a_traceback(monkeypatch, capsys, tmp_path):
    def broken(path):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(api, "check_file", broken)
    monkeypatch.setattr(sys, "argv", ["kit", "check", str(tmp_path / "spec.yaml")])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code not in (0, None)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kit: internal error (RuntimeError: something nobody")


def test_ctrl_c_is_one_line_and_the_conventional_exit_status(monkeypatch, capsys, tmp_path):
    def interrupted(path):
        raise KeyboardInterrupt

    import framework_kit.cli as entry

    monkeypatch.setattr(api, "check_file", interrupted)
    monkeypatch.setattr(entry, "_leave", lambda code: None)  # os._exit would end pytest itself
    monkeypatch.setattr(sys, "argv", ["kit", "check", str(tmp_path / "spec.yaml")])
    with pytest.raises(SystemExit) as caught:
        main()
    assert caught.value.code == 130
    captured = capsys.readouterr()
    assert captured.err.strip().splitlines() == ["kit: interrupted; no file was left half-written"]


def test_ctrl_c_while_the_command_loads_is_the_same_one_line(tmp_path):
    # Ctrl-C in the first tenth of a second, while the modules load, printed a traceback.
    import subprocess

    code = ("import sys\n"
            "class Interrupt:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            "        if name == 'framework_kit.cli.commands':\n"
            "            raise KeyboardInterrupt\n"
            "sys.meta_path.insert(0, Interrupt())\n"
            "sys.argv = ['kit', 'check', 'spec.yaml']\n"
            "from framework_kit.cli import main\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 130 and done.stdout == ""
    assert done.stderr.splitlines() == ["kit: interrupted; no file was left half-written"]


@pytest.mark.parametrize("tagged", [
    'title: !!python/object/apply:os.system ["touch PWNED"]',
    "title: !!python/name:os.system",
    'title: !!python/object/new:subprocess.Popen [["touch", "PWNED"]]',
    "title: !<tag:yaml.org,2002:python/object/apply:os.system> [touch PWNED]",
    "title: !custom touch PWNED",
])
def test_python_tags_in_a_spec_run_nothing(tagged, tmp_path, monkeypatch):
    from framework_kit.api import starter_spec
    STARTER = starter_spec()

    monkeypatch.chdir(tmp_path)
    text = STARTER.replace("title: A Three-Level Peace Process", tagged, 1)
    assert tagged in text
    result = api.check_bytes(text.encode(), "spec.yaml")
    assert result.exit_code in (0, 1)
    assert list(tmp_path.iterdir()) == []
    if result.design is not None:
        assert isinstance(result.design.process.title, str)
