"""The rules of actions: the catalogue as learners read it, pledging, and reporting progress.

Pledges and reports are retry-safe: a client may choose their ids, and sending one again
answers with the pledge as it stands and changes nothing. A learner's writes are serialised by
locking their user row, so that retries racing each other make one pledge and fire each event
once. `now` is a keyword so that tests can fix the clock.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa

from learning import events
from learning.accounts.models import User
from learning.actions.catalogue import Catalogue, load_catalogue
from learning.actions.counting import realised_kg
from learning.actions.models import DONE, DROPPED, ONGOING, TRANSITIONS, Pledge, PledgeReport
from learning.brussels import LANGUAGES
from learning.courses.catalogue import choose_language
from learning.db import as_json, utcnow
from learning.errors import Conflict, InvalidInput, NotFound
from learning.extensions import db


def negotiate_language(preferred: list[str]) -> str:
    """The first preferred language the catalogue is written in; else nl, its first."""
    return choose_language(list(LANGUAGES), preferred)


def action_out(action: dict, *, language: str, catalogue: Catalogue) -> dict:
    """A catalogue action in one language, with its factors and sources."""
    return {
        "slug": action["slug"],
        "category": action["category"],
        "kind": action["kind"],
        "audience": action["audience"],
        "title": action["title"][language],
        "description": action["description"][language],
        "kg_co2e_per_year": action["kg_co2e_per_year"],
        "assumptions": action["assumptions"][language],
        "factors": [
            {
                "slug": factor["slug"],
                "label": factor["label"][language],
                "value": factor["value"],
                "unit": factor["unit"],
                "year": factor["year"],
            }
            for factor in (catalogue.factors[slug] for slug in action["factors"])
        ],
        "overlaps": action["overlaps"],
        "sources": action["sources"],
    }


def list_actions(
    *,
    preferred: list[str],
    category: str | None = None,
    kind: str | None = None,
    audience: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> dict:
    """Catalogue actions in file order, filtered by category, kind and audience."""
    catalogue = load_catalogue()
    language = negotiate_language(preferred)
    matching = [
        action
        for action in catalogue.actions.values()
        if (category is None or action["category"] == category)
        and (kind is None or action["kind"] == kind)
        and (audience is None or audience in action["audience"])
    ]
    start = (page - 1) * per_page
    return {
        "language": language,
        "items": [
            action_out(action, language=language, catalogue=catalogue)
            for action in matching[start : start + per_page]
        ],
        "page": page,
        "per_page": per_page,
        "total": len(matching),
    }


def pledge_out(pledge: Pledge, *, language: str, now: datetime | None = None) -> dict:
    """A pledge as its learner sees it, with what it has realised so far."""
    if pledge.action_slug is None:
        title = pledge.custom_title
    else:
        action = load_catalogue().actions.get(pledge.action_slug)
        title = action["title"][language] if action else pledge.action_slug
    return {
        "id": pledge.id,
        "action": pledge.action_slug,
        "title": title,
        "category": pledge.category,
        "kind": pledge.kind,
        "self_estimated": pledge.self_estimated,
        "kg_co2e_per_year": pledge.kg_co2e_per_year,
        "status": pledge.status,
        "pledged_at": pledge.pledged_at,
        "kept_since": pledge.kept_since,
        "done_at": pledge.done_at,
        "dropped_at": pledge.dropped_at,
        "realised_kg_co2e": round(
            realised_kg(
                kg_co2e_per_year=pledge.kg_co2e_per_year,
                kept_since=pledge.kept_since,
                dropped_at=pledge.dropped_at,
                now=now or utcnow(),
            ),
            1,
        ),
        "reports": [
            {
                "id": report.id,
                "status": report.status,
                "note": report.note,
                "reported_at": report.reported_at,
            }
            for report in pledge.reports
        ],
    }


def pledges_by_learner(*, user_ids: list[int], language: str) -> dict[int, list[dict]]:
    """Several learners' pledges, oldest first, in one query: what a circle's end report shows
    its facilitators (what was pledged and how it stands, without notes)."""
    catalogue = load_catalogue()
    found: dict[int, list[dict]] = {user_id: [] for user_id in user_ids}
    pledges = db.session.scalars(
        sa.select(Pledge).where(Pledge.user_id.in_(user_ids)).order_by(Pledge.pledged_at, Pledge.id)
    )
    for pledge in pledges:
        action = catalogue.actions.get(pledge.action_slug) if pledge.action_slug else None
        found[pledge.user_id].append(
            {
                "action": pledge.action_slug,
                "title": action["title"][language] if action else pledge.custom_title,
                "category": pledge.category,
                "kind": pledge.kind,
                "self_estimated": pledge.self_estimated,
                "kg_co2e_per_year": pledge.kg_co2e_per_year,
                "status": pledge.status,
            }
        )
    return found


def _lock_learner(user_id: int) -> None:
    """Serialise this learner's pledge writes (a row lock on PostgreSQL; SQLite has one
    writer at a time anyway)."""
    db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())


def _clean(text: str | None) -> str | None:
    cleaned = " ".join((text or "").split())
    return cleaned or None


def _event_fields(pledge: Pledge, at: datetime) -> dict:
    return {
        "user_id": pledge.user_id,
        "pledge": str(pledge.id),
        "action": pledge.action_slug,
        "category": pledge.category,
        "kind": pledge.kind,
        "self_estimated": pledge.self_estimated,
        "kg_co2e_per_year": pledge.kg_co2e_per_year,
        "at": at,
    }


def _new_pledge(user: User, pledge_id, action: str | None, custom: dict | None, now) -> Pledge:
    if action is not None:
        entry = load_catalogue().actions.get(action)
        if entry is None:
            raise InvalidInput(
                f"There is no action {action} in the catalogue.",
                errors={"action": ["Unknown action; see GET /api/v1/actions."]},
            )
        live = db.session.scalar(
            sa.select(Pledge.id)
            .where(
                Pledge.user_id == user.id,
                Pledge.action_slug == action,
                Pledge.status != DROPPED,
            )
            .limit(1)
        )
        if live is not None:
            raise Conflict(
                f"You already pledged {action} and have not dropped it; report on pledge {live}."
            )
        return Pledge(
            id=pledge_id or uuid.uuid4(),
            user_id=user.id,
            action_slug=action,
            category=entry["category"],
            kind=entry["kind"],
            kg_co2e_per_year=entry["kg_co2e_per_year"]["central"],
            pledged_at=now,
        )
    title = _clean(custom["title"])
    if title is None:
        raise InvalidInput("The title is empty.", errors={"custom.title": ["Must not be blank."]})
    return Pledge(
        id=pledge_id or uuid.uuid4(),
        user_id=user.id,
        custom_title=title,
        kind=custom["kind"],
        kg_co2e_per_year=custom["kg_co2e_per_year"],
        pledged_at=now,
    )


def _same_pledge(pledge: Pledge, action: str | None, custom: dict | None) -> bool:
    if action is not None:
        return pledge.action_slug == action
    return (
        pledge.action_slug is None
        and pledge.custom_title == _clean(custom["title"])
        and pledge.kind == custom["kind"]
        and pledge.kg_co2e_per_year == custom["kg_co2e_per_year"]
    )


def pledge_action(
    *,
    user: User,
    preferred: list[str],
    action: str | None = None,
    custom: dict | None = None,
    pledge_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> dict:
    """Pledge a catalogue action (its central estimate) or a self-estimated one of my own.

    One live pledge per catalogue action: pledging it again is a conflict until it is
    dropped. Sending a pledge id again answers that pledge; reusing it for anything else is a
    conflict.
    """
    now = now or utcnow()
    language = negotiate_language(preferred)
    _lock_learner(user.id)
    if pledge_id is not None:
        earlier = db.session.get(Pledge, pledge_id)
        if earlier is not None:
            if earlier.user_id != user.id or not _same_pledge(earlier, action, custom):
                raise Conflict(f"The pledge id {pledge_id} is already used for another pledge.")
            return pledge_out(earlier, language=language, now=now)
    pledge = _new_pledge(user, pledge_id, action, custom, now)
    db.session.add(pledge)
    db.session.flush()
    events.action_pledged.send("actions", **_event_fields(pledge, now))
    result = pledge_out(pledge, language=language, now=now)
    db.session.commit()
    return result


def _my_pledge(user: User, pledge_id: uuid.UUID) -> Pledge:
    pledge = db.session.get(Pledge, pledge_id)
    if pledge is None or pledge.user_id != user.id:
        raise NotFound(f"You have no pledge {pledge_id}.")
    return pledge


def report_progress(
    *,
    user: User,
    pledge_id: uuid.UUID,
    status: str,
    preferred: list[str],
    note: str | None = None,
    report_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> dict:
    """Report a pledge ongoing, done or dropped; answer the pledge with its history.

    The first ongoing or done report starts the days it is kept; dropped ends them and is
    final. action_reported_done fires the first time a pledge is reported done.
    """
    now = now or utcnow()
    language = negotiate_language(preferred)
    _lock_learner(user.id)
    pledge = _my_pledge(user, pledge_id)
    note = _clean(note)
    if report_id is not None:
        earlier = db.session.get(PledgeReport, report_id)
        if earlier is not None:
            if (earlier.pledge_id, earlier.status, earlier.note) != (pledge.id, status, note):
                raise Conflict(f"The report id {report_id} is already used for another report.")
            return pledge_out(pledge, language=language, now=now)
    if status not in TRANSITIONS[pledge.status]:
        allowed = ", ".join(TRANSITIONS[pledge.status]) or "nothing: dropped is final"
        raise Conflict(f"This pledge is {pledge.status}; it can be reported {allowed}.")
    pledge.reports.append(
        PledgeReport(id=report_id or uuid.uuid4(), status=status, note=note, reported_at=now)
    )
    pledge.status = status
    if status in (ONGOING, DONE) and pledge.kept_since is None:
        pledge.kept_since = now
    if status == DONE and pledge.done_at is None:
        pledge.done_at = now
        events.action_reported_done.send("actions", **_event_fields(pledge, now))
    if status == DROPPED:
        pledge.dropped_at = now
    db.session.flush()
    result = pledge_out(pledge, language=language, now=now)
    db.session.commit()
    return result


def my_pledge(*, user: User, pledge_id: uuid.UUID, preferred: list[str]) -> dict:
    """One of my pledges with its reports."""
    return pledge_out(_my_pledge(user, pledge_id), language=negotiate_language(preferred))


def my_pledges(
    *,
    user: User,
    preferred: list[str],
    status: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> dict:
    """My pledges, newest first, optionally of one status."""
    query = sa.select(Pledge).where(Pledge.user_id == user.id)
    if status is not None:
        query = query.where(Pledge.status == status)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    pledges = db.session.scalars(
        query.order_by(Pledge.pledged_at.desc(), Pledge.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    language = negotiate_language(preferred)
    return {
        "language": language,
        "items": [pledge_out(pledge, language=language) for pledge in pledges],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


# Personal data -------------------------------------------------------------------------------

ERASED_CUSTOM_TITLE = "Own action"


def export_personal_data(*, user_id: int) -> dict:
    """A person's pledges, each with its progress reports and their notes."""
    pledges = db.session.scalars(
        sa.select(Pledge).where(Pledge.user_id == user_id).order_by(Pledge.pledged_at, Pledge.id)
    )
    return {
        "pledges": [
            {**as_json(pledge), "reports": [as_json(report) for report in pledge.reports]}
            for pledge in pledges
        ]
    }


def erase_personal_data(*, user_id: int) -> None:
    """Keep a person's pledges counting in impact figures without their words: an own action's
    title becomes a neutral one (its category and estimate stay) and report notes go."""
    db.session.execute(
        sa.update(Pledge)
        .where(Pledge.user_id == user_id, Pledge.custom_title.is_not(None))
        .values(custom_title=ERASED_CUSTOM_TITLE)
    )
    db.session.execute(
        sa.update(PledgeReport)
        .where(PledgeReport.pledge_id.in_(sa.select(Pledge.id).where(Pledge.user_id == user_id)))
        .values(note=None)
    )
