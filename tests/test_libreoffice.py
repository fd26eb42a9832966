"""A real word processor opens the DOCX: LibreOffice converts it to PDF headless.

CI installs LibreOffice (Debian: libreoffice-writer-nogui) and poppler-utils;
elsewhere the test is skipped when ``soffice`` is not on PATH.
"""

from __future__ import annotations

import shutil
import subprocess

import pypdf
import pytest

from conftest import require
from doc_samples import CYRILLIC, sample_document
from framework_kit.render.theme import Theme
from framework_kit.render.writers.docx.writer import write_docx as write

pytestmark = pytest.mark.slow


def test_libreoffice_converts_the_docx_to_a_pdf_with_its_text(tmp_path):
    require("soffice")
    source = tmp_path / "term-sheet.docx"
    source.write_bytes(write(sample_document(), Theme()))
    # A private profile: a second soffice started by another test or a desktop
    # session would otherwise make this one exit at once without converting.
    profile = (tmp_path / "profile").as_uri()
    completed = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=180, check=False)
    pdf = tmp_path / "term-sheet.pdf"
    assert pdf.exists(), completed.stdout + completed.stderr
    reader = pypdf.PdfReader(str(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert 2 <= len(reader.pages) <= 5
    assert "Term Sheet" in text and "Parties and participants" in text
    assert "2.3" in text and "Option B" in text
    assert CYRILLIC.split()[0] in text  # the Cyrillic survived the round trip
    assert f"Page 1 of {len(reader.pages)}" in text  # the fields were computed
    assert "Verkhovna Rada" in text  # the footnote is printed


def test_libreoffice_opens_every_docx_of_the_example(tmp_path):
    require("soffice")
    soffice = shutil.which("soffice")
    from framework_kit import api

    from conftest import UKRAINE

    out = tmp_path / "out"
    rendered = api.render_file(UKRAINE, out, formats=("docx",))
    docx_files = sorted(out.glob("*.docx"))
    assert len(docx_files) == 6, rendered
    profile = (tmp_path / "profile").as_uri()
    completed = subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "pdf"), *map(str, docx_files)],
        capture_output=True, text=True, timeout=300, check=False)
    for docx_file in docx_files:
        pdf = tmp_path / "pdf" / (docx_file.stem + ".pdf")
        assert pdf.exists(), completed.stdout + completed.stderr
        reader = pypdf.PdfReader(str(pdf))
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert "A Three-Level Peace Process for Ukraine" in text
        assert "DRAFT — FOR DISCUSSION ONLY" in text
        assert f"Page 1 of {len(reader.pages)}" in text
    brief = tmp_path / "pdf" / next(p.stem for p in docx_files if p.stem.endswith("_brief"))
    assert len(pypdf.PdfReader(str(brief) + ".pdf").pages) <= 2
