"""Shared test helpers: paths, a minimal valid spec, and running the CLI."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
UKRAINE = EXAMPLES / "ukraine-three-level.yaml"
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    """Write a spec (dedented) into tmp_path and return its path."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path
