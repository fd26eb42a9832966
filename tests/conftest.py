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


@pytest.fixture
def private_cache_home(tmp_path, monkeypatch) -> Path:
    """An empty private cache folder (XDG_CACHE_HOME) in use for the test, caching on."""
    home = tmp_path / "cache"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("KIT_NO_CACHE", raising=False)
    return home


def write_spec(tmp_path: Path, text: str, name: str = "spec.yaml") -> Path:
    """Write a spec (dedented) into tmp_path and return its path."""
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path
