"""--parallel: the language versions of each document side by side, clause level with clause."""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict

import pytest
from lxml import etree
from pypdf import PdfReader

from framework_kit import api

from conftest import EXAMPLES, UKRAINE

MULTILINGUAL = EXAMPLES / "ukraine-three-level-en-uk-ru.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CLAUSE_NUMBER = re.compile(r"\d+\.\d+")


@pytest.fixture(scope="module")
def parallel():
    result = api.render_bytes(MULTILINGUAL.read_bytes(), str(MULTILINGUAL), only=["term-sheets"],
                              parallel=True)
    assert result.ok, result.diagnostics
    return {f.format: f for f in result.files if f.key == "term-sheet-table-a" and f.language == "en+uk+ru"}


def test_one_parallel_edition_per_document_beside_the_versions(parallel):
    assert parallel["pdf"].filename == "ukraine-three-level-process_v0.3_term-sheet-table-a_en-uk-ru.pdf"
    assert parallel["docx"].filename.endswith("_term-sheet-table-a_en-uk-ru.docx")


def test_pdf_clause_numbers_stand_level_across_the_three_columns(parallel):
    reader = PdfReader(io.BytesIO(parallel["pdf"].data))
    checked = 0
    for page in reader.pages:
        places = defaultdict(list)  # clause number -> (x, y) of each column's copy

        def visit(text, cm, tm, font, size, places=places):
            if CLAUSE_NUMBER.fullmatch(text.strip()):
                places[text.strip()].append((tm[4] + cm[4], tm[5] + cm[5]))

        page.extract_text(visitor_text=visit)
        for number, found in places.items():
            assert len(found) == 3, (number, found)
            xs = sorted(x for x, _ in found)
            assert len({round(y, 1) for _, y in found}) == 1, (number, found)  # one line
            assert xs[1] - xs[0] > 100 and xs[2] - xs[1] > 100  # three columns
            checked += 1
    assert checked >= 6  # 1.1-1.3, 2.1, 2.2, 3.1 and the linkage clauses


def test_pdf_columns_carry_each_language(parallel):
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(parallel["pdf"].data)).pages)
    text = " ".join(text.split())
    for words in ("English", "Українська", "Русский", "complete and comprehensive ceasefire",
                  "повного і всеосяжного припинення вогню", "полное и всеобъемлющее прекращение огня"):
        assert words in text, words


def test_docx_rows_hold_the_same_clause_in_every_column(parallel):
    with zipfile.ZipFile(io.BytesIO(parallel["docx"].data)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    rows = 0
    for row in body.iter(f"{W}tr"):
        cells = ["".join(cell.itertext()) for cell in row.findall(f"{W}tc")]
        numbers = [CLAUSE_NUMBER.match(text) for text in cells]
        if len(cells) == 3 and all(numbers):
            assert len({n.group() for n in numbers}) == 1, cells
            rows += 1
    assert rows >= 6
    header = "".join(next(body.iter(f"{W}tr")).itertext())
    assert header == "EnglishУкраїнськаРусский"


def test_no_parallel_edition_for_a_process_in_one_language():
    result = api.render_bytes(UKRAINE.read_bytes(), str(UKRAINE), formats=("pdf",), only=["cbm-schedule"],
                              parallel=True)
    assert [f.filename for f in result.files] == ["ukraine-three-level-process_v0.3_cbm-schedule.pdf"]


def test_kit_render_parallel_writes_the_editions(runner, tmp_path):
    from framework_kit.cli import app

    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(MULTILINGUAL), "-o", str(out), "--only", "cbm-schedule",
                                 "--format", "pdf", "--parallel"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"ukraine-three-level-process_v0.3_cbm-schedule_{suffix}.pdf" for suffix in ("en", "uk", "ru", "en-uk-ru"))


def test_the_same_spec_gives_the_same_bytes_in_every_language(parallel):
    again = api.render_bytes(MULTILINGUAL.read_bytes(), str(MULTILINGUAL), only=["term-sheets"], parallel=True)
    same = {f.filename: f.data for f in again.files if f.key == "term-sheet-table-a"}
    for rendered in parallel.values():
        assert same[rendered.filename] == rendered.data


def test_docx_columns_are_tagged_with_their_own_language(parallel):
    with zipfile.ZipFile(io.BytesIO(parallel["docx"].data)) as package:
        body = etree.fromstring(package.read("word/document.xml"))
    languages = [defaultdict(int) for _ in range(3)]
    for row in body.iter(f"{W}tr"):
        for column, cell in enumerate(row.findall(f"{W}tc")):
            for run in cell.iter(f"{W}r"):
                tag = run.find(f"{W}rPr/{W}lang")
                text = "".join(run.itertext())
                if any(c.isalpha() for c in text):
                    languages[column][tag.get(f"{W}val") if tag is not None else "en"] += len(text)
    assert set(languages[1]) <= {"uk", "en"} and languages[1]["uk"] > 1000  # never ru, never und-Cyrl
    assert set(languages[2]) <= {"ru", "en"} and languages[2]["ru"] > 1000
    assert set(languages[0]) == {"en"}


def test_the_parallel_brief_is_not_held_to_the_briefs_two_pages():
    result = api.render_bytes(MULTILINGUAL.read_bytes(), str(MULTILINGUAL), formats=("pdf",), only=["brief"],
                              parallel=True)
    parallel = next(f for f in result.files if f.language == "en+uk+ru")
    assert parallel.pages > 2 and not [d for d in result.diagnostics if d.code == "R005"]
