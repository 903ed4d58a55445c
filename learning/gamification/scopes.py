"""Scopes of leaderboards and challenges: everyone, a class, a circle or a commune.

A scope is a set of learners; queries take it as a filter on a user id column, so the same
leaderboard and challenge queries serve every kind. Class and circle members come from those
domains' services. Who may read or set something in a scope is decided here too.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from learning.accounts.models import User
from learning.brussels import COMMUNES
from learning.circles import services as circles
from learning.circles.models import FACILITATOR
from learning.classes import services as classes
from learning.errors import Forbidden, InvalidInput, NotFound

GLOBAL, CLASS, CIRCLE, COMMUNE = "global", "class", "circle", "commune"
SCOPE_HELP = "global, class:{id}, circle:{id} or commune:{slug}"


@dataclass(frozen=True)
class Scope:
    kind: str
    ref: str | None = None

    def __str__(self) -> str:
        return self.kind if self.ref is None else f"{self.kind}:{self.ref}"

    @property
    def number(self) -> int:
        """The id of a class or circle scope."""
        return int(self.ref)


def parse_scope(text: str, *, field: str = "scope") -> Scope:
    """global, class:{id}, circle:{id} or commune:{slug}; anything else is invalid input."""
    kind, _, ref = text.partition(":")
    valid = (
        (kind == GLOBAL and not ref)
        or (kind in (CLASS, CIRCLE) and ref.isascii() and ref.isdigit() and len(ref) < 10)
        or (kind == COMMUNE and ref in COMMUNES)
    )
    if not valid:
        raise InvalidInput(
            f"{text!r} is not a scope: use {SCOPE_HELP}.",
            errors={field: [f"Use {SCOPE_HELP} (a commune by its slug)."]},
        )
    if kind in (CLASS, CIRCLE):
        return Scope(kind, str(int(ref)))
    return Scope(kind, ref or None)


def members(scope: Scope):
    """The ids of the learners in a scope, as something `column.in_()` takes; None is everyone.

    A class's learners exclude its teachers; a circle's people include its facilitators.
    """
    if scope.kind == GLOBAL:
        return None
    if scope.kind == COMMUNE:
        return sa.select(User.id).where(User.commune == scope.ref)
    if scope.kind == CLASS:
        return classes.member_ids(class_id=scope.number)
    return circles.member_ids(circle_id=scope.number)


def includes(scope: Scope, user: User) -> bool:
    """Whether the user is one of the learners of the scope."""
    if scope.kind == GLOBAL:
        return True
    if scope.kind == COMMUNE:
        return user.commune == scope.ref
    return user.id in members(scope)


def scopes_of(user: User) -> list[Scope]:
    """The commune, classes and circles a user learns in (a circle's facilitators included)."""
    found = [Scope(COMMUNE, user.commune)] if user.commune else []
    found += [Scope(CLASS, str(class_id)) for class_id in classes.classes_of(user_id=user.id)]
    found += [Scope(CIRCLE, str(circle_id)) for circle_id in circles.circles_of(user_id=user.id)]
    return found


def _check_teaches(scope: Scope, user: User) -> None:
    """NotFound unless the user teaches the class (the classes service says so)."""
    classes.get_class(user=user, class_id=scope.number)


def check_board_readable(scope: Scope, user: User) -> None:
    """Everyone reads the global and commune boards; a class board is for its learners and
    teachers while it is switched on; a circle board for the circle's people."""
    if scope.kind == CLASS:
        if user.id not in members(scope):
            _check_teaches(scope, user)
        if not classes.leaderboard_enabled(class_id=scope.number):
            raise Forbidden("The teachers of this class have switched its leaderboard off.")
    elif scope.kind == CIRCLE and user.id not in members(scope):
        raise NotFound(f"There is no circle {scope.ref} of yours.")


def check_can_set_challenge(scope: Scope, user: User) -> None:
    """A class's teachers, a circle's facilitators and admins set challenges; only admins set
    them for a commune."""
    if scope.kind == CLASS:
        if user.has_role("admin"):
            members(scope)  # NotFound when there is no such class
        else:
            _check_teaches(scope, user)
    elif scope.kind == CIRCLE:
        circle = circles.get_circle(user=user, circle_id=scope.number)
        if circle["my_status"] != FACILITATOR and not user.has_role("admin"):
            raise Forbidden("Only the circle's facilitators set its challenges.")
    elif not user.has_role("admin"):
        raise Forbidden("Only an admin sets a challenge for a whole commune.")
