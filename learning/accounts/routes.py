"""/api/v1/auth, /api/v1/me and /api/v1/users: thin views over the accounts services."""

from flask import current_app
from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt, verify_jwt_in_request

from learning.accounts import services
from learning.accounts.schemas import (
    CredentialsSchema,
    PasswordChangeSchema,
    PasswordResetRequestedSchema,
    PasswordResetRequestSchema,
    PasswordResetSchema,
    ProfileUpdateSchema,
    RegisterSchema,
    RegistrationSchema,
    RolesSchema,
    TokenSchema,
    UserSchema,
)
from learning.api import Blueprint
from learning.extensions import limiter

bp = Blueprint("accounts", __name__, url_prefix="/api/v1", description="Accounts and roles.")


def _auth_rate_limit() -> str:
    return current_app.config["AUTH_RATE_LIMIT"]


auth_rate_limited = limiter.limit(_auth_rate_limit, methods=["POST"])


@bp.route("/auth/register")
class Registration(MethodView):
    decorators = [auth_rate_limited]

    @bp.arguments(RegisterSchema)
    @bp.response(201, RegistrationSchema)
    @bp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, registration):
        """Open an account (every account is a learner), then sign in.

        The answer is the same when the email already has an account, whose owner gets an
        email instead: registering does not tell who has an account."""
        return services.register_user(**registration)


@bp.route("/auth/login")
class Login(MethodView):
    decorators = [auth_rate_limited]

    @bp.arguments(CredentialsSchema)
    @bp.response(200, TokenSchema)
    @bp.alt_response(401, response="UNAUTHORIZED")
    @bp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, credentials):
        """Sign in: a short-lived access token and a refresh token."""
        return services.log_in(**credentials)


@bp.route("/auth/password-reset")
class PasswordReset(MethodView):
    decorators = [auth_rate_limited]

    @bp.arguments(PasswordResetRequestSchema)
    @bp.response(202, PasswordResetRequestedSchema)
    @bp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, body):
        """Ask for an email with a link to choose a new password.

        Always 202 with the same answer, whether or not the email has an account."""
        services.request_password_reset(email=body["email"])
        return {"detail": services.RESET_REQUESTED}


@bp.route("/auth/password-reset/confirm")
class PasswordResetConfirmation(MethodView):
    decorators = [auth_rate_limited]

    @bp.arguments(PasswordResetSchema)
    @bp.response(204)
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @bp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, body):
        """Choose a new password with the token from the reset link; the link then stops
        working, and so does every token issued before."""
        services.reset_password(token=body["token"], password=body["password"])


@bp.route("/auth/refresh")
class Refresh(MethodView):
    @bp.response(200, TokenSchema)
    @bp.alt_response(401, response="UNAUTHORIZED")
    @bp.doc(security=[{"bearerAuth": []}])
    def post(self):
        """Trade the refresh token (as the bearer token) for a new pair; each works once."""
        verify_jwt_in_request(refresh=True)
        return services.rotate_refresh_token(user=current_user, claims=get_jwt())


@bp.route("/me")
class Me(MethodView):
    @bp.login_required()
    @bp.response(200, UserSchema)
    def get(self):
        """My profile."""
        return current_user

    @bp.login_required()
    @bp.arguments(ProfileUpdateSchema(partial=True))
    @bp.response(200, UserSchema)
    def patch(self, changes):
        """Change my display name, language, commune or leaderboard visibility."""
        return services.update_profile(user=current_user, changes=changes)


@bp.route("/me/password")
class MyPassword(MethodView):
    @bp.login_required()
    @bp.arguments(PasswordChangeSchema)
    @bp.response(200, TokenSchema)
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def put(self, body):
        """Change my password; tokens issued before stop working everywhere, and a new pair
        comes back."""
        return services.change_password(user=current_user, **body)


@bp.route("/users/<int:user_id>/roles")
class UserRoles(MethodView):
    @bp.login_required("admin")
    @bp.arguments(RolesSchema)
    @bp.response(200, UserSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def put(self, body, user_id):
        """Set the roles a user holds (admins only)."""
        return services.set_roles(acting_admin=current_user, user_id=user_id, roles=body["roles"])
