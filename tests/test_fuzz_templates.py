"""Property-based: random hostile templates never escape the sandbox.

A template shared between offices may be careless or malicious. Snippets built from
the pieces of known Jinja escapes (``__class__``, ``mro``, ``__globals__``, ``lipsum``,
``cycler``, ``self``, ``config``, ``request``, ``attr``/``map`` filters, huge ranges and
repetitions) are placed in an override template. Whatever they do, the render ends in
bounded time with either documents or a T001 diagnostic; no exception escapes, nothing
is written outside OUTDIR, and no secret of the process (an environment variable, a
file) reaches a document.
"""

from __future__ import annotations

import os
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from framework_kit import api

from conftest import UKRAINE
from hostile import pdf_text

SECRET = "kit-canary-5b1f0c"
BASES = ["''", "()", "[]", "{}", "lipsum", "cycler", "joiner", "namespace", "range", "dict", "self",
         "config", "request", "process", "participants", "loop", "caller", "varargs", "kwargs",
         "m", "x", "ns", "namespace()", "cycler(1, 2)", "joiner()", "dict(a=1)", "range(3)"]
LINKS = [".__class__", ".__mro__", ".mro()", ".__subclasses__()", ".__base__", ".__bases__[0]",
         ".__init__", ".__globals__", ".__builtins__", "['os']", ".os", ".environ",
         f".popen('touch PWNED; echo {SECRET}')", ".read()", ".system('touch PWNED')",
         ".__dict__", "._TemplateReference__context", ".items()", ".values()", ".keys()",
         ".format(1)", ".format_map({})", ".__getitem__('os')", "[0]", "[-1]", ".next()",
         ".current", ".reset()", ".__call__", ".__func__", ".__self__", ".__code__",
         ".co_consts", ".func_globals", ".get('os')", ".pop()", ".append(1)", ".update(a=1)",
         "|attr('__class__')", "|attr('__globals__')", "|attr('__init__')",
         "|map(attribute='__class__')|list", "|map('upper')|list", "|list", "|string",
         "|join(',')", "|first", "|reverse", "|sort", "|length", "|e", "|format(1)",
         " * 10**9", " * 99999", " ** 99", " ~ 'x'", " + 'x'", " % 1", "(10**9)", "()"]
PREFIXES = ["", "''.join(", "(", "dict(a=", "namespace(v="]
ROOTS = ["{{ %s }}", "{%% for x in %s %%}{{ x }}{%% endfor %%}",
         "{%% set y = %s %%}{{ y }}", "{%% if %s %%}yes{%% endif %%}",
         "{%% for i in range(10**9) %%}{{ %s }}{%% endfor %%}",
         "{%% for i in range(10000) %%}{%% for j in range(10000) %%}{{ %s }}{%% endfor %%}{%% endfor %%}",
         "{%% macro f(n) %%}{{ %s }}{{ f(n) }}{%% endmacro %%}{{ f(1) }}",
         "{%% set ns = namespace(s='xx') %%}{%% for i in range(40) %%}"
         "{%% set ns.s = ns.s ~ ns.s %%}{%% endfor %%}{{ %s }}{{ ns.s|length }}",
         "{%% include %s %%}", "{%% import %s as q %%}", "{%% extends %s %%}"]
INCLUDED = ["'../../etc/passwd'", "'/etc/passwd'", "'default:brief.xml'", "'brief.xml'",
            "'_macros.xml'", "'..\\\\x'", "'file:///etc/passwd'"]


@st.composite
def expressions(draw) -> str:
    base = draw(st.sampled_from(BASES))
    chain = "".join(draw(st.lists(st.sampled_from(LINKS), max_size=6)))
    prefix = draw(st.sampled_from(PREFIXES))
    return prefix + base + chain + (")" if prefix else "")


@st.composite
def snippets(draw) -> str:
    root = draw(st.sampled_from(ROOTS))
    inner = draw(st.sampled_from(INCLUDED)) if root.startswith("{%% include") or \
        root.startswith(("{%% import", "{%% extends")) else draw(expressions())
    return root % inner


@st.composite
def templates(draw) -> tuple[str, str]:
    """(file name, template text): an override of a whole document or of one block of it."""
    body = "\n".join(draw(st.lists(snippets(), min_size=1, max_size=3)))
    if draw(st.booleans()):
        return "brief.xml", ('{% extends "default:brief.xml" %}\n{% block body %}\n<p>' + body
                             + "</p>\n{{ super() }}\n{% endblock %}\n")
    return "brief.xml", '<document>\n<meta title="x"/>\n<p>' + body + "</p>\n</document>\n"


def _everything(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _document_text(path) -> str:
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as archive:
            return "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return pdf_text(path)


@pytest.fixture(autouse=True)
def canary(monkeypatch):
    monkeypatch.setenv("KIT_CANARY", SECRET)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(templates())
def test_random_hostile_templates_stay_in_the_sandbox(tmp_path_factory, template):
    root = tmp_path_factory.mktemp("tpl")
    folder, out = root / "templates", root / "out"
    folder.mkdir()
    name, text = template
    (folder / name).write_text(text, encoding="utf-8")
    (root / "secret.txt").write_text(SECRET, encoding="utf-8")
    before = _everything(root)
    cwd = os.getcwd()
    os.chdir(root)  # a relative `touch PWNED` would land here
    try:
        started = time.monotonic()
        result = api.render_file(UKRAINE, out, formats=("pdf",), only=("brief",), templates_dir=folder)
        elapsed = time.monotonic() - started
    finally:
        os.chdir(cwd)
    assert elapsed < 20, text
    errors = [d for d in result.diagnostics if d.is_error]
    assert all(d.code == "T001" for d in errors), [(d.code, d.message) for d in errors]
    if errors:
        assert not result.written and _everything(root) == before
        assert all(SECRET not in d.message for d in errors)
    else:
        assert result.exit_code == 0, result.problem
        added = _everything(root) - before
        assert added == {"out"} | {f"out/{p.name}" for p, _ in result.written}
        for path, _ in result.written:
            assert SECRET not in _document_text(path)
    assert not (root / "PWNED").exists() and not os.path.exists("PWNED")
