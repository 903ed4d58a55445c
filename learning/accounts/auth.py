"""How a bearer token becomes the current user, and how token failures are answered."""

import sqlalchemy as sa
from flask import has_request_context, request
from flask_jwt_extended import JWTManager
from sqlalchemy.orm import joinedload

from learning.accounts import services
from learning.accounts.models import User
from learning.errors import Unauthorized, render_domain_error
from learning.extensions import db

TOKEN_USER = "carbonlit.token_user"
# Built once: every signed-in request runs it.
_USER_WITH_ROLES = (
    sa.select(User)
    .options(joinedload(User.granted_roles))
    .where(User.id == sa.bindparam("user_id"))
)


def _unauthorized(detail: str):
    return render_domain_error(Unauthorized(detail))


def _token_user(payload: dict) -> User | None:
    """The token's user with their roles, in one statement, loaded once per request.

    The revocation check and the user loader both need it, and a view may verify the token
    twice (login_required, then preferred_languages); the session's identity map holds rows
    weakly, so the user is kept in the request's environ, which ends with the request.
    """
    user_id = int(payload["sub"])
    kept = request.environ.get(TOKEN_USER) if has_request_context() else None
    if kept is not None and kept.id == user_id:
        return kept
    user = db.session.scalars(_USER_WITH_ROLES, {"user_id": user_id}).unique().one_or_none()
    if has_request_context():
        request.environ[TOKEN_USER] = user
    return user


def init_jwt(jwt: JWTManager) -> None:
    @jwt.user_lookup_loader
    def load_user(_header, payload):
        return _token_user(payload)

    @jwt.user_lookup_error_loader
    def user_gone(_header, _payload):
        return _unauthorized("The account behind this token no longer exists.")

    @jwt.unauthorized_loader
    def missing_token(reason):
        return _unauthorized(f"Sign in first: {reason[0].lower()}{reason[1:]}.")

    @jwt.invalid_token_loader
    def invalid_token(reason):
        return _unauthorized(f"The token is not valid: {reason}.")

    @jwt.token_in_blocklist_loader
    def revoked(_header, payload):
        return services.token_revoked(user=_token_user(payload), payload=payload)

    @jwt.revoked_token_loader
    def revoked_token(_header, _payload):
        return _unauthorized("The token was revoked (the password changed); sign in again.")

    @jwt.expired_token_loader
    def expired_token(_header, _payload):
        return _unauthorized("The token has expired; refresh it or sign in again.")
