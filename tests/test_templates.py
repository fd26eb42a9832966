"""Templates: the user's folder before the defaults, the sandbox, and T001 diagnostics."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from framework_kit.render import doctree as dt
from framework_kit.render.build import build_documents
from framework_kit.diagnostics import RenderError
from framework_kit.render.templates import environment, markdown_inline, render

from conftest import default_templates_folder


def build(checked, folder: Path, only=("term-sheet-table-a",)) -> dict[str, dt.Document]:
    return {b.key: b.tree for b in build_documents(checked.design, checked.assessment, only=list(only),
                                                   templates_dir=folder)}


def failure(checked, folder: Path, only=("brief",)):
    with pytest.raises(RenderError) as caught:
        build(checked, folder, only)
    [diagnostic] = caught.value.diagnostics
    assert diagnostic.code == "T001" and diagnostic.is_error
    return diagnostic


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def headings(document: dt.Document) -> list[str]:
    return [dt.plain_text(b.children) for b in document.blocks if isinstance(b, dt.Heading)]


# ----------------------------------------------------------------- lookup


def test_an_override_replaces_one_block_and_keeps_the_rest(checked, tmp_path):
    write(tmp_path, "term-sheet.xml", '{% extends "default:term-sheet.xml" %}\n'
          '{% block principles %}<heading level="2">Principles of the Steering Group</heading>'
          '{% endblock %}\n')
    default = build(checked, None)["term-sheet-table-a"]
    custom = build(checked, tmp_path)["term-sheet-table-a"]
    assert "Guiding principles" in headings(default)
    assert headings(custom) == [h if h != "Guiding principles" else "Principles of the Steering Group"
                                for h in headings(default)]
    assert [b for b in custom.blocks if isinstance(b, dt.Clause)] == \
        [b for b in default.blocks if isinstance(b, dt.Clause)]


def test_overriding_a_block_the_parent_lacks_names_the_blocks_it_has(checked, tmp_path):
    path = write(tmp_path, "term-sheet.xml", '{% extends "default:term-sheet.xml" %}\n\n'
                 '{% block legnd %}<p style="legend">Ours</p>{% endblock %}\n')
    diagnostic = failure(checked, tmp_path, only=("term-sheet-table-a",))
    assert (diagnostic.file, diagnostic.span.line) == (str(path), 3)
    assert diagnostic.message == ("the block 'legnd' is not in default:term-sheet.xml, so it would "
                                  "change nothing; did you mean 'legend'?")
    assert "legend" in diagnostic.help and "principles" in diagnostic.help and "body" in diagnostic.help


def test_the_readme_lists_every_block_a_template_may_replace():
    # The block check names the blocks a template has; the README is where a drafter looks first.
    import re

    folder = Path(default_templates_folder())
    readme = (folder / "README.md").read_text(encoding="utf-8")
    listed = readme.split("The blocks are:", 1)[1].split("\n\n")[1]
    for template in sorted(folder.glob("*.xml")):
        for block in re.findall(r"{%-?\s*block\s+(\w+)", template.read_text(encoding="utf-8")):
            assert f"`{block}`" in listed, (template.name, block)


def test_blocks_nested_in_an_override_and_blocks_of_a_grandparent_are_accepted(checked, tmp_path):
    write(tmp_path, "term-sheet.xml", '{% extends "default:term-sheet.xml" %}\n'
          '{% block principles %}{% block my_principles %}<p>Ours</p>{% endblock %}{% endblock %}\n'
          "{% block meta %}{{ super() }}{% endblock %}\n")
    assert build(checked, tmp_path)["term-sheet-table-a"]


def test_an_overridden_base_reaches_every_document(checked, tmp_path):
    base = (default_templates_folder() / "_base.xml").read_text(encoding="utf-8")
    write(tmp_path, "_base.xml", base.replace("{% block closing %}{% endblock %}",
                                              '{% block closing %}{% endblock %}\n<p style="small">Circulated by the MSU</p>'))
    documents = build(checked, tmp_path, only=("brief", "cbm-schedule"))
    for document in documents.values():
        assert dt.plain_text(document.blocks[-1].children) == "Circulated by the MSU"


def test_missing_files_fall_back_to_the_defaults(checked, tmp_path):
    write(tmp_path, "unrelated.xml", "<document/>")
    assert build(checked, tmp_path) == build(checked, None)


def test_a_template_extending_itself_is_stopped(checked, tmp_path):
    path = write(tmp_path, "brief.xml", '{% extends "brief.xml" %}')
    diagnostic = failure(checked, tmp_path)
    assert (diagnostic.file, diagnostic.message) == (str(path), "template stopped: it calls itself without end")


def test_a_failed_lookup_names_every_folder_searched(checked, tmp_path):
    write(tmp_path, "brief.xml", '{% include "letterhead.xml" %}')
    diagnostic = failure(checked, tmp_path)
    assert "letterhead.xml" in diagnostic.message
    assert str(tmp_path) in diagnostic.message and str(default_templates_folder()) in diagnostic.message


@pytest.mark.parametrize("name", ["../secret.xml", "/etc/passwd", "a/../../b.xml", "default:../x.xml"])
def test_names_leaving_the_folder_are_refused(checked, tmp_path, name):
    (tmp_path.parent / "secret.xml").write_text("<document/>", encoding="utf-8")
    write(tmp_path, "brief.xml", '{% include "' + name + '" %}')
    diagnostic = failure(checked, tmp_path)
    assert "not a usable template name" in diagnostic.message


@pytest.mark.parametrize("link", ["folder", "file"])
def test_symbolic_links_leaving_the_folder_are_refused_at_the_including_line(checked, tmp_path, link):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "hostname").write_text("SECRET-HOST", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    if link == "folder":
        (folder / "r").symlink_to(outside)
        name = "r/hostname"
    else:
        (folder / "hostname").symlink_to(outside / "hostname")
        name = "hostname"
    path = write(folder, "brief.xml", '<document>\n<meta title="x"/>\n<p>{% include "' + name + '" %}</p>\n</document>\n')
    diagnostic = failure(checked, folder)
    assert (diagnostic.file, diagnostic.span.line) == (str(path), 3)
    assert "symbolic link leading outside the templates folder" in diagnostic.message
    assert "SECRET-HOST" not in diagnostic.message + diagnostic.help


def test_a_top_level_template_linked_from_outside_is_refused(checked, tmp_path):
    (tmp_path / "other.xml").write_text('<document><meta title="x"/></document>', encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "brief.xml").symlink_to(tmp_path / "other.xml")
    assert "symbolic link" in failure(checked, folder).message


def test_symbolic_links_inside_the_folder_are_followed(checked, tmp_path):
    write(tmp_path, "notice.xml", '<p style="small">Linked notice</p>')
    (tmp_path / "parts").mkdir()
    (tmp_path / "parts" / "notice.xml").symlink_to(tmp_path / "notice.xml")
    write(tmp_path, "brief.xml", '{% extends "default:brief.xml" %}\n'
          '{% block closing %}{% include "parts/notice.xml" %}{% endblock %}\n')
    documents = build(checked, tmp_path, only=("brief",))
    assert dt.plain_text(documents["brief"].blocks[-1].children) == "Linked notice"


# ----------------------------------------------------------------- errors with file and line


def test_an_undefined_variable_is_t001_with_file_and_line(checked, tmp_path):
    path = write(tmp_path, "brief.xml", '{% extends "default:brief.xml" %}\n'
                 "{% block summary %}\n<p>{{ process.sumary }}</p>\n{% endblock %}\n")
    diagnostic = failure(checked, tmp_path)
    assert diagnostic.file == str(path) and diagnostic.span.line == 3
    assert "sumary" in diagnostic.message and "README" in diagnostic.help


def test_a_syntax_error_is_t001_with_its_line(checked, tmp_path):
    path = write(tmp_path, "brief.xml", "<document>\n<meta title='x'/>\n{% for %}\n</document>\n")
    diagnostic = failure(checked, tmp_path)
    assert (diagnostic.file, diagnostic.span.line) == (str(path), 3)
    assert diagnostic.message.startswith("template syntax error")


def test_malformed_output_names_the_template(checked, tmp_path):
    path = write(tmp_path, "brief.xml", '<document>\n<meta title="x"/>\n<p>unclosed\n</document>\n')
    diagnostic = failure(checked, tmp_path)
    assert (diagnostic.file, diagnostic.span.line) == (str(path), 3)
    assert diagnostic.message == "<p> is not closed before </document>"
    assert "</p>" in diagnostic.help


def test_an_unclosed_element_in_a_block_is_reported_once_at_its_own_line(checked, tmp_path):
    # Every term sheet is made by this template: one problem, one diagnostic, at line 3 of the file.
    path = write(tmp_path, "term-sheet.xml", '{% extends "default:term-sheet.xml" %}\n'
                 "{% block legend %}\n<p>Legend of {{ table.name }}\n{% endblock %}\n")
    with pytest.raises(RenderError) as caught:
        build(checked, tmp_path, only=("term-sheets",))
    assert len(checked.design.tables) > 1
    [diagnostic] = caught.value.diagnostics
    assert (diagnostic.file, diagnostic.span.line) == (str(path), 3)
    assert diagnostic.message.startswith("<p> is not closed before </")
    assert "output" not in diagnostic.message


def test_a_mistake_in_an_included_file_points_into_that_file(checked, tmp_path):
    write(tmp_path, "brief.xml", '{% extends "default:brief.xml" %}\n'
          '{% block closing %}\n{% include "notice.xml" %}\n{% endblock %}\n')
    notice = write(tmp_path, "notice.xml", '<p style="small">Circulated\n by the MSU</p>\n'
                   '<p>Contact: {{ process.title }} <bold>desk</bold></p>\n')
    diagnostic = failure(checked, tmp_path)
    assert (diagnostic.file, diagnostic.span.line) == (str(notice), 3)
    assert diagnostic.message.startswith("<bold> is not part of the template vocabulary")


def test_markup_a_macro_prints_points_at_the_line_that_prints_it(checked, tmp_path):
    path = write(tmp_path, "brief.xml", '{% extends "default:brief.xml" %}\n'
                 "{% macro seal() %}<stamp>MSU</stamp>{% endmacro %}\n"
                 "{% block closing %}\n<p>Sealed: {{ seal() }}</p>\n<p>For the record</p>\n"
                 "<p>Done</p>\n{% endblock %}\n")
    diagnostic = failure(checked, tmp_path)
    assert (diagnostic.file, diagnostic.span.line) == (str(path), 4)
    assert diagnostic.message.startswith("<stamp> is not part of the template vocabulary")


def test_three_thousand_nested_elements_are_t001_not_a_recursion_error(checked, tmp_path):
    path = write(tmp_path, "brief.xml", '<document>\n<meta title="x"/>\n'
                 "<p>{{ '<b>' * 3000 }}deep{{ '</b>' * 3000 }}</p>\n</document>\n".replace(
                     "{{ '<b>' * 3000 }}", "<b>" * 3000).replace("{{ '</b>' * 3000 }}", "</b>" * 3000))
    diagnostic = failure(checked, tmp_path)
    assert (diagnostic.file, diagnostic.span.line) == (str(path), 3)
    assert "<b> is nested more than 100 elements deep" in diagnostic.message


def test_an_unknown_element_points_at_the_line_that_writes_it(checked, tmp_path):
    path = write(tmp_path, "brief.xml", '<document>\n<meta title="x"/>\n\n<paragraph>Hello</paragraph>\n</document>\n')
    diagnostic = failure(checked, tmp_path)
    assert (diagnostic.file, diagnostic.span.line) == (str(path), 4)
    assert "<paragraph> is not part of the template vocabulary" in diagnostic.message
    assert "known elements" in diagnostic.help


def test_a_doctype_with_entities_is_refused(checked, tmp_path):
    write(tmp_path, "brief.xml", '<!DOCTYPE document [<!ENTITY boom "x">]>\n'
          '<document><meta title="&boom;"/></document>\n')
    assert "DOCTYPE" in failure(checked, tmp_path).message


# ----------------------------------------------------------------- sandbox


@pytest.mark.parametrize("expression", [
    "''.__class__.__mro__",
    "cycler.__init__.__globals__",
    "process.__class__",
    "joiner.__init__.__globals__['os']",
    "''.format",
    "range.__self__",
])
def test_escape_attempts_are_refused(checked, tmp_path, expression):
    write(tmp_path, "brief.xml", "<document>\n<meta title=\"x\"/>\n<p>{{ " + expression + " }}</p>\n</document>")
    diagnostic = failure(checked, tmp_path)
    assert diagnostic.span.line == 3
    assert "sandbox" in diagnostic.message or "undefined" in diagnostic.message


def test_the_context_is_plain_data(checked):
    from framework_kit.render.view import view_model

    def walk(value):
        if isinstance(value, dict):
            assert all(isinstance(k, str) for k in value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        else:
            assert value is None or isinstance(value, (str, int, bool)), type(value)

    walk(view_model(checked.design, checked.assessment))


@pytest.mark.parametrize("body, words", [
    ("{% for i in range(10**9) %}x{% endfor %}", "range() of 1,000,000,000 numbers"),
    ("{{ (10 ** 9) | string | truncate(10**7) }}", "too large"),
    ("{{ '{0:>999999999}'.format(1) }}", "sandbox"),
    ("{% for i in range(1000000) %}x{% endfor %}", "range()"),
    ("{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}", "more than 200,000"),
    ("{{ 'x' * 100000000 }}", "4,000,000 characters"),
    ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
     "4,000,000 characters"),
    ("{{ 'x' | center(100) }}", "No filter named 'center'"),
    ("{{ 'x' | safe }}", "No filter named 'safe'"),
    ("{{ '%099999999d' % 1 }}", "very wide"),
    ("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "calls itself"),
])
def test_runaway_templates_stop_quickly(checked, tmp_path, body, words):
    write(tmp_path, "brief.xml", '<document><meta title="x"/>' + body + "</document>")
    started = time.monotonic()
    diagnostic = failure(checked, tmp_path)
    assert time.monotonic() - started < 10  # stopped by the budget, well before this
    assert words in diagnostic.message


def test_the_markdown_filter_escapes_and_allows_only_safe_links():
    markup = markdown_inline("**AT&T** <font size=500> [a](https://x.org/?a=1&b=2) [b](ftp://x.org)")
    assert str(markup) == ('<b>AT&amp;T</b> &lt;font size=500&gt; '
                           '<a href="https://x.org/?a=1&amp;b=2">a</a> b')


def test_render_reports_the_template_path(tmp_path):
    path = write(tmp_path, "x.xml", "line one\n{{ missing }}\n")
    env = environment(tmp_path)
    output, used = render(env, "default:_macros.xml", {})
    assert used == str(default_templates_folder() / "_macros.xml") and output.strip() == ""
    from framework_kit.render.templates import TemplateProblem

    with pytest.raises(TemplateProblem) as caught:
        render(env, "x.xml", {})
    assert (caught.value.diagnostic.file, caught.value.diagnostic.span.line) == (str(path), 2)


def test_the_shared_environment_sees_an_edit_and_a_new_override_at_once(tmp_path):
    # A batch keeps one environment per folder; compiled templates must not go stale.
    from framework_kit.render.templates import shared_environment

    write(tmp_path, "x.xml", "first {{ 1 }}")
    assert render(shared_environment(tmp_path), "x.xml", {})[0] == "first 1"
    write(tmp_path, "x.xml", "second {{ 2 }}")  # same size, likely within one clock tick
    assert render(shared_environment(tmp_path), "x.xml", {})[0] == "second 2"
    assert shared_environment(tmp_path) is shared_environment(tmp_path)

    user = tmp_path / "user"
    user.mkdir()
    output, used = render(shared_environment(user), "_macros.xml", {})  # compiled from the default
    assert output.strip() == "" and used == str(default_templates_folder() / "_macros.xml")
    write(user, "_macros.xml", "mine")
    assert render(shared_environment(user), "_macros.xml", {}) == ("mine", str(user / "_macros.xml"))


def test_a_batch_compiles_each_template_once(checked, monkeypatch):
    from framework_kit.render import templates

    monkeypatch.setenv("KIT_NO_CACHE", "1")  # the compiled code kept between runs is another test's
    compiled = []
    original = templates.KitEnvironment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(templates.KitEnvironment, "compile", counting)
    templates._SHARED.environments = {}
    for _ in range(3):
        build_documents(checked.design, checked.assessment)
    assert compiled and len(compiled) == len(set(compiled))
