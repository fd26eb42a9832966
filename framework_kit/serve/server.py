"""Starting the studio: bind 127.0.0.1, start the first preview, print the address, serve until Ctrl-C."""

from __future__ import annotations

import errno
import socket
import sys
import threading
from pathlib import Path

from ..interrupts import ctrl_c_handled

HOST = "127.0.0.1"  # never another interface: the studio reads and writes the user's files


class StartError(Exception):
    """The studio cannot start; the message is one plain line."""


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0: any free port); ``StartError`` if taken."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StartError(f"port {port} is already in use (another kit serve?); "
                             "choose another with --port") from None
        raise StartError(f"cannot listen on {HOST}:{port} ({exc.strerror or exc})") from None
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


def run(path, *, port: int = 8765, open_browser: bool = False, templates_dir=None,
        reference_doc=None, out=print) -> int:
    """Serve the studio on ``path`` (a spec or a folder) until interrupted; the exit status.

    Prints the address first, then nothing but uvicorn's warnings.
    """
    from .workspace import Workspace

    try:
        workspace = Workspace.open(path)
        if templates_dir is not None and not Path(templates_dir).is_dir():
            raise StartError(f"--templates {templates_dir}: no such folder "
                             "(create one with 'kit templates export FOLDER')")
        if reference_doc is not None and not Path(reference_doc).is_file():
            raise StartError(f"--reference-doc {reference_doc}: no such file")
        sock = bind(port)
    except (OSError, StartError) as exc:
        out(f"kit serve: {exc}", file=sys.stderr)
        return 2
    from .warmup import FirstPreview

    first = FirstPreview(workspace, sock, templates_dir, reference_doc)  # before the web stack loads
    try:
        return _serve(workspace, sock, first, open_browser, templates_dir, reference_doc, out)
    finally:
        first.stop()
        sock.close()


def _serve(workspace, sock, first, open_browser, templates_dir, reference_doc, out) -> int:
    import uvicorn

    from .app import create_app

    port = sock.getsockname()[1]
    app = create_app(workspace, port, templates_dir=templates_dir, reference_doc=reference_doc)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2)
    server = uvicorn.Server(config)
    with _ctrl_c_stops(server):
        address = f"http://{HOST}:{port}/"
        what = workspace.only or workspace.root
        out(f"kit serve: the studio for {what} is at {address} (Ctrl-C stops it)", flush=True)
        first.deliver_to(app.app.state.studio)
        if open_browser:
            import webbrowser

            threading.Thread(target=webbrowser.open, args=(address,), daemon=True).start()
        server.run(sockets=[sock])
    return 0


def _ctrl_c_stops(server) -> ctrl_c_handled:
    """Ctrl-C asks the server to stop, from before it starts until after it has stopped.

    uvicorn takes SIGINT over only once its event loop runs. Before that, Python's
    own handler raised KeyboardInterrupt wherever the program was, once in the
    middle of building the event loop: the half-built loop then printed a
    traceback as it was collected. Here Ctrl-C only sets the flag uvicorn's own
    handler sets, so the server, started or not, stops the way it always does.
    """
    return ctrl_c_handled(lambda: setattr(server, "should_exit", True))
