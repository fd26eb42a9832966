"""Every DOCX of every example, opened by LibreOffice on a machine without IBM Plex
Serif: the text is set in the fonts the DOCX carries, page for page like our PDF, with
the clause numbers Word's numbering produces.

fontconfig is pointed at DejaVu alone, so the only IBM Plex Serif LibreOffice can find
is the one embedded in the file (before the fonts were embedded it chose DejaVu Sans).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
from pathlib import Path

import pypdf
import pytest

from conftest import EXAMPLES, ROOT, require
from framework_kit.api import render_bytes
from test_docx_package import NOTE_LINK, _with_linked_note

pytestmark = pytest.mark.slow

_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


DESIGNS = ROOT / "tests" / "designs"


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> list[tuple[str, bytes, Path]]:
    """(file stem, our PDF, LibreOffice's PDF of our DOCX) for every example document."""
    require("soffice", "pdffonts")
    folder = tmp_path_factory.mktemp("lo")
    (folder / "fonts.conf").write_text(_FONTS_CONF.format(cache=folder / "cache"))
    ours, sources = {}, []
    specs = [(spec.name, spec.read_bytes(), "", ()) for spec in sorted(EXAMPLES.glob("*.yaml"))]
    specs.append(("linked-note.yaml", _with_linked_note(), "linked-note_", ("term-sheet-table-a",)))
    # The largest designs the brief promises two pages for: its DOCX too, and the term sheet
    # whose initialling table ends at the foot of a page.
    for design in ("large-15-participants.yaml", "limit-20-participants.yaml"):
        specs.append((design, (DESIGNS / design).read_bytes(), "", ("brief", "term-sheet-table-b")))
    for name, data, prefix, only in specs:
        for rendered in render_bytes(data, name).files:
            if only and not any(f"_{key}." in rendered.filename for key in only):
                continue
            rendered = rendered._replace(filename=prefix + rendered.filename)
            stem = rendered.filename.rsplit(".", 1)[0]
            if rendered.format == "pdf":
                ours[stem] = rendered.data
            else:
                (folder / rendered.filename).write_bytes(rendered.data)
                sources.append(folder / rendered.filename)
    assert len(sources) >= 12
    env = {**os.environ, "FONTCONFIG_FILE": str(folder / "fonts.conf")}
    completed = subprocess.run(
        ["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, sources)],
        capture_output=True, text=True, timeout=600, check=False, env=env)
    results = []
    for source in sources:
        pdf = folder / "pdf" / (source.stem + ".pdf")
        assert pdf.exists(), completed.stdout + completed.stderr
        results.append((source.stem, ours[source.stem], pdf))
    return results


def _fonts(pdf: Path) -> set[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    return {line.split()[0].split("+")[-1] for line in listing if line.strip()}


def test_libreoffice_sets_every_docx_in_the_embedded_font(converted):
    for stem, _, pdf in converted:
        fonts = _fonts(pdf)
        # An Arabic version's Arabic runs are in Amiri, embedded too (w:cs); nothing else.
        embedded = ("IBMPlexSerif", "Amiri") if stem.endswith("_ar") else ("IBMPlexSerif",)
        assert fonts and all(name.startswith(embedded) for name in fonts), (stem, fonts)
        if stem.endswith("_ar"):  # its bold words may all be Arabic
            assert "Amiri-Regular" in fonts and "IBMPlexSerif-Regular" in fonts, (stem, fonts)
        else:
            assert "IBMPlexSerif-Regular" in fonts and "IBMPlexSerif-Bold" in fonts, (stem, fonts)


def test_libreoffice_lays_out_as_many_pages_as_our_pdf(converted):
    counts = {stem: (len(pypdf.PdfReader(io.BytesIO(ours)).pages), len(pypdf.PdfReader(str(pdf)).pages))
              for stem, ours, pdf in converted}
    assert {stem: c for stem, c in counts.items() if c[0] != c[1]} == {}


def _clause_numbers(text: str, rtl: bool = False) -> list[str]:
    if rtl:  # an Arabic version: the number ends its line, at the right
        return re.findall(r"(?m)\s(\d+\.\d+)\s*$", re.sub("[\u202a-\u202e]", "", text))
    return re.findall(r"(?m)^\s*(\d+\.\d+)\s", text)


def test_clause_numbers_read_the_same_in_libreoffice_and_our_pdf(converted):
    for stem, ours, pdf in converted:
        if "term-sheet" not in stem and "annex" not in stem:
            continue
        theirs = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout
        mine = subprocess.run(["pdftotext", "-layout", "-", "-"], input=ours, capture_output=True,
                              check=True).stdout.decode()
        rtl = stem.endswith("_ar")
        assert _clause_numbers(theirs, rtl) == _clause_numbers(mine, rtl), stem
        assert _clause_numbers(mine, rtl), stem


def test_libreoffice_keeps_the_link_in_a_drafters_note(converted):
    [pdf] = [pdf for stem, _, pdf in converted if stem.startswith("linked-note_")]
    uris = [annotation.get_object().get("/A", {}).get("/URI")
            for page in pypdf.PdfReader(str(pdf)).pages for annotation in page.get("/Annots", [])]
    assert NOTE_LINK in uris


def test_a_reference_saved_by_libreoffice_still_gives_sound_packages(tmp_path):
    # A drafter restyles reference.docx in LibreOffice: its font table, styles and
    # settings are LibreOffice's, and the output must still resolve and keep schema order.
    require("soffice", "pdffonts")
    from framework_kit.render.writers.docx.default_reference import reference_docx
    from framework_kit.render.theme import Theme
    from test_docx_package import relationship_problems
    from test_docx_schema_order import _package_problems

    (tmp_path / "reference.docx").write_bytes(reference_docx(Theme()))
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
                    str(tmp_path / "lo"), str(tmp_path / "reference.docx")],
                   capture_output=True, timeout=300, check=False)
    saved = tmp_path / "lo" / "reference.docx"
    assert saved.exists()
    result = render_bytes((EXAMPLES / "ukraine-three-level.yaml").read_bytes(), "ukraine.yaml",
                          formats=("docx",), reference_doc=saved)
    assert len(result.files) == 6, result.diagnostics
    for rendered in result.files:
        assert relationship_problems(rendered.data) == [], rendered.filename
        assert _package_problems(rendered.data) == [], rendered.filename
        assert b"embedRegular" in zipfile_part(rendered.data, "word/fontTable.xml")


def zipfile_part(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)
