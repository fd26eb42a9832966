"""Shared test helpers: paths, a minimal valid spec, and running the CLI."""

from __future__ import annotations

import os
import shutil
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
UKRAINE = EXAMPLES / "ukraine-three-level.yaml"
BAD_INPUTS = Path(__file__).resolve().parent / "bad_inputs"


def default_templates_folder() -> Path:
    from framework_kit.data import data_folder

    return data_folder("templates")


@pytest.fixture(scope="module")
def checked():
    """The shipped Ukraine example, checked (valid), shared by a module's tests."""
    from framework_kit import api

    result = api.check_file(UKRAINE)
    assert result.ok
    return result


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def require(*programs: str, usable: bool = True, what: str = "") -> None:
    """Skip a test whose client programs are not installed, except in CI, where that fails.

    ``.ci/run`` installs LibreOffice, poppler, pandoc and chromium: a skip there
    would pass a suite that never met the software users have.
    """
    missing = [program for program in programs if shutil.which(program) is None]
    if not missing and usable:
        return
    what = what or ", ".join(missing)
    if os.environ.get("CI"):
        pytest.fail(f"{what} missing in CI: .ci/run must install it")
    pytest.skip(f"{what} not installed; CI installs it")


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
