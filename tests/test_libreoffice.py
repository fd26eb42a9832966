"""A real word processor opens the DOCX: LibreOffice converts it to PDF headless.

CI installs LibreOffice (Debian: libreoffice-writer-nogui) and poppler-utils;
elsewhere the test is skipped when ``soffice`` is not on PATH.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from doc_samples import CYRILLIC, sample_document
from framework_kit.render.theme import Theme
from framework_kit.render.writers.docx import write

pytestmark = pytest.mark.slow


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed; CI installs it")
def test_libreoffice_converts_the_docx_to_a_pdf_with_its_text(tmp_path):
    pypdf = pytest.importorskip("pypdf")
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
