"""The use cases of privacy: export everything held about a person, and erase it.

Each domain knows its own tables, so each answers for itself (`export_personal_data` and
`erase_personal_data` in its services); this module asks every one of them, in one
transaction. A domain that starts holding personal data adds itself to DOMAINS.
"""

from learning.accounts import services as accounts
from learning.accounts.models import User
from learning.actions import services as actions
from learning.badges import services as badges
from learning.certification import services as certification
from learning.circles import services as circles
from learning.classes import services as classes
from learning.courses import services as courses
from learning.db import utcnow
from learning.extensions import db
from learning.gamification import services as gamification
from learning.notifications import services as notifications
from learning.progress import services as progress

# The export's sections, by name, in the order erasure goes through them: accounts first, as
# it refuses to erase the last admin before anything changed; notifications last, to take
# with it any message the others queued on the way.
DOMAINS = {
    "account": accounts,
    "courses": courses,
    "progress": progress,
    "classes": classes,
    "circles": circles,
    "points": gamification,
    "badges": badges,
    "actions": actions,
    "certification": certification,
    "notifications": notifications,
}


def export_me(*, user: User) -> dict:
    """Everything held about me, domain by domain (GDPR articles 15 and 20)."""
    sections = {
        name: domain.export_personal_data(user_id=user.id) for name, domain in DOMAINS.items()
    }
    return {"exported_at": utcnow(), **sections}


def erase_me(*, user: User, password: str) -> None:
    """Erase me (GDPR article 17), after my password confirms it is me; all or nothing.

    Anonymous figures that others rely on (impact, attendance, ratings, challenge progress)
    stay true: docs/privacy.md says what goes, what stays and why.
    """
    accounts.confirm_password(user=user, password=password)
    for domain in DOMAINS.values():
        domain.erase_personal_data(user_id=user.id)
    db.session.commit()
