"""Markdown from the spec -> document-tree inlines and blocks."""

from __future__ import annotations

from framework_kit.render import doctree as dt
from framework_kit.render.markdown import blocks, inlines


def test_bold_italics_and_links():
    assert inlines("A **firm** and *lasting* [peace](https://un.org/x?a=1&b=2).") == [
        dt.Text("A "), dt.Strong([dt.Text("firm")]), dt.Text(" and "), dt.Emph([dt.Text("lasting")]),
        dt.Text(" "), dt.Link("https://un.org/x?a=1&b=2", [dt.Text("peace")]), dt.Text(".")]
    assert inlines("<mailto:msu@example.org>") == [
        dt.Link("mailto:msu@example.org", [dt.Text("mailto:msu@example.org")])]


def test_raw_html_and_entities_stay_literal():
    text = "AT&T <font size=500>big</font> a<b <script>x</script>"
    assert inlines(text) == [dt.Text(text)]
    assert inlines("<div>\nblock\n</div>") == [dt.Text("<div> block </div>")]


def test_only_web_and_mail_links_are_kept():
    for href in ("ftp://files.example/x", "kit://x", "/relative/path"):
        assert inlines(f"[words]({href})") == [dt.Text("words")]
    for href in ("javascript:alert(1)", "file:///etc/passwd"):  # the parser refuses them outright
        assert inlines(f"[x]({href})") == [dt.Text(f"[x]({href})")]
    assert inlines("![map](https://x.org/map.png)") == [dt.Text("map")]


def test_paragraphs_and_lists_as_blocks():
    assert blocks("One.\n\nTwo *words*.\n\n1. first\n2. second\n\n- bullet") == [
        dt.Paragraph([dt.Text("One.")]),
        dt.Paragraph([dt.Text("Two "), dt.Emph([dt.Text("words")]), dt.Text(".")]),
        dt.ListBlock([[dt.Paragraph([dt.Text("first")])], [dt.Paragraph([dt.Text("second")])]], ordered=True),
        dt.ListBlock([[dt.Paragraph([dt.Text("bullet")])]], ordered=False),
    ]


def test_inline_form_puts_paragraphs_and_items_on_their_own_lines():
    assert dt.plain_text(inlines("The Parties shall:\n\n1. withdraw;\n2. exchange prisoners.")) == (
        "The Parties shall:\n1. withdraw;\n2. exchange prisoners.")
    assert inlines("line one  \nline two\nsame line") == [
        dt.Text("line one"), dt.LineBreak(), dt.Text("line two same line")]


def test_headings_and_code_do_not_become_structure():
    assert blocks("# Title") == [dt.Paragraph([dt.Strong([dt.Text("Title")])])]
    assert inlines("use `{{ 7*7 }}` as is") == [dt.Text("use {{ 7*7 }} as is")]
    assert inlines("") == [] and blocks(None) == []
