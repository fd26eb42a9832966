"""The theme: the shipped theme.yaml is the default Theme, and bad values are named."""

from __future__ import annotations

import pytest

from framework_kit.data import data_folder
from framework_kit.render.theme import THEME_FILE


def default_templates_folder():
    return data_folder("templates")
from framework_kit.render.theme import Theme, ThemeError, parse_theme


def test_the_shipped_theme_file_states_exactly_the_built_in_defaults():
    # Users copy theme.yaml to restyle; it must describe what an empty theme gives.
    shipped = (default_templates_folder() / THEME_FILE).read_text(encoding="utf-8")
    assert parse_theme(shipped) == Theme()


@pytest.mark.parametrize("text, fragment", [
    ("page_size: A5\n", "page_size must be A4 or Letter"),
    ("colours: {ink: red}\n", "colours.ink"),
    ("sizes: {body: 0}\n", "sizes.body"),
    ("fonts: x\n", "unknown key(s) fonts"),
    ("font: Comic Sans\n", "is not available"),
])
def test_a_bad_theme_value_is_named(text, fragment):
    with pytest.raises(ThemeError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        parse_theme(text)
