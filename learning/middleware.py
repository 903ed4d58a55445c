"""What happens around every request: a request id, one log line, and the security headers."""

import logging
import re
import time
import uuid

from flask import Flask, g, request

log = logging.getLogger("learning.requests")

# A client-supplied id is kept only when it cannot smuggle anything into logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
HTML_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)
# Swagger UI sets inline styles on its elements; its scripts still come only from this server.
DOCS_CSP = HTML_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


def _start_request() -> None:
    g.started_at = time.perf_counter()
    supplied = request.headers.get("X-Request-ID", "")
    g.request_id = supplied if _SAFE_REQUEST_ID.match(supplied) else uuid.uuid4().hex


def _finish_response(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if response.mimetype != "text/html":
        csp = API_CSP
    elif request.path.startswith("/api/docs"):
        csp = DOCS_CSP
    else:
        csp = HTML_CSP
    response.headers.setdefault("Content-Security-Policy", csp)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    duration_ms = (time.perf_counter() - g.get("started_at", time.perf_counter())) * 1000
    log.info(
        "%s %s %s %.1fms request_id=%s",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        g.get("request_id"),
    )
    return response


def init_app(app: Flask) -> None:
    app.before_request(_start_request)
    app.after_request(_finish_response)
