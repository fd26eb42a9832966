"""`kit render` and `kit templates export`, through typer's test runner and framework_kit.api."""

from __future__ import annotations

import io
import os
import shutil
import time
import zipfile

import pytest
from conftest import UKRAINE, write_spec
from pypdf import PdfReader

from framework_kit import api
from framework_kit.cli import app

from framework_kit.data import data_folder
from framework_kit.documents import RenderedFile

STEM = "ukraine-three-level-process_v0.3_"
KEYS = ("brief", "term-sheet-table-a", "term-sheet-table-b", "term-sheet-table-c",
        "buffer-zone-annex", "cbm-schedule")
EXPECTED = sorted(f"{STEM}{key}.{ext}" for key in KEYS for ext in ("docx", "pdf"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """The Ukraine example rendered once with the defaults: (folder, RenderResult)."""
    out = tmp_path_factory.mktemp("default")
    result = api.render_file(UKRAINE, out)
    assert result.ok, (result.diagnostics, result.problem)
    return out, result


def files_in(folder) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in sorted(os.listdir(folder))}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml").decode("utf-8")


def spec_with(tmp_path, name: str, old: str, new: str):
    text = UKRAINE.read_text(encoding="utf-8")
    assert old in text
    return write_spec(tmp_path, text.replace(old, new), name)


# ----------------------------------------------------------------- api


def test_ukraine_renders_every_document_with_expected_names_and_pages(rendered):
    out, result = rendered
    assert sorted(os.listdir(out)) == EXPECTED
    pdf = {r.key: r.pages for _, r in result.written if r.format == "pdf"}
    docx = {r.key: r.pages for _, r in result.written if r.format == "docx"}
    # Word lays out a DOCX itself: its page count is not ours to know, so none is claimed.
    assert set(pdf) == set(KEYS) and docx == dict.fromkeys(KEYS)
    for key in KEYS:
        data = (out / f"{STEM}{key}.pdf").read_bytes()
        assert len(PdfReader(io.BytesIO(data)).pages) == pdf[key]
    assert "Term Sheet" in pdf_text((out / f"{STEM}term-sheet-table-a.pdf").read_bytes())
    assert "Table A: Bilateral Negotiations" in docx_text((out / f"{STEM}term-sheet-table-a.docx").read_bytes())
    assert "Table B: Regional Arrangements" in pdf_text((out / f"{STEM}brief.pdf").read_bytes())


def test_two_renders_are_byte_identical_whatever_the_clock(rendered, tmp_path, monkeypatch):
    out, _ = rendered
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + 400 * 86400)
    again = api.render_file(UKRAINE, tmp_path)
    assert again.ok
    assert files_in(tmp_path) == files_in(out)


def test_source_date_epoch_sets_the_embedded_dates_and_nothing_else_varies(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    first = api.render_file(UKRAINE, tmp_path / "a", only=["brief"])
    second = api.render_file(UKRAINE, tmp_path / "b", only=["brief"])
    assert first.ok and second.ok
    assert files_in(tmp_path / "a") == files_in(tmp_path / "b")
    pdf = (tmp_path / "a" / f"{STEM}brief.pdf").read_bytes()
    assert PdfReader(io.BytesIO(pdf)).metadata["/CreationDate"].startswith("D:20231114")
    with zipfile.ZipFile(tmp_path / "a" / f"{STEM}brief.docx") as package:
        assert b"2023-11-14T22:13:20Z" in package.read("docProps/core.xml")
    # The printed date stays the spec's.
    assert "25 November 2026" in pdf_text(pdf)


def test_asking_for_an_absent_document_writes_nothing(tmp_path):
    spec = write_spec(tmp_path, UKRAINE.read_text(encoding="utf-8") + "\ndocuments: [brief]\n", "brief-only.yaml")
    result = api.render_file(spec, tmp_path / "out", only=["cbm-schedule"])
    assert "the spec's 'documents' list names only brief, so cbm-schedule is not rendered" in result.problem
    assert not result.ok and result.exit_code == 1
    assert not (tmp_path / "out").exists()


def test_only_and_formats_limit_the_output(tmp_path):
    result = api.render_file(UKRAINE, tmp_path, formats=("docx",), only=["brief", "cbm-schedule"])
    assert result.ok
    assert sorted(os.listdir(tmp_path)) == [f"{STEM}brief.docx", f"{STEM}cbm-schedule.docx"]
    assert all(r.pages is None for _, r in result.written)  # no PDF twin to count from


def test_invalid_spec_writes_nothing(tmp_path):
    spec = spec_with(tmp_path, "bad.yaml", "status: undetermined\n    held_by: russia\n    claimed_by: ukraine\n"
                     "    description", "status: annexed\n    held_by: russia\n    claimed_by: ukraine\n"
                     "    description")
    out = tmp_path / "out"
    result = api.render_file(spec, out)
    assert not result.ok and result.exit_code == 1
    assert [d.code for d in result.diagnostics if d.is_error] == ["E201"]
    assert not out.exists()


def test_template_error_is_a_diagnostic_and_writes_nothing(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "brief.xml").write_text("<document>\n{{ no_such_thing.title }}\n</document>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = api.render_file(UKRAINE, out, templates_dir=folder)
    assert not result.ok
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "T001" and problem.file == str(folder / "brief.xml")
    assert "no_such_thing" in problem.message
    assert not out.exists()


def test_bad_theme_is_a_diagnostic(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "theme.yaml").write_text("page_size: A3\n", encoding="utf-8")
    result = api.render_file(UKRAINE, tmp_path / "out", templates_dir=folder)
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "R001" and "one of A4, Letter" in problem.message
    assert (problem.span.line, problem.span.column) == (1, 12)
    assert problem.file.endswith("theme.yaml")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name, code", [("theme.yaml", "R001"), ("reference.docx", "R002")])
def test_a_theme_or_reference_linked_from_outside_the_templates_folder_is_refused(tmp_path, name, code):
    secret = tmp_path / "secret"
    secret.write_text("page_size: Letter\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / name).symlink_to(secret)
    result = api.render_file(UKRAINE, tmp_path / "out", templates_dir=folder)
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == code and "symbolic link leading outside" in problem.message
    assert problem.file == str(folder / name)
    assert not (tmp_path / "out").exists()


def test_bad_values_raise():
    with pytest.raises(ValueError, match="choose from docx, pdf"):
        api.check_formats(["odt"])
    with pytest.raises(ValueError, match="choose from brief"):
        api.check_documents(["briefs"])


# ----------------------------------------------------------------- CLI


def _pages_of(folder):
    """What each file in ``folder`` should report: the PDF's own page count; none for a DOCX."""
    out = []
    for name in sorted(os.listdir(folder)):
        pages = len(PdfReader(folder / name).pages) if name.endswith(".pdf") else None
        out.append(RenderedFile("", "", "", name, name.rsplit(".", 1)[1], b"", pages))
    return out


def test_cli_render_lists_files_with_pages(runner, tmp_path):
    result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(tmp_path / "out")) == EXPECTED
    lines = result.output.splitlines()
    pages = {r.filename: r.pages for r in _pages_of(tmp_path / "out")}
    for name in EXPECTED:
        count = pages[name]
        suffix = f" ({count} page{'s' if count > 1 else ''})" if count else ""
        assert f"wrote {tmp_path / 'out' / name}{suffix}" in lines
    assert sum(line.startswith("wrote ") for line in lines) == 12
    assert "Traceback" not in result.output


def test_cli_invalid_spec_exits_1_and_writes_nothing(runner, tmp_path):
    spec = spec_with(tmp_path, "bad.yaml", "administered_by: [un]", "administered_by: [russia]")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(spec), "-o", str(out)])
    assert result.exit_code == 1
    assert "error E203" in result.output
    assert "nothing written" in result.output
    assert not out.exists()


def test_cli_template_error_quotes_the_template_line(runner, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "brief.xml").write_text("<document>\n{{ no_such_thing.title }}\n</document>\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(out), "--templates", str(folder)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    head = next(i for i, line in enumerate(lines) if "error T001" in line)
    assert lines[head].startswith(f"{folder / 'brief.xml'}:2:1: error T001")
    assert lines[head + 1].endswith("| {{ no_such_thing.title }}")
    assert f"{UKRAINE}: not rendered; nothing written for it" in lines
    assert not out.exists()


def test_cli_render_replaces_a_link_planted_in_the_output_folder(runner, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("minutes of the meeting", encoding="utf-8")
    first = runner.invoke(app, ["render", str(UKRAINE), "-o", str(out), "--only", "brief", "--format", "pdf"])
    assert first.exit_code == 0, first.output
    [pdf] = [p for p in out.iterdir() if p.suffix == ".pdf"]
    pdf.unlink()
    pdf.symlink_to("notes.txt")
    result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(out), "--only", "brief", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "minutes of the meeting"
    assert not pdf.is_symlink() and pdf.read_bytes().startswith(b"%PDF")
    assert "notes.txt" not in result.output and f"wrote {pdf}" in result.output


@pytest.mark.parametrize("name", ["theme.yaml", "brief.xml"])
def test_cli_never_quotes_the_target_of_a_link_leading_out_of_the_templates_folder(
        runner, tmp_path, monkeypatch, name):
    # The refusal's excerpt was read through the link: the first line of any file was printed.
    secret = tmp_path / "secret"
    secret.write_text("root-password-hash\n", encoding="utf-8")
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / name).symlink_to(secret)
    monkeypatch.chdir(folder)  # a top-level template's problem is filed under its bare name
    result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(tmp_path / "out"), "--templates", "."])
    assert result.exit_code == 1 and "symbolic link leading outside" in result.output, result.output
    assert "root-password-hash" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_unusable_reference_doc_is_reported_and_nothing_written(runner, tmp_path):
    fake = tmp_path / "reference.docx"
    fake.write_text("not a Word file", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(out), "--reference-doc", str(fake)])
    assert result.exit_code == 1
    assert f"{fake}:1:1: error R002" in result.output
    assert "not a Word file" not in result.output  # no excerpt of a file that is not text to fix
    assert not out.exists()


def test_cli_usage_errors_exit_2(runner, tmp_path):
    for args, message in (
        (["--format", "odt"], "unknown format 'odt'; choose from docx, pdf"),
        (["--format", ""], "choose from docx, pdf"),
        (["--only", "brief,annex"], "unknown document 'annex'"),
        (["--templates", str(tmp_path / "nowhere")], "no such folder"),
        (["--reference-doc", str(tmp_path / "ref.docx")], "no such file"),
    ):
        result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(tmp_path / "out"), *args])
        assert result.exit_code == 2, args
        assert message in result.output, (args, result.output)
    assert not (tmp_path / "out").exists()


def test_cli_unreadable_spec_exits_2(runner, tmp_path):
    result = runner.invoke(app, ["render", str(tmp_path / "missing.yaml"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "no such file" in result.output


def test_cli_batch_goes_on_past_a_bad_spec(runner, tmp_path):
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(UKRAINE, specs / "a-ukraine.yaml")
    spec_with(specs, "b-broken.yaml", "kit: 1", "kit: 2")
    spec_with(specs, "c-other.yaml", "short_title: Ukraine three-level process", "short_title: Second design")
    (specs / "notes.txt").write_text("not a spec")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(specs), "-o", str(out), "--format", "pdf"])
    assert result.exit_code == 1, result.output
    assert "[2/3]" in result.output and "error S007" in result.output
    assert result.output.splitlines()[-1] == (
        f"rendered 2 of 3 specs: 12 files in {out}; failed: {specs / 'b-broken.yaml'}")
    names = os.listdir(out)
    assert len(names) == 12 and sum(n.startswith("second-design_v0.3_") for n in names) == 6


def test_cli_batch_refuses_to_overwrite_its_own_files(runner, tmp_path):
    twin = shutil.copy(UKRAINE, tmp_path / "twin.yaml")
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(UKRAINE), str(twin), "-o", str(out), "--only", "brief"])
    assert result.exit_code == 1
    assert "would overwrite" in result.output and "short_title" in result.output
    assert sorted(os.listdir(out)) == [f"{STEM}brief.docx", f"{STEM}brief.pdf"]


def test_cli_unwritable_output_is_a_message_not_a_traceback(runner, tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("a file where the folder should be")
    result = runner.invoke(app, ["render", str(UKRAINE), "-o", str(blocker), "--only", "brief"])
    assert result.exit_code == 1
    assert "is a file, not a folder" in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_progress_bar_batch_on_a_terminal(tmp_path, capsys):
    from framework_kit.cli.render import run_render

    twin = spec_with(tmp_path, "twin.yaml", "short_title: Ukraine three-level process", "short_title: Twin")
    shown = []
    code = run_render([UKRAINE, twin], tmp_path / "out", "pdf", "brief", None, None,
                      show=shown.append, interactive=True)
    assert code == 0 and shown == []
    assert sorted(os.listdir(tmp_path / "out")) == ["twin_v0.3_brief.pdf", f"{STEM}brief.pdf"]
    output = capsys.readouterr().out
    assert "[1/2]" not in output  # the bar replaces the plain lines
    assert output.splitlines()[-1] == f"rendered 2 of 2 specs: 2 files in {tmp_path / 'out'}"


def test_cyrillic_short_title_keeps_its_letters_in_file_names(runner, tmp_path):
    spec = spec_with(tmp_path, "uk.yaml", "short_title: Ukraine three-level process",
                     "short_title: Україна — три рівні")
    result = runner.invoke(app, ["render", str(spec), "-o", str(tmp_path / "out"), "--only", "brief",
                                 "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert os.listdir(tmp_path / "out") == ["україна-три-рівні_v0.3_brief.pdf"]


# ----------------------------------------------------------------- templates export


def test_export_then_render_gives_identical_bytes(runner, rendered, tmp_path):
    folder = tmp_path / "my-templates"
    result = runner.invoke(app, ["templates", "export", str(folder)])
    assert result.exit_code == 0, result.output
    names = sorted(os.listdir(folder))
    assert {"theme.yaml", "README.md", "reference.docx", "brief.xml", "term-sheet.xml"} <= set(names)
    assert all(n.endswith((".xml", ".yaml", ".md", ".docx", ".po")) for n in names)
    assert {"fr.po", "es.po", "ru.po", "uk.po"} <= set(names)
    default = data_folder("templates")
    assert (folder / "theme.yaml").read_bytes() == (default / "theme.yaml").read_bytes()
    out = tmp_path / "out"
    rendered_again = runner.invoke(app, ["render", str(UKRAINE), "-o", str(out), "--templates", str(folder)])
    assert rendered_again.exit_code == 0, rendered_again.output
    assert files_in(out) == files_in(rendered[0])
    # The exported reference.docx passed explicitly changes nothing either.
    out2 = tmp_path / "out2"
    with_reference = api.render_file(UKRAINE, out2, formats=("docx",), only=["brief"],
                                     reference_doc=folder / "reference.docx")
    assert with_reference.ok
    assert files_in(out2)[f"{STEM}brief.docx"] == files_in(rendered[0])[f"{STEM}brief.docx"]


def test_export_refuses_to_overwrite_without_force(runner, tmp_path):
    folder = tmp_path / "t"
    assert runner.invoke(app, ["templates", "export", str(folder)]).exit_code == 0
    (folder / "theme.yaml").write_text("# mine\n", encoding="utf-8")
    result = runner.invoke(app, ["templates", "export", str(folder)])
    assert result.exit_code == 1
    assert "already in" in result.output and "--force" in result.output
    assert (folder / "theme.yaml").read_text(encoding="utf-8") == "# mine\n"
    forced = runner.invoke(app, ["templates", "export", str(folder), "--force"])
    assert forced.exit_code == 0
    assert (folder / "theme.yaml").read_bytes() == (data_folder("templates") / "theme.yaml").read_bytes()


def test_a_restyled_theme_changes_the_output(tmp_path):
    folder = tmp_path / "t"
    api.export_templates(folder)
    theme = (folder / "theme.yaml").read_text(encoding="utf-8").replace("page_size: A4", "page_size: Letter")
    (folder / "theme.yaml").write_text(theme, encoding="utf-8")
    result = api.render_file(UKRAINE, tmp_path / "out", formats=("pdf",), only=["brief"], templates_dir=folder)
    assert result.ok
    page = PdfReader(io.BytesIO(result.written[0][1].data)).pages[0]
    assert round(float(page.mediabox.width)) == 612  # Letter, not A4's 595
    # The exported reference.docx is still the A4 default: the theme's page size wins in the DOCX too.
    docx = api.render_file(UKRAINE, tmp_path / "docx", formats=("docx",), only=["brief"], templates_dir=folder)
    assert 'w:w="12240"' in docx_text(docx.written[0][1].data)  # 8.5 in, in twentieths of a point


def _run_on_a_terminal(args, cwd) -> tuple[int, str]:
    """Run `kit ARGS` with a pseudo-terminal as its output: what a drafter's window shows."""
    import pty
    import subprocess
    import sys

    main, terminal = pty.openpty()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
    env.pop("NO_COLOR", None)
    process = subprocess.Popen([sys.executable, "-m", "framework_kit", *args], cwd=cwd, stdin=terminal,
                               stdout=terminal, stderr=terminal, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return process.wait(timeout=120), b"".join(chunks).decode("utf-8", "replace")


def test_batch_on_a_terminal_draws_a_progress_bar_and_still_reports_a_failure(tmp_path):
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(UKRAINE, specs / "a-ukraine.yaml")
    spec_with(specs, "b-broken.yaml", "kit: 1", "kit: 2")
    out = tmp_path / "out"
    code, screen = _run_on_a_terminal(["render", str(specs), "-o", str(out), "--only", "brief"], tmp_path)
    assert code == 1
    assert "rendering" in screen and "2/2" in screen  # the bar, with its count
    assert "[1/2] " not in screen  # the plain lines are for logs and pipes only
    # A spec's lines are printed with the bar off the screen, never glued onto it.
    reported = [line for line in screen.split("\n") if "wrote " in line or "error S007" in line]
    assert reported and not any("━" in line for line in reported)
    assert "error S007" in screen and "b-broken.yaml: not rendered" in screen
    assert f"rendered 1 of 2 specs: 2 files in {out}; failed: {specs / 'b-broken.yaml'}" in screen
    assert sorted(os.listdir(out)) == [f"{STEM}brief.docx", f"{STEM}brief.pdf"]


def test_batch_in_a_pipe_prints_one_plain_line_per_spec(tmp_path):
    import subprocess
    import sys

    twin = spec_with(tmp_path, "twin.yaml", "short_title: Ukraine three-level process", "short_title: Twin")
    done = subprocess.run([sys.executable, "-m", "framework_kit", "render", str(UKRAINE), str(twin),
                           "-o", str(tmp_path / "out"), "--only", "brief", "--format", "pdf"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"[1/2] {UKRAINE}" and f"[2/2] {twin}" in lines
    assert "\x1b[" not in done.stdout  # no bar, no escape codes in a log
    assert lines[-1] == f"rendered 2 of 2 specs: 2 files in {tmp_path / 'out'}"


def test_a_batch_writes_the_same_bytes_as_single_renders(rendered, tmp_path):
    # Caches shared between the specs of a batch (templates, theme, fonts, figure) change nothing.
    folder, _ = rendered
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(UKRAINE, specs / "a.yaml")
    spec_with(specs, "b.yaml", "short_title: Ukraine three-level process", "short_title: Twin")
    from framework_kit.cli.render import run_render

    code = run_render([specs], tmp_path / "out", "docx,pdf", None, None, None, show=print, interactive=False)
    assert code == 0
    batch = files_in(tmp_path / "out")
    single = files_in(folder)
    assert {name: data for name, data in batch.items() if name.startswith(STEM)} == single
    twin = api.render_file(specs / "b.yaml", tmp_path / "alone")
    assert twin.ok and files_in(tmp_path / "alone") == {n: d for n, d in batch.items() if n.startswith("twin")}


def _default_reference_with(change) -> bytes:
    """The default reference.docx with ``change(parts)`` applied to its parts (name -> bytes)."""
    from framework_kit.render.theme import Theme
    from framework_kit.render.writers.docx.default_reference import reference_docx

    source = zipfile.ZipFile(io.BytesIO(reference_docx(Theme())))
    parts = {info.filename: source.read(info) for info in source.infolist()}
    change(parts)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _set_attribute(element: str, attribute: str, value: str):
    import re

    def change(parts):
        xml = parts["word/document.xml"].decode()
        xml, count = re.subn(rf'(<w:{element}\b[^>]*\bw:{attribute}=")[^"]*"', rf'\g<1>{value}"', xml)
        assert count == 1
        parts["word/document.xml"] = xml.encode()
    return change


def _drop_main_target(parts):
    import re

    rels, count = re.subn(r'(<Relationship [^>]*relationships/officeDocument")\s+Target="[^"]*"',
                          r"\1", parts["_rels/.rels"].decode())
    assert count == 1
    parts["_rels/.rels"] = rels.encode()


def _corrupt_deflate(data: bytes) -> bytes:
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = archive.getinfo("word/styles.xml")
    raw = bytearray(data)
    name_length, extra_length = int.from_bytes(raw[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(raw[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    raw[start:start + 2] = b"\xff\xff"  # an invalid deflate block type
    return bytes(raw)


@pytest.mark.parametrize("make, words", [
    (lambda: _default_reference_with(_set_attribute("pgMar", "top", "1e999")), 'top="1e999"'),
    (lambda: _default_reference_with(_set_attribute("pgSz", "w", "nan")), 'w="nan"'),
    (lambda: _default_reference_with(_set_attribute("pgSz", "w", "-5")), 'w="-5"'),
    (lambda: _default_reference_with(_set_attribute("pgMar", "left", "-100")), 'left="-100"'),
    (lambda: _default_reference_with(_drop_main_target), "damaged"),
    (lambda: _corrupt_deflate(_default_reference_with(lambda parts: None)), "damaged"),
], ids=["margin-1e999", "width-nan", "width-negative", "left-margin-negative", "relationship-without-target",
        "corrupt-deflate"])
def test_a_broken_reference_doc_is_r002_not_an_internal_error(tmp_path, make, words):
    reference = tmp_path / "reference.docx"
    reference.write_bytes(make())
    out = tmp_path / "out"
    result = api.render_file(UKRAINE, out, formats=("docx",), only=["brief"], reference_doc=reference)
    assert result.exit_code == 1
    [problem] = [d for d in result.diagnostics if d.is_error]
    assert problem.code == "R002" and words in problem.message, problem.message
    assert problem.file == str(reference)
    assert not out.exists()
