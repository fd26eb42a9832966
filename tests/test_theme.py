"""The theme: the shipped theme.yaml is the default Theme; a bad theme.yaml is read like a spec,
with every problem at its own line and column, in one run, within the spec loader's bounds."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from framework_kit.data import data_folder
from framework_kit.render.theme import MAX_THEME_BYTES, THEME_FILE, Theme, ThemeError, parse_theme

from conftest import UKRAINE


def default_templates_folder():
    return data_folder("templates")


def test_the_shipped_theme_file_states_exactly_the_built_in_defaults():
    # Users copy theme.yaml to restyle; it must describe what an empty theme gives.
    shipped = (default_templates_folder() / THEME_FILE).read_text(encoding="utf-8")
    assert parse_theme(shipped) == Theme()


def _problems(text: str) -> list[tuple[int, int, str, str]]:
    with pytest.raises(ThemeError) as caught:
        parse_theme(text)
    assert {d.code for d in caught.value.diagnostics} == {"R001"}
    return [(d.span.line, d.span.column, d.message, d.help) for d in caught.value.diagnostics]


@pytest.mark.parametrize("text, line, column, fragment", [
    ("page_size: A5\n", 1, 12, "page_size must be one of A4, Letter, not 'A5'"),
    ('colours: {ink: red}\n', 1, 16, "the colour 'ink' 'red' is not valid"),
    ("sizes: {body: 0}\n", 1, 15, "the 'body' text size must be a number more than 0"),
    ("fonts: x\n", 1, 1, "unknown key 'fonts' in the theme"),
    ("font: Comic Sans\n", 1, 7, "the font 'Comic Sans' is not available"),
    ("page_size: [1]\n", 1, 12, "page_size must be one of A4, Letter, not a list"),
    ("leading: {a: 1}\n", 1, 11, "leading must be a number at least 1 and at most 3"),
    ("colours:\n  ink: #1a1a1a\n", 2, 7, "the colour 'ink' is empty: in YAML a # starts a comment"),
])
def test_a_bad_theme_value_is_named_at_its_position(text, line, column, fragment):
    [(at_line, at_column, message, _)] = _problems(text)
    assert (at_line, at_column) == (line, column) and message.startswith(fragment), message


def test_every_problem_of_a_theme_is_reported_at_its_line_in_one_run():
    text = ("page_size: letter\n"
            "margins_mm: {top: 25, botom: 3}\n"
            "colours:\n"
            "  paper: \"#fff\"\n"
            "leading: 9\n")
    found = _problems(text)
    assert [(line, column) for line, column, _, _ in found] == [(1, 12), (2, 23), (4, 10), (5, 10)]
    assert found[0][3] == "did you mean 'Letter'?"
    assert found[1][3] == "did you mean 'bottom'?"


@pytest.mark.parametrize("text, line, fragment", [
    ("page_size: A4\n  margins_mm: {top: 20}\n", 2,
     "'margins_mm' starts in column 3, but 'page_size' on line 1 starts in column 1"),
    ("colours: {ink: \"#1a1a1a\"\nleading: 1.2\n", 1, "this { is never closed"),
    ("font: IBM Plex Serif: Bold\n", 1, "a text containing ': ' is read as a new key"),
])
def test_invalid_yaml_in_a_theme_is_a_plain_message_with_its_line(text, line, fragment):
    [(at_line, _, message, help)] = _problems(text)
    assert at_line == line and message.startswith(fragment)
    assert "YAML:" not in message and "\n" not in message + help


@pytest.mark.parametrize("text, fragment", [
    ("font: " + "&a [" * 70 + "]" * 70 + "\n", "the theme is nested more than 64 levels"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
     + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
               for p, c in zip("abcdefgh", "bcdefghi"))
     + "font: [*i, *i, *i, *i, *i, *i, *i, *i, *i, *i]\n", "the theme expands to more than 250,000"),
    ("# padding\n" * (MAX_THEME_BYTES // 10 + 1), "larger than 64 kB"),
    ("page_size: A4\n\x00", "not a text file"),
])
def test_a_hostile_theme_is_refused_quickly_within_the_loaders_bounds(text, fragment):
    started = time.perf_counter()
    [(_, _, message, _)] = _problems(text)
    assert time.perf_counter() - started < 10  # a guard against runaway input, not a speed target
    assert fragment in message


def test_a_bad_theme_is_printed_with_its_line_and_caret_and_nothing_is_written(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / THEME_FILE).write_text("page_size: [1]\nmargins_mm: {top: 25, botom: 3}\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "framework_kit", "render", str(UKRAINE), "--templates",
                           str(folder), "-o", str(tmp_path / "out")], capture_output=True, text=True,
                          env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    assert done.returncode == 1 and "internal error" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    theme = str(folder / THEME_FILE)
    at = lines.index(f"{theme}:1:12: error R001 page_size must be one of A4, Letter, not a list")
    assert lines[at + 1:at + 3] == [" 1 | page_size: [1]", "   |            ^"]
    assert any(line.startswith(f"{theme}:2:23: error R001 unknown key 'botom'") for line in lines)
    assert not (tmp_path / "out").exists()
