"""What happens around every request: a request id, a body size limit, one log line, and the
security headers."""

import logging
import re
import time
import uuid

from flask import Flask, current_app, g, request
from werkzeug.exceptions import RequestEntityTooLarge

log = logging.getLogger("learning.requests")

# A client-supplied id is kept only when it cannot smuggle anything into logs.
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")

API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# Every HTML page (/impact, the /ob verification pages, /api/docs) loads scripts and styles
# only from files on this server: no inline script, no inline style, nothing from elsewhere.
# Swagger UI's React sets styles through the DOM (CSSOM), which style-src does not govern.
HTML_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'"
)


def accepts_uploads(view_class):
    """Mark a view that takes file uploads: its bodies may be as large as MAX_CONTENT_LENGTH;
    every other request is held to MAX_JSON_BODY_BYTES."""
    view_class.accepts_uploads = True
    return view_class


def _start_request() -> None:
    g.started_at = time.perf_counter()
    supplied = request.headers.get("X-Request-ID", "")
    g.request_id = supplied if _SAFE_REQUEST_ID.match(supplied) else uuid.uuid4().hex
    _limit_body()


def _limit_body() -> None:
    """Refuse an oversized body before anything reads it: a JSON request has no reason to be
    large, so only upload views get the whole MAX_CONTENT_LENGTH."""
    view = current_app.view_functions.get(request.endpoint)
    if getattr(getattr(view, "view_class", None), "accepts_uploads", False):
        limit = current_app.config["MAX_CONTENT_LENGTH"]
    else:
        limit = min(
            current_app.config["MAX_JSON_BODY_BYTES"], current_app.config["MAX_CONTENT_LENGTH"]
        )
    request.max_content_length = limit
    if request.content_length is not None:
        size_over_limit = request.content_length > limit
    elif request.environ.get("wsgi.input_terminated"):
        # A chunked body: werkzeug would quietly cut it at the limit, and the parser would
        # then call it malformed. Read it now (at most `limit` bytes, kept for the view) and
        # say what is wrong; a body that reaches the limit counts as over it.
        size_over_limit = len(request.get_data(cache=True)) >= limit
    else:
        size_over_limit = False
    if size_over_limit:
        raise RequestEntityTooLarge(f"The request body is larger than {limit} bytes.")


def _finish_response(response):
    response.headers["X-Request-ID"] = g.get("request_id", "")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    csp = HTML_CSP if response.mimetype == "text/html" else API_CSP
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
