"""The document font: IBM Plex Serif, shipped by the ``fontpkg-ibm-plex-serif`` package.

The four static TTFs are registered with reportlab once per process, as one
family, so that ``<b>`` and ``<i>`` in paragraph markup pick the right face.
reportlab embeds a subset of each TTF it uses, so the PDF carries its own
glyphs (the Cyrillic ones included) and never falls back to Helvetica. The
DOCX writer reads :func:`font_files` to know where the same files are.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

FAMILY = "IBM Plex Serif"

_FACES = {
    "regular": "IBMPlexSerif-Regular.ttf",
    "bold": "IBMPlexSerif-Bold.ttf",
    "italic": "IBMPlexSerif-Italic.ttf",
    "bold_italic": "IBMPlexSerif-BoldItalic.ttf",
}


class FontError(RuntimeError):
    """The document font cannot be found or read; the message says how to fix it."""


@dataclass(frozen=True)
class FontNames:
    """The names reportlab knows the four faces by."""

    regular: str = "IBMPlexSerif"
    bold: str = "IBMPlexSerif-Bold"
    italic: str = "IBMPlexSerif-Italic"
    bold_italic: str = "IBMPlexSerif-BoldItalic"

    def face(self, bold: bool = False, italic: bool = False) -> str:
        """The name of the face with the given weight and slant."""
        if bold and italic:
            return self.bold_italic
        if bold:
            return self.bold
        return self.italic if italic else self.regular


NAMES = FontNames()
_lock = threading.Lock()
_registered = False


def font_files() -> dict[str, Path]:
    """The four TTF files by face (regular, bold, italic, bold_italic).

    Raises :class:`FontError` when the font package is missing or incomplete.
    """
    try:
        import fontpkg_ibm_plex_serif as package
    except ImportError:
        raise FontError(
            "the document font IBM Plex Serif is not installed; install framework-kit again "
            "(it brings the package fontpkg-ibm-plex-serif)") from None
    folder = Path(package.__file__).resolve().parent / "files"
    files = {face: folder / name for face, name in _FACES.items()}
    missing = [path.name for path in files.values() if not path.is_file()]
    if missing:
        raise FontError(f"the document font is incomplete: {', '.join(missing)} missing in {folder}; "
                        "reinstall the package fontpkg-ibm-plex-serif")
    return files


def register_fonts() -> FontNames:
    """Register IBM Plex Serif with reportlab (once per process) and return the face names."""
    global _registered
    if _registered:
        return NAMES
    with _lock:
        if _registered:
            return NAMES
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        files = font_files()
        try:
            for face, path in files.items():
                pdfmetrics.registerFont(TTFont(getattr(NAMES, face), str(path)))
        except (TTFError, OSError) as exc:
            raise FontError(f"the document font cannot be read ({exc}); "
                            "reinstall the package fontpkg-ibm-plex-serif") from None
        pdfmetrics.registerFontFamily(NAMES.regular, normal=NAMES.regular, bold=NAMES.bold,
                                      italic=NAMES.italic, boldItalic=NAMES.bold_italic)
        # The mapping under the family's display name too, so a theme's
        # "IBM Plex Serif" resolves to the same faces.
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(FAMILY, bold, italic, NAMES.face(bool(bold), bool(italic)))
        _registered = True
    return NAMES


def names_for(family: str) -> FontNames:
    """The registered faces of a theme's font family; only IBM Plex Serif is shipped."""
    if family != FAMILY:
        raise FontError(f"the font {family!r} is not available; framework-kit ships {FAMILY}")
    return register_fonts()
