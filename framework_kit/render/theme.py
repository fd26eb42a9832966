"""The theme: fonts, sizes, colours, margins and page size, read from theme.yaml.

The packaged ``templates/theme.yaml`` is the default; a user's templates folder
may hold its own copy. Unknown keys and bad values are reported, not ignored.
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .codes import THEME_PROBLEM
from ..data import data_folder
from ..diagnostics import RenderError, error

THEME_FILE = "theme.yaml"
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


class ThemeError(ValueError):
    """A theme file that cannot be used; the message says what to fix."""


@dataclass(frozen=True)
class Theme:
    page_size: str = "A4"
    margins_mm: dict = field(default_factory=lambda: {"top": 25, "bottom": 22, "left": 25, "right": 22})
    font: str = "IBM Plex Serif"
    sizes: dict = field(default_factory=lambda: {
        "body": 10.5, "small": 8.5, "title": 18, "heading2": 13, "heading3": 11, "header": 8})
    leading: float = 1.35
    colours: dict = field(default_factory=lambda: {
        "ink": "#1a1a1a", "paper": "#ffffff", "accent": "#1f3a5f", "header": "#dde4ee",
        "muted": "#6b6b6b", "agreed": "#1b5e20", "bracketed": "#8a4b00", "watermark": "#c8c8c8"})

    @property
    def page_mm(self) -> tuple[float, float]:
        return PAGE_SIZES_MM[self.page_size]

    def colour(self, name: str) -> str:
        return self.colours.get(name, self.colours["ink"])

    def __hash__(self) -> int:
        # Frozen, but its dict fields keep dataclass from hashing it: hash their items, so
        # caches can be keyed by the theme itself (the dicts are never changed after parsing).
        return hash(tuple((name, tuple(sorted(value.items())) if isinstance(value, dict) else value)
                          for name, value in vars(self).items()))


def parse_theme(text: str, source: str = "theme.yaml") -> Theme:
    """Read a theme file; every key is optional and falls back to the default."""
    from ..lazy_patterns import import_module

    yaml = import_module("yaml")
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ThemeError(f"{source}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise ThemeError(f"{source}: must be a mapping of keys")
    default = Theme()
    known = set(Theme.__dataclass_fields__)
    unknown = set(map(str, data)) - known
    if unknown:
        raise ThemeError(f"{source}: unknown key(s) {', '.join(sorted(unknown))}; known: "
                         + ", ".join(sorted(known)))
    values: dict = {}
    page = data.get("page_size", default.page_size)
    if page not in PAGE_SIZES_MM:
        raise ThemeError(f"{source}: page_size must be A4 or Letter, not {page!r}")
    values["page_size"] = page
    for name in ("margins_mm", "sizes", "colours"):
        merged = dict(getattr(default, name))
        given = data.get(name) or {}
        if not isinstance(given, dict):
            raise ThemeError(f"{source}: {name} must be a mapping")
        for key, value in given.items():
            if key not in merged:
                raise ThemeError(f"{source}: {name}.{key} is not known; known: {', '.join(merged)}")
            if name == "colours":
                if not isinstance(value, str) or not _COLOUR.fullmatch(value):
                    raise ThemeError(f"{source}: colours.{key} must be like \"#1f3a5f\"")
            elif not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 < value <= 200:
                raise ThemeError(f"{source}: {name}.{key} must be a number between 0 and 200")
        merged.update(given)
        values[name] = merged
    font = data.get("font", default.font)
    if font != default.font:
        raise ThemeError(f"{source}: font {font!r} is not available; framework-kit ships "
                         f"{default.font}")
    values["font"] = font
    leading = data.get("leading", default.leading)
    if not isinstance(leading, (int, float)) or not 1.0 <= leading <= 3.0:
        raise ThemeError(f"{source}: leading must be a number between 1.0 and 3.0")
    values["leading"] = float(leading)
    return Theme(**values)


def load_theme(templates_dir: str | os.PathLike | None = None) -> Theme:
    """The theme of ``templates_dir/theme.yaml`` if there is one, else the packaged default.

    Raises ``RenderError`` (R001, naming the file) when it cannot be read or used.
    """
    path = data_folder("templates") / THEME_FILE
    if templates_dir is not None:
        folder = Path(templates_dir)
        if not folder.is_dir():
            raise RenderError([_problem("the templates folder does not exist", folder,
                                        "give the folder written by 'kit templates export'")])
        if _inside(folder, THEME_FILE).is_file():
            path = folder / THEME_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = "it is not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else (
            getattr(exc, "strerror", None) or str(exc))
        raise RenderError([_problem(f"the theme cannot be read ({reason})", path,
                                    "check the file, or export a fresh copy")]) from None
    try:
        return _parsed(text, path.name)
    except ThemeError as exc:
        raise RenderError([_problem(str(exc), path, "compare with the theme.yaml that "
                                    "'kit templates export' writes")]) from None


@functools.lru_cache(maxsize=8)
def _parsed(text: str, source: str) -> Theme:
    """A batch reads the same theme file for every spec: parse each text once (themes are frozen)."""
    return parse_theme(text, source=source)


def _inside(folder: Path, name: str) -> Path:
    """The real path of ``folder/name``; R001 when a symbolic link leads out of the folder."""
    from ..output import OutsideFolder, confined_path

    try:
        return confined_path(folder, name)
    except OutsideFolder:
        raise RenderError([_problem(f"{name} is a symbolic link leading outside the templates folder; "
                                    "only files inside it are read", folder / name,
                                    f"put a real {name} in the folder")]) from None


def _problem(message: str, path, help: str):
    return error(THEME_PROBLEM, message, help=help).with_file(str(path))
