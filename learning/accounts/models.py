"""Users, their roles and their refresh tokens."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from learning.db import UTCDateTime, utcnow
from learning.extensions import db

LEARNER = "learner"
GRANTABLE_ROLES = ("teacher", "author", "assessor", "admin")
ROLES = (LEARNER, *GRANTABLE_ROLES)


class User(db.Model):
    """A person with an account; everyone is a learner, some hold more roles."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased, so that the unique constraint is case-insensitive on every database.
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    locale: Mapped[str] = mapped_column(sa.String(2), default="nl")
    commune: Mapped[str | None] = mapped_column(sa.String(40))
    leaderboard_visible: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Every token carries the generation it was issued in; raising it (a password change)
    # revokes all tokens issued before.
    token_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    # Raised by every write of this learner's progress: on SQLite, which has no row locks, a
    # sync that read the learner's progress writes only if nobody else did meanwhile
    # (learning/progress/services.py).
    progress_revision: Mapped[int] = mapped_column(default=0, server_default="0")

    granted_roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def roles(self) -> list[str]:
        granted = {grant.role for grant in self.granted_roles}
        return [LEARNER, *(role for role in GRANTABLE_ROLES if role in granted)]

    def has_role(self, role: str) -> bool:
        return role in self.roles


class UserRole(db.Model):
    """A role granted to a user beyond learner."""

    __tablename__ = "user_roles"
    __table_args__ = (
        sa.CheckConstraint(sa.column("role").in_(GRANTABLE_ROLES), name="role_is_known"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="granted_roles")


class RefreshToken(db.Model):
    """One issued refresh token; tokens rotated from one login form a family.

    Presenting a token that was already rotated means it leaked: the whole family is revoked.
    """

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    family_id: Mapped[str] = mapped_column(sa.String(36), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
