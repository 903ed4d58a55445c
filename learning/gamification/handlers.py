"""Paying points for domain events: one receiver on every signal of learning/events.py.

A signal pays when a points rule names it, so an event another domain adds later is wired by
adding its rule (rules.yaml or POINTS_RULES). Receivers run in the sender's transaction and
write through its session; they never commit. Awards are collected and written together just
before that transaction commits (learning.db.collect_before_commit), so a batch that earns many
costs the same few statements as one that earns one.
"""

from datetime import datetime

from blinker import NamedSignal
from flask import Flask

from learning import events
from learning.accounts.models import User
from learning.db import collect_before_commit, utcnow
from learning.extensions import db
from learning.gamification import challenges, ledger, rules

PENDING_AWARDS = "gamification.awards"

_receivers: dict[str, object] = {}


def init_app(app: Flask) -> None:
    """Load this app's rules and connect every domain event; connecting twice changes nothing."""
    rules.init_app(app)
    for signal in vars(events).values():
        if isinstance(signal, NamedSignal):
            connect(signal)
    events.commune_changed.connect(move_commune)


def move_commune(_sender, *, user_id: int, commune: str | None, **_kwargs) -> None:
    """A learner's totals follow them to their new commune's boards."""
    ledger.move_commune(user_id=user_id, commune=commune)


def connect(signal: NamedSignal) -> None:
    """Pay points whenever signal is sent, as its rule says (one receiver per signal name)."""
    if signal.name not in _receivers:

        def receive(_sender, **arguments):
            award_for_event(event=signal.name, arguments=arguments)

        _receivers[signal.name] = receive
    signal.connect(_receivers[signal.name], weak=False)


def award_for_event(*, event: str, arguments: dict) -> None:
    """Pay the learner the event's rule once per subject, within the rule's daily cap.

    The award is collected and written with the transaction's others just before it commits
    (a sync of fifty lessons writes its ledger rows and totals once, not fifty times). An award
    over the cap is still written, with 0 points and the reason, so the ledger shows what
    happened and the subject never pays later.
    """
    rule = rules.active_rules().get(event)
    if rule is None:
        return
    awards = collect_before_commit(db.session(), PENDING_AWARDS, list, pay_awards)
    awards.append(
        ledger.Award(
            user_id=arguments["user_id"],
            rule=event,
            subject=rule.subject_for(arguments),
            points=rule.points,
            daily_cap=rule.daily_cap,
            metric=rule.metric,
            at=arguments.get("at") or utcnow(),
        )
    )


def pay_awards(awards: list[ledger.Award]) -> None:
    """Write a transaction's awards, mark the days they were earned, announce each new row,
    then move the challenges they count for, once per learner."""
    written = ledger.record_awards(awards)
    for award, points in written:
        ledger.announce(
            user_id=award.user_id,
            rule=award.rule,
            subject=award.subject,
            points=points,
            at=award.at,
        )
    per_learner: dict[int, list[tuple[str | None, int, datetime]]] = {}
    for award, points in written:
        per_learner.setdefault(award.user_id, []).append((award.metric, points, award.at))
    for user_id, paid in sorted(per_learner.items()):
        challenges.after_awards(user=db.session.get(User, user_id), awards=paid)
