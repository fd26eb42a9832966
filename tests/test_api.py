"""framework_kit.api as a library: in memory, from several threads, without global side effects."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from conftest import EXAMPLES, UKRAINE
from pypdf import PdfReader

from framework_kit import api
from framework_kit.render import doctree as dt
from framework_kit.render.theme import Theme
from framework_kit.render.writers import Settings, UnknownNode, write

RIVER = EXAMPLES / "invented-river-delta.yaml"


def _cli_render(spec, out) -> dict[str, bytes]:
    done = subprocess.run([sys.executable, "-m", "framework_kit", "render", str(spec), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return {name: (out / name).read_bytes() for name in os.listdir(out)}


def test_render_bytes_from_two_threads_gives_the_cli_files(tmp_path):
    expected = {spec: _cli_render(spec, tmp_path / spec.stem) for spec in (UKRAINE, RIVER)}
    results, errors = {}, []

    def render(spec):
        try:
            results[spec] = api.render_bytes(spec.read_bytes(), str(spec))
        except BaseException as exc:  # reported below, in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=render, args=(spec,)) for spec in (UKRAINE, RIVER)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    for spec, files in expected.items():
        result = results[spec]
        assert result.ok and result.written == []  # nothing touched the disk
        assert {f.filename: f.data for f in result.files} == files


def test_the_library_never_forks_nor_touches_the_umask_or_reportlabs_settings(monkeypatch):
    from reportlab import rl_config

    def forbidden(*args, **kwargs):
        raise AssertionError("the library changed process-wide state")

    before = rl_config.useA85
    monkeypatch.setattr(os, "fork", forbidden)
    monkeypatch.setattr(os, "umask", forbidden)
    monkeypatch.setattr(rl_config, "useA85", before)
    result = api.render_bytes(UKRAINE.read_bytes(), str(UKRAINE), only=["brief"])
    assert result.ok and len(result.files) == 2
    assert rl_config.useA85 == before


class Mystery:
    """A block (or inline) no writer has a rule for."""

    children: list = []


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_writer_refuses_a_node_it_does_not_know(fmt):
    document = dt.Document(dt.Meta(title="t"), [dt.Heading(1, [dt.Text("Title")]),
                                                Mystery()])
    with pytest.raises(UnknownNode, match=f"the {fmt.upper()} writer does not know the document element 'Mystery'"):
        write(fmt, document, Settings(Theme()))


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_a_writer_refuses_an_inline_it_does_not_know(fmt):
    document = dt.Document(dt.Meta(title="t"), [dt.Paragraph([dt.Text("a "), Mystery()])])
    with pytest.raises(UnknownNode, match="'Mystery'"):
        write(fmt, document, Settings(Theme()))


def _waived_bilateral_spec(tmp_path):
    """The example with no qualifying bilateral table, and E101 waived: E104/E105 cannot run."""
    text = UKRAINE.read_text(encoding="utf-8").replace("level: bilateral", "level: other", 1)
    text += "\nchecks:\n  ignore: [E101]\n"
    spec = tmp_path / "waived.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def test_one_assessment_says_what_was_waived_and_what_could_not_be_checked(tmp_path):
    checked = api.check_file(_waived_bilateral_spec(tmp_path))
    assert checked.ok, checked.diagnostics
    verdict = checked.assessment.verdict("essential-1")
    assert verdict.status == "waived"
    assert [rule.code for rule in verdict.waived] == ["E101"]
    assert [rule.code for rule in verdict.unchecked] == ["E104", "E105"]
    assert checked.assessment.levels["bilateral"] == ()


def test_the_brief_reads_its_verdicts_from_the_assessment(tmp_path):
    result = api.render_bytes(_waived_bilateral_spec(tmp_path).read_bytes(), only=["brief"],
                              formats=["pdf"])
    (brief,) = result.files
    import io

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(brief.data)).pages)
    text = " ".join(text.split())
    assert "Waived by the drafters" in text
    assert "Not checked: E104" in text and "E105" in text


def test_threads_embedding_one_font_at_once_embed_it_whole():
    """reportlab cuts a subset by moving a read position kept on the shared face."""
    from reportlab.pdfbase import pdfmetrics

    from framework_kit.render.fonts import register_fonts
    from framework_kit.render.writers.pdf import writer  # noqa: F401  (installs the lock)

    face = pdfmetrics.getFont(register_fonts().bold).face
    subset = [0, *range(32, 127), *range(0x410, 0x450)]
    alone = face.makeSubset(subset)
    made, switching = [], sys.getswitchinterval()

    def embed():
        try:
            made.append(face.makeSubset(subset))
        except Exception as exc:  # a read at the other thread's position can fail outright
            made.append(exc)

    sys.setswitchinterval(1e-6)  # hand the GIL over between almost every bytecode
    try:
        for _ in range(3):
            threads = [threading.Thread(target=embed) for _ in range(6)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    finally:
        sys.setswitchinterval(switching)
    assert len(made) == 18 and all(data == alone for data in made)
