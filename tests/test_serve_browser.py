"""The studio end to end, in a real browser: Debian's chromium driven by Playwright.

``kit serve`` runs as the user starts it (a process, on a free port); the page is
typed into as a drafter would. Chromium is the system's (``.ci/run`` installs it);
Playwright never downloads one.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import UKRAINE

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
NAME = UKRAINE.name
TIMEOUT_MS = 30_000

pytestmark = pytest.mark.slow


def start_studio(path: Path) -> tuple[subprocess.Popen, str]:
    """``kit serve PATH --port 0`` in its own process; the address it prints."""
    process = subprocess.Popen([sys.executable, "-m", "framework_kit", "serve", str(path), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        process.kill()
        raise AssertionError(f"kit serve printed {line!r}; stderr: {process.stderr.read()[-2000:]}")
    return process, found.group(0)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def studio(tmp_path):
    folder = tmp_path / "designs"
    folder.mkdir()
    shutil.copy(UKRAINE, folder / NAME)
    process, address = start_studio(folder / NAME)
    yield folder, address
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
    process.stdout.close()
    process.stderr.close()


@pytest.fixture
def page(browser, studio):
    folder, address = studio
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    opened.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    opened.goto(address)
    opened.wait_for_selector("#preview[data-ready=true]")
    yield opened
    context.close()
    assert errors == []


# Functions, not expressions: the studio's Content-Security-Policy forbids eval, even to tests.
def markers(page) -> list[dict]:
    return page.evaluate("() => window.studio.markers()")


def put_cursor_at_end_of_line(page, number: int) -> None:
    page.evaluate("""(number) => {
        const view = window.studio.view;
        view.dispatch({ selection: { anchor: view.state.doc.line(number).to } });
        view.focus();
    }""", number)


def test_an_unknown_key_is_marked_at_its_line_and_goes_when_fixed(page):
    assert page.inner_text("#problems-summary") == "No problems" and markers(page) == []
    put_cursor_at_end_of_line(page, 9)  # "  title: A Three-Level Peace Process for Ukraine"
    page.keyboard.press("Enter")
    page.keyboard.type("colour: blue")
    page.keyboard.press("Escape")  # close the completion list, if open
    page.wait_for_function("() => window.studio.markers().some(m => m.code === 'S002')")
    assert markers(page) == [{"line": 10, "column": 3, "code": "S002", "severity": "error", "text": "colour"}]
    assert page.inner_text(".cm-lintRange-error") == "colour"
    problem = page.locator("#problems-list li[data-code=S002]")
    assert problem.get_attribute("data-line") == "10"
    assert "unknown key" in problem.inner_text()
    assert page.locator("#preview").get_attribute("class").split().count("stale") == 1
    assert page.is_disabled("#download-all")

    page.locator("#problems-list li[data-code=S002] button.code").click()  # kit explain's text, on demand
    page.wait_for_selector("#explain:not([hidden])")
    assert page.inner_text("#explain-text").startswith("S002")

    put_cursor_at_end_of_line(page, 10)
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Shift+Home")  # the first press stops after the indentation
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")  # and the line break
    page.wait_for_function("() => window.studio.markers().length === 0")
    page.wait_for_selector("#problems[data-state=clean]")
    page.wait_for_selector("#preview:not(.stale):not(.pending)")
    assert page.evaluate("window.studio.view.state.doc.toString()") == UKRAINE.read_text(encoding="utf-8")


def test_the_preview_switches_to_a_term_sheet(page):
    assert page.inner_text("#preview-title") == "Brief — A Three-Level Peace Process for Ukraine"
    page.select_option("#document", "term-sheet-table-b")
    page.wait_for_function(
        "() => document.querySelector('#preview-title').textContent === 'Term Sheet — Table B: Regional Arrangements'")
    page.wait_for_selector("#preview:not(.pending)")
    pages = page.locator("#pages img.page")
    assert pages.count() >= 1
    assert pages.first.evaluate("image => image.complete && image.naturalWidth > 800")


def test_the_zip_holds_the_twelve_files_kit_render_writes(page, tmp_path):
    with page.expect_download() as waiting:
        page.click("#download-all")
    download = waiting.value
    assert download.suggested_filename == "ukraine-three-level-process_v0.3.zip"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "framework_kit", "render", str(UKRAINE), "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert len(files) == 12
    assert files == {path.name: path.read_bytes() for path in out.iterdir()}


def test_saving_writes_the_file_it_was_opened_from(page, studio):
    folder, _ = studio
    assert page.is_disabled("#save")
    put_cursor_at_end_of_line(page, 9)
    page.keyboard.type(" (draft)")
    page.wait_for_selector("#save:not([disabled])")
    page.keyboard.press("Control+S")
    page.wait_for_selector("#save[disabled]")
    assert "title: A Three-Level Peace Process for Ukraine (draft)\n" in (folder / NAME).read_text(encoding="utf-8")
    assert sorted(p.name for p in folder.iterdir()) == [NAME]


def test_completion_offers_the_keys_of_the_format(page):
    put_cursor_at_end_of_line(page, 9)
    page.keyboard.press("Enter")
    page.keyboard.type("prep")
    page.wait_for_selector(".cm-tooltip-autocomplete")
    assert "prepared_by" in page.inner_text(".cm-tooltip-autocomplete")


def test_the_brief_downloads_as_an_email_draft(page):
    page.click("#download-mail")
    page.fill("#mail-form [name=from]", "Mediation Support Unit <msu@mfa.example.org>")
    page.fill("#mail-form [name=to]", "olena@mfa.example.org, registry@mfa.example.org")
    with page.expect_download() as waiting:
        page.click("#mail-form button[type=submit]")
    download = waiting.value
    assert download.suggested_filename == "ukraine-three-level-process_v0.3_brief.eml"
    import email
    import email.policy

    message = email.message_from_bytes(Path(download.path()).read_bytes(), policy=email.policy.default)
    assert message["To"].addresses[1].addr_spec == "registry@mfa.example.org"
    assert message["X-Unsent"] == "1"
    assert [part.get_filename() for part in message.iter_attachments()] == [
        "ukraine-three-level-process_v0.3_brief.pdf"]
    page.wait_for_selector("#mail:not([open])", state="attached")  # closed, so hidden
