"""framework-kit benchmark of the studio (kit serve): time to a usable page, warm check, warm render.

Run it from a checkout with the package and its test extra installed:  python bench/serve.py [--runs N]

- page usable: from starting ``kit serve`` (a new process) to the page showing the
  editor with the spec and the first preview's pages, in Debian's headless chromium
  (launched before the clock starts, as a user's browser is already open). Its phases
  (address printed, page and script served, first check and preview answered, editor
  filled) from the same start, so that a change is seen where it acts.
- warm check: ``POST /api/check`` of the example over HTTP, after a few warm-up calls.
- warm re-render: ``POST /api/render?document=brief&format=pdf`` of the example with a
  comment changed on every call, so that the studio's memory of the last render never
  answers; and the same for ``/api/preview`` (the render plus drawing the pages).

Medians with the fastest run beside them; targets from issue 13.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ukraine-three-level.yaml"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TARGETS = {"page_s": 2.0, "check_ms": 30, "render_ms": 250}


def start() -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "framework_kit", "serve", str(EXAMPLE), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        process.kill()
        raise SystemExit(f"kit serve did not start: {line!r}")
    return process, found.group(0)


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(10)
    process.stdout.close()


def cpu_seconds(pid: int) -> float:
    """The CPU time a process and its ended children have used so far (Linux), whatever else the machine runs."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(field) for field in fields[11:15]) / os.sysconf("SC_CLK_TCK")


PHASES = {"/": "page (HTML) served", "static/studio.js": "script bundle served",
          "api/check": "first check answered", "api/preview": "first preview answered"}


def page_usable(browser, runs: int, cpu: list[float], phases: dict[str, list[float]]) -> list[float]:
    times = []
    for _ in range(runs):
        page = browser.new_page(viewport={"width": 1366, "height": 768})
        ends: dict[str, float] = {}
        began_wall = time.time()  # the browser's resource timings are wall-clock times

        def finished(request) -> None:
            path = request.url.split("?")[0].split("/", 3)[-1] or "/"
            timing = request.timing
            ends.setdefault(path, (timing["startTime"] + timing["responseEnd"]) / 1000 - began_wall)

        page.on("requestfinished", finished)
        began = time.perf_counter()
        process, address = start()
        try:
            up = time.perf_counter() - began
            page.goto(address)
            page.wait_for_selector(".cm-content .cm-line", timeout=30_000)
            editor = time.perf_counter() - began
            page.wait_for_selector("#preview[data-ready=true] #pages img.page", timeout=30_000)
            page.wait_for_function("() => [...document.querySelectorAll('#pages img')].every(i => i.complete)")
            times.append(time.perf_counter() - began)
            if Path("/proc").is_dir():
                cpu.append(cpu_seconds(process.pid))
            phases.setdefault("address printed (server up)", []).append(up)
            for path, name in PHASES.items():
                if path in ends:
                    phases.setdefault(name, []).append(ends[path])
            phases.setdefault("editor shows the spec", []).append(editor)
        finally:
            page.close()
            stop(process)
    return times


def post(url: str, data: bytes) -> bytes:
    request = urllib.request.Request(url, data=data, method="POST")
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read()


def warm(address: str, path: str, runs: int, vary: bool) -> list[float]:
    spec = EXAMPLE.read_bytes()
    for index in range(3):
        post(address + path, spec + f"# warm-up {index}\n".encode())
    times = []
    for index in range(runs):
        body = spec + f"# edit {index}\n".encode() if vary else spec
        began = time.perf_counter()
        post(address + path, body)
        times.append((time.perf_counter() - began) * 1000)
    return times


def row(name: str, times: list[float], unit: str, target: float) -> str:
    median, fastest = statistics.median(times), min(times)
    verdict = "ok" if median <= target else "SLOWER THAN TARGET"
    return f"| {name} | {median:.{2 if unit == 's' else 0}f} {unit} | {fastest:.{2 if unit == 's' else 0}f} {unit} | ≤ {target:g} {unit} | {verdict} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed calls per warm measurement")
    parser.add_argument("--starts", type=int, default=5, help="cold starts of kit serve")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            cpu: list[float] = []
            phases: dict[str, list[float]] = {}
            starts = page_usable(browser, options.starts, cpu, phases)
        finally:
            browser.close()
    process, address = start()
    try:
        check = warm(address, "api/check", options.runs, vary=False)
        render = warm(address, "api/render?document=brief&format=pdf", options.runs, vary=True)
        preview = warm(address, "api/preview?document=brief", options.runs, vary=True)
    finally:
        stop(process)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"bench/serve.py on {os.cpu_count()} cores, load average {load:.1f} at the end "
          "(other work on the machine slows every number)\n")
    print("| studio | median | fastest | target | |")
    print("|---|---|---|---|---|")
    print(row("page usable after `kit serve` starts (editor and first preview)", starts, "s", TARGETS["page_s"]))
    if cpu:
        print(f"| … of which CPU time of kit serve (and its first-preview child) | {statistics.median(cpu):.2f} s | "
              f"{min(cpu):.2f} s | | the wall time on an idle machine is about this plus the browser's share |")
    for name, seconds in sorted(phases.items(), key=lambda item: statistics.median(item[1])):
        print(f"| … {name}, after | {statistics.median(seconds):.2f} s | {min(seconds):.2f} s | | |")
    print(row("warm `POST /api/check` of the example", check, "ms", TARGETS["check_ms"]))
    print(row("warm re-render of the brief's PDF (`POST /api/render`)", render, "ms", TARGETS["render_ms"]))
    print(row("warm preview of the brief (render and page images)", preview, "ms", TARGETS["render_ms"]))


if __name__ == "__main__":
    main()
