"""Who may talk to the studio: the page it serves itself, and local scripts; nobody else.

The studio listens on 127.0.0.1 only, but a web page open in the same browser
can still reach it:

- by DNS rebinding: a hostile name first resolves to its own server, then to
  127.0.0.1, and the page reads the studio as "same origin". The request then
  carries the hostile name in ``Host``: only ``127.0.0.1:PORT`` and
  ``localhost:PORT`` are answered.
- by a cross-site request (a form posted at ``/api/spec``): the browser sends the
  page's ``Origin``, or ``Sec-Fetch-Site: cross-site``. Only the studio's own
  origin is accepted; a request with neither header (curl, a script) is local.

Every answer also carries headers that keep the page from being framed by
another site or loading code from anywhere but the studio.
"""

from __future__ import annotations

import json

SECURITY_HEADERS = [
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
     b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


class LocalOnly:
    """ASGI middleware: refuse requests whose Host or Origin is not the studio's own (403)."""

    def __init__(self, app, port: int) -> None:
        self.app = app
        self.hosts = {f"127.0.0.1:{port}".encode(), f"localhost:{port}".encode()}
        self.origins = {b"http://" + host for host in self.hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        problem = self.refusal(dict(scope["headers"]))
        if problem:
            return await _refuse(send, problem)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + SECURITY_HEADERS}
            await send(message)

        return await self.app(scope, receive, send_with_headers)

    def refusal(self, headers: dict[bytes, bytes]) -> str:
        """Why a request with these headers is refused, or '' when it is the studio's own."""
        host = headers.get(b"host", b"").lower()
        if host not in self.hosts:
            return ("this studio answers only at its own address (http://"
                    f"{sorted(self.hosts)[0].decode()}/); the request named another host")
        origin = headers.get(b"origin")
        if origin is not None and origin.lower() not in self.origins:
            return "requests from other web pages are refused"
        if headers.get(b"sec-fetch-site", b"") == b"cross-site":
            return "requests from other web pages are refused"
        return ""


async def _refuse(send, problem: str) -> None:
    body = json.dumps({"error": problem}).encode()
    await send({"type": "http.response.start", "status": 403,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())] + SECURITY_HEADERS})
    await send({"type": "http.response.body", "body": body})
