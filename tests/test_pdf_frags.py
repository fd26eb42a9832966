"""Paragraph fragments made by shape (pdf_frags) match what reportlab's own parser makes."""

from __future__ import annotations

import pytest
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paraparser import ParaParser
from reportlab.platypus.paragraph import cleanBlockQuotedText

from framework_kit.render.writers.pdf.frags import fragments, share_parses
from framework_kit.render.writers.pdf.markup import InlineMarkup, NoteBook, text_markup
from framework_kit.render import doctree

from conftest import EXAMPLES, UKRAINE

STYLE = ParagraphStyle("body", fontName="Times-Roman", fontSize=10, leading=12, textColor=HexColor("#111111"))
_COMPARED = ("fontName", "fontSize", "textColor", "rise", "link", "us_lines", "lineBreak", "bold", "italic")


def reportlab(markup: str, style=STYLE) -> list:
    _, frags, _ = ParaParser().parse(cleanBlockQuotedText(markup), style)
    return frags


def runs(frags) -> list:
    """(text, formatting) runs, neighbours with the same formatting merged (entities split them)."""
    out: list = []
    for frag in frags:
        look = tuple(repr(getattr(frag, name, None)) for name in _COMPARED)
        anchor = getattr(getattr(frag, "cbDefn", None), "name", None)
        if out and out[-1][1] == look and anchor is None and out[-1][2] is None:
            out[-1] = (out[-1][0] + frag.text, look, None)
        else:
            out.append((frag.text, look, anchor))
    return out


def markup_of(*inlines) -> str:
    return InlineMarkup(NoteBook(), "#1f3a5f", "#8a4b00").markup(list(inlines))


CASES = {
    "plain": text_markup("The Parties shall observe a ceasefire."),
    "entities": text_markup("AT&T <b>not bold</b> a<b & \"quoted\" 'single'"),
    "whitespace": text_markup("  spaced   out\ttext  "),
    "placeholder characters in the text": text_markup("private \ue000 use \ue001 characters \ue0001\ue001"),
    "formatting": markup_of(doctree.Text("a "), doctree.Strong([doctree.Text("bold")]), doctree.Text(" and "),
                            doctree.Emph([doctree.Text("it & al")])),
    "link with a query": markup_of(doctree.Link('https://example.org/?a=1&b="x y"', [doctree.Text("site")])),
    "notes": markup_of(doctree.Text("text"), doctree.Note([doctree.Text("one")]),
                       doctree.Note([doctree.Text("two")])),
    "line break": markup_of(doctree.Text("one"), doctree.LineBreak(), doctree.Text("two")),
    "anchor": '<a name="fk-note-7"/>A note &amp; its text',
    "coloured": '<font color="#8a4b00">[Bracketed]</font><br/><font size="8.5" color="#6b6b6b"><i>by X</i></font>',
}


@pytest.mark.parametrize("markup", CASES.values(), ids=CASES.keys())
def test_fragments_read_like_reportlabs_own(markup):
    assert runs(fragments(markup, STYLE)) == runs(reportlab(markup))


def test_a_shape_is_parsed_once_and_each_paragraph_gets_its_own_text_and_copies():
    style = ParagraphStyle("derived", parent=STYLE)
    share_parses([style])
    first = fragments(markup_of(doctree.Text("alpha "), doctree.Note([doctree.Text("n")])), style)
    second = fragments(markup_of(doctree.Text("beta "), doctree.Note([doctree.Text("m")])), style)
    assert len(style.__dict__["_fk_skeletons"]) == 1
    assert [f.text for f in first][0] == "alpha " and [f.text for f in second][0] == "beta "
    assert first[0] is not second[0]
    first[0].text = "changed"
    assert fragments(text_markup("gamma"), style)[0].text == "gamma"


def test_styles_that_parse_differently_do_not_share_a_parse():
    bold = ParagraphStyle("bold", parent=STYLE, fontName="Times-Bold", textColor=HexColor("#ff0000"))
    share_parses([STYLE, bold])
    try:
        assert fragments("x", STYLE)[0].fontName == "Times-Roman"
        assert fragments("y", bold)[0].fontName == "Times-Bold"
        assert fragments("y", bold)[0].textColor == HexColor("#ff0000")
    finally:
        STYLE.__dict__.pop("_fk_skeletons", None)


def test_same_formatting_answers_like_reportlabs_accelerated_samefrag(monkeypatch, tmp_path):
    from reportlab.platypus import paragraph

    from framework_kit import api
    from framework_kit.render.writers.pdf import reportlab_patches as _platypus

    asked = []

    def both(first, second):
        ours = _platypus.same_formatting(first, second)
        asked.append((ours, bool(_platypus.accelerated_same_frag(first, second))))
        return ours

    monkeypatch.setattr(paragraph, "sameFrag", both)
    for spec in (UKRAINE, EXAMPLES / "invented-river-delta.yaml"):
        assert api.render_file(spec, tmp_path, formats=("pdf",)).ok
    assert len(asked) > 500 and {ours for ours, _ in asked} == {0, 1}  # both answers occur
    assert [bool(ours) for ours, _ in asked] == [theirs for _, theirs in asked]
