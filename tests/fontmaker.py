"""Tiny TrueType fonts made on the fly with fontTools, for house-font and glyph-coverage tests.

Each character is a filled box of its own width: enough for reportlab to embed
the font and for pdftotext to read the text back.
"""

from __future__ import annotations

from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
# What the default templates and writers print besides the spec's text.
FURNITURE = "—–…·•×²³¹’“”‘"


def make_font(path: Path, characters: str, family: str = "Test House", style: str = "Regular",
              cff: bool = False) -> Path:
    """Write a font that has exactly ``characters`` (plus ASCII and the furniture) to ``path``."""
    chars = sorted(set(characters + ASCII + FURNITURE))
    names = [".notdef"] + [f"u{ord(c):04X}" for c in chars]
    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(c): f"u{ord(c):04X}" for c in chars})
    if cff:
        from fontTools.pens.t2CharStringPen import T2CharStringPen

        strings = {}
        for name in names:
            pen = T2CharStringPen(500, None)
            _box(pen, name)
            strings[name] = pen.getCharString()
        builder.setupCFF(f"{family}-{style}".replace(" ", ""), {"FullName": f"{family} {style}"},
                         strings, {})
    else:
        glyphs = {}
        for name in names:
            pen = TTGlyphPen(None)
            _box(pen, name)
            glyphs[name] = pen.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({name: (500, 50) for name in names})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": style,
                            "psName": f"{family}-{style}".replace(" ", "")})
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    builder.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    builder.save(str(path))
    return path


def _box(pen, name: str) -> None:
    if name == "u0020":
        return
    pen.moveTo((50, 0))
    pen.lineTo((50, 600))
    pen.lineTo((450, 600))
    pen.lineTo((450, 0))
    pen.closePath()
