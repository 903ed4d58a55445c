"""Domain errors and their one rendering: RFC 9457 problem+json, for every error on every path."""

import logging

import sqlalchemy as sa
from flask import Flask, g, json
from werkzeug.exceptions import HTTPException, InternalServerError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "urn:carbonlit:problem:"

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain said no; services raise these, errors.py renders them."""

    status = 400
    code = "bad-request"
    title = "Bad request"

    def __init__(self, detail: str, *, errors: dict | None = None, headers: dict | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


class InvalidInput(DomainError):
    status = 422
    code = "invalid-input"
    title = "Invalid input"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    title = "Unauthorized"

    def __init__(self, detail: str, **kwargs):
        super().__init__(detail, **kwargs)
        self.headers.setdefault("WWW-Authenticate", "Bearer")


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Forbidden"


class NotFound(DomainError):
    status = 404
    code = "not-found"
    title = "Not found"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict"


def problem_response(
    status: int,
    *,
    title: str,
    detail: str | None = None,
    type_: str = "about:blank",
    errors: dict | None = None,
    headers: dict | None = None,
):
    """Build the problem+json response every error path ends in."""
    from flask import current_app

    body = {"type": type_, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    request_id = g.get("request_id")
    if request_id:
        body["request_id"] = request_id
    response = current_app.response_class(
        json.dumps(body), status=status, mimetype=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _field_errors(messages) -> dict:
    """Fold webargs' {location: {field: [messages]}} into {field: [messages]}."""
    fields: dict = {}
    for location_messages in messages.values():
        if isinstance(location_messages, dict):
            fields.update(location_messages)
        else:
            fields.setdefault("_schema", []).extend(location_messages)
    return fields


def problem_from_http_exception(error: HTTPException):
    """Render a werkzeug HTTPException (abort, 404, 405, 413, 429, webargs 422...)."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or (_field_errors(data["messages"]) if "messages" in data else None)
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    detail = data.get("message") or error.description
    if isinstance(error, InternalServerError):
        detail = "An unexpected error happened on our side; it has been logged."
    elif errors and error.code == 422:
        detail = "The request has invalid fields; see errors."
    return problem_response(
        error.code or 500,
        title=error.name,
        detail=detail,
        errors=errors,
        headers=headers,
    )


def render_domain_error(error: DomainError):
    return problem_response(
        error.status,
        title=error.title,
        detail=error.detail,
        type_=PROBLEM_TYPE_BASE + error.code,
        errors=error.errors,
        headers=error.headers,
    )


def render_unexpected_error(error: Exception):
    """A 500 is a bug: log the traceback, show none."""
    log.exception("unhandled error", exc_info=error)
    return problem_from_http_exception(InternalServerError(original_exception=error))


def render_database_unavailable(error: sa.exc.OperationalError):
    """The database failed under the request (gone, restarting, a deadlock): not a bug but an
    outage. The request's transaction is rolled back, and every write a client retries is
    idempotent, so the answer is to send it again."""
    log.warning("database unavailable: %s", error.orig)
    return problem_response(
        503,
        title="Service Unavailable",
        detail="The database did not answer; send the request again in a moment.",
        headers={"Retry-After": "1"},
    )


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, render_domain_error)
    app.register_error_handler(sa.exc.OperationalError, render_database_unavailable)
    app.register_error_handler(Exception, render_unexpected_error)
