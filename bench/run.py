"""framework-kit benchmark: start-up, check, render and batch rendering.

Run it from a checkout with the package installed:  python bench/run.py [--quick] [--write-readme]

Every timing is the median of several cold runs (a new process each time) or, for the
in-process numbers, of several calls after one warm-up. Ratios are against `python -c pass`
and a bare typer app measured in the same run, so that machines can be compared. With
--write-readme the table replaces the "Performance" section of README.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "ukraine-three-level.yaml"
BARE_TYPER = """
import typer
app = typer.Typer(add_completion=False)
@app.command()
def check(path: str):
    pass
@app.command()
def other():
    pass
app()
"""
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def cold(argv: list[str], runs: int, cwd: Path) -> float:
    """Median wall time in ms of running ``argv`` in a new process."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def peak_rss_mb(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak resident memory in MB) of one run of ``argv``."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss / 1024


def in_process(runs: int) -> list[tuple[str, str, float, int]]:
    """Per-document render time in ms for each format, in one warm process."""
    from framework_kit import api
    from framework_kit.render import build
    from framework_kit.render.theme import Theme
    from framework_kit.render.writers import docx as docx_writer
    from framework_kit.render.writers import pdf as pdf_writer

    result = api.check_file(EXAMPLE)
    theme = Theme()
    built = build.build_documents(result.design, result)
    rows = []
    for doc in built:
        _, pages = pdf_writer.write(doc.tree, theme)
        for fmt in ("docx", "pdf"):
            def once():
                if fmt == "pdf":
                    pdf_writer.write(doc.tree, theme)
                else:
                    docx_writer.write(doc.tree, theme)
            once()
            samples = []
            for _ in range(runs):
                gc.collect()
                started = time.perf_counter()
                once()
                samples.append((time.perf_counter() - started) * 1000)
            rows.append((doc.key, fmt, statistics.median(samples), pages))
    return rows


def hyperfine(commands: list[str]) -> str | None:
    if not shutil.which("hyperfine"):
        return None
    done = subprocess.run(["hyperfine", "--warmup", "2", "--style", "basic", *commands],
                          capture_output=True, text=True, cwd=ROOT)
    return done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs; batches up to 100")
    parser.add_argument("--write-readme", action="store_true", help="update README.md")
    options = parser.parse_args()
    runs = 3 if options.quick else 7
    batches = (1, 10, 100) if options.quick else (1, 10, 100, 1000)
    python = sys.executable
    kit = [python, "-m", "framework_kit"]
    work = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    (work / "bare.py").write_text(BARE_TYPER, encoding="utf-8")

    rows: list[tuple[str, float, str]] = []
    base = cold([python, "-c", "pass"], runs, work)
    bare = cold([python, str(work / "bare.py"), "--help"], runs, work)
    rows.append(("python -c pass", base, ""))
    rows.append(("bare typer app --help", bare, ""))
    for label, argv in (
        ("kit --help", kit + ["--help"]),
        ("kit check (Ukraine example)", kit + ["check", str(EXAMPLE)]),
        ("kit render (all documents, docx+pdf)", kit + ["render", str(EXAMPLE), "-o", str(work / "o")]),
    ):
        ms = cold(argv, runs, work)
        rows.append((label, ms, f"{ms / base:.1f}x python, {ms / bare:.2f}x typer"))

    documents = in_process(runs)

    batch_rows = []
    for n in batches:
        folder = work / f"batch-{n}"
        folder.mkdir()
        text = EXAMPLE.read_text(encoding="utf-8")
        for i in range(n):
            (folder / f"spec-{i:04d}.yaml").write_text(
                text.replace("short_title: Ukraine three-level process",
                             f"short_title: variant {i:04d}"), encoding="utf-8")
        seconds, rss = peak_rss_mb(kit + ["render", str(folder), "-o", str(work / f"out-{n}")], work)
        batch_rows.append((n, seconds, seconds / n * 1000, n / seconds, rss))
        shutil.rmtree(work / f"out-{n}", ignore_errors=True)

    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python "
        f"{platform.python_version()} ({platform.machine()}), by `python bench/run.py"
        f"{' --quick' if options.quick else ''}`; medians of {runs} runs.",
        "",
        "| command (cold, new process) | median ms | ratio |",
        "|---|---:|---|",
        *[f"| {label} | {ms:.0f} | {ratio} |" for label, ms, ratio in rows],
        "",
        "| document (in process) | format | median ms | PDF pages |",
        "|---|---|---:|---:|",
        *[f"| {key} | {fmt} | {ms:.1f} | {pages} |" for key, fmt, ms, pages in documents],
        "",
        "| batch: specs rendered in one `kit render` | seconds | ms per spec | specs/s | peak RSS MB |",
        "|---:|---:|---:|---:|---:|",
        *[f"| {n} | {s:.1f} | {per:.0f} | {rate:.1f} | {rss:.0f} |" for n, s, per, rate, rss in batch_rows],
    ]
    table = "\n".join(lines)
    print(table)
    hf = hyperfine([f"{python} -m framework_kit --help", f"{python} {work / 'bare.py'} --help"])
    if hf:
        print("\nhyperfine:\n" + hf)
    if options.write_readme:
        readme = ROOT / "README.md"
        text = readme.read_text(encoding="utf-8")
        if BEGIN in text and END in text:
            head, rest = text.split(BEGIN, 1)
            _, tail = rest.split(END, 1)
            readme.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")
            print("README.md updated")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
