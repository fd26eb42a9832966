"""The studio's HTTP API and its page (Starlette).

Endpoints (all bodies are the spec's YAML, at most the spec size limit):

- ``POST /api/check`` -> the JSON list ``kit check --format json`` prints.
- ``POST /api/render?document=NAME&format=pdf|docx`` -> that file's bytes;
  ``format=zip`` (``document`` optional) -> every file, DOCX and PDF, in one zip.
  A spec with errors -> 422 and the diagnostics JSON.
- ``GET /api/documents`` (the spec on disk) or ``POST /api/documents`` (the body)
  -> ``[{name, title, document}]``, names as ``kit render --only`` takes them.
- ``POST /api/preview?document=NAME&slot=TAB`` -> the document's pages as images;
  409 when a newer preview of the same slot was asked for meanwhile.
- ``POST /api/mail?from=&to=&cc=&subject=`` -> the brief as an unsent .eml draft.
- ``GET /api/specs``, ``GET /api/spec?spec=NAME``, ``PUT /api/spec?spec=NAME``:
  the folder's specs, one spec's text, saving it over itself.
- ``GET /api/explain/CODE``, ``GET /api/schema``: ``kit explain`` and ``kit schema``.

``spec=NAME`` names a spec inside the folder; it is also the ``file`` the
diagnostics carry (default: the spec the studio opened first).
"""

from __future__ import annotations

import threading
from pathlib import Path

import anyio
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import api
from ..documents import documents_of
from ..report import format_json
from ..spec.load import MAX_BYTES
from .downloads import MEDIA_TYPES, attachment, mail_draft, zip_files, zip_name
from .guard import LocalOnly
from .renders import Renderer, Superseded
from .workspace import Refused, Workspace

STATIC = Path(__file__).resolve().parent / "static"
NO_STORE = {"cache-control": "no-store"}


class Problem(Exception):
    """An answer other than success: an HTTP status and one plain sentence."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def create_app(workspace: Workspace, port: int, *, templates_dir=None, reference_doc=None):
    """The studio as an ASGI application, answering only at ``127.0.0.1:port`` / ``localhost:port``."""
    studio = _Studio(workspace, Renderer(templates_dir, reference_doc))
    routes = [
        Route("/", studio.page),
        Route("/api/specs", studio.specs),
        Route("/api/spec", studio.read_spec, methods=["GET"]),
        Route("/api/spec", studio.save_spec, methods=["PUT"]),
        Route("/api/check", studio.check, methods=["POST"]),
        Route("/api/documents", studio.documents, methods=["GET", "POST"]),
        Route("/api/render", studio.render, methods=["POST"]),
        Route("/api/preview", studio.preview, methods=["POST"]),
        Route("/api/mail", studio.mail, methods=["POST"]),
        Route("/api/explain/{code}", studio.explain),
        Route("/api/schema", studio.schema),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={Problem: _problem, Refused: _refused})
    app.state.studio = studio
    return LocalOnly(app, port)


async def _problem(request, exc: Problem):
    return JSONResponse({"error": str(exc)}, exc.status, headers=NO_STORE)


async def _refused(request, exc: Refused):
    return JSONResponse({"error": str(exc)}, exc.status, headers=NO_STORE)


def _diagnostics(result, status: int = 200) -> Response:
    return Response(format_json(result.diagnostics), status, media_type="application/json",
                    headers=NO_STORE)


def _not_rendered(result) -> Response:
    """A render that gave nothing: 422 with the diagnostics, or 404 when nothing matched."""
    if result.problem and not result.errors and not result.unreadable:
        raise Problem(404, "the spec yields no such document; GET /api/documents lists those it yields")
    return _diagnostics(result, 422)


class _Studio:
    def __init__(self, workspace: Workspace, renderer: Renderer) -> None:
        self.workspace = workspace
        self.renderer = renderer
        self._previews = None  # one preview at a time, in the order asked (made in the event loop)
        self.previewed = threading.Event()  # a preview was sent: the start-up may warm the renderer

    # --- the page and the folder -------------------------------------------------------

    async def page(self, request: Request):
        return FileResponse(STATIC / "index.html", headers=NO_STORE)

    async def specs(self, request: Request):
        return JSONResponse({"folder": self.workspace.root.name, "specs": self.workspace.specs(),
                             "current": self.workspace.default(),
                             "maxBytes": MAX_BYTES}, headers=NO_STORE)

    async def read_spec(self, request: Request):
        data = self.workspace.read(self._spec_name(request, required=True))
        if len(data) > MAX_BYTES:
            raise Problem(413, f"the spec is larger than {MAX_BYTES // 1_000_000} MB, the limit")
        return Response(data, media_type="text/yaml; charset=utf-8", headers=NO_STORE)

    async def save_spec(self, request: Request):
        name = self._spec_name(request, required=True)
        data = await _body(request)
        path = await anyio.to_thread.run_sync(self.workspace.save, name, data)
        return JSONResponse({"saved": name, "bytes": len(data), "path": str(path)}, headers=NO_STORE)

    # --- checking and rendering --------------------------------------------------------

    async def check(self, request: Request):
        data, file = await _body(request), self._spec_name(request)
        result = await anyio.to_thread.run_sync(api.check_bytes, data, file)
        return _diagnostics(result)

    async def documents(self, request: Request):
        file = self._spec_name(request)
        if request.method == "GET":
            if file == "<spec>":
                raise Problem(404, "this folder holds no spec")
            data = self.workspace.read(file)
        else:
            data = await _body(request)
        result = await anyio.to_thread.run_sync(api.check_bytes, data, file)
        if not result.ok:
            return _diagnostics(result, 422)
        return JSONResponse([{"name": key, "title": title, "document": document}
                             for document, key, title in documents_of(result.design)],
                            headers=NO_STORE)

    async def render(self, request: Request):
        data, file = await _body(request), self._spec_name(request)
        fmt = request.query_params.get("format", "pdf")
        document = request.query_params.get("document")
        if fmt not in ("pdf", "docx", "zip"):
            raise Problem(400, f"format={fmt!r}: use pdf, docx or zip")
        if fmt != "zip" and not document:
            raise Problem(400, "say which document: document=brief, term-sheet-<table-id>, "
                          "buffer-zone-annex or cbm-schedule (or format=zip for all)")
        formats = ("docx", "pdf") if fmt == "zip" else (fmt,)
        only = (document,) if document else None
        result = await self._render(data, file, formats, only)
        if not result.ok:
            return _not_rendered(result)
        files = [f for f in result.files if fmt == "zip" or f.key == document]
        if not files:
            raise Problem(404, f"the spec yields no document named {document!r}; "
                          "GET /api/documents lists those it yields")
        name, body = (zip_name(files), zip_files(files)) if fmt == "zip" else (files[0].filename, files[0].data)
        return Response(body, media_type=MEDIA_TYPES[fmt],
                        headers={**NO_STORE, "content-disposition": attachment(name)})

    async def preview(self, request: Request):
        data, file = await _body(request), self._spec_name(request)
        document = request.query_params.get("document", "brief")
        slot = request.query_params.get("slot", "")[:64]
        ticket = self.renderer.tickets.take(slot)
        try:
            result, shown = await anyio.to_thread.run_sync(
                self.renderer.preview, data, file, document, slot, ticket, limiter=self._preview_limiter())
            self.renderer.tickets.check(slot, ticket)
        except Superseded:
            return JSONResponse({"superseded": True}, 409, headers=NO_STORE)
        except ValueError as exc:  # an unknown document name
            raise Problem(400, str(exc)) from None
        if not result.ok:
            return _not_rendered(result)
        if shown is None:
            raise Problem(404, f"the spec yields no document named {document!r}")
        return JSONResponse({"name": shown.key, "title": shown.title, "pages": shown.pages,
                             "pageCount": shown.page_count, "ticket": ticket}, headers=NO_STORE,
                            background=BackgroundTask(self.previewed.set))  # once it is sent

    async def mail(self, request: Request):
        data, file = await _body(request), self._spec_name(request)
        query = request.query_params
        checked = await anyio.to_thread.run_sync(api.check_bytes, data, file)
        if not checked.ok:
            return _diagnostics(checked, 422)
        result, name, body = await anyio.to_thread.run_sync(lambda: mail_draft(
            checked, sender=query.get("from", ""), to=query.getlist("to"), cc=query.getlist("cc"),
            subject=query.get("subject") or None, templates_dir=self.renderer.templates_dir))
        if not result.check.ok:
            return _diagnostics(result.check, 422)
        if result.error is not None:
            raise Problem(400, str(result.error))
        return Response(body, media_type=MEDIA_TYPES["eml"],
                        headers={**NO_STORE, "content-disposition": attachment(name)})

    async def explain(self, request: Request):
        from ..explain import UnknownCode

        try:
            text = api.explain(request.path_params["code"].upper())
        except UnknownCode as exc:
            raise Problem(404, str(exc)) from None
        return Response(text, media_type="text/plain; charset=utf-8")

    async def schema(self, request: Request):
        return JSONResponse(api.schema())

    # --- helpers -----------------------------------------------------------------------

    def _spec_name(self, request: Request, *, required: bool = False) -> str:
        """The ``spec`` parameter, checked against the folder; else the spec opened first."""
        name = request.query_params.get("spec")
        if name is None:
            if required:
                raise Problem(400, "say which spec: spec=NAME.yaml")
            return self.workspace.default() or "<spec>"
        self.workspace.resolve(name)
        return name

    def _preview_limiter(self):
        if self._previews is None:
            self._previews = anyio.CapacityLimiter(1)
        return self._previews

    async def _render(self, data: bytes, file: str, formats, only):
        try:
            return await anyio.to_thread.run_sync(
                lambda: self.renderer.render(data, file, formats=formats, only=only))
        except ValueError as exc:  # an unknown document name
            raise Problem(400, str(exc)) from None


async def _body(request: Request) -> bytes:
    """The request's body, refused (413) beyond the spec size limit without reading it all."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > MAX_BYTES:
        raise Problem(413, f"the spec is larger than {MAX_BYTES // 1_000_000} MB, the limit")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BYTES:
            raise Problem(413, f"the spec is larger than {MAX_BYTES // 1_000_000} MB, the limit")
        chunks.append(chunk)
    return b"".join(chunks)


__all__ = ["create_app"]
