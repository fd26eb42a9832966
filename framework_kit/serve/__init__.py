"""``kit serve``: a local studio in the browser, with live checking and a live preview.

The web stack (Starlette, uvicorn, pdfium) is imported by :func:`run` and
:func:`create_app` only, so ``kit check`` and ``kit --help`` never load it.
The page itself is a bundle built once from ``frontend/`` into ``static/``
and shipped in the wheel: running the studio needs neither Node nor the network.
"""

from __future__ import annotations


def run(path, *, port: int = 8765, open_browser: bool = False, templates_dir=None,
        reference_doc=None) -> int:
    """Serve the studio on ``path`` (a spec or a folder of specs) until Ctrl-C; the exit status."""
    from .server import run as serve

    return serve(path, port=port, open_browser=open_browser, templates_dir=templates_dir,
                 reference_doc=reference_doc)


def create_app(path, port: int, *, templates_dir=None, reference_doc=None):
    """The studio as an ASGI application on ``path``, answering at 127.0.0.1/localhost:``port``."""
    from .app import create_app as make
    from .workspace import Workspace

    return make(Workspace.open(path), port, templates_dir=templates_dir, reference_doc=reference_doc)


__all__ = ["create_app", "run"]
