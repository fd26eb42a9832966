"""Valid but hostile specs render, and their text reaches the documents literally.

Reportlab reads `<font>`, `<b>` and `&` as markup, XML has `]]>`, Jinja has `{{ }}` and
`{% %}`: a name or clause holding any of them must be printed as typed, never interpreted.
The specs are in tests/bad_inputs/ (expected.yaml says they exit 0).
"""

from __future__ import annotations

import pytest
import yaml

from framework_kit import api
from framework_kit.render.doctree import Signatory
from framework_kit.output import MAX_NAME_BYTES

from conftest import BAD_INPUTS
from hostile import (covered_fields, docx_text, flat, full_design, model_text_fields, pdf_text,
                     text_fields)

PAYLOAD = "AT&T a<b <font size=500> <b>x</b> ]]> {{ 7*7 }} {% raw %}"
# Read by the renderer but not printed: file names and the rules' topic tags.
NOT_PRINTED = ("process.short_title", ".topics[")
LONG_WORD = ("Demilitarisation" * 400)[:5000]


@pytest.fixture(scope="module")
def markup_render(tmp_path_factory):
    out = tmp_path_factory.mktemp("markup")
    result = api.render_file(BAD_INPUTS / "spec-markup-everywhere.yaml", out)
    assert result.exit_code == 0, result.diagnostics
    pdf = flat("\n".join(pdf_text(p) for p, _ in result.written if p.suffix == ".pdf"))
    docx = flat("\n".join(docx_text(p) for p, _ in result.written if p.suffix == ".docx"))
    return result, pdf, docx


def test_the_markup_spec_fills_every_text_field_of_the_model():
    design = yaml.safe_load((BAD_INPUTS / "spec-markup-everywhere.yaml").read_text(encoding="utf-8"))
    assert covered_fields(design) == model_text_fields()
    assert covered_fields(full_design()) == model_text_fields()
    for path, container, key in text_fields(design):
        assert container[key].endswith(PAYLOAD), path


def test_markup_in_every_text_field_is_printed_literally(markup_render):
    _, pdf, docx = markup_render
    design = yaml.safe_load((BAD_INPUTS / "spec-markup-everywhere.yaml").read_text(encoding="utf-8"))
    printed = [(path, flat(container[key])) for path, container, key in text_fields(design)
               if not any(part in path for part in NOT_PRINTED)]
    assert len(printed) > 40
    missing_pdf = [path for path, text in printed if text not in pdf]
    missing_docx = [path for path, text in printed if text not in docx]
    assert missing_pdf == [] and missing_docx == []
    assert "49" not in pdf.replace("q49x", "")  # {{ 7*7 }} was never evaluated


def test_markup_in_the_short_title_gives_a_safe_file_name(markup_render):
    result, _, _ = markup_render
    for path, _ in result.written:
        assert set("<>&{}%[]/ ") & set(path.name) == set()
        assert len(path.name.encode()) <= MAX_NAME_BYTES


@pytest.fixture(scope="module")
def long_word_render(tmp_path_factory):
    out = tmp_path_factory.mktemp("long")
    result = api.render_file(BAD_INPUTS / "spec-long-word.yaml", out)
    assert result.exit_code == 0, result.diagnostics
    return result


def test_a_five_thousand_character_word_renders_in_full(long_word_render):
    by_name = {p.name: p for p, _ in long_word_render.written}
    assert len(by_name) == 12
    sheet_pdf = next(p for n, p in by_name.items() if n.endswith("term-sheet-table-a.pdf"))
    sheet_docx = next(p for n, p in by_name.items() if n.endswith("term-sheet-table-a.docx"))
    # PDF lines break inside the word: compare with all white space removed.
    pdf = "".join(pdf_text(sheet_pdf).split())
    docx = docx_text(sheet_docx)
    assert f"State{LONG_WORD}A" in pdf and f"a{LONG_WORD}ceasefire" in pdf
    assert f"State{LONG_WORD}A" in docx and f"a {LONG_WORD} ceasefire" in docx


def test_a_party_name_longer_than_a_page_flows_above_its_signature_lines(tmp_path):
    from framework_kit.render import doctree as d
    from framework_kit.render.theme import Theme
    from framework_kit.render.writers.pdf.writer import write_pdf as write

    from doc_samples import sample_meta

    party = "For the Party " * 900
    block = d.SignatureBlock("Signed", [Signatory(party), Signatory("For B")])
    data, pages = write(d.Document(sample_meta(), [block]), Theme())
    assert pages >= 2
    path = tmp_path / "signatures.pdf"
    path.write_bytes(data)
    text = flat(pdf_text(path))
    assert text.count("For the Party") == 900 and "For B" in text


def test_a_table_name_longer_than_a_page_renders_the_brief(tmp_path):
    text = (BAD_INPUTS / "spec-long-word.yaml").read_text(encoding="utf-8").replace(
        'name: "Table A: Bilateral Negotiations"', f'name: "Table {LONG_WORD}"')
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    result = api.render_file(spec, tmp_path / "out", only=("brief",))
    assert result.exit_code == 0, result.diagnostics
    (docx, _), (pdf, rendered) = result.written
    assert f"Table {LONG_WORD}" in docx_text(docx)
    # pypdf reads a table line by line across its columns, so the word is not contiguous there.
    assert rendered.pages > 2 and "Demilitarisation" * 10 in "".join(pdf_text(pdf).split())


@pytest.mark.parametrize("name, stem", [
    ("spec-short-title-dotdot.yaml", "etc-passwd_v0.1_"),
    ("spec-short-title-slash.yaml", "a-b_v0.1_"),
    ("spec-short-title-con.yaml", "con-spec_v0.1_"),
    ("spec-short-title-300.yaml", "x" * 80),
])
def test_hostile_short_titles_write_only_inside_outdir(name, stem, tmp_path):
    outdir = tmp_path / "deep" / "out"
    result = api.render_file(BAD_INPUTS / name, outdir)
    assert result.exit_code == 0
    everything = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    names = sorted(p.name for p, _ in result.written)
    assert everything == sorted([outdir.parent.relative_to(tmp_path), outdir.relative_to(tmp_path)]
                                + [outdir.relative_to(tmp_path) / n for n in names])
    for n in names:
        assert n.startswith(stem) and len(n.encode()) <= MAX_NAME_BYTES
        assert n.split(".")[0].split("_")[0].lower() not in ("con", "etc", "..", "")


def test_right_to_left_marks_render(tmp_path):
    # Overrides are refused (S004, tests/test_spec_bounds.py); the marks are kept as written.
    spec = tmp_path / "spec.yaml"
    spec.write_text((BAD_INPUTS / "spec-bidi-override.yaml").read_text(encoding="utf-8")
                    .replace(r"\u202e", r"\u200e"), encoding="utf-8")
    result = api.render_file(spec, tmp_path / "out", only=("brief",))
    assert result.exit_code == 0
    docx = next(p for p, _ in result.written if p.suffix == ".docx")
    assert "State \u200eA\u200f" in docx_text(docx)
