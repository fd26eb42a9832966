"""Starting the studio: bind 127.0.0.1, print the address, warm the renderer, serve until Ctrl-C."""

from __future__ import annotations

import errno
import socket
import sys
import threading
from pathlib import Path

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
    import uvicorn

    from .app import create_app

    port = sock.getsockname()[1]
    app = create_app(workspace, port, templates_dir=templates_dir, reference_doc=reference_doc)
    address = f"http://{HOST}:{port}/"
    what = workspace.only or workspace.root
    out(f"kit serve: the studio for {what} is at {address} (Ctrl-C stops it)", flush=True)
    threading.Thread(target=_warm_up, args=(app, workspace), daemon=True).start()
    if open_browser:
        import webbrowser

        threading.Thread(target=webbrowser.open, args=(address,), daemon=True).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def _warm_up(app, workspace) -> None:
    """Render and draw the first spec's brief while the browser loads the page.

    A cold render imports reportlab and loads the fonts (most of a second); done
    now, the page's first preview finds the result remembered, or waits for it.
    """
    studio = app.app.state.studio
    name = workspace.default()
    if name is None:
        return
    try:
        data = workspace.read(name)
        result = studio.renderer.render(data, name, formats=("pdf",), only=("brief",))
        if result.ok:
            studio.renderer.pages(result.files[0].data)
    except Exception:  # the page will ask again and show what went wrong
        pass
