"""Start-up: each command imports only what it needs (proved by sys.modules, not by timings).

Each case runs ``kit`` in a fresh interpreter and lists the modules loaded by
the end of the command. The heavy libraries are what makes start-up slow:
``kit --help`` or ``kit check`` must not pay for the writers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ukraine-three-level.yaml"

# Run the CLI as `kit` would, then print every module loaded (the exit is caught). Rendering
# stays in one process (KIT_SERIAL), so that the DOCX writer's imports are seen too.
_PROBE = """
import json, os, runpy, sys
os.environ["KIT_SERIAL"] = "1"
import framework_kit.cli
framework_kit.cli._leave = lambda code: None  # exit normally, so the list below is printed
sys.argv = ["kit"] + json.loads(sys.argv[1])
try:
    runpy.run_module("framework_kit", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
sys.__stdout__.write("\\nMODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""

RENDERING = ("reportlab", "docx", "lxml", "jinja2", "markdown_it", "PIL", "pikepdf", "fontTools",
             "uharfbuzz._harfbuzz", "bidi")
# Right-to-left text only: shaping (reportlab imports uharfbuzz; a stand-in takes its place
# until a text is shaped), the bidi algorithm and the Arabic font.
RIGHT_TO_LEFT = ("uharfbuzz._harfbuzz", "bidi", "fontpkg_amiri")
WEB = ("starlette", "uvicorn", "anyio", "pypdfium2", "framework_kit.serve")  # kit serve only


def loaded_modules(*args: str) -> set[str]:
    """The modules imported by ``kit ARGS`` in a new process."""
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(list(args))],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    marker = [line for line in done.stdout.splitlines() if line.startswith("MODULES ")]
    assert marker, f"the probe did not finish: {done.stderr[-2000:]}"
    return set(json.loads(marker[-1][len("MODULES "):]))


def roots(modules: set[str], names) -> set[str]:
    """Which of the top-level packages ``names`` (or dotted prefixes) are among ``modules``."""
    return {name for name in names for module in modules
            if module == name or module.startswith(name + ".")}


@pytest.mark.parametrize("args", [
    ("--help",),
    ("check", str(EXAMPLE)),
    ("explain",),
    ("explain", "E203"),
], ids=["help", "check", "explain-list", "explain-code"])
def test_light_commands_import_no_rendering_library(args):
    modules = loaded_modules(*args)
    assert "framework_kit.cli" in modules  # the probe really ran the command
    assert roots(modules, RENDERING) == set()
    assert roots(modules, WEB) == set()
    assert roots(modules, ["framework_kit.render.templates", "framework_kit.render.writers"]) == set()


def test_check_loads_neither_the_render_command_nor_the_assessment():
    # kit check prints the rules' diagnostics; the essentials' verdicts only with --verbose.
    modules = loaded_modules("check", str(EXAMPLE))
    assert "framework_kit.rules.registry" in modules  # the rules did run
    assert roots(modules, ["framework_kit.cli.render", "framework_kit.rules.assessment"]) == set()
    assert "framework_kit.rules.assessment" in loaded_modules("check", "--verbose", str(EXAMPLE))


def test_serve_help_loads_no_web_stack():
    modules = loaded_modules("serve", "--help")
    assert "framework_kit.cli" in modules
    assert roots(modules, WEB + RENDERING) == set()


def test_pdf_render_loads_no_docx_writer(tmp_path):
    modules = loaded_modules("render", str(EXAMPLE), "--format", "pdf", "-o", str(tmp_path))
    assert list(tmp_path.glob("*.pdf")) and not list(tmp_path.glob("*.docx"))
    assert "framework_kit.render.writers.pdf" in modules
    # reportlab writes the PDF/A structure itself: pikepdf (and the lxml it writes XMP with,
    # jsonschema and fontTools' CFF code its PDF/A module pulls in) cost a third of a second.
    assert roots(modules, ["docx", "framework_kit.render.writers.docx",
                           "framework_kit.render.writers.docx.ooxml", "pikepdf", "lxml",
                           "jsonschema", "fontTools.cffLib"]) == set()
    assert roots(modules, RIGHT_TO_LEFT) == set()  # a Latin and Cyrillic design
    # reportlab imports Pillow's Image module; a stand-in takes its place, never loaded: a PDF
    # holds no bitmap (Image itself loads PIL._imaging).
    assert "PIL.Image" in modules and roots(modules, ["PIL._imaging", "PIL.ExifTags"]) == set()


def test_docx_render_loads_no_pdf_layout_engine(tmp_path):
    modules = loaded_modules("render", str(EXAMPLE), "--format", "docx", "-o", str(tmp_path))
    assert list(tmp_path.glob("*.docx")) and not list(tmp_path.glob("*.pdf"))
    assert "framework_kit.render.writers.docx" in modules
    # The figure's PNG needs Pillow and the font metrics; python-docx is not needed at all.
    assert roots(modules, ["reportlab.platypus", "reportlab.graphics", "docx",
                           "framework_kit.render.writers.pdf"]) == set()
    assert "PIL._imaging" in modules  # the figure's PNG: the stand-in loaded Pillow when used


_AT_FORK = """
import json, sys
import framework_kit.cli, framework_kit.forking as forking
seen, real = [], forking.ForkedCall.__init__
def noting(self, fn, args):
    seen.append(sorted(m for m in sys.modules if m.startswith(("lxml", "framework_kit.render.writers.docx."))))
    real(self, fn, args)
forking.ForkedCall.__init__ = noting
framework_kit.cli._leave = lambda code: None
sys.argv = ["kit"] + json.loads(sys.argv[1])
try:
    framework_kit.cli.main()
except SystemExit:
    pass
sys.__stdout__.write("\\nAT_FORK " + json.dumps(seen) + "\\n")
"""


@pytest.mark.skipif(sys.platform != "linux" or (os.cpu_count() or 1) < 2, reason="kit render forks on Linux with two cores")
def test_the_process_laying_out_the_pdfs_leaves_the_docx_writer_to_its_child(tmp_path):
    # Imported before the fork, lxml and the DOCX writer (about 15 ms) would delay the PDFs,
    # the longer of the two sides; only the choice of reference document is made here.
    done = subprocess.run([sys.executable, "-c", _AT_FORK, json.dumps(["render", str(EXAMPLE), "-o", str(tmp_path)])],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    marker = [line for line in done.stdout.splitlines() if line.startswith("AT_FORK ")]
    assert marker, done.stderr[-2000:]
    assert len(list(tmp_path.glob("*.docx"))) == 6
    assert json.loads(marker[-1][len("AT_FORK "):]) == [["framework_kit.render.writers.docx.reference_choice"]]


def test_the_probe_sees_a_module_that_is_imported(tmp_path):
    # Guards the test itself: a probe that saw nothing would pass every case above.
    modules = loaded_modules("render", str(EXAMPLE), "-o", str(tmp_path))
    assert {"reportlab.platypus", "lxml", "jinja2"} <= roots(modules, ["reportlab.platypus", "lxml", "jinja2"])


# Each probe imports a module through lazy_patterns in a fresh interpreter, checks that
# re.compile is restored and the pattern deferred, then uses the library as usual.
_DEFERRED = {
    "platypus": ("framework_kit.render.writers.pdf", "from reportlab.platypus import paragraph",
                 "paragraph.uri_pat",
                 "pairs = paragraph._uri_split_pairs('https://example.org/a/b')\n"
                 "assert pairs[0] == ('https://example.org/a/', 'b'), pairs\n"
                 "assert paragraph._uri_split_pairs('not a uri') is None"),
    "yaml": ("framework_kit.spec.load", "import yaml", "yaml.reader.Reader.NON_PRINTABLE",
             "data = yaml.safe_load('a: 1\\nb: [yes, 2026-11-26, 0.5, ~]\\n')\n"
             "assert data == {'a': 1, 'b': [True, __import__('datetime').date(2026, 11, 26), 0.5, None]}, data"),
}


@pytest.mark.parametrize("module, library, pattern, use", _DEFERRED.values(), ids=_DEFERRED.keys())
def test_a_library_is_imported_with_its_patterns_deferred_and_still_works(module, library, pattern, use):
    probe = (f"import re; compile_before = re.compile\nimport {module}\n{library}\n"
             f"assert re.compile is compile_before\n"
             f"assert type({pattern}).__name__ == '_CompiledOnFirstUse'\n{use}\nprint('ok')\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.mark.parametrize("edit, code, last", [
    (None, 0, "no problems"),
    (("kit: 1", "kit: 2"), 1, "1 error"),
], ids=["clean", "errors"])
def test_the_quick_exit_keeps_the_exit_code_and_every_line(tmp_path, edit, code, last):
    # kit ends without tearing the interpreter down (cli._leave): output must still arrive whole.
    text = EXAMPLE.read_text(encoding="utf-8")
    if edit:
        text = text.replace(*edit)
    spec = tmp_path / "spec.yaml"
    spec.write_text(text, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "framework_kit", "check", str(spec)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == code
    assert done.stdout.rstrip("\n").splitlines()[-1].startswith(f"{spec}: ")
    assert last in done.stdout.splitlines()[-1]
    missing = subprocess.run([sys.executable, "-m", "framework_kit", "check", str(tmp_path / "none.yaml")],
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "none.yaml" in missing.stdout + missing.stderr


def test_the_command_line_collects_garbage_less_often_and_the_library_not_at_all_differently():
    code = ("import gc; default = gc.get_threshold(); import framework_kit.api; library = gc.get_threshold(); "
            "import framework_kit.cli; print(default == library, gc.get_threshold())")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True (100000, 10, 10)", done.stderr[-2000:]


def test_a_batch_collects_with_pythons_own_thresholds(tmp_path):
    import gc

    from typer.testing import CliRunner

    from framework_kit.cli import app

    folder = tmp_path / "specs"
    folder.mkdir()
    for spec in (EXAMPLE, EXAMPLE.parent / "invented-river-delta.yaml"):  # two processes, two sets of names
        (folder / spec.name).write_bytes(spec.read_bytes())
    before = gc.get_threshold()
    gc.set_threshold(100_000, 10, 10)
    try:
        result = CliRunner().invoke(app, ["render", str(folder), "-o", str(tmp_path / "out"), "--format", "docx"])
        assert result.exit_code == 0, result.output
        assert gc.get_threshold() == (700, 10, 10)
    finally:
        gc.set_threshold(*before)
