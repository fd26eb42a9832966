"""The templates' XML vocabulary -> document tree, and Markdown markup back into it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from framework_kit.render import doctree as dt
from framework_kit.render.markdown import inlines
from framework_kit.render.vocabulary import VocabularyError, inline_markup, parse_document

META = '<meta title="T" version="0.3" watermark="DRAFT"><keyword> a  b </keyword></meta>'


def parse(body: str, figure=None) -> list:
    return parse_document(f"<document>{META}{body}</document>", figure).blocks


def test_every_block_maps_onto_the_tree():
    blocks = parse("""
      <heading level="2" number="1">  Ceasefire </heading>
      <p style="lead">Lead <b>bold <i>both</i></b> <a href="https://x.org">link</a><br/> next</p>
      <clause number="1.1" status="bracketed" attribution="Proposed by A">[Text]<note>why</note></clause>
      <list ordered="1"><item>one</item><item><p>two</p><list><item>deep</item></list></item></list>
      <table widths="0.3 0.7" caption="Seats"><row header="1"><cell>A</cell><cell align="right">B</cell></row>
        <row><cell bold="1" shade="header">x</cell><cell>y</cell></row></table>
      <fields><field label="Version">0.3</field></fields>
      <signatures heading="Initialled"><signatory party="For A" name="N"/></signatures>
      <figure name="architecture"/><pagebreak/><rule/>
    """, figure=lambda name: dt.Figure(10, 10, []) if name == "architecture" else None)
    assert blocks[0] == dt.Heading(2, [dt.Text("Ceasefire")], "1")
    assert blocks[1] == dt.Paragraph([
        dt.Text("Lead "), dt.Strong([dt.Text("bold "), dt.Emph([dt.Text("both")])]), dt.Text(" "),
        dt.Link("https://x.org", [dt.Text("link")]), dt.LineBreak(), dt.Text("next")], "lead")
    assert blocks[2] == dt.Clause("1.1", [dt.Text("[Text]"), dt.Note([dt.Text("why")])], "bracketed", "Proposed by A")
    assert blocks[3] == dt.ListBlock([[dt.Paragraph([dt.Text("one")])],
                                      [dt.Paragraph([dt.Text("two")]),
                                       dt.ListBlock([[dt.Paragraph([dt.Text("deep")])]])]], ordered=True)
    assert blocks[4] == dt.Table([dt.Cell([dt.Text("A")]), dt.Cell([dt.Text("B")], align="right")],
                                 [[dt.Cell([dt.Text("x")], bold=True, shade="header"), dt.Cell([dt.Text("y")])]],
                                 [0.3, 0.7], "grid", "Seats")
    assert blocks[5] == dt.Table([], [[dt.Cell([dt.Text("Version")], bold=True), dt.Cell([dt.Text("0.3")])]],
                                 [0.28, 0.72], "fields")
    assert blocks[6] == dt.SignatureBlock("Initialled", [dt.Signatory("For A", "N")])
    assert blocks[7:] == [dt.Figure(10, 10, []), dt.PageBreak(), dt.Rule()]


def test_meta():
    meta = parse_document(f"<document>{META}</document>").meta
    assert (meta.title, meta.version, meta.watermark, meta.language, meta.keywords) == (
        "T", "0.3", "DRAFT", "en", ["a b"])


@pytest.mark.parametrize("body, words", [
    ("<para>x</para>", "<para> is not part of the template vocabulary"),
    ('<p colour="red">x</p>', "<p> has no attribute colour"),
    ('<clause status="settled">x</clause>', 'status="settled" is not allowed'),
    ('<heading level="4">x</heading>', 'level="4" is not allowed'),
    ('<table widths="0.5"><row><cell>a</cell><cell>b</cell></row></table>', "2 columns but 1 widths"),
    ('<table widths="0.8 0.8"><row><cell>a</cell><cell>b</cell></row></table>', "not usable"),
    ("loose text", "<document> cannot contain text directly"),
    ("<p><p>x</p></p>", "<p> cannot appear in <p>"),
    ("<p><note>a<note>b</note></note></p>", "cannot contain another note"),
    ('<p><a href="javascript:x()">x</a></p>', 'href="javascript:x()" is not allowed'),
    ('<figure name="map"/>', 'name="map" is not a known figure'),
    ("<list><p>x</p></list>", "<p> cannot appear in <list>"),
    ("<p>a &nbsp; b</p>", "not well-formed"),
    ("<p>a < b</p>", "not well-formed"),
    ("<p>a \ud800 b</p>", "not text"),
    ("<p>a \x0b b</p>", "not well-formed"),
    ('<table><row><cell>a</cell></row><row header="1"><cell>h</cell></row></table>', "header row must come first"),
])
def test_mistakes_are_named(body, words):
    with pytest.raises(VocabularyError) as caught:
        parse(body)
    assert words in caught.value.message


def test_document_needs_meta_and_refuses_entities():
    with pytest.raises(VocabularyError, match="has no <meta>"):
        parse_document("<document><p>x</p></document>")
    with pytest.raises(VocabularyError, match="DOCTYPE"):
        parse_document('<!DOCTYPE d [<!ENTITY e "boom">]><document><meta title="&e;"/></document>')
    with pytest.raises(VocabularyError, match="outermost"):
        parse_document('<p>x</p>')


def test_markdown_markup_round_trips():
    source = "**AT&T** <font> *a<b* [l](https://x.org/?a=1&b=2)  \nnext"
    markup = inline_markup(inlines(source))
    [paragraph] = parse(f"<p>{markup}</p>")
    assert paragraph.children == inlines(source)


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
               max_size=80))
def test_any_spec_text_survives_markdown_markup_and_parsing(text):
    expected = inlines(text)
    [paragraph] = parse(f"<p>{inline_markup(expected)}</p>")
    # The vocabulary folds layout whitespace; the words and their order must survive.
    assert " ".join(dt.plain_text(paragraph.children).split()) == " ".join(dt.plain_text(expected).split())
