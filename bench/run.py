"""framework-kit benchmark: start-up, check, render and batch rendering.

Run it from a checkout with the package installed:
    python bench/run.py [--quick] [--write-readme] [--against REVISION]

Every timing is the median of several cold runs (a new process each time) or, for the
in-process numbers, of several calls after one warm-up. Ratios are against `python -c pass`
and a bare typer app measured in the same run, so that machines can be compared. The
package's bytecode is compiled first, as `pip install` does: a checkout run with
PYTHONDONTWRITEBYTECODE would otherwise pay for compiling its own source on every start.
With --write-readme the tables replace the text between the bench markers in README.md.
With --against, this checkout and a git revision of it are each installed in a throwaway
virtual environment (as `pip install .` does, so that an editable install's import hook
weighs on neither), and the revision's `kit check` and `kit render` take their turns in the
same rounds: a change is measured against what it changes, on one machine at one moment.
"""

from __future__ import annotations

import argparse
import compileall
import gc
import json
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
# The same shape as kit's command line: a command taking a file, another one; both
# --help and `check FILE` run through typer's parameter processing like kit's do.
BARE_TYPER = """
from pathlib import Path
import typer
app = typer.Typer(add_completion=False)
@app.command()
def check(path: Path):
    path.read_bytes()
@app.command()
def other():
    pass
app()
"""
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
TARGETS = {"help": 1.2, "check": 1.2, "render_ms": 600, "docx_ms": 35, "pdf_ms": 50, "batch_mb": 80}


def cold(commands: dict[str, tuple[list[str], dict | None]], runs: int,
         cwd: Path) -> dict[str, tuple[float, float]]:
    """(median, fastest) wall time in ms of each command, each run in a new process.

    The commands take turns, run after run, so that a machine slowing down or
    speeding up during the benchmark weighs on all of them alike, ratios included.
    """
    samples: dict[str, list[float]] = {label: [] for label in commands}
    for round_ in range(runs + 1):
        for label, (argv, env) in commands.items():
            started = time.perf_counter()
            subprocess.run(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False, env=env)
            if round_:  # the first round only warms the file cache
                samples[label].append((time.perf_counter() - started) * 1000)
    return {label: (statistics.median(values), min(values)) for label, values in samples.items()}


def peak_rss_mb(argv: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, peak resident memory in MB) of one run of ``argv``."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(argv)}")
    return elapsed, usage.ru_maxrss / 1024


def stages(runs: int, python: str, cwd: Path) -> list[tuple[str, float]]:
    """Median ms of each stage of a cold render (bench/stages.py in a new process each run)."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        done = subprocess.run([python, str(ROOT / "bench" / "stages.py"), str(EXAMPLE)], cwd=cwd,
                              capture_output=True, text=True, check=True)
        for name, ms in json.loads(done.stdout).items():
            samples.setdefault(name, []).append(ms)
    return [(name, statistics.median(values)) for name, values in samples.items()]


def long_term_sheet_spec(folder: Path) -> Path:
    """The example with Table A's agenda repeated until its term sheet runs to five pages."""
    import yaml

    spec = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    table = spec["tables"][0]
    original = table["agenda"]
    table["agenda"] = [dict(item, id=f"{item['id']}-{copy}") if copy else item
                       for copy in range(6) for item in original]
    path = folder / "five-page-term-sheet.yaml"
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def in_process(runs: int, long_spec: Path) -> list[tuple[str, str, float, float, int]]:
    """Per-document render time in ms (median, fastest) for each format, in one warm process."""
    from framework_kit import api
    from framework_kit.render import build
    from framework_kit.render.theme import load_theme
    from framework_kit.render.writers.docx.writer import write_docx
    from framework_kit.render.writers.pdf.writer import write_pdf

    theme = load_theme(None)
    rows = []
    for spec, label in ((EXAMPLE, ""), (long_spec, " (Table A ×6)")):
        result = api.check_file(spec)
        if not result.ok:
            raise SystemExit(f"benchmark spec does not pass kit check: {spec}")
        for doc in build.build_documents(result.design, result.assessment):
            if label and doc.key != "term-sheet-table-a":
                continue
            _, pages = write_pdf(doc.tree, theme)
            for fmt in ("docx", "pdf"):
                def once():
                    if fmt == "pdf":
                        write_pdf(doc.tree, theme)
                    else:
                        write_docx(doc.tree, theme)
                once()
                samples = []
                for _ in range(runs):
                    gc.collect()
                    started = time.perf_counter()
                    once()
                    samples.append((time.perf_counter() - started) * 1000)
                rows.append((doc.key + label, fmt, statistics.median(samples), min(samples), pages))
    return rows


def batch(n: int, work: Path, kit: list[str]) -> tuple[int, float, float, float]:
    """(N, seconds, ms per spec, peak RSS MB) of one `kit render FOLDER` of N variants."""
    folder = work / f"batch-{n}"
    folder.mkdir()
    text = EXAMPLE.read_text(encoding="utf-8")
    for i in range(n):
        (folder / f"spec-{i:04d}.yaml").write_text(
            text.replace("short_title: Ukraine three-level process", f"short_title: variant {i:04d}"),
            encoding="utf-8")
    out = work / f"out-{n}"
    seconds, rss = peak_rss_mb(kit + ["render", str(folder), "-o", str(out)], work)
    written = len(list(out.iterdir()))
    if written != 12 * n:
        raise SystemExit(f"batch of {n} wrote {written} files, not {12 * n}")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    return n, seconds, seconds / n * 1000, rss


def hyperfine(commands: list[str]) -> str | None:
    if not shutil.which("hyperfine"):
        return None
    done = subprocess.run(["hyperfine", "--warmup", "2", "--style", "basic", *commands],
                          capture_output=True, text=True, cwd=ROOT, check=False)
    return done.stdout


def verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def installed(source: Path, venv: Path) -> list[str]:
    """The ``kit`` command of the tree at ``source``, installed in ``venv`` as pip installs a release."""
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", "-q", str(source)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return [str(venv / "bin" / "kit")]


def revision_tree(revision: str, work: Path) -> Path:
    """The files of a git revision of this repository, in a folder of ``work``."""
    source = work / f"src-{revision}"
    source.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer runs; batches up to 100")
    parser.add_argument("--write-readme", action="store_true", help="update README.md")
    parser.add_argument("--against", metavar="REVISION",
                        help="also time kit check and kit render of this git revision, in the same rounds")
    parser.add_argument("--runs", type=int, help="cold runs of each command (default 11, 3 with --quick)")
    options = parser.parse_args()
    runs = options.runs or (3 if options.quick else 11)
    batches = (1, 10, 100) if options.quick else (1, 10, 100, 1000)
    python = sys.executable
    # The `kit` script pip installed next to this Python, as users run it (python -m
    # framework_kit would add runpy's few ms); -m where there is no script.
    script = Path(python).with_name("kit.exe" if os.name == "nt" else "kit")
    kit = [str(script)] if script.exists() else [python, "-m", "framework_kit"]
    load_at_start = os.getloadavg()[0]
    compileall.compile_dir(str(ROOT / "framework_kit"), quiet=1)
    # One render before timing: the compiled packaged templates are then in the user's
    # cache, as after any first run (KIT_NO_CACHE=1 in the environment measures without).
    work = Path(tempfile.mkdtemp(prefix="kit-bench-"))
    subprocess.run(kit + ["render", str(EXAMPLE), "-o", str(work / "warm")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    (work / "bare.py").write_text(BARE_TYPER, encoding="utf-8")
    (work / "out").mkdir()

    serial = {**os.environ, "KIT_SERIAL": "1"}
    render = kit + ["render", str(EXAMPLE), "-o", str(work / "out")]
    against: dict = {}
    if options.against:
        # Both installed alike: an editable install's import hook alone adds about 25 ms.
        kit = installed(ROOT, work / "venv-this")
        render = kit + ["render", str(EXAMPLE), "-o", str(work / "out")]
        subprocess.run(kit + ["render", str(EXAMPLE), "-o", str(work / "warm")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        other = installed(revision_tree(options.against, work), work / "venv-against")
        subprocess.run(other + ["render", str(EXAMPLE), "-o", str(work / "warm-against")],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        against = {"against_check": (other + ["check", str(EXAMPLE)], None),
                   "against_render": (other + ["render", str(EXAMPLE), "-o", str(work / "out-against")], None)}
    timed = cold({
        "base": ([python, "-c", "pass"], None),
        "bare_help": ([python, str(work / "bare.py"), "--help"], None),
        "bare_check": ([python, str(work / "bare.py"), "check", str(EXAMPLE)], None),
        "kit_help": (kit + ["--help"], None),
        "kit_check": (kit + ["check", str(EXAMPLE)], None),
        "kit_render": (render, None),
        "serial_render": (render, serial),
        "first_render": (render, {**os.environ, "KIT_NO_CACHE": "1"}),
        **against,
    }, runs, work)
    fastest = {label: low for label, (_, low) in timed.items()}
    base, bare_help, bare_check = (timed[label][0] for label in ("base", "bare_help", "bare_check"))
    kit_help, kit_check, kit_render = (timed[label][0] for label in ("kit_help", "kit_check", "kit_render"))
    # Each command against `python -c pass` and against the bare typer app doing the same
    # kind of thing (its --help for --help, its `check FILE` for everything that reads a spec).
    rows = [
        ("python -c pass", "base", bare_check, ""),
        ("bare typer app --help", "bare_help", bare_help, ""),
        ("bare typer app check FILE", "bare_check", bare_check, ""),
        ("kit --help", "kit_help", bare_help,
         f"≤ {TARGETS['help']}x typer: {verdict(kit_help / bare_help <= TARGETS['help'])}"),
        ("kit check (Ukraine example)", "kit_check", bare_check,
         f"≤ {TARGETS['check']}x typer: {verdict(kit_check / bare_check <= TARGETS['check'])}"),
        ("kit render (6 documents, docx+pdf)", "kit_render", bare_check,
         f"≤ {TARGETS['render_ms']} ms: {verdict(kit_render <= TARGETS['render_ms'])}"),
        ("kit render in one process (KIT_SERIAL=1: no child writing the DOCX files)", "serial_render",
         bare_check, ""),
        ("kit render, templates not yet compiled (first run; KIT_NO_CACHE=1)", "first_render", bare_check, ""),
    ]
    if against:
        revision = options.against
        rows += [(f"kit check at {revision}", "against_check", bare_check,
                  f"this tree: ×{kit_check / timed['against_check'][0]:.2f}"),
                 (f"kit render at {revision}", "against_render", bare_check,
                  f"this tree: ×{kit_render / timed['against_render'][0]:.2f}")]
    breakdown = stages(runs, python, work)
    documents = in_process(runs, long_term_sheet_spec(work))
    batch_rows = [batch(n, work, kit) for n in batches]

    lines = [
        f"Measured {time.strftime('%Y-%m-%d')} on {os.cpu_count()} cores, Python "
        f"{platform.python_version()} ({platform.machine()}), by `python bench/run.py"
        f"{' --quick' if options.quick else ''}{f' --runs {options.runs}' if options.runs else ''}"
        f"{f' --against {options.against}' if options.against else ''}`; medians of {runs} runs; load average "
        f"{load_at_start:.1f} at the start (other work on the machine slows every number).",
        "",
        "| command (cold, new process) | median ms | fastest ms | × python -c pass | × bare typer | target |",
        "|---|---:|---:|---:|---:|---|",
        *[f"| {label} | {timed[key][0]:.0f} | {fastest[key]:.0f} | {timed[key][0] / base:.1f} | "
          f"{timed[key][0] / typer:.2f} | {target} |" for label, key, typer, target in rows],
        "",
        "| where a cold `kit render` spends its time (one process, stage by stage) | median ms |",
        "|---|---:|",
        f"| start the interpreter (`python -c pass`) | {base:.0f} |",
        *[f"| {name} | {ms:.0f} |" for name, ms in breakdown],
        f"| **sum** (in one process; `kit render` writes the DOCX files in a child meanwhile) | "
        f"**{base + sum(ms for _, ms in breakdown):.0f}** |",
        "",
        "| document (in process, warm) | format | median ms | fastest ms | PDF pages | target |",
        "|---|---|---:|---:|---:|---|",
        *[f"| {key} | {fmt} | {ms:.1f} | {low:.1f} | {pages} | "
          + (f"≤ {TARGETS[fmt + '_ms']} ms: {verdict(ms <= TARGETS[fmt + '_ms'])}" if pages >= 5 else "")
          + " |" for key, fmt, ms, low, pages in documents],
        "",
        "| batch: specs in one `kit render FOLDER` | seconds | ms per spec | specs/s | peak RSS MB |",
        "|---:|---:|---:|---:|---:|",
        *[f"| {n} | {s:.1f} | {per:.0f} | {n / s:.1f} | {rss:.0f} |" for n, s, per, rss in batch_rows],
    ]
    if len(batch_rows) > 2:
        (n1, s1, _, _), (n2, s2, _, _), (nl, sl, _, rssl) = batch_rows[1], batch_rows[2], batch_rows[-1]
        lines += ["", f"Marginal cost per spec (start-up excluded): {(s2 - s1) / (n2 - n1) * 1000:.0f} ms "
                  f"from N={n1} to N={n2}, {(sl - s1) / (nl - n1) * 1000:.0f} ms from N={n1} to N={nl}; "
                  f"peak memory at N={nl}: {rssl:.0f} MB (target ≤ {TARGETS['batch_mb']} MB: "
                  f"{verdict(rssl <= TARGETS['batch_mb'])})."]
    table = "\n".join(lines)
    print(table)
    kit_line = " ".join(kit)
    hf = hyperfine([f"{kit_line} --help", f"{python} {work / 'bare.py'} --help",
                    f"{kit_line} check {EXAMPLE}", f"{python} {work / 'bare.py'} check {EXAMPLE}"])
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
        else:
            print(f"README.md has no {BEGIN} ... {END} markers: nothing written")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
