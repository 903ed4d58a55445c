"""The rules of accounts: registering, signing in, rotating tokens, profiles and role grants."""

import uuid

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from zxcvbn import zxcvbn

from learning.accounts.models import GRANTABLE_ROLES, LEARNER, RefreshToken, User, UserRole
from learning.db import utcnow
from learning.errors import Conflict, InvalidInput, NotFound, Unauthorized
from learning.extensions import db

BAD_CREDENTIALS = "The email or password is not right."
MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 2  # zxcvbn: 0 too guessable ... 4 very unguessable


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST_KIB"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _clean_display_name(display_name: str) -> str:
    cleaned = " ".join(display_name.split())
    if not cleaned:
        raise InvalidInput(
            "The display name is empty.", errors={"display_name": ["Must not be blank."]}
        )
    return cleaned


def find_user(*, user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user {user_id}.")
    return user


def _check_password_rules(password: str, *, field="password", known=()) -> None:
    """Long enough, and not guessable: zxcvbn's lists of common passwords, words and names,
    and what the account itself says (email, name), must not make it weak."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"A password needs at least {MIN_PASSWORD_LENGTH} characters.",
            errors={field: [f"At least {MIN_PASSWORD_LENGTH} characters."]},
        )
    # zxcvbn's cost grows quickly with length; a long prefix already decides.
    strength = zxcvbn(password[:100], user_inputs=[*known, "carbonlit", "brussels", "bruxelles"])
    if strength["score"] < MIN_PASSWORD_SCORE:
        advice = strength["feedback"]["warning"] or "It is too easy to guess."
        raise InvalidInput(
            f"Choose a stronger password. {advice}",
            errors={field: [f"Too easy to guess. {advice}".strip()]},
        )


def _new_user(*, email, password, display_name, locale, commune, roles=()) -> User:
    _check_password_rules(password, known=[email, email.split("@")[0], display_name])
    email = normalise_email(email)
    if db.session.scalar(sa.select(User.id).where(User.email == email)) is not None:
        raise Conflict("An account with this email already exists.")
    user = User(
        email=email,
        password_hash=_hasher().hash(password),
        display_name=_clean_display_name(display_name),
        locale=locale,
        commune=commune,
        granted_roles=[UserRole(role=role) for role in sorted(set(roles) - {LEARNER})],
    )
    db.session.add(user)
    return user


def register_user(*, email: str, password: str, display_name: str, locale: str, commune=None):
    """Open an account; everyone starts as a learner."""
    user = _new_user(
        email=email, password=password, display_name=display_name, locale=locale, commune=commune
    )
    db.session.commit()
    return user


def create_user(*, email, password, display_name, locale="nl", roles=()) -> User:
    """Create a user with roles, for bootstrapping from the command line."""
    unknown = set(roles) - {LEARNER, *GRANTABLE_ROLES}
    if unknown:
        raise InvalidInput(f"Unknown roles: {', '.join(sorted(unknown))}.")
    user = _new_user(
        email=email,
        password=password,
        display_name=display_name,
        locale=locale,
        commune=None,
        roles=roles,
    )
    db.session.commit()
    return user


def _issue_tokens(user: User, *, family_id: str) -> dict:
    config = current_app.config
    jti = str(uuid.uuid4())
    db.session.add(
        RefreshToken(
            jti=jti,
            family_id=family_id,
            user_id=user.id,
            expires_at=utcnow() + config["JWT_REFRESH_TOKEN_EXPIRES"],
        )
    )
    generation = {"gen": user.token_generation}
    return {
        "access_token": create_access_token(identity=str(user.id), additional_claims=generation),
        "refresh_token": create_refresh_token(
            identity=str(user.id),
            additional_claims={"jti": jti, "family": family_id, **generation},
        ),
        "expires_in": int(config["JWT_ACCESS_TOKEN_EXPIRES"].total_seconds()),
        "token_type": "Bearer",
    }


def log_in(*, email: str, password: str) -> dict:
    """Check the password and start a new token family.

    An unknown email costs the same hash as a wrong password, so timing tells nothing.
    """
    hasher = _hasher()
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    stored_hash = user.password_hash if user else _dummy_hash(hasher)
    try:
        hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        raise Unauthorized(BAD_CREDENTIALS) from None
    if user is None:
        raise Unauthorized(BAD_CREDENTIALS)
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    tokens = _issue_tokens(user, family_id=str(uuid.uuid4()))
    db.session.commit()
    return tokens


def _dummy_hash(hasher: PasswordHasher) -> str:
    cached = current_app.extensions.get("carbonlit.dummy_hash")
    if cached is None:
        cached = hasher.hash(uuid.uuid4().hex)
        current_app.extensions["carbonlit.dummy_hash"] = cached
    return cached


def rotate_refresh_token(*, user: User, claims: dict) -> dict:
    """Trade a refresh token for a new pair; a second use of the same token revokes its family.

    The revocation is committed even though the request fails: that is its point.
    """
    token = db.session.get(RefreshToken, claims["jti"])
    if token is None or token.user_id != user.id:
        raise Unauthorized("This refresh token is unknown.")
    if token.revoked_at is not None:
        raise Unauthorized("This refresh token was revoked; sign in again.")
    if token.rotated_at is not None:
        revoke_family(family_id=token.family_id)
        db.session.commit()
        raise Unauthorized("This refresh token was already used; every session from it is revoked.")
    token.rotated_at = utcnow()
    tokens = _issue_tokens(user, family_id=token.family_id)
    db.session.commit()
    return tokens


def revoke_family(*, family_id: str) -> None:
    db.session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def change_password(*, user: User, current_password: str, new_password: str) -> dict:
    """Change my password: every token issued before now stops working, on every device,
    and this device gets a fresh pair."""
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, current_password)
    except (VerificationError, InvalidHashError):
        raise InvalidInput(
            "The current password is not right.",
            errors={"current_password": ["Not your current password."]},
        ) from None
    _check_password_rules(new_password, field="new_password", known=[user.email, user.display_name])
    user.password_hash = hasher.hash(new_password)
    revoke_all_tokens(user=user)
    tokens = _issue_tokens(user, family_id=str(uuid.uuid4()))
    db.session.commit()
    return tokens


def revoke_all_tokens(*, user: User) -> None:
    """Every access and refresh token issued so far stops working."""
    user.token_generation += 1
    db.session.execute(
        sa.update(RefreshToken)
        .where(RefreshToken.user_id == user.id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def token_revoked(*, user: User | None, payload: dict) -> bool:
    """Whether a token predates its user's last revocation (a password change, say)."""
    return user is not None and payload.get("gen", 0) != user.token_generation


def update_profile(*, user: User, changes: dict) -> User:
    """Apply a partial profile update."""
    if "display_name" in changes:
        changes["display_name"] = _clean_display_name(changes["display_name"])
    for field, value in changes.items():
        setattr(user, field, value)
    db.session.commit()
    return user


def set_roles(*, acting_admin: User, user_id: int, roles: list[str]) -> User:
    """Replace a user's granted roles; the platform never loses its last admin."""
    user = find_user(user_id=user_id)
    wanted = set(roles) - {LEARNER}
    if "admin" in user.roles and "admin" not in wanted:
        admins = db.session.scalar(
            sa.select(sa.func.count()).select_from(UserRole).where(UserRole.role == "admin")
        )
        if admins <= 1:
            raise Conflict("This is the last admin; grant admin to someone else first.")
    current = {grant.role: grant for grant in user.granted_roles}
    for role, grant in current.items():
        if role not in wanted:
            user.granted_roles.remove(grant)
    for role in sorted(wanted - set(current)):
        user.granted_roles.append(UserRole(role=role))
    db.session.commit()
    current_app.logger.info(
        "roles of user %s set to %s by admin %s", user.id, user.roles, acting_admin.id
    )
    return user
