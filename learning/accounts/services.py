"""The rules of accounts: registering, signing in, rotating tokens, resetting passwords,
profiles and role grants.

Registering, signing in and asking for a password reset answer the same, and do the same
password hashing work, whether or not the email has an account: nobody can find out from
them who has one.
"""

import hashlib
import hmac
import uuid
from datetime import timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_jwt_extended import create_access_token, create_refresh_token
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from zxcvbn import zxcvbn

from learning import events
from learning.accounts import messages
from learning.accounts.models import GRANTABLE_ROLES, LEARNER, RefreshToken, User, UserRole
from learning.db import as_json, utcnow
from learning.errors import Conflict, InvalidInput, NotFound, Unauthorized
from learning.extensions import db
from learning.notifications import services as outbox

BAD_CREDENTIALS = "The email or password is not right."
MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 2  # zxcvbn: 0 too guessable ... 4 very unguessable
REGISTERED = (
    "Registered: sign in with this email and password. If the email already had an account, "
    "its owner got a message instead and nothing else changed."
)
RESET_REQUESTED = (
    "If an account uses this email, a message with a link to choose a new password is on its "
    "way. The link works once, for a limited time."
)
RESET_TOKEN_INVALID = "This reset link no longer works (used, expired or replaced); ask again."
RESET_TOKEN_SALT = "carbonlit.password-reset"
# At most one reset message per account in each window, however often someone asks: nobody
# can flood a mailbox through the reset form.
RESET_MESSAGE_WINDOW = timedelta(minutes=5)


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
    # zxcvbn's cost grows quickly with length, so it refuses more than 72 characters; a
    # prefix that long already decides.
    strength = zxcvbn(password[:72], user_inputs=[*known, "carbonlit", "brussels", "bruxelles"])
    if strength["score"] < MIN_PASSWORD_SCORE:
        advice = strength["feedback"]["warning"] or "It is too easy to guess."
        raise InvalidInput(
            f"Choose a stronger password. {advice}",
            errors={field: [f"Too easy to guess. {advice}".strip()]},
        )


def _new_user(*, email, password, display_name, locale, commune, roles=()) -> User | None:
    """A new user in the session; None, adding nothing, when the email already has an account.

    Both ways check the password rules and hash the password once, so both take as long.
    """
    _check_password_rules(password, known=[email, email.split("@")[0], display_name])
    email = normalise_email(email)
    display_name = _clean_display_name(display_name)
    password_hash = _hasher().hash(password)
    if _user_by_email(email) is not None:
        return None
    user = User(
        email=email,
        password_hash=password_hash,
        display_name=display_name,
        locale=locale,
        commune=commune,
        granted_roles=[UserRole(role=role) for role in sorted(set(roles) - {LEARNER})],
    )
    db.session.add(user)
    return user


def _user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def register_user(
    *, email: str, password: str, display_name: str, locale: str, commune=None
) -> dict:
    """Open an account; everyone starts as a learner.

    When the email already has an account the answer is the same and the owner gets a message
    instead, so that registering tells nobody who has an account. Two registrations of one
    new email at once: the second finds the first's account when the unique email refuses it.
    """
    answer = {"email": normalise_email(email), "detail": REGISTERED}
    user = _new_user(
        email=email, password=password, display_name=display_name, locale=locale, commune=commune
    )
    if user is not None:
        try:
            db.session.commit()
            return answer
        except IntegrityError:
            db.session.rollback()
    _tell_owner_of_registration_attempt(_user_by_email(email))
    db.session.commit()
    return answer


def _tell_owner_of_registration_attempt(owner: User) -> None:
    """At most one message a day, so registering again and again floods no mailbox; an
    erased account (no password hash) is told nothing."""
    if not owner.password_hash:
        return
    subject, body = messages.render(messages.REGISTRATION_ATTEMPT)
    outbox.queue(
        user_id=owner.id,
        kind=messages.REGISTRATION_ATTEMPT,
        subject=subject,
        body=body,
        expires_at=utcnow() + timedelta(days=1),
        dedupe_key=f"{messages.REGISTRATION_ATTEMPT}:{owner.id}:{utcnow().date().isoformat()}",
    )


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
    if user is None:
        raise Conflict("An account with this email already exists.")
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
    user = _user_by_email(email)
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


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_TOKEN_SALT)


def _password_fingerprint(user: User) -> str:
    """Binds a reset token to the password it replaces without showing the hash (a token's
    payload is signed, not secret)."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:32]


def _reset_link(token: str) -> str:
    config = current_app.config
    template = config["PASSWORD_RESET_URL"] or (
        config["PUBLIC_BASE_URL"].rstrip("/") + "/reset-password#token={token}"
    )
    return template.replace("{token}", token)


def request_password_reset(*, email: str) -> None:
    """Send the account's owner a link to choose a new password; the caller answers the same
    whether or not there is an account (or a message went out).

    The link's token is signed with the app's secret and names the account, its token
    generation and its current password: it dies after PASSWORD_RESET_SECONDS, when it is
    used, when the password changes any other way and when any token is revoked. An erased
    account (no password hash) gets nothing.
    """
    user = _user_by_email(email)
    if user is None or not user.password_hash:
        return
    lifetime = current_app.config["PASSWORD_RESET_SECONDS"]
    token = _reset_serializer().dumps(
        {"user": user.id, "gen": user.token_generation, "pw": _password_fingerprint(user)}
    )
    subject, body = messages.render(
        messages.PASSWORD_RESET, link=_reset_link(token), minutes=lifetime // 60
    )
    now = utcnow()
    window = int(now.timestamp() // RESET_MESSAGE_WINDOW.total_seconds())
    outbox.queue(
        user_id=user.id,
        kind=messages.PASSWORD_RESET,
        subject=subject,
        body=body,
        expires_at=now + timedelta(seconds=lifetime),
        dedupe_key=f"{messages.PASSWORD_RESET}:{user.id}:{window}",
    )
    db.session.commit()


def _user_of_reset_token(token: str) -> User:
    invalid = InvalidInput(RESET_TOKEN_INVALID, errors={"token": [RESET_TOKEN_INVALID]})
    try:
        claims = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_SECONDS"]
        )
        user = db.session.get(User, int(claims["user"]))
    except (BadSignature, KeyError, TypeError, ValueError):
        raise invalid from None
    if (
        user is None
        or not user.password_hash
        or claims.get("gen") != user.token_generation
        or not hmac.compare_digest(str(claims.get("pw")), _password_fingerprint(user))
    ):
        raise invalid
    return user


def reset_password(*, token: str, password: str) -> None:
    """Set a new password from a reset link: the same rules as registering, and every token
    issued before (access, refresh and the other reset links) stops working."""
    user = _user_of_reset_token(token)
    _check_password_rules(password, known=[user.email, user.email.split("@")[0], user.display_name])
    user.password_hash = _hasher().hash(password)
    revoke_all_tokens(user=user)
    db.session.commit()


def update_profile(*, user: User, changes: dict) -> User:
    """Apply a partial profile update; a new commune is announced (commune boards follow)."""
    if "display_name" in changes:
        changes["display_name"] = _clean_display_name(changes["display_name"])
    moved = "commune" in changes and changes["commune"] != user.commune
    for field, value in changes.items():
        setattr(user, field, value)
    if moved:
        events.commune_changed.send("accounts", user_id=user.id, commune=user.commune, at=utcnow())
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


ERASED_DISPLAY_NAME = "Erased account"


def confirm_password(*, user: User, password: str) -> None:
    """Raise unless `password` is the user's: an irreversible step asks for it again."""
    try:
        _hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise InvalidInput(
            "The password is not right.", errors={"password": ["Not your password."]}
        ) from None


def export_personal_data(*, user_id: int) -> dict:
    """My account as held: the profile and my roles; the password hash stays behind."""
    user = find_user(user_id=user_id)
    return {
        "profile": as_json(user, exclude=("password_hash", "token_generation")),
        "roles": user.roles,
    }


def erase_personal_data(*, user_id: int) -> None:
    """Turn the account into an anonymous tombstone that nobody can sign in to.

    The row stays so that the anonymous figures it counts in (pledges, attendance, points)
    keep their owner without naming anyone: the email becomes an address under the reserved
    .invalid domain, the name a fixed placeholder, the password hash one that matches no
    password; roles go and every token stops working. The commune stays, as the communes'
    impact figures count it and it names tens of thousands of people, not one.
    """
    user = find_user(user_id=user_id)
    if "admin" in user.roles:
        admins = db.session.scalar(
            sa.select(sa.func.count()).select_from(UserRole).where(UserRole.role == "admin")
        )
        if admins <= 1:
            raise Conflict("This is the last admin; grant admin to someone else first.")
    revoke_all_tokens(user=user)
    user.email = f"erased-{user.id}@erased.invalid"
    user.display_name = ERASED_DISPLAY_NAME
    user.password_hash = ""
    user.leaderboard_visible = False
    user.granted_roles.clear()
    db.session.flush()
