"""How a bearer token becomes the current user, and how token failures are answered."""

from flask import g
from flask_jwt_extended import JWTManager

from learning.accounts import services
from learning.accounts.models import User
from learning.errors import Unauthorized, render_domain_error
from learning.extensions import db


def _unauthorized(detail: str):
    return render_domain_error(Unauthorized(detail))


def init_jwt(jwt: JWTManager) -> None:
    @jwt.user_lookup_loader
    def load_user(_header, payload):
        return g.pop("token_user", None) or db.session.get(User, int(payload["sub"]))

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
        # The session's identity map holds rows weakly: keeping the user on g saves the
        # user lookup that follows from loading it (and its roles) a second time.
        g.token_user = db.session.get(User, int(payload["sub"]))
        return services.token_revoked(user=g.token_user, payload=payload)

    @jwt.revoked_token_loader
    def revoked_token(_header, _payload):
        return _unauthorized("The token was revoked (the password changed); sign in again.")

    @jwt.expired_token_loader
    def expired_token(_header, _payload):
        return _unauthorized("The token has expired; refresh it or sign in again.")
