"""Every input is bounded: beyond each limit a clear message, within it a render in bounded time.

The loader's limits (size, nesting, values) are proven in tests/test_bad_inputs.py and
the template sandbox's in tests/test_templates.py; these are the limits on what one
spec may ask the renderer to lay out: a text field, the entries of a section, the
number of tables, and the text of all the documents together.
"""

from __future__ import annotations


import pytest
import yaml

from framework_kit import api
from framework_kit.render import doctree as d
from framework_kit.render.build import MAX_RENDER_CHARS
from framework_kit.render.theme import Theme
from framework_kit.render.writers.pdf import PdfError
from framework_kit.render.writers.pdf.writer import write_pdf as write
from framework_kit.spec.model import MAX_ENTRIES, MAX_TABLES
from framework_kit.spec.types import MAX_TEXT_CHARS
from framework_kit.api import starter_spec
STARTER = starter_spec()

from doc_samples import sample_meta
from hostile import docx_text, dump, pdf_text

CLAUSE = "The Parties shall observe a ceasefire from D-Day."


def _starter() -> dict:
    return yaml.safe_load(STARTER)


def _spec(tmp_path, design: dict):
    path = tmp_path / "spec.yaml"
    path.write_text(dump(design), encoding="utf-8")
    return path


def _seated(design: dict, count: int) -> None:
    """Add ``count`` observers, all seated at table B."""
    extra = [{"id": f"x{i}", "name": f"Participant {i}", "kind": "state", "role": "observer"}
             for i in range(count)]
    design["participants"] += extra
    design["tables"][1]["observers"] = [p["id"] for p in extra]


def test_a_text_field_longer_than_the_limit_is_s004_at_its_line():
    text = STARTER.replace(CLAUSE, "word " * (MAX_TEXT_CHARS // 5 + 1))
    result = api.check_bytes(text.encode(), "spec.yaml")
    [error] = result.errors
    assert error.code == "S004" and error.span.line == STARTER[:STARTER.index(CLAUSE)].count("\n") + 1
    assert f"at most {MAX_TEXT_CHARS:,}" in error.message and "split it" in error.help


def test_the_longest_text_field_allowed_renders_quickly(tmp_path):
    text = ("The Parties shall consider this clause with care. " * (MAX_TEXT_CHARS // 50)).strip()
    assert MAX_TEXT_CHARS - 60 < len(text) <= MAX_TEXT_CHARS
    spec = tmp_path / "spec.yaml"
    spec.write_text(STARTER.replace(CLAUSE, text), encoding="utf-8")
    result = api.render_file(spec, tmp_path / "out", only=("term-sheets",))
    assert result.exit_code == 0
    pdf = next(p for p, _ in result.written if p.name.endswith("table-a.pdf"))
    assert " ".join(pdf_text(pdf).split()).count("consider this clause with care") == MAX_TEXT_CHARS // 50


@pytest.mark.parametrize("section, limit", [("participants", MAX_ENTRIES), ("tables", MAX_TABLES),
                                            ("confidence_building_measures", MAX_ENTRIES)])
def test_a_section_with_too_many_entries_is_s004(section, limit):
    design = _starter()
    entries = design[section]
    design[section] = [dict(entries[i % len(entries)]) for i in range(limit + 1)]
    result = api.check_bytes(dump(design).encode(), "spec.yaml")
    messages = [e.message for e in result.errors if e.code == "S004"]
    assert f"{section} has {limit + 1:,} entries; at most {limit:,} are supported" in messages


def test_many_tables_show_the_first_six_and_say_where_the_rest_are(tmp_path):
    design = _starter()
    for i in range(77):  # 80 tables: a matrix of 80 columns could not be laid out
        design["tables"].append({"id": f"extra-{i}", "name": f"Working group {i}", "level": "other",
                                 "parties": ["state-a", "state-b"], "observers": ["un"]})
    result = api.render_file(_spec(tmp_path, design), tmp_path / "out", only=("brief",))
    assert result.exit_code == 0, [e.message for e in result.diagnostics if e.is_error]
    assert {d.code for d in result.diagnostics if d.code.startswith("R")} == {"R005"}
    docx = next(p for p, _ in result.written if p.suffix == ".docx")
    text = docx_text(docx)
    assert "74 more tables are not shown: see their term sheets." in text
    assert "Working group 76" not in text.split("Who sits where")[1]


def test_the_seat_matrix_stays_for_a_few_tables(tmp_path):
    result = api.render_file(_spec(tmp_path, _starter()), tmp_path / "out", only=("brief",),
                             formats=("docx",))
    text = docx_text(result.written[0][0])
    assert "Participant" in text and "Facilitators" not in text


def test_the_longest_sections_allowed_render_in_bounded_time(tmp_path):
    design = _starter()
    _seated(design, MAX_ENTRIES - len(design["participants"]))
    result = api.render_file(_spec(tmp_path, design), tmp_path / "out", only=("brief",),
                             formats=("pdf",))
    # The brief holds 20 participants by design; the rest are in the term sheets (R005).
    assert result.exit_code == 0 and result.written[0][1].pages <= 2
    assert "R005" in [d.code for d in result.diagnostics]


def test_names_repeated_in_every_term_sheet_are_refused_before_the_layout(tmp_path, monkeypatch):
    from framework_kit.render import writers

    def no_layout(*args, **kwargs):
        raise AssertionError("a writer was started: the bound must hold before any layout")

    monkeypatch.setattr(writers, "write", no_layout)  # the bound holds before any writer runs
    design = _starter()
    _seated(design, 200)
    for participant in design["participants"]:
        participant["name"] = participant["name"] + " of the long name" * 1000
    for i in range(20):
        design["tables"].append({**design["tables"][1], "id": f"copy-{i}", "agenda": []})
    result = api.render_file(_spec(tmp_path, design), tmp_path / "out")
    [error] = [e for e in result.diagnostics if e.is_error]
    assert error.code == "R003" and f"{MAX_RENDER_CHARS:,} characters" in error.message
    assert result.written == [] and not (tmp_path / "out").exists()


def test_a_table_too_wide_for_the_page_is_a_plain_error():
    table = d.Table([d.Cell([d.Text("H")])] * 60, [[d.Cell([d.Text("x")])] * 60])
    with pytest.raises(PdfError, match="60 columns, too many to fit across the page"):
        write(d.Document(sample_meta(), [table]), Theme())


def test_a_long_table_without_notes_is_not_searched_for_notes_on_every_page(monkeypatch):
    """Looking for footnotes in the rest of a table at each page break made long tables quadratic."""
    from framework_kit.render.writers.pdf import pages as pdf_pages

    visits = []
    real = pdf_pages._collect
    monkeypatch.setattr(pdf_pages, "_collect", lambda item, found: (visits.append(1), real(item, found)))
    rows = 3000
    table = d.Table([d.Cell([d.Text("Name")]), d.Cell([d.Text("Seat")])],
                    [[d.Cell([d.Text(f"Participant {i}")]), d.Cell([d.Text("Observer")])]
                     for i in range(rows)])
    _, pages = write(d.Document(sample_meta(), [table]), Theme())
    assert pages > 40
    assert len(visits) < 4 * rows  # one look at each cell at most, not one per page
