"""What every response of the class server carries, and what every request must pass.

- the Host header must name an address the server listens on (no DNS rebinding:
  a page on another site cannot point its own name at 127.0.0.1 and read the class);
- headers: a Content-Security-Policy without inline script, no framing, no sniffing,
  no referrer, no caching (pages carry answers in progress);
- errors (a too-large body, an unknown page, anything unexpected) become a plain
  page, never a traceback.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cache-Control": "no-store",
}
MAX_BODY = 64 * 1024  # a full case answer is well under 8 KiB

log = logging.getLogger("immunoquiz.web")

ErrorPage = Callable[[web.Request, int, str, str], web.Response]


def host_name(host: str) -> str:
    """The name part of a Host header: `[::1]:8080` -> `[::1]`, `Example:80` -> `example`."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def make_middleware(allowed_hosts: frozenset[str], error_page: ErrorPage) -> Callable[..., object]:
    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if host_name(request.host or "") not in allowed_hosts:
            response: web.StreamResponse = error_page(
                request,
                421,
                "Wrong address",
                "This class check is served under another address: use the one your "
                "educator shows.",
            )
        else:
            try:
                response = await handler(request)
            except web.HTTPRequestEntityTooLarge:
                response = error_page(
                    request,
                    413,
                    "Too much text",
                    "That was more than a class check needs: "
                    "nothing was saved. Go back and send a shorter answer.",
                )
            except web.HTTPNotFound:
                response = error_page(
                    request, 404, "No such page", "There is no such page in this class check."
                )
            except web.HTTPMethodNotAllowed:
                response = error_page(request, 405, "Not here", "Use the buttons on the page.")
            except web.HTTPException as exc:
                if exc.status < 400:
                    raise
                response = error_page(request, exc.status, "Something is wrong", exc.reason)
            except Exception:  # the last line of defence: a page, never a traceback
                log.exception("unexpected error on %s", request.path)
                response = error_page(
                    request,
                    500,
                    "Something went wrong",
                    "Your answers so far are saved. "
                    "Reload the page; if this stays, tell your educator.",
                )
        for name, value in HEADERS.items():
            response.headers[name] = value
        return response

    return guard
