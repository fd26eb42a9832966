"""The studio's HTTP API (kit serve), driven in process: every endpoint, its errors, its guards.

Files the API hands out are compared byte for byte with what ``kit render`` and
``kit mail`` write; diagnostics with what ``kit check --format json`` prints.
"""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from starlette.testclient import TestClient

from framework_kit.serve import create_app
from framework_kit.serve.renders import Renderer, Superseded
from framework_kit.spec.load import MAX_BYTES

from conftest import EXAMPLES, UKRAINE

PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
NAME = UKRAINE.name
DOCUMENT_NAMES = ["brief", "term-sheet-table-a", "term-sheet-table-b", "term-sheet-table-c",
                  "buffer-zone-annex", "cbm-schedule"]


def kit(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "framework_kit", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the examples folder (the studio may write into it)."""
    target = tmp_path / "designs"
    shutil.copytree(EXAMPLES, target)
    return target


@pytest.fixture
def client(folder) -> TestClient:
    with TestClient(create_app(folder, PORT), base_url=BASE) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, bytes]:
    """What ``kit render`` writes for the example: file name -> bytes."""
    out = tmp_path_factory.mktemp("kit-render")
    done = kit("render", UKRAINE, "-o", out)
    assert done.returncode == 0, done.stderr
    return {path.name: path.read_bytes() for path in out.iterdir()}


def post(client, path, data: bytes = UKRAINE.read_bytes(), **params):
    return client.post(path, params={"spec": NAME, **params}, content=data)


def with_unknown_key() -> bytes:
    text = UKRAINE.read_text(encoding="utf-8")
    return text.replace("  short_title:", "  colour: blue\n  short_title:", 1).encode()


# --- POST /api/check -------------------------------------------------------------------------


def test_check_answers_what_kit_check_json_prints(client, folder):
    for name in ("invalid-design.yaml", NAME):
        answer = post(client, "/api/check", (folder / name).read_bytes(), spec=name)
        assert answer.status_code == 200
        printed = kit("check", "--format", "json", name, cwd=folder)
        assert answer.json() == json.loads(printed.stdout)
    assert json.loads(printed.stdout) == []  # the example is clean: the comparison above is not vacuous


def test_check_points_at_the_unknown_key(client):
    diagnostics = post(client, "/api/check", with_unknown_key()).json()
    assert [(d["code"], d["line"], d["column"], d["file"]) for d in diagnostics] == [("S002", 10, 3, NAME)]


def test_check_of_unparsable_yaml_is_s001(client):
    diagnostics = post(client, "/api/check", b"kit: 1\nprocess: [unclosed\n").json()
    assert diagnostics and diagnostics[0]["code"] == "S001"


# --- POST /api/render ------------------------------------------------------------------------


@pytest.mark.parametrize("document, fmt", [("brief", "pdf"), ("term-sheet-table-b", "docx"),
                                           ("cbm-schedule", "pdf")])
def test_render_gives_the_bytes_kit_render_writes(client, rendered, document, fmt):
    answer = post(client, "/api/render", document=document, format=fmt)
    assert answer.status_code == 200
    name = f"ukraine-three-level-process_v0.3_{document}.{fmt}"
    assert answer.content == rendered[name]
    assert name in answer.headers["content-disposition"]


def test_render_zip_holds_the_twelve_files_kit_render_writes(client, rendered):
    answer = post(client, "/api/render", format="zip")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(answer.content)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    assert len(files) == 12 and files == rendered
    assert post(client, "/api/render", format="zip").content == answer.content  # the same zip each time


def test_render_of_a_spec_with_errors_is_422_with_its_diagnostics(client):
    answer = post(client, "/api/render", with_unknown_key(), document="brief", format="pdf")
    assert answer.status_code == 422
    assert answer.json() == post(client, "/api/check", with_unknown_key()).json()


@pytest.mark.parametrize("params, status", [
    ({"document": "brief", "format": "odt"}, 400),
    ({"format": "pdf"}, 400),
    ({"document": "minutes", "format": "pdf"}, 400),
    ({"document": "term-sheet-table-z", "format": "pdf"}, 404),
])
def test_render_refuses_what_it_cannot_give_in_plain_words(client, params, status):
    answer = post(client, "/api/render", **params)
    assert answer.status_code == status
    assert answer.json()["error"] and "Traceback" not in answer.text


# --- GET/POST /api/documents -----------------------------------------------------------------


def test_documents_names_what_the_spec_yields(client):
    listed = client.get("/api/documents", params={"spec": NAME}).json()
    assert [d["name"] for d in listed] == DOCUMENT_NAMES
    assert listed[1]["title"] == "Term Sheet — Table A: Bilateral Negotiations"
    without_annexes = UKRAINE.read_bytes() + b"documents: [brief, term-sheets]\n"
    assert [d["name"] for d in post(client, "/api/documents", without_annexes).json()] == DOCUMENT_NAMES[:4]


def test_documents_titles_are_those_the_files_carry(client, rendered):
    for listed in client.get("/api/documents", params={"spec": NAME}).json():
        pdf = rendered[f"ukraine-three-level-process_v0.3_{listed['name']}.pdf"]
        assert PdfReader(io.BytesIO(pdf)).metadata.title == listed["title"]


def test_documents_of_a_spec_with_errors_is_422(client):
    answer = post(client, "/api/documents", with_unknown_key())
    assert answer.status_code == 422 and answer.json()[0]["code"] == "S002"


# --- POST /api/preview -----------------------------------------------------------------------


def test_preview_shows_every_page_of_the_pdf(client, rendered):
    shown = post(client, "/api/preview", document="term-sheet-table-a", slot="tab").json()
    assert shown["title"] == "Term Sheet — Table A: Bilateral Negotiations"
    pdf = PdfReader(io.BytesIO(rendered["ukraine-three-level-process_v0.3_term-sheet-table-a.pdf"]))
    assert shown["pageCount"] == len(pdf.pages) == len(shown["pages"])
    import base64

    image = Image.open(io.BytesIO(base64.b64decode(shown["pages"][0].split(",", 1)[1])))
    assert image.format == "JPEG" and image.width > 800 and image.height / image.width == pytest.approx(842 / 595, rel=0.01)


def test_preview_of_a_spec_with_errors_is_422(client):
    assert post(client, "/api/preview", with_unknown_key(), document="brief").status_code == 422


def test_a_newer_preview_supersedes_an_older_one_still_rendering(monkeypatch):
    """The older render, still running when a newer edit arrives, is thrown away, not shown."""
    renderer = Renderer()
    started, release = threading.Event(), threading.Event()
    real_render = renderer.render

    def slow_render(*args, **kwargs):
        started.set()
        release.wait(10)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(renderer, "render", slow_render)
    older = renderer.tickets.take("tab")
    outcome = {}

    def run_older():
        try:
            outcome["older"] = renderer.preview(UKRAINE.read_bytes(), NAME, "brief", "tab", older)
        except Superseded:
            outcome["older"] = "superseded"

    worker = threading.Thread(target=run_older)
    worker.start()
    assert started.wait(10)
    newer = renderer.tickets.take("tab")  # the drafter typed again
    release.set()
    worker.join(30)
    assert outcome["older"] == "superseded"
    result, shown = renderer.preview(UKRAINE.read_bytes(), NAME, "brief", "tab", newer)
    assert result.ok and shown.pages
    with pytest.raises(Superseded):  # a render not yet started is never started
        renderer.preview(UKRAINE.read_bytes(), NAME, "brief", "tab", older)
    other_tab = renderer.tickets.take("other")
    assert renderer.preview(UKRAINE.read_bytes(), NAME, "brief", "other", other_tab)[1].pages


# --- POST /api/mail --------------------------------------------------------------------------


def test_mail_gives_the_draft_kit_mail_writes(client, folder, monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    params = {"from": "desk@ministry.example", "to": ["a@example.org", "b@example.org"], "subject": "Brief"}
    answer = post(client, "/api/mail", **params)
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("message/rfc822")
    draft = tmp_path / "brief.eml"
    done = subprocess.run([sys.executable, "-m", "framework_kit", "mail", NAME, "--from", params["from"],
                           "--to", "a@example.org", "--to", "b@example.org", "--subject", "Brief",
                           "-o", str(draft)], capture_output=True, text=True, cwd=folder,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1780000000"}, timeout=300)
    assert done.returncode == 0, done.stderr
    # The same message but for the MIME boundaries, which the standard library draws at random.
    ours, theirs = (email.message_from_bytes(raw, policy=email.policy.default)
                    for raw in (answer.content, draft.read_bytes()))
    assert ours.items() != [] and _without_boundaries(ours) == _without_boundaries(theirs)
    message = ours
    assert message["X-Unsent"] == "1"
    assert [part.get_filename() for part in message.iter_attachments()] == [
        "ukraine-three-level-process_v0.3_brief.pdf"]


def _without_boundaries(message) -> list:
    return [([(k, v) for k, v in part.items() if k.lower() != "content-type"], part.get_content_type(),
             part.get_payload(decode=True)) for part in message.walk()]


def test_mail_with_a_bad_address_says_which_one_in_plain_words(client):
    answer = post(client, "/api/mail", **{"from": "desk@ministry.example", "to": "not an address"})
    assert answer.status_code == 400
    assert "recipient 'not an address'" in answer.json()["error"] and "--" not in answer.json()["error"]


# --- explain, schema, the folder -------------------------------------------------------------


def test_explain_and_schema_are_kit_explain_and_kit_schema(client):
    assert client.get("/api/explain/e203").text == kit("explain", "E203").stdout.rstrip("\n")
    assert client.get("/api/explain/E999").status_code == 404
    assert client.get("/api/schema").json() == json.loads(kit("schema").stdout)


def test_a_folder_lists_its_specs(client):
    listed = client.get("/api/specs").json()
    assert listed["specs"] == sorted(p.name for p in EXAMPLES.glob("*.yaml"))
    assert {"invalid-design.yaml", "invented-river-delta.yaml", NAME} <= set(listed["specs"])
    assert listed["current"] == "invalid-design.yaml"


def test_a_spec_opened_alone_is_the_only_one(folder):
    with TestClient(create_app(folder / NAME, PORT), base_url=BASE) as alone:
        assert alone.get("/api/specs").json()["specs"] == [NAME]
        assert alone.get("/api/spec", params={"spec": "invalid-design.yaml"}).status_code == 403
        assert alone.put("/api/spec", params={"spec": "invalid-design.yaml"}, content=b"x").status_code == 403
        assert alone.post("/api/check", content=with_unknown_key()).json()[0]["file"] == NAME


def test_reading_a_spec_gives_its_bytes(client, folder):
    assert client.get("/api/spec", params={"spec": NAME}).content == (folder / NAME).read_bytes()


@pytest.mark.parametrize("name", ["../outside.yaml", "/etc/passwd", "link.yaml", "sub/../../outside.yaml",
                                  "framework-kit.schema.json", "..\\outside.yaml"])
def test_paths_outside_the_folder_are_refused(client, folder, name):
    (folder.parent / "outside.yaml").write_text("kit: 1\n")
    (folder / "link.yaml").symlink_to(folder.parent / "outside.yaml")
    for answer in (client.get("/api/spec", params={"spec": name}),
                   client.put("/api/spec", params={"spec": name}, content=b"kit: 2\n"),
                   client.post("/api/check", params={"spec": name}, content=b"kit: 1\n")):
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"]
    assert (folder.parent / "outside.yaml").read_text() == "kit: 1\n"
    assert "link.yaml" not in client.get("/api/specs").json()["specs"]


def test_saving_writes_the_spec_over_itself_and_nowhere_else(client, folder):
    edited = with_unknown_key()
    answer = client.put("/api/spec", params={"spec": NAME}, content=edited)
    assert answer.status_code == 200
    assert (folder / NAME).read_bytes() == edited
    assert client.put("/api/spec", params={"spec": "new.yaml"}, content=edited).status_code == 404
    assert not (folder / "new.yaml").exists()
    assert client.put("/api/spec", content=edited).status_code == 400
    assert not [p for p in folder.iterdir() if p.name.startswith(".kit-")]


# --- the guards ------------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [
    {"host": f"evil.example:{PORT}"},  # DNS rebinding: the page's own name in Host
    {"host": "127.0.0.1:9999"},
    {"origin": "https://evil.example"},  # another site's page posting here
    {"origin": "null"},
    {"origin": f"http://127.0.0.1:{PORT}.evil.example"},
    {"sec-fetch-site": "cross-site"},
])
def test_a_forged_host_or_origin_is_refused(client, folder, headers):
    before = (folder / NAME).read_bytes()
    for answer in (client.post("/api/check", params={"spec": NAME}, content=b"kit: 1\n", headers=headers),
                   client.put("/api/spec", params={"spec": NAME}, content=b"kit: 1\n", headers=headers),
                   client.get("/", headers=headers)):
        assert answer.status_code == 403
    assert (folder / NAME).read_bytes() == before


@pytest.mark.parametrize("headers", [{}, {"origin": BASE}, {"host": f"localhost:{PORT}",
                                                             "origin": f"http://localhost:{PORT}"},
                                     {"sec-fetch-site": "same-origin", "origin": BASE}])
def test_the_studio_own_page_and_local_scripts_are_answered(client, headers):
    answer = client.post("/api/check", params={"spec": NAME}, content=UKRAINE.read_bytes(), headers=headers)
    assert answer.status_code == 200 and answer.json() == []
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]


def test_an_oversized_body_is_refused_before_it_is_read(client, folder):
    big = b"# " + b"x" * MAX_BYTES + b"\n"
    assert post(client, "/api/check", big).status_code == 413
    assert client.put("/api/spec", params={"spec": NAME}, content=big).status_code == 413

    def chunks():  # no Content-Length: the limit holds while streaming
        for _ in range(5):
            yield b"#" * (MAX_BYTES // 4)

    answer = client.post("/api/check", params={"spec": NAME}, content=chunks())
    assert answer.status_code == 413 and "4 MB" in answer.json()["error"]
    assert (folder / NAME).read_bytes() == UKRAINE.read_bytes()


def test_the_page_and_its_bundle_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and '<script type="module" src="/static/studio.js">' in page.text
    assert client.get("/static/studio.js").status_code == 200
    assert "@codemirror/view" in client.get("/static/LICENSES.txt").text


# --- starting -------------------------------------------------------------------------------


def test_serve_refuses_a_missing_path_and_a_taken_port(tmp_path):
    done = kit("serve", tmp_path / "missing.yaml", "--port", "0")
    assert done.returncode == 2 and "no such file or folder" in done.stderr and "Traceback" not in done.stderr
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        done = kit("serve", UKRAINE, "--port", taken.getsockname()[1])
    assert done.returncode == 2 and "already in use" in done.stderr


def test_a_render_under_way_is_shared_not_repeated(monkeypatch):
    """The page's first preview asks for what the start-up warm-up is rendering: one render serves both."""
    from framework_kit import api

    calls, release = [], threading.Event()
    real = api.render_bytes

    def counted(*args, **kwargs):
        calls.append(args)
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(api, "render_bytes", counted)
    renderer, results = Renderer(), []
    workers = [threading.Thread(target=lambda: results.append(
        renderer.render(UKRAINE.read_bytes(), NAME, formats=("pdf",), only=("brief",)))) for _ in range(3)]
    for worker in workers:
        worker.start()
    while not calls:
        threading.Event().wait(0.01)
    release.set()
    for worker in workers:
        worker.join(30)
    assert len(calls) == 1 and len(results) == 3 and results[0] is results[1] is results[2]


def test_one_term_sheet_is_named_by_its_key_as_the_studio_and_only_name_it(tmp_path):
    from framework_kit import api

    assert api.check_documents(["term-sheet-table-b", "brief"]) == ["brief", "term-sheet-table-b"]
    with pytest.raises(ValueError):
        api.check_documents(["term-sheets-x"])
    done = kit("render", UKRAINE, "--only", "term-sheet-table-b", "--format", "pdf", "-o", tmp_path)
    assert done.returncode == 0, done.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["ukraine-three-level-process_v0.3_term-sheet-table-b.pdf"]


def test_the_studio_templates_run_in_the_same_sandbox(folder, tmp_path):
    """``kit serve --templates``: a hostile template is a T001 diagnostic in the studio as in kit render."""
    templates = tmp_path / "style"
    templates.mkdir()
    (templates / "brief.xml").write_text(
        '<document>\n<meta title="x"/>\n<p>{{ "".__class__.__mro__ }}</p>\n</document>', encoding="utf-8")
    with TestClient(create_app(folder, PORT, templates_dir=templates), base_url=BASE) as styled:
        for answer in (post(styled, "/api/preview", document="brief"),
                       post(styled, "/api/render", document="brief", format="pdf")):
            assert answer.status_code == 422
            [problem] = answer.json()
            assert problem["code"] == "T001" and problem["file"].endswith("brief.xml") and problem["line"] == 3
        assert post(styled, "/api/render", document="cbm-schedule", format="pdf").status_code == 200


def test_checks_are_answered_while_a_render_runs(folder):
    """Renders run off the event loop: the editor's markers do not wait for the preview."""
    app = create_app(folder, PORT)
    studio = app.app.state.studio
    started, release = threading.Event(), threading.Event()
    real_render = studio.renderer.render

    def slow_render(*args, **kwargs):
        started.set()
        release.wait(20)
        return real_render(*args, **kwargs)

    studio.renderer.render = slow_render
    with TestClient(app, base_url=BASE) as test_client:
        answers = {}
        worker = threading.Thread(target=lambda: answers.update(
            preview=post(test_client, "/api/preview", document="brief", slot="tab")))
        worker.start()
        assert started.wait(20)
        checked = post(test_client, "/api/check", with_unknown_key())
        still_rendering = not release.is_set() and worker.is_alive()
        release.set()
        worker.join(60)
    assert still_rendering and checked.status_code == 200 and checked.json()[0]["code"] == "S002"
    assert answers["preview"].status_code == 200
