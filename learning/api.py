"""flask-smorest, made to speak problem+json and to document authentication on every view."""

import http
from functools import wraps

import flask_smorest
import marshmallow as ma
from flask import current_app, request
from flask_jwt_extended import current_user, get_current_user, get_jwt, verify_jwt_in_request
from flask_smorest.utils import prepare_response
from marshmallow import validate
from werkzeug.routing import IntegerConverter

from learning.db import LARGEST_ID, READ_ONLY_OPTIONS
from learning.errors import PROBLEM_CONTENT_TYPE, Forbidden, problem_from_http_exception


class IdConverter(IntegerConverter):
    """`<int:...>` in every URL: a non-negative id up to LARGEST_ID, so that a larger one is a
    404 like any unknown id instead of an overflow in the database; the OpenAPI document
    states the bounds."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(url_map, *args, **kwargs)


class ProblemSchema(ma.Schema):
    """An RFC 9457 problem document, the body of every error answer."""

    type = ma.fields.String(
        required=True, metadata={"description": "A URI naming the kind of problem"}
    )
    title = ma.fields.String(required=True, metadata={"description": "A short, stable summary"})
    status = ma.fields.Integer(required=True, metadata={"description": "The HTTP status code"})
    detail = ma.fields.String(metadata={"description": "What went wrong this time"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        metadata={"description": "For invalid input: messages by field name"},
    )
    request_id = ma.fields.String(metadata={"description": "The request id, for support"})


class Api(flask_smorest.Api):
    """The project's Api: problem+json errors, documented as such in the OpenAPI document."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error):
        return problem_from_http_exception(error)

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_CONTENT_TYPE)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, response, lazy=True)


def signed_in_user():
    """The caller when a valid token came along, else None, for views open to everyone.

    A view behind login_required has verified the token already; it is not decoded and
    checked a second time (get_jwt raises only when no verification ran in this request).
    """
    try:
        get_jwt()
    except RuntimeError:
        verify_jwt_in_request(optional=True)
    return get_current_user()


class Blueprint(flask_smorest.Blueprint):
    """A Blueprint whose views can require a signed-in user, or a role, in one line."""

    def arguments(self, schema, *, location="json", **kwargs):
        """flask-smorest's arguments, which documents the 422 of invalid fields; a JSON body
        may also fail to parse at all, which is a 400.

        A schema class is made an instance here, once: webargs would build one per request,
        copying every field, which cost a fifth of a circle discovery request."""
        if isinstance(schema, type):
            schema = schema()
        parse = super().arguments(schema, location=location, **kwargs)
        if location != "json":
            return parse
        return lambda view: self.alt_response(400, response="BAD_REQUEST")(parse(view))

    @staticmethod
    def read_only(view):
        """For the hot views that only read: on PostgreSQL a signed-in request's statements
        run without a transaction, which spares two of its few round trips (BEGIN and
        ROLLBACK); each statement sees the latest committed data. A write in such a view
        fails loudly (learning/db.py) instead of committing piecemeal.

        Only a request with a token takes its connection here (it reads the signed-in user
        anyway); without one, the view may need no database at all (a kept answer), and
        runs as usual when it does. SQLite has no round trips to spare."""

        @wraps(view)
        def without_transaction(*args, **kwargs):
            database = current_app.extensions["sqlalchemy"]  # learning.extensions imports us
            if "Authorization" in request.headers and database.engine.dialect.name == "postgresql":
                database.session.connection(execution_options=READ_ONLY_OPTIONS)
            return view(*args, **kwargs)

        return without_transaction

    def login_required(self, *roles: str):
        """Require a valid access token and, when roles are named, at least one of them.

        Object-level checks (is this my class?) belong to the domain services, which know
        the objects; this decorator only knows who is calling.
        """

        def decorator(view):
            @wraps(view)
            def guarded(*args, **kwargs):
                verify_jwt_in_request()
                if roles and not any(current_user.has_role(role) for role in roles):
                    raise Forbidden(f"This needs the role {' or '.join(roles)}.")
                return view(*args, **kwargs)

            guarded = self.alt_response(401, response="UNAUTHORIZED")(guarded)
            if roles:
                guarded = self.alt_response(403, response="FORBIDDEN")(guarded)
            return self.doc(security=[{"bearerAuth": []}])(guarded)

        return decorator


class PageArgsSchema(ma.Schema):
    """?page= and ?per_page= on every list; per_page is capped."""

    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = ma.fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


def page_schema(item_schema, name: str) -> type[ma.Schema]:
    """A paginated list of item_schema: {items, page, per_page, total}."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema), required=True),
            "page": ma.fields.Integer(required=True),
            "per_page": ma.fields.Integer(required=True),
            "total": ma.fields.Integer(required=True, metadata={"description": "All matches"}),
        },
        name=name,
    )


class PlainList(ma.fields.List):
    """A list documented as a list of item_schema, whose items the service made as dicts of
    that schema's fields with JSON values already (numbers, strings, booleans, None): each
    item's fields are picked, not dumped through a schema per item, which on a board of twenty
    was most of a leaderboard's dump. Only fields that dump a value unchanged are allowed."""

    PLAIN_FIELDS = (ma.fields.Integer, ma.fields.String, ma.fields.Boolean)

    def __init__(self, item_schema: type[ma.Schema], **kwargs):
        super().__init__(ma.fields.Nested(item_schema), **kwargs)
        declared = item_schema._declared_fields
        for name, field in declared.items():
            if not isinstance(field, self.PLAIN_FIELDS) or field.data_key or field.attribute:
                raise TypeError(f"{item_schema.__name__}.{name} is not a plain field")
        self.names = tuple(declared)

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None:
            return None
        return [{name: item[name] for name in self.names} for item in value]
