"""``kit render`` behind the command line: options checked, specs gathered, each rendered and reported.

One process renders every spec, so fonts, templates and the reference
document are loaded once. A failing spec is reported and the batch goes on;
a summary ends a batch. On a terminal a progress bar shows how far it is.

A single spec is rendered with a worker process writing the DOCX files while
this one lays out the PDFs (about 120 ms of a cold render on two cores); the
library itself never forks, so that choice is made here, at the edge.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer

from .. import api
from ..report import read_source_lines
from ..render.codes import THEME_PROBLEM
from .specs import expand_specs, split_list


def run_render(specs, output, formats: str, only: str | None, templates, reference_doc, *,
               show, interactive: bool, quiet: bool = False, verbose: bool = False,
               parallel: bool = False) -> int:
    """Render ``specs`` into ``output``; return the exit code (0 all rendered, 1 a spec failed, 2 usage).

    ``show`` prints diagnostics the way ``kit check`` does.
    """
    try:
        chosen_formats = api.check_formats(split_list(formats))
        chosen_only = api.check_documents(split_list(only)) if only is not None else None
        _check_inputs(templates, reference_doc)
        paths = expand_specs(specs)
    except ValueError as exc:
        typer.echo(f"kit render: {exc}", err=True)
        return api.EXIT_UNREADABLE
    batch = len(paths) > 1
    if batch:
        # Python's own thresholds again (the entry point raised the first for start-up): a
        # batch's garbage is collected as it goes, so its memory stays flat.
        gc.set_threshold(700, 10, 10)
    results: list[_Outcome] = []
    written: set[str] = set()
    # A batch stays in one process: a worker writing each spec's DOCX would save a
    # tenth of its time but add a third to its memory (pages the worker touches).
    with _Progress(len(paths), interactive and batch) as progress, \
            side_by_side(enabled=not batch and len(chosen_formats) > 1) as executor:
        for path in paths:
            progress.starting(path)
            result = api.render_file(path, output, formats=chosen_formats, only=chosen_only,
                                     templates_dir=templates, reference_doc=reference_doc, avoid=written,
                                     executor=executor, parallel=parallel)
            written |= {target.name for target, _ in result.written}
            with progress.paused():
                _report(result, output, show, quiet=quiet, verbose=verbose)
            # Only the summary's facts are kept: the spec's text, its diagnostics and the
            # documents' bytes would add up to over 30 MB in a batch of a thousand. No
            # gc.collect() either: the writers leave some forty cyclic objects a spec (no
            # python-docx objects), and a full collection would cost 10 ms a spec.
            results.append(_Outcome(result.file, result.ok, result.exit_code, len(result.written)))
            progress.done()
    if batch and not quiet:
        _summary(results, output)
    return max(r.exit_code for r in results)


@contextmanager
def side_by_side(enabled: bool):
    """An executor that writes one format in a forked child while this process writes another.

    Forked, so the child starts with everything already imported and the
    documents already built (:mod:`framework_kit.forking`); only on Linux with more than one
    core, and not with ``KIT_SERIAL=1`` (macOS's system libraries are not
    fork-safe; Windows has no fork). Yields None when the work should stay in
    this process.
    """
    if not (enabled and sys.platform == "linux" and (os.cpu_count() or 1) > 1
            and os.environ.get("KIT_SERIAL", "") in ("", "0")):
        yield None
        return
    from ..forking import ForkPerCall

    executor = ForkPerCall()
    try:
        yield executor
    finally:
        executor.close()


def _check_inputs(templates, reference_doc) -> None:
    if templates is not None and not Path(templates).is_dir():
        raise ValueError(f"--templates {templates}: no such folder "
                         "(create one with 'kit templates export FOLDER')")
    if reference_doc is not None and not Path(reference_doc).is_file():
        raise ValueError(f"--reference-doc {reference_doc}: no such file")


def _report(result: api.RenderResult, output, show, *, quiet: bool, verbose: bool) -> None:
    for group in by_file(result):
        show([group])
    if result.problem:
        typer.echo(f"kit render: {result.file}: {result.problem}", err=True)
    if not result.ok:
        errors = any(d.is_error for d in result.diagnostics) or result.unreadable
        typer.echo(f"{result.file}: {'not rendered; ' if errors else ''}nothing written for it")
        return
    if quiet:
        return
    for target, rendered in result.written:
        pages = f" ({rendered.pages} page{'s' if rendered.pages != 1 else ''})" if rendered.pages else ""
        about = f": {rendered.title}, {max(1, round(len(rendered.data) / 1024))} KB" if verbose else ""
        typer.echo(f"wrote {os.path.join(str(output), target.name)}{pages}{about}")


def by_file(result: api.RenderResult) -> list[api.CheckResult]:
    """The diagnostics grouped by file, the spec's first, each with its own source lines.

    A template problem points into a template, so its excerpt must come from there.
    """
    files = list(dict.fromkeys([result.file] + [d.file for d in result.diagnostics]))
    groups = []
    for file in files:
        found = [d for d in result.diagnostics if d.file == file]
        # Most render problems (R codes) concern a whole file: no line to quote. A theme's
        # (R001), and R003 or R004 about a spec text, point at a line, quoted like a spec's.
        quoted = [d for d in found if not d.code.startswith("R") or d.code == THEME_PROBLEM
                  or tuple(d.span) != (1, 1)]
        plain = [d for d in found if d not in quoted]
        if quoted:
            lines = result.lines if file == result.file else read_source_lines(file)
            groups.append(api.CheckResult(file, None, quoted, lines))
        if plain:
            groups.append(api.CheckResult(file, None, plain, []))
    return groups


@dataclass(frozen=True)
class _Outcome:
    """What the summary of a batch needs to know about one spec."""

    file: str
    ok: bool
    exit_code: int
    files: int


def _summary(results: list[_Outcome], output) -> None:
    rendered = [r for r in results if r.ok]
    failed = [r for r in results if not r.ok]
    files = sum(r.files for r in rendered)
    line = (f"rendered {len(rendered)} of {len(results)} specs: {files} file{'s' if files != 1 else ''} "
            f"in {output}")
    if failed:
        line += "; failed: " + ", ".join(r.file for r in failed)
    typer.echo(line)


class _Progress:
    """A rich progress bar on a terminal, a plain line per spec otherwise (logs, pipes)."""

    def __init__(self, total: int, bar: bool):
        self.total, self.bar, self.count = total, bar, 0
        self._progress = self._task = None

    def __enter__(self):
        if self.bar:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self._progress = Progress(TextColumn("rendering"), BarColumn(), MofNCompleteColumn(),
                                      TextColumn("{task.description}"), transient=True)
            self._progress.start()
            self._task = self._progress.add_task("", total=self.total)
        return self

    def starting(self, path: Path) -> None:
        self.count += 1
        if self._progress is not None:
            self._progress.update(self._task, description=str(path))
        elif self.total > 1:
            typer.echo(f"[{self.count}/{self.total}] {path}")

    def done(self) -> None:
        if self._progress is not None:
            self._progress.advance(self._task)

    @contextmanager
    def paused(self):
        """The bar taken off the screen while a spec's lines are printed, then drawn below them.

        typer writes to the terminal's own stream, around rich's redirection: printed
        under a live bar, the lines would run into it.
        """
        if self._progress is None:
            yield
            return
        self._progress.stop()
        try:
            yield
        finally:
            self._progress.start()

    def __exit__(self, *exc_info) -> None:
        if self._progress is not None:
            self._progress.stop()
