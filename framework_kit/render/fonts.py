"""The document font: IBM Plex Serif, shipped by the ``fontpkg-ibm-plex-serif`` package,
or a house font whose files a templates folder brings (theme.yaml ``font:``).

The four static TTFs are registered with reportlab once per process, as one
family, so that ``<b>`` and ``<i>`` in paragraph markup pick the right face.
reportlab embeds a subset of each TTF it uses, so the PDF carries its own
glyphs (the Cyrillic ones included) and never falls back to Helvetica. The
DOCX writer reads :func:`font_files` to know where the same files are.
The architecture figure is laid out with IBM Plex Serif's widths and drawn in the
theme's font.

Arabic letters, which IBM Plex Serif lacks, are set in Amiri (``fontpkg-amiri``, OFL),
registered only when a document holds them.
"""

from __future__ import annotations

import functools
import hashlib
import io
import struct
import threading
from dataclasses import dataclass
from pathlib import Path

from ..lazy_patterns import before_reportlab

before_reportlab()  # reportlab's font module imports what right-to-left text and bitmaps need

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
ARABIC_FAMILY = "Amiri"
ARABIC_NAMES = FontNames("Amiri", "Amiri-Bold", "Amiri-Italic", "Amiri-BoldItalic")
_ARABIC_FACES = {face: f"{getattr(ARABIC_NAMES, face)}.ttf".replace("Amiri.ttf", "Amiri-Regular.ttf")
                 for face in _FACES}
_lock = threading.Lock()
_registered = False
_house_files: dict[str, Path] = {}  # registered name -> file, for the figures' rasteriser


def font_files(theme=None) -> dict[str, Path]:
    """The four font files in use by face (regular, bold, italic, bold_italic).

    Those of the theme's house font when it names one, else IBM Plex Serif's.
    Raises :class:`FontError` when the font package is missing or incomplete.
    """
    if theme is not None and theme.font_files:
        return {face: Path(path) for face, path in theme.font_files}
    return _package_files("fontpkg_ibm_plex_serif", _FACES, FAMILY)


def arabic_font_files() -> dict[str, Path]:
    """Amiri's four files by face: the font of Arabic letters, whatever the document font."""
    return _package_files("fontpkg_amiri", _ARABIC_FACES, ARABIC_FAMILY)


def _package_files(module: str, faces: dict[str, str], family: str) -> dict[str, Path]:
    import importlib

    distribution = module.replace("_", "-")
    try:
        package = importlib.import_module(module)
    except ImportError:
        raise FontError(
            f"the font {family} is not installed; install framework-kit again "
            f"(it brings the package {distribution})") from None
    folder = Path(package.__file__).resolve().parent / "files"
    files = {face: folder / name for face, name in faces.items()}
    missing = [path.name for path in files.values() if not path.is_file()]
    if missing:
        raise FontError(f"the font {family} is incomplete: {', '.join(missing)} missing in {folder}; "
                        f"reinstall the package {distribution}")
    return files


def _restricted(data: bytes) -> bool:
    """Whether the font's maker forbids embedding it (OS/2 fsType: restricted licence)."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        with TTFont(io.BytesIO(data), lazy=True) as font:
            return "OS/2" in font and font["OS/2"].fsType & 0x000F == 0x0002
    except (TTLibError, OSError, ValueError, KeyError, IndexError, struct.error):
        return False  # reportlab says what is wrong with the file


def house_font_files() -> dict[str, Path]:
    """The files of the house fonts registered in this process, by their registered names."""
    return dict(_house_files)


def _why_not(exc: Exception) -> str:
    message = str(exc)
    if "postscript outlines" in message.lower():
        return ("it has PostScript (CFF) outlines, which cannot be embedded in the PDF; "
                "use the family's TrueType .ttf files")
    return message.replace('TTF file "(ttf)": ', "") or type(exc).__name__


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


_arabic_registered = False


def register_arabic() -> FontNames:
    """Register Amiri with reportlab (once per process) and return its face names."""
    global _arabic_registered
    if _arabic_registered:
        return ARABIC_NAMES
    with _lock:
        if not _arabic_registered:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.ttfonts import TTFError, TTFont

            try:
                for face, path in arabic_font_files().items():
                    pdfmetrics.registerFont(TTFont(getattr(ARABIC_NAMES, face), str(path)))
            except (TTFError, OSError) as exc:
                raise FontError(f"the Arabic font cannot be read ({exc}); "
                                "reinstall the package fontpkg-amiri") from None
            pdfmetrics.registerFontFamily(ARABIC_NAMES.regular, normal=ARABIC_NAMES.regular,
                                          bold=ARABIC_NAMES.bold, italic=ARABIC_NAMES.italic,
                                          boldItalic=ARABIC_NAMES.bold_italic)
            _arabic_registered = True
    return ARABIC_NAMES


def names_for(theme) -> FontNames:
    """The registered faces of the theme's font: its house font's files, else IBM Plex Serif."""
    if not theme.font_files:
        return register_fonts()
    stamped = []
    for face, path in theme.font_files:
        try:
            stat = Path(path).stat()
        except OSError as exc:
            raise FontError(f"the font file {path} cannot be read ({exc.strerror or exc})") from None
        stamped.append((face, path, stat.st_size, stat.st_mtime_ns))
    return _register_house_font(tuple(stamped))


@functools.lru_cache(maxsize=16)
def _register_house_font(files: tuple) -> FontNames:
    """Register a house font's faces under names made from their bytes.

    Names from the content, not the family name, so that two templates folders
    with different files under one family name never share a face in a batch.
    """
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    by_face = {face: path for face, path, *_ in files}
    names = {}
    with _lock:
        for face in ("regular", "bold", "italic", "bold_italic"):
            path = by_face[face]
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                raise FontError(f"the font file {path} cannot be read ({exc.strerror or exc})") from None
            name = "house-" + hashlib.sha256(data).hexdigest()[:16]
            names[face] = name
            _house_files[name] = Path(path)
            if name in pdfmetrics.getRegisteredFontNames():
                continue
            if _restricted(data):
                raise FontError(f"the font file {Path(path).name} may not be embedded: its licence "
                                "flags (OS/2 fsType) say 'restricted licence embedding'")
            try:
                font = TTFont(name, io.BytesIO(data))
                # reportlab registers a new name of an already known face name (the font's
                # PostScript name, "TestHouse-Regular") as the face it knows: another file
                # of the same name, from another templates folder, would lend its glyphs.
                pdfmetrics._dynFaceNames.pop(font.face.name, None)
                pdfmetrics.registerFont(font)
            except (TTFError, OSError, ValueError, KeyError, IndexError, struct.error) as exc:
                raise FontError(f"the font file {Path(path).name} cannot be embedded "
                                f"({_why_not(exc)})") from None
        result = FontNames(**names)
        pdfmetrics.registerFontFamily(result.regular, normal=result.regular, bold=result.bold,
                                      italic=result.italic, boldItalic=result.bold_italic)
    return result
