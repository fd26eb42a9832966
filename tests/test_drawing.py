"""Figures as vector drawings (for the PDF) and PNG pictures (for the DOCX)."""

from __future__ import annotations

import io

import pytest
from doc_samples import process_figure
from PIL import Image
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Group, Polygon, PolyLine, Rect, String

from framework_kit.render import doctree as d
from framework_kit.render.drawing import Scene, to_drawing, wrap_words
from framework_kit.render.fonts import NAMES, FontError, font_files, names_for, register_fonts
from framework_kit.render.raster import RasterError, scene_to_png
from framework_kit.render.raster import figure_png as to_png
from framework_kit.render.theme import Theme


def shapes(drawing) -> list:
    out = []

    def walk(node):
        for child in node.contents:
            if isinstance(child, Group):
                walk(child)
            else:
                out.append(child)

    walk(drawing)
    return out


def figure_of(*shape_list, width=200.0, height=100.0) -> d.Figure:
    return d.Figure(width=width, height=height, shapes=list(shape_list))


def test_fonts_are_the_shipped_ibm_plex_serif_files():
    files = font_files()
    assert sorted(files) == ["bold", "bold_italic", "italic", "regular"]
    assert all(path.is_file() and path.name.startswith("IBMPlexSerif-") for path in files.values())
    assert register_fonts() is register_fonts()  # registered once, same names
    assert names_for(Theme()) is register_fonts()  # a theme without a house font
    missing = Theme(font="House", font_files=tuple((face, "/nonexistent.ttf") for face in files))
    with pytest.raises(FontError, match="cannot be read"):
        names_for(missing)


def test_box_text_is_centred_with_a_bold_title_and_y_flipped():
    box = d.Box(20, 10, 120, 50, ["Україна", "ґ є і ї"])
    drawing = to_drawing(figure_of(box), Theme())
    rect = next(s for s in shapes(drawing) if isinstance(s, Rect))
    assert (rect.x, rect.y, rect.width, rect.height) == (20, 100 - 60, 120, 50)
    strings = [s for s in shapes(drawing) if isinstance(s, String)]
    assert [s.text for s in strings] == ["Україна", "ґ є і ї"]
    assert strings[0].fontName == NAMES.bold and strings[1].fontName == NAMES.regular
    assert all(s.textAnchor == "middle" and s.x == 80 for s in strings)
    assert rect.y < strings[1].y < strings[0].y < rect.y + rect.height


def test_long_box_lines_wrap_inside_the_box():
    box = d.Box(0, 0, 80, 90, ["A title that is much too long for this box", "x" * 60], title=False)
    strings = [s for s in shapes(to_drawing(figure_of(box), Theme())) if isinstance(s, String)]
    assert len(strings) > 2
    assert "".join(s.text for s in strings).replace(" ", "") == ("Atitlethatismuchtoolongforthisbox" + "x" * 60)
    assert wrap_words("", NAMES.regular, 8, 50) == [""]


def test_connector_with_arrow_dash_and_label():
    connector = d.Connector([(10, 10), (10, 50), (150, 50)], dashed=True, arrow=True, label="reports")
    items = shapes(to_drawing(figure_of(connector), Theme()))
    line = next(s for s in items if isinstance(s, PolyLine) and not isinstance(s, Polygon))
    assert line.strokeDashArray == [3, 2]
    head = next(s for s in items if isinstance(s, Polygon))
    assert (head.points[0], head.points[1]) == (150, 50)  # the tip is the last point, flipped: 100 - 50
    assert any(isinstance(s, String) and s.text == "reports" for s in items)


def test_labels_align_and_scale():
    labels = [d.Label(100, 10, "left"), d.Label(100, 30, "centre", align="center"),
              d.Label(100, 50, "right", align="right", bold=True)]
    drawing = to_drawing(figure_of(*labels), Theme(), scale=0.5)
    assert (drawing.width, drawing.height) == (100, 50)
    anchors = {s.text: s.textAnchor for s in shapes(drawing) if isinstance(s, String)}
    assert anchors == {"left": "start", "centre": "middle", "right": "end"}


def test_vector_drawing_renders_to_pdf_with_our_fonts_only():
    out = io.BytesIO()
    renderPDF.drawToFile(to_drawing(process_figure(), Theme()), out)
    data = out.getvalue()
    assert b"IBMPlexSerif" in data and b"Helvetica" not in data


def test_png_is_deterministic_and_sized_by_dpi():
    figure = process_figure()
    first = to_png(figure, Theme(), dpi=100)
    assert first == to_png(figure, Theme(), dpi=100)
    image = Image.open(io.BytesIO(first))
    assert image.format == "PNG"
    assert image.size == (round(440 * 100 / 72), round(200 * 100 / 72))


def test_png_draws_cyrillic_glyphs_not_missing_glyph_boxes():
    def picture(text):
        return Image.open(io.BytesIO(to_png(figure_of(d.Box(10, 10, 180, 80, [text], title=False)), Theme())))

    cyrillic = picture("ґєії")
    missing = picture("\ue000\ue001\ue002\ue003")  # not in the font: four .notdef boxes
    latin = picture("gell")
    assert cyrillic.tobytes() != missing.tobytes()
    assert cyrillic.tobytes() != latin.tobytes()
    # Ink is drawn: the box's middle holds dark pixels from the glyphs.
    middle = cyrillic.convert("L").crop((60, 60, 500, 220))
    assert middle.getextrema()[0] < 100


def test_png_painter_refuses_shapes_it_cannot_draw():
    from reportlab.graphics.shapes import Circle

    with pytest.raises(RasterError):
        scene_to_png(Scene(50, 50, (Circle(25, 25, 10),), NAMES.regular))


@pytest.mark.parametrize("dpi", [200, 96])
def test_painting_in_bands_gives_the_picture_painted_whole(monkeypatch, dpi):
    from framework_kit.render import raster
    from framework_kit.render.drawing import to_scene

    figure = process_figure()
    bands = raster._bands(to_scene(figure, Theme()), dpi / 72 * raster._SUPERSAMPLE,
                          round(figure.height * dpi / 72))
    assert len(bands) > 1  # the test paints in bands indeed
    banded = to_png(figure, Theme(), dpi=dpi)
    monkeypatch.setattr(raster, "_BAND", 10**6)
    assert to_png(figure, Theme(), dpi=dpi) == banded


def test_the_png_is_read_back_with_its_pixels_and_resolution():
    from framework_kit.render.raster import _png

    painted = Image.new("RGB", (3, 2), "#1f3a5f")
    painted.putpixel((1, 1), (255, 0, 7))
    read = Image.open(io.BytesIO(_png(painted, 150)))
    read.load()
    assert read.format == "PNG" and read.mode == "RGB" and read.size == (3, 2)
    assert read.tobytes() == painted.tobytes()
    assert [round(value) for value in read.info["dpi"]] == [150, 150]
