"""Paying points for domain events: one receiver on every signal of learning/events.py.

A signal pays when a points rule names it, so an event another domain adds later is wired by
adding its rule (rules.yaml or POINTS_RULES). Receivers run in the sender's transaction and
write through its session; they never commit.
"""

from blinker import NamedSignal
from flask import Flask

from learning import events
from learning.accounts.models import User
from learning.db import utcnow
from learning.extensions import db
from learning.gamification import challenges, ledger, rules

_receivers: dict[str, object] = {}


def init_app(app: Flask) -> None:
    """Load this app's rules and connect every domain event; connecting twice changes nothing."""
    rules.init_app(app)
    for signal in vars(events).values():
        if isinstance(signal, NamedSignal):
            connect(signal)


def connect(signal: NamedSignal) -> None:
    """Pay points whenever signal is sent, as its rule says (one receiver per signal name)."""
    if signal.name not in _receivers:

        def receive(_sender, **arguments):
            award_for_event(event=signal.name, arguments=arguments)

        _receivers[signal.name] = receive
    signal.connect(_receivers[signal.name], weak=False)


def award_for_event(*, event: str, arguments: dict) -> None:
    """Pay the learner the event's rule once per subject, within the rule's daily cap.

    An award over the cap is still written, with 0 points and the reason, so the ledger shows
    what happened and the subject never pays later.
    """
    rule = rules.active_rules().get(event)
    if rule is None:
        return
    user_id = arguments["user_id"]
    subject = rule.subject_for(arguments)
    at = arguments.get("at") or utcnow()
    if ledger.already_awarded(user_id=user_id, rule=event, subject=subject):
        return
    capped = (
        rule.daily_cap is not None
        and ledger.paid_today(user_id=user_id, rule=event, at=at) >= rule.daily_cap
    )
    points = 0 if capped else rule.points
    entry_id = ledger.record(
        user_id=user_id,
        rule=event,
        subject=subject,
        points=points,
        at=at,
        capped=capped,
        reason=f"daily cap of {rule.daily_cap} reached" if capped else None,
    )
    if entry_id is None:
        return
    ledger.mark_active(user_id=user_id, at=at)
    ledger.announce(user_id=user_id, rule=event, subject=subject, points=points, at=at)
    challenges.after_award(user=db.session.get(User, user_id), rule=rule, points=points, at=at)
