"""The theme: fonts, sizes, colours, margins and page size, read from theme.yaml.

The packaged ``templates/theme.yaml`` is the default; a user's templates folder
may hold its own copy. Unknown keys and bad values are reported, not ignored.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from pathlib import Path

from .codes import THEME_PROBLEM
from ..data import data_folder
from ..diagnostics import RenderError, Span, error

THEME_FILE = "theme.yaml"
PAGE_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
# A theme is a few hundred bytes; a large one is a mistake or an attack (a 5 MB theme once
# took 146 s). Beyond this it is refused unread; within it, the spec loader's bounds apply
# (nesting depth, values after aliases expand).
MAX_THEME_BYTES = 64 * 1024


class ThemeError(ValueError):
    """A theme file that cannot be used: every problem, each at its line and column."""

    def __init__(self, diagnostics: list) -> None:
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


@dataclass(frozen=True)
class Theme:
    page_size: str = "A4"
    margins_mm: dict = field(default_factory=lambda: {"top": 25, "bottom": 22, "left": 25, "right": 22})
    font: str = "IBM Plex Serif"
    # A house font's files, ((face, absolute path), ...) for regular, bold, italic and
    # bold_italic, once load_theme has found them in the templates folder; empty for the
    # shipped font. See :func:`framework_kit.render.fonts.font_files`.
    font_files: tuple = ()
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
    """Read a theme's text; every key is optional and falls back to the default."""
    return read_theme(text.encode("utf-8"))


def read_theme(data: bytes) -> Theme:
    """Read a theme file's bytes with the spec loader: positioned diagnostics, all in one run.

    Raises ``ThemeError`` carrying R001 diagnostics (without a file name: the caller knows it).
    """
    from ..diagnostics import Unreadable
    from ..spec.load import decode, load_text

    def refuse(diagnostics) -> ThemeError:  # the spec loader's words, said of the theme
        return ThemeError([d._replace(code=THEME_PROBLEM, message=d.message.replace("the spec ", "the theme ", 1))
                           for d in diagnostics])

    if len(data) > MAX_THEME_BYTES:
        raise refuse([error(THEME_PROBLEM, f"the theme is larger than {MAX_THEME_BYTES // 1024} kB, "
                            "the most a theme may be", help="a theme needs a few lines: "
                            "start again from the one 'kit templates export' writes")])
    try:
        loaded = load_text(decode(data))
    except Unreadable as exc:
        raise refuse([exc.diagnostic]) from None
    if loaded.root is None or loaded.root.is_null:
        return Theme()
    from ._theme_schema import convert

    values, problems = convert(loaded.root, loaded.lines, Theme(), PAGE_SIZES_MM)
    if loaded.diagnostics or problems:
        raise refuse(sorted(loaded.diagnostics + problems, key=lambda d: d.span))
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
        with path.open("rb") as handle:
            data = handle.read(MAX_THEME_BYTES + 1)  # one byte over is enough to refuse it
    except OSError as exc:
        raise RenderError([_problem(f"the theme cannot be read ({exc.strerror or exc})", path,
                                    "check the file, or export a fresh copy")]) from None
    try:
        theme = _parsed(data)
    except ThemeError as exc:
        raise RenderError([d.with_file(str(path)) for d in exc.diagnostics]) from None
    return _with_font_files(theme, Path(templates_dir) if templates_dir is not None else None, path)


@functools.lru_cache(maxsize=8)
def _parsed(data: bytes) -> Theme:
    """A batch reads the same theme file for every spec: parse each file once (themes are frozen)."""
    return read_theme(data)


def _inside(folder: Path, name: str) -> Path:
    """The real path of ``folder/name``; R001 when a symbolic link leads out of the folder."""
    from ..output import OutsideFolder, confined_path

    try:
        return confined_path(folder, name)
    except OutsideFolder:
        raise RenderError([_problem(f"{name} is a symbolic link leading outside the templates folder; "
                                    "only files inside it are read", folder / name,
                                    f"put a real {name} in the folder")]) from None


def _with_font_files(theme: Theme, folder: Path | None, path: Path) -> Theme:
    """The theme with its house font's files found in the templates folder, and embeddable.

    R001 at the line of an entry whose file leaves the folder (``..``, an absolute path, a
    symbolic link), does not exist or is not a font; R001 too when the PDF cannot embed it.
    """
    if not theme.font_files:
        return theme
    from dataclasses import replace

    from ..output import OutsideFolder, confined_path
    from .fonts import FontError, names_for

    resolved: dict[tuple, str] = {}
    problems = []
    for _face, given, line, column in theme.font_files:
        where = Span(line, column)
        if (given, where) in resolved:  # a face left out shares another's entry: say it once
            continue
        resolved[given, where] = ""
        try:
            real = confined_path(folder if folder is not None else path.parent, given)
        except OutsideFolder:
            problems.append(_font_problem(f"font: '{given}' is outside the templates folder (links "
                                          "that lead out of it are refused too)", where, path))
            continue
        if real.suffix.lower() not in FONT_SUFFIXES:
            problems.append(_font_problem(f"font: '{given}' is not a .ttf or .otf font file", where, path))
        elif not real.is_file():
            problems.append(_font_problem(f"font: '{given}' does not exist in the templates folder",
                                          where, path))
        resolved[given, where] = str(real)
    found = tuple((face, resolved[given, Span(line, column)])
                  for face, given, line, column in theme.font_files)
    if problems:
        raise RenderError(problems)
    theme = replace(theme, font_files=found)
    try:
        names_for(theme)  # a house font the PDF cannot embed is the theme's fault
    except FontError as exc:
        raise RenderError([_problem(str(exc), path, "use the family's static TrueType (.ttf) "
                                    "files")]) from None
    return theme


FONT_SUFFIXES = (".ttf", ".otf")


def _font_problem(message: str, where: Span, path: Path):
    return error(THEME_PROBLEM, message, where, "put the font's .ttf files in the templates folder "
                 "and name them relative to it, e.g. fonts/House-Regular.ttf").with_file(str(path))


def _problem(message: str, path, help: str):
    return error(THEME_PROBLEM, message, help=help).with_file(str(path))
