"""Layout work is bounded and linear in the text (#16 item 1).

Before: one paragraph laid out over many pages was broken into lines again on
every page (5,000 hard line breaks: 14 s, 510 line breakings), and 260 aliases of
such a clause ran for more than ten minutes. Timings are in bench/layout.py.
"""

from __future__ import annotations

import pytest
from conftest import write_spec

from framework_kit import api
from framework_kit.render import doctree as d
from framework_kit.render import layout_bounds
from framework_kit.render.theme import Theme
from framework_kit.render.writers.pdf import paragraph as pdf_paragraph
from framework_kit.render.writers import PageLimit
from framework_kit.render.writers.pdf.writer import write_pdf as write

from doc_samples import sample_meta
from hostile import STARTER, pdf_text

CLAUSE = ("          - text: The Parties shall observe a ceasefire from D-Day.\n"
          "            status: proposed                   # agreed | proposed | bracketed\n"
          "            proposed_by: state-b")
BREAKS = '"' + "a  \\n" * 5000 + '"'


def _with_clause(text: str, aliases: int = 0) -> str:
    """The starter with its first clause holding ``text``, anchored (the clause, not the text:
    an anchor before a text is refused as S004), and ``aliases`` copies of that clause."""
    extra = "".join("\n          - *long" for _ in range(aliases))
    clause = "          - &long\n            text: " + text + "\n            status: proposed\n"
    return STARTER.replace(CLAUSE, clause + "            proposed_by: state-b" + extra)


def _clause_position(spec_text: str) -> tuple[int, int]:
    before = spec_text[:spec_text.index('text: "a  ') + len("text: ")]
    return before.count("\n") + 1, len(before) - before.rfind("\n")


def test_a_paragraph_over_a_hundred_pages_is_broken_into_lines_once(tmp_path, monkeypatch):
    calls = []
    real = pdf_paragraph._Paragraph.breakLines

    def counted(self, widths):
        calls.append(len(self.frags))
        return real(self, widths)

    monkeypatch.setattr(pdf_paragraph._Paragraph, "breakLines", counted)
    text = _with_clause(BREAKS)
    result = api.render_file(write_spec(tmp_path, text), tmp_path / "out", only=("term-sheets",),
                             formats=("pdf",))
    assert result.ok, result.diagnostics
    pdf = next(path for path, file in result.written if file.key == "term-sheet-table-a")
    assert result.written[0][1].pages > 100
    assert pdf_text(pdf).split().count("a") == 5000
    # Each page's part is measured once more when placed; never the whole rest again.
    long = [n for n in calls if n > 1000]
    assert len(long) <= 2, f"the long paragraph was broken into lines {len(long)} times"


def test_a_bracketed_clause_of_20000_characters_with_20_options_renders(tmp_path):
    words = ("The Parties shall consider this clause with care. " * 400).strip()
    options = "".join(f"\n            - Option text {i} is here. " + "More words. " * 80 for i in range(20))
    text = STARTER.replace(CLAUSE, f"          - text: {words}\n            status: bracketed\n"
                           f"            options:{options}")
    result = api.render_file(write_spec(tmp_path, text), tmp_path / "out", only=("term-sheets",),
                             formats=("pdf",))
    assert result.ok, result.diagnostics
    pdf = next(path for path, file in result.written if file.key == "term-sheet-table-a")
    body = " ".join(pdf_text(pdf).split())
    assert body.count("consider this clause with care") == 400 and "Option T: Option text 19" in body


def test_260_aliases_of_a_long_clause_are_refused_before_any_layout(tmp_path, monkeypatch):
    monkeypatch.setattr("framework_kit.render.writers.pdf.write_pdf", _no_layout)
    text = _with_clause(BREAKS, aliases=260)
    result = api.render_file(write_spec(tmp_path, text), tmp_path / "out")
    [error] = result.errors
    # At the clause that the aliases repeat, not at the first line of the default template
    # whose output passed its 4 MB bound (a T001 that said nothing of the spec).
    assert error.code == "R003" and "more than 4 MB of text" in error.message, error
    assert (error.file, (error.span.line, error.span.column)) == (result.file, _clause_position(text))
    assert result.written == [] and not (tmp_path / "out").exists()


def _no_layout(*_args, **_kwargs):
    raise AssertionError("laid out although the bound was known to be exceeded")


def test_too_many_pages_is_r003_at_the_clause_before_any_layout(tmp_path, monkeypatch):
    monkeypatch.setattr(layout_bounds, "MAX_PAGES", 50)  # the clause alone is about 100 pages
    monkeypatch.setattr("framework_kit.render.writers.pdf.write_pdf", _no_layout)
    text = _with_clause(BREAKS)
    result = api.render_file(write_spec(tmp_path, text), tmp_path / "out")
    [error] = result.errors
    assert error.code == "R003" and "would take more than 50 pages" in error.message
    assert (error.span.line, error.span.column) == _clause_position(text)
    assert "line breaks" in error.help and not (tmp_path / "out").exists()


def test_pages_are_counted_while_laid_out(tmp_path, monkeypatch):
    monkeypatch.setattr(layout_bounds, "MAX_PAGES", 20)
    monkeypatch.setattr(layout_bounds, "_LINES_PER_PAGE", 10**9)  # the estimate lets it through
    text = _with_clause(BREAKS)
    result = api.render_file(write_spec(tmp_path, text), tmp_path / "out")
    [error] = result.errors
    assert error.code == "R003" and "have reached 20 pages" in error.message
    assert (error.span.line, error.span.column) == _clause_position(text)
    assert not (tmp_path / "out").exists()


def test_the_pdf_writer_stops_at_its_page_bound_with_the_text_it_was_laying_out():
    blocks = [d.Paragraph([d.Text(f"Paragraph {i} " * 40)]) for i in range(200)]
    with pytest.raises(PageLimit) as caught:
        write(d.Document(sample_meta(), blocks), Theme(), max_pages=3)
    assert caught.value.text.startswith("Paragraph ")


def test_a_template_paragraph_of_200000_words_takes_its_words_from_the_front_in_constant_time(
        tmp_path, monkeypatch):
    # A template may print one paragraph of 4 MB (a spec text holds 20,000 characters):
    # reportlab took each word with list.pop(0), 90 s for 411 pages. Counted, not timed.
    from reportlab.platypus import paragraph as reportlab_paragraph

    handed_out = []
    real = reportlab_paragraph._getFragWords

    def spied(frags, max_width=None):
        words = real(frags, max_width)
        handed_out.append((type(words).__name__, len(words)))
        return words

    monkeypatch.setattr(reportlab_paragraph, "_getFragWords", spied)
    words = " ".join(f"w{i}" for i in range(200_000))
    data, pages = write(d.Document(sample_meta(), [d.Paragraph([d.Text(words)])]), Theme())
    assert pages > 100
    assert [kind for kind, count in handed_out if count >= 200_000] == ["WordQueue"]
    (tmp_path / "long.pdf").write_bytes(data)
    text = pdf_text(tmp_path / "long.pdf").split()
    assert text.count("w199999") == 1 and len([w for w in text if w.startswith("w")]) >= 200_000


def test_the_estimate_never_exceeds_the_pages_of_the_example(tmp_path):
    from conftest import UKRAINE

    checked = api.check_file(UKRAINE)
    built = api.build_documents(checked.design, checked.assessment)
    result = api.render_file(UKRAINE, tmp_path, formats=("pdf",))
    pages = {file.key: file.pages for _, file in result.written}
    for item in built:
        assert layout_bounds.estimated_pages(item.tree)[0] <= pages[item.key]
