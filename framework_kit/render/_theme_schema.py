"""The keys of theme.yaml as spec-format types: the same checks and messages as a spec's.

Built from the defaults of :class:`~framework_kit.render.theme.Theme`, so a key added there
is checked here without anyone listing it twice.
"""

from __future__ import annotations

import re
from functools import cache

from ..diagnostics import Diagnostic, error
from ..spec.load import Node
from ..spec.model import Record
from ..spec.records import Obj, spec_field
from ..spec.types import INVALID, Context, Enum, FieldType, Number, Str

_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
_COLOUR_HELP = 'write a colour as "#rrggbb" in quotes, e.g. "#1f3a5f"'


def _record(name: str, keys, type_) -> type:
    return type(name, (Record,), {key: spec_field(type_) for key in keys})


@cache
def _schema(page_sizes: tuple, margins: tuple, sizes: tuple, colours: tuple) -> Obj:
    fields = {
        "page_size": spec_field(Enum(*page_sizes)),
        "margins_mm": spec_field(Obj(_record("Margins", margins, Number(0, 200, 25, True)))),
        "font": spec_field(_Font()),
        "sizes": spec_field(Obj(_record("Sizes", sizes, Number(0, 200, 10.5, True)))),
        "leading": spec_field(Number(1, 3, 1.35)),
        "colours": spec_field(Obj(_record("Colours", colours,
                                          Str(pattern=_COLOUR, pattern_help=_COLOUR_HELP)))),
    }
    return Obj(type("ThemeFile", (Record,), fields))


def convert(root: Node, lines: list[str], default, page_sizes) -> tuple[dict, list[Diagnostic]]:
    """The theme's values merged into ``default``'s, and every problem found."""
    ctx = Context(root="the theme")
    if root.kind != "map":
        ctx.report("S004", "a theme is 'key: value' lines (page_size, margins_mm, …)", root.span,
                   "start again from the theme.yaml that 'kit templates export' writes")
        return {}, ctx.diagnostics
    schema = _schema(tuple(page_sizes), tuple(default.margins_mm), tuple(default.sizes),
                     tuple(default.colours))
    record = schema.convert(root, ctx, ())
    problems = ctx.diagnostics + _commented_colours(root, lines)
    if record is INVALID:
        return {}, problems
    values: dict = {}
    font = record.font
    for name in ("page_size", "leading"):
        given = getattr(record, name)
        values[name] = getattr(default, name) if given is None else given
    for name in ("margins_mm", "sizes", "colours"):
        given = getattr(record, name)
        merged = dict(getattr(default, name))
        if given is not None:
            merged.update({k: v for k in given.spec_fields if (v := getattr(given, k)) is not None})
        values[name] = merged
    values["leading"] = float(values["leading"])
    values["font"], values["font_files"] = default.font, ()
    if isinstance(font, Record):
        values["font"], values["font_files"] = _house_font(font, problems)
    elif font is not None and font != default.font:
        problems.append(error("S004", f"the font '{font}' is not available; framework-kit ships "
                              f"{default.font}", record.at("font"),
                              f"write 'font: {default.font}', or put your font's .ttf files in the "
                              "templates folder and name them under 'font:' (see 'A house font' in "
                              "templates/README.md)"))
    return values, problems


FONT_FACES = ("regular", "bold", "italic", "bold_italic")


class _Font(FieldType):
    """``font:`` names the shipped family, or a house font by its files (a mapping)."""

    label = "a font's name, or its name and files"

    def __init__(self) -> None:
        self.files = Obj(_record("Font", ("name",) + FONT_FACES, Str()))

    def convert(self, node, ctx, where):
        if node.kind == "map":
            return self.files.convert(node, ctx, where)
        return Str().convert(node, ctx, where)

    def schema(self):
        return {"anyOf": [Str().schema(), self.files.schema()]}


def _house_font(font, problems: list) -> tuple[str, tuple]:
    """The family name and ((face, path, line, column), ...): paths as written, found later
    in the templates folder. A face left out takes the nearest one given."""
    if font.name is None:
        problems.append(error("S003", "the house font needs its 'name', the family's name as Word "
                              "knows it", font.span, "add e.g. 'name: Source Serif 4' under 'font:'"))
    if font.regular is None:
        problems.append(error("S003", "the house font needs its 'regular' face's file", font.span,
                              "add e.g. 'regular: fonts/House-Regular.ttf' under 'font:'"))
        return font.name or "", ()
    given = {face: (getattr(font, face), *font.at(face)) for face in FONT_FACES
             if getattr(font, face) is not None}
    given.setdefault("bold", given["regular"])
    given.setdefault("italic", given["regular"])
    given.setdefault("bold_italic", given["bold"])
    return font.name or "", tuple((face, *given[face]) for face in FONT_FACES)


def _commented_colours(root: Node, lines: list[str]) -> list[Diagnostic]:
    """An unquoted ``ink: #1a1a1a`` is an empty value and a comment: say so, not nothing."""
    colours = root.get("colours")
    if colours is None or colours.kind != "map":
        return []
    return [error("S004", f"the colour '{key.text}' is empty: in YAML a # starts a comment",
                  value.span, _COLOUR_HELP)
            for key, value in colours.value
            if value is not None and value.is_null and "#" in lines[value.span.line - 1]]
