"""A house font: theme.yaml names TTF files in the templates folder (#15).

Before, ``font:`` accepted only "IBM Plex Serif", although templates/README said
theme.yaml sets fonts.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from conftest import write_spec

from framework_kit import api
from framework_kit.diagnostics import RenderError
from framework_kit.render.fonts import font_files
from framework_kit.render.theme import load_theme

from fontmaker import make_font
from hostile import STARTER, pdf_text

GEORGIAN = "საქართველო"
FACES = {"regular": "Regular", "bold": "Bold", "italic": "Italic", "bold_italic": "BoldItalic"}


def _house(folder, characters=GEORGIAN, faces=FACES, extra="") -> None:
    """A templates folder whose theme names four faces of "Test House" under fonts/."""
    lines = ["font:", "  name: Test House"]
    for face, style in faces.items():
        make_font(folder / "fonts" / f"TestHouse-{style}.ttf", characters, style=style)
        lines.append(f"  {face}: fonts/TestHouse-{style}.ttf")
    (folder / "theme.yaml").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")


def _render(tmp_path, templates, text=None, **options):
    spec = write_spec(tmp_path, text or STARTER.replace("name: State A", f"name: {GEORGIAN}"))
    return api.render_file(spec, tmp_path / "out", templates_dir=templates, **options)


def test_a_house_font_is_embedded_and_prints_what_ibm_plex_serif_cannot(tmp_path):
    templates = tmp_path / "t"
    _house(templates)
    result = _render(tmp_path, templates, only=("brief",))
    assert result.ok, result.diagnostics
    pdf = next(path for path, _ in result.written if path.suffix == ".pdf")
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "TestHouse-Regular" in fonts and "TestHouse-Bold" in fonts and "IBMPlex" not in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:])  # every font embedded
    assert GEORGIAN in pdf_text(pdf)
    docx = next(path for path, _ in result.written if path.suffix == ".docx")
    assert b"Test House" in _docx_part(docx, "word/styles.xml")
    table = _docx_part(docx, "word/fontTable.xml").decode()
    assert 'w:name="Test House"' in table and "embedBoldItalic" in table
    import zipfile

    with zipfile.ZipFile(docx) as archive:
        embedded = [name for name in archive.namelist() if name.startswith("word/fonts/")]
    assert len(embedded) == 4  # the house font's four faces, not IBM Plex Serif's
    sizes = {len(_docx_part(docx, name)) for name in embedded}
    assert sizes == {(templates / "fonts" / f"TestHouse-{s}.ttf").stat().st_size for s in FACES.values()}


def _docx_part(path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def test_font_files_returns_the_house_font_in_use(tmp_path):
    _house(tmp_path)
    theme = load_theme(tmp_path)
    files = font_files(theme)
    assert set(files) == set(FACES)
    assert files["bold"] == (tmp_path / "fonts" / "TestHouse-Bold.ttf").resolve()
    assert font_files(load_theme(None))["regular"].name == "IBMPlexSerif-Regular.ttf"


def test_a_missing_face_takes_the_nearest_one(tmp_path):
    _house(tmp_path, faces={"regular": "Regular", "bold": "Bold"})
    files = font_files(load_theme(tmp_path))
    assert files["italic"].name == "TestHouse-Regular.ttf"
    assert files["bold_italic"].name == "TestHouse-Bold.ttf"


def test_a_character_the_house_font_lacks_is_r004_naming_it(tmp_path):
    templates = tmp_path / "t"
    _house(templates)
    text = STARTER.replace("name: State A", "name: Україна")
    result = _render(tmp_path, templates, text=text)
    [error] = result.errors
    assert error.code == "R004" and "Test House cannot draw 'У' (U+0423" in error.message
    before = text[:text.index("Україна")]
    assert error.span == (before.count("\n") + 1, len(before) - before.rfind("\n"))
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("path, message", [
    ("../outside.ttf", "outside the templates folder"),
    ("/etc/passwd", "outside the templates folder"),
    ("link.ttf", "outside the templates folder"),
    ("fonts/missing.ttf", "does not exist"),
    ("theme.yaml", "not a .ttf or .otf"),
])
def test_font_files_must_be_font_files_inside_the_folder(tmp_path, path, message):
    templates = tmp_path / "t"
    templates.mkdir()
    make_font(tmp_path / "outside.ttf", "")
    os.symlink(tmp_path / "outside.ttf", templates / "link.ttf")
    (templates / "theme.yaml").write_text(f"font:\n  name: X\n  regular: {path}\n", encoding="utf-8")
    result = _render(tmp_path, templates)
    [error] = result.errors
    assert error.code == "R001" and message in error.message and error.span.line == 3
    assert error.file == str(templates / "theme.yaml")


def test_a_postscript_flavoured_otf_is_refused_with_the_reason(tmp_path):
    templates = tmp_path / "t"
    make_font(templates / "House.otf", GEORGIAN, cff=True)
    (templates / "theme.yaml").write_text("font:\n  name: X\n  regular: House.otf\n", encoding="utf-8")
    [error] = _render(tmp_path, templates).errors
    assert error.code == "R001" and "PostScript (CFF) outlines" in error.message and ".ttf" in error.message


@pytest.mark.parametrize("theme, message, line", [
    ("font: Arial\n", "put your font's .ttf files in the templates folder", 1),
    ("font:\n  regular: a.ttf\n", "needs its 'name'", 2),
    ("font:\n  name: X\n", "needs its 'regular' face's file", 2),
    ("font:\n  name: X\n  regular: a.ttf\n  heavy: b.ttf\n", "heavy", 4),
])
def test_a_bad_font_entry_says_what_to_write(tmp_path, theme, message, line):
    (tmp_path / "theme.yaml").write_text(theme, encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        load_theme(tmp_path)
    [error] = caught.value.diagnostics
    assert error.code == "R001" and message in error.message + error.help
    assert error.span.line == line and error.file == str(tmp_path / "theme.yaml")


def test_a_corrupt_font_file_is_r001_not_a_traceback(tmp_path):
    (tmp_path / "bad.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 200)
    (tmp_path / "theme.yaml").write_text("font:\n  name: X\n  regular: bad.ttf\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        load_theme(tmp_path)
    [error] = caught.value.diagnostics
    assert error.code == "R001" and "bad.ttf cannot be embedded" in error.message


def test_the_readme_example_loads(tmp_path):
    from conftest import ROOT

    readme = (ROOT / "templates" / "README.md").read_text(encoding="utf-8")
    section = readme.split("## A house font", 1)[1]
    block = section.split("\n\n")[2]
    theme = "\n".join(line[4:] for line in block.splitlines())
    assert theme.startswith("font:")
    for line in theme.splitlines()[2:]:
        make_font(tmp_path / line.split(":", 1)[1].strip(), GEORGIAN)
    (tmp_path / "theme.yaml").write_text(theme + "\n", encoding="utf-8")
    loaded = load_theme(tmp_path)
    assert loaded.font == "Noto Serif Georgian"
    assert font_files(loaded)["bold"] == (tmp_path / "fonts" / "NotoSerifGeorgian-Bold.ttf").resolve()


def test_a_font_whose_licence_forbids_embedding_is_refused(tmp_path):
    from fontTools.ttLib import TTFont

    path = make_font(tmp_path / "Restricted.ttf", GEORGIAN)
    font = TTFont(str(path))
    font["OS/2"].fsType = 0x0002
    font.save(str(path))
    (tmp_path / "theme.yaml").write_text("font:\n  name: X\n  regular: Restricted.ttf\n", encoding="utf-8")
    with pytest.raises(RenderError) as caught:
        load_theme(tmp_path)
    [error] = caught.value.diagnostics
    assert error.code == "R001" and "may not be embedded" in error.message


def test_two_house_fonts_of_one_name_each_print_their_own_letters(tmp_path):
    # reportlab files a face under its PostScript name: the second "TestHouse-Regular" of a
    # process (another templates folder) was given the first one's glyphs, and its letters
    # printed as the first font's boxes with no text behind them.
    armenian = "Հայաստան"
    for folder, letters in (("georgian", GEORGIAN), ("armenian", armenian)):
        templates = tmp_path / folder
        _house(templates, characters=letters)
        spec = write_spec(tmp_path / folder, STARTER.replace("name: State A", f"name: {letters}"))
        result = api.render_file(spec, tmp_path / folder / "out", templates_dir=templates, only=("brief",))
        assert result.ok, result.diagnostics
        pdf = next(path for path, _ in result.written if path.suffix == ".pdf")
        assert letters in pdf_text(pdf)
