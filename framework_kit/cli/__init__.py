"""The ``kit`` command line: a thin layer over :mod:`framework_kit.api`.

``commands.py`` holds the commands (parse options, call one API function, print,
exit 0/1/2), ``render.py`` the batch and progress of ``kit render``, this
module the entry point: only the command asked for is built, and the process
ends without tearing the interpreter down.
"""

from __future__ import annotations

import copy
import gc
import os
import sys

# A command's run allocates millions of objects that live to its end (modules, the
# document trees, reportlab's flowables): with the default threshold of 700 the cyclic
# collector ran some 150 times in a cold `kit render`, 60 ms of its time, finding little.
# At 100,000 it does not run at all in `kit check` or in a single spec's render (at
# 20,000 it still ran three to five times: 3 ms of a check, 10 ms of a render), for 0.7 MB
# more at the peak; cyclic garbage still cannot grow past that many objects. Set before the
# imports below, which are the first to pay; the older generations keep their defaults, so a
# long `kit serve` still collects, and a batch goes back to Python's thresholds
# (``render.run_render``): with a raised one its peak memory grew by a sixth.
gc.set_threshold(100_000, 10, 10)

INTERRUPTED = "kit: interrupted; no file was left half-written"

try:
    import typer  # noqa: E402

    from .commands import app  # noqa: E402
except KeyboardInterrupt:  # Ctrl-C while the command loads (a tenth of a second): not a traceback
    sys.stderr.write(INTERRUPTED + "\n")
    sys.stderr.flush()
    os._exit(130)


def _app_for(args: list[str]) -> typer.Typer:
    """``app``, or a copy of it holding only the command that ``args`` name.

    On every run typer turns each registered command into a click command,
    reading its signature and type hints; building only the one asked for keeps
    that out of ``kit check``'s start-up. Help, version and unknown commands get
    the whole app.
    """
    from typer.main import get_command_name  # how typer names a command after its function

    wanted = args[0] if args else ""
    chosen = [c for c in app.registered_commands
              if (c.name or get_command_name(c.callback.__name__)) == wanted]
    if not chosen:
        return app
    single = copy.copy(app)
    single.registered_commands = chosen
    single.registered_groups = []
    return single


def main() -> None:
    """Entry point: run the app; an unexpected failure is one line, never a traceback."""
    try:
        _app_for(sys.argv[1:])()
    except KeyboardInterrupt:
        _interrupted()
    except SystemExit as exc:
        if _caused_by_ctrl_c(exc):  # typer turns Ctrl-C into a silent exit 130 before we see it
            _interrupted()
        if exc.code is None or isinstance(exc.code, int):
            _leave(exc.code or 0)
        raise
    except BaseException as exc:  # the promise is: no traceback, ever
        typer.echo(
            f"kit: internal error ({type(exc).__name__}: {exc}). This is a bug in framework-kit; "
            "please report it with the spec that caused it.",
            err=True,
        )
        if os.environ.get("KIT_DEBUG"):
            raise
        sys.exit(2)


def _interrupted() -> None:
    """Ctrl-C: one line, and the conventional status 130 (128 + SIGINT) that shells expect."""
    typer.echo(INTERRUPTED, err=True)
    _leave(130)
    sys.exit(130)  # under coverage, _leave returns


def _caused_by_ctrl_c(exc: BaseException) -> bool:
    seen = exc
    while seen is not None:
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _leave(code: int) -> None:
    """End the process without tearing the interpreter down object by object.

    After a render, freeing every object of reportlab, lxml and Jinja2 one at a
    time takes 50-100 ms, and there is nothing left to clean up: files are
    closed and renamed in place before this point. Coverage tools need the
    normal exit to save their data, so they get it.
    """
    if "coverage" in sys.modules:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed pipe: nothing more can reach the reader anyway
        pass
    os._exit(code)


__all__ = ["app", "main"]
