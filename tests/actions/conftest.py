"""Actions fixtures: learners (in a commune if asked), pledges and reports at fixed times."""

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from learning import events
from learning.accounts.models import User
from learning.actions import services
from learning.extensions import db

T0 = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def learners(app, make_user):
    """Make `n` learners, in `commune` when given; returns their user ids."""

    def make(n, *, commune=None):
        ids = [make_user()[0] for _ in range(n)]
        if commune:
            with app.app_context():
                db.session.execute(sa.update(User).where(User.id.in_(ids)).values(commune=commune))
                db.session.commit()
        return ids

    return make


@pytest.fixture
def pledge(app):
    """Pledge through the service as `user_id` at time `at`; returns the pledge as answered."""

    def make(user_id, action=None, *, custom=None, at=T0, pledge_id=None):
        with app.app_context():
            return services.pledge_action(
                user=db.session.get(User, user_id),
                preferred=["en"],
                action=action,
                custom=custom and {"kind": "personal", **custom},
                pledge_id=pledge_id,
                now=at,
            )

    return make


@pytest.fixture
def report(app):
    """Report on a pledge through the service at time `at`; returns the pledge as answered."""

    def make(user_id, pledge_id, status, *, at, note=None, report_id=None):
        with app.app_context():
            return services.report_progress(
                user=db.session.get(User, user_id),
                pledge_id=uuid.UUID(str(pledge_id)),
                status=status,
                note=note,
                report_id=report_id,
                preferred=["en"],
                now=at,
            )

    return make


@pytest.fixture
def fired():
    """Every actions domain event sent during the test, as (name, kwargs)."""
    seen = []
    receivers = []
    for signal in (events.action_pledged, events.action_reported_done):

        def receiver(_sender, _name=signal.name, **kwargs):
            seen.append((_name, kwargs))

        signal.connect(receiver)
        receivers.append((signal, receiver))
    yield seen
    for signal, receiver in receivers:
        signal.disconnect(receiver)
