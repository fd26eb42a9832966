"""Every hostile or broken spec gets a clean answer: the right exit status and message, no
traceback, bounded time and memory, and nothing written (tests/bad_inputs/expected.yaml)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from framework_kit import api
from framework_kit.api import starter_spec
STARTER = starter_spec()

from conftest import BAD_INPUTS

EXPECTED = yaml.safe_load((BAD_INPUTS / "expected.yaml").read_text(encoding="utf-8"))
CASES = sorted(EXPECTED)


def test_every_file_in_the_corpus_has_an_expectation():
    assert sorted(p.name for p in BAD_INPUTS.glob("*.yaml") if p.name != "expected.yaml") == CASES


@pytest.mark.parametrize("name", CASES)
def test_check_answers_in_bounded_time_and_memory(name):
    expected = EXPECTED[name]
    data = (BAD_INPUTS / name).read_bytes()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = api.check_bytes(data, name)
    finally:
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < 10  # a guard against runaway input, not a speed target (bench/ has those)
    assert peak < 200 * 1024 * 1024
    assert result.exit_code == expected["exit"]
    if expected["exit"]:
        first = result.diagnostics[0]
        assert (first.code, first.span.line) == (expected["code"], expected["line"])
        assert expected["message"] in first.message


def _kit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "framework_kit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command", ["check", "render"])
@pytest.mark.parametrize("name", CASES)
def test_cli_gives_a_clean_answer_and_writes_nothing(name, command, tmp_path):
    """A broken spec writes nothing; a valid but hostile one writes safe names inside OUTDIR only."""
    expected = EXPECTED[name]
    spec = BAD_INPUTS / name
    args = [command, str(spec)] + (["-o", str(tmp_path / "out")] if command == "render" else [])
    done = _kit(*args, cwd=tmp_path)
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert done.returncode == expected["exit"], output
    if expected["exit"]:
        assert f"{spec}:{expected['line']}:" in output
        assert expected["message"] in output
    if command == "check" or expected["exit"]:
        assert sorted(p.name for p in tmp_path.iterdir()) == []
        return
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    written = sorted((tmp_path / "out").rglob("*"))
    assert len(written) == 12, output  # brief, three term sheets, annex, CBM schedule; PDF and DOCX
    for path in written:
        assert path.parent == tmp_path / "out" and path.is_file()
        assert path.name.startswith(expected["stem"]) and len(path.name.encode()) <= 120, path.name
        assert f"wrote {tmp_path / 'out' / path.name}" in output


def test_ten_megabyte_spec_is_refused_quickly(tmp_path):
    spec = tmp_path / "huge.yaml"
    spec.write_text(STARTER + "# " + "x" * 78 + "\n" * 1 + ("# " + "y" * 98 + "\n") * 100_000,
                    encoding="utf-8")
    assert spec.stat().st_size > 10_000_000
    started = time.perf_counter()
    result = api.check_file(spec)
    assert time.perf_counter() - started < 10  # does not hang; speed is bench/'s business
    assert result.exit_code == 2
    assert "at most 4 MB" in result.diagnostics[0].message


def test_one_megabyte_spec_is_checked_without_hanging():
    # 1 MB of real content: many clauses with long texts.
    clause = "          - text: " + "The Parties shall consider this clause with care. " * 8 + "\n"
    body = STARTER.replace(
        "          - text: The Parties shall observe a ceasefire from D-Day.\n",
        clause * 2500 + "          - text: The Parties shall observe a ceasefire from D-Day.\n",
    )
    data = body.encode()
    assert len(data) > 1_000_000
    started = time.perf_counter()
    result = api.check_bytes(data, "big.yaml")
    assert time.perf_counter() - started < 10  # does not hang; speed is bench/'s business
    assert result.exit_code == 0, result.diagnostics[:3]
