"""/api/v1/me/export and DELETE /api/v1/me: thin views over the privacy services.

DELETE /me shares its path with the accounts blueprint's GET and PATCH /me; Flask matches a
rule by path and method, so each blueprint answers its own methods of the one URL.
"""

from flask import current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from learning.api import Blueprint
from learning.extensions import limiter
from learning.privacy import services
from learning.privacy.schemas import ErasureSchema, PersonalDataSchema

bp = Blueprint(
    "privacy", __name__, url_prefix="/api/v1", description="My personal data: export and erasure."
)


@bp.route("/me/export")
class MyData(MethodView):
    @bp.login_required()
    @bp.response(200, PersonalDataSchema)
    def get(self):
        """Everything held about me, as JSON (GDPR articles 15 and 20)."""
        return services.export_me(user=current_user)


@bp.route("/me")
class MyErasure(MethodView):
    # Erasure asks for the password: throttled like signing in, so that a stolen access token
    # cannot be used to guess it.
    decorators = [limiter.limit(lambda: current_app.config["AUTH_RATE_LIMIT"], methods=["DELETE"])]

    @bp.login_required()
    @bp.arguments(ErasureSchema)
    @bp.response(204)
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @bp.alt_response(429, response="TOO_MANY_REQUESTS")
    def delete(self, body):
        """Erase me, confirming with my password: my name, email and words go, my badges are
        revoked and every token stops working; anonymous figures stay (GDPR article 17)."""
        services.erase_me(user=current_user, password=body["password"])
