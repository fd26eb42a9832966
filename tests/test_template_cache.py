"""The compiled packaged templates kept between runs: same output, safe folder, no stale code."""

from __future__ import annotations

import os

import pytest

from framework_kit.render import templates
from framework_kit.render.build import build_documents
from framework_kit.render.template_cache import defaults_cache

from conftest import default_templates_folder


@pytest.fixture
def cache_home(private_cache_home, monkeypatch):
    monkeypatch.setattr(templates, "_SHARED", type(templates._SHARED)())  # fresh environments
    return private_cache_home


def compiled_names(monkeypatch) -> list:
    names: list = []
    original = templates.KitEnvironment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(templates.KitEnvironment, "compile", counting)
    return names


def xml_of(checked, folder=None) -> list[str]:
    env = templates.environment(folder)
    return [templates.render(env, name, {})[0] for name in ("_macros.xml",)] + [
        repr(b.tree) for b in build_documents(checked.design, checked.assessment, templates_dir=folder)]


def cached_files(home) -> list:
    return sorted(p.name for p in home.rglob("*.jinja"))


def test_a_second_run_loads_the_compiled_templates_and_gives_the_same_documents(
        checked, cache_home, monkeypatch):
    compiled = compiled_names(monkeypatch)
    first = xml_of(checked)
    assert compiled and cached_files(cache_home)
    compiled.clear()
    templates._SHARED.environments = {}  # as a new process would
    assert xml_of(checked) == first
    assert compiled == []  # nothing compiled: all of it came from the cache
    monkeypatch.setenv("KIT_NO_CACHE", "1")
    templates._SHARED.environments = {}
    assert xml_of(checked) == first and compiled  # and without the cache, the same


def test_the_cache_folder_is_private_and_refused_when_others_can_write(cache_home):
    cache = defaults_cache(default_templates_folder())
    assert cache is not None
    assert os.stat(cache.directory).st_mode & 0o777 == 0o700
    os.chmod(cache_home, 0o777)
    assert defaults_cache(default_templates_folder()) is None
    os.chmod(cache_home, 0o700)
    os.chmod(cache.directory, 0o770)
    assert defaults_cache(default_templates_folder()) is None


def test_a_damaged_cache_file_is_compiled_again(checked, cache_home, monkeypatch):
    first = xml_of(checked)
    for path in cache_home.rglob("*.jinja"):
        path.write_bytes(path.read_bytes()[:40] + b"\x00garbage")
    templates._SHARED.environments = {}
    compiled = compiled_names(monkeypatch)
    assert xml_of(checked) == first and compiled


def test_a_drafters_templates_are_not_kept(checked, cache_home, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "brief.xml").write_text('{% extends "default:brief.xml" %}', encoding="utf-8")
    xml_of(checked, folder)
    kept = cached_files(cache_home)
    templates._SHARED.environments = {}
    (folder / "extra.xml").write_text("extra {{ 1 }}", encoding="utf-8")
    assert templates.render(templates.environment(folder), "extra.xml", {})[0] == "extra 1"
    assert cached_files(cache_home) == kept


def test_no_cache_folder_when_the_home_is_unusable(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    monkeypatch.delenv("KIT_NO_CACHE", raising=False)
    assert defaults_cache(default_templates_folder()) is None
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    assert defaults_cache(default_templates_folder()) is None
