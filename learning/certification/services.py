"""The rules of the certification: submit after a certifiable course, review, revise, approve.

- A learner who completed a certifiable course submits their reflections and two pledged
  actions: one personal, one that involves other people, each saying what and by when.
- Assessors review pending submissions, never their own: they approve, or ask for changes with
  a comment. A learner never fails: they revise and submit again; every submission and review
  is kept.
- Approval gives the certificate a number (CL-<year>-<6 digits>, from a counter per year taken
  with an atomic upsert), announces certification_approved, on which badges awards the Carbon
  Literate badge in the same transaction, and tells the learner through the outbox.
- Carbon Literate is something one becomes once: a learner with an approved certification
  cannot start another.
"""

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from learning import events
from learning.accounts.models import User
from learning.actions.catalogue import load_catalogue
from learning.badges import services as badges
from learning.brussels import LANGUAGES, TIMEZONE
from learning.certification import certificate, messages
from learning.certification.models import (
    ACTION_KINDS,
    APPROVE,
    APPROVED,
    CHANGES_REQUESTED,
    PENDING,
    CertificateCounter,
    Certification,
    CertificationReview,
    CertificationSubmission,
)
from learning.courses import catalogue
from learning.db import as_json, utcnow
from learning.errors import Conflict, Forbidden, InvalidInput, NotFound
from learning.extensions import db
from learning.notifications import services as notifications
from learning.progress.services import DONE, progress_for_learners


def _insert(model):
    """An INSERT that can say ON CONFLICT, in the dialect of the session's database."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(model)


def _lock_learner(user_id: int) -> None:
    """Serialise this learner's certification writes (a row lock on PostgreSQL; SQLite has one
    writer at a time anyway)."""
    db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())


def _title(titles: dict, language: str) -> str:
    return titles.get(language) or next(iter(titles.values()))


def _submission_out(submission: CertificationSubmission, prompts: dict[str, str]) -> dict:
    return {
        "number": submission.number,
        "submitted_at": submission.submitted_at,
        "reflection": submission.reflection,
        "reflections": [
            {"prompt": prompt_id, "question": prompts.get(prompt_id), "answer": answer}
            for prompt_id, answer in submission.reflections.items()
        ],
        "actions": submission.actions,
    }


def certification_out(certification: Certification, *, language: str) -> dict:
    """A certification with its whole history, as its learner and its assessors see it."""
    learner = db.session.get(User, certification.user_id)
    prompts = _prompt_texts(certification.course_slug, language)
    numbers = {submission.id: submission.number for submission in certification.submissions}
    approved = certification.status == APPROVED
    return {
        "id": certification.id,
        "course": certification.course_slug,
        "course_title": _title(certification.course_title, language),
        "course_version": certification.course_version,
        "learner": {"id": learner.id, "display_name": learner.display_name},
        "status": certification.status,
        "number": certification.number,
        "created_at": certification.created_at,
        "updated_at": certification.updated_at,
        "approved_at": certification.approved_at,
        "certificate_url": f"/api/v1/me/certifications/{certification.id}/certificate.pdf"
        if approved
        else None,
        "verification_url": badges.certificate_assertion_url(number=certification.number)
        if approved
        else None,
        "submissions": [
            _submission_out(submission, prompts) for submission in certification.submissions
        ],
        "reviews": [
            {
                "submission": numbers[review.submission_id],
                "decision": review.decision,
                "comment": review.comment,
                "reviewer_id": review.reviewer_id,
                "reviewed_at": review.reviewed_at,
            }
            for review in certification.reviews
        ],
    }


def _prompt_texts(course: str, language: str) -> dict[str, str]:
    """The published course's reflection prompts in one language, by id."""
    try:
        version = catalogue.published_version(slug=course)
    except NotFound:
        return {}
    return {prompt["id"]: _title(prompt["text"], language) for prompt in version.reflection_prompts}


def _clean(text: str | None) -> str | None:
    """Text with its ends trimmed; None when nothing is left."""
    cleaned = (text or "").strip()
    return cleaned or None


def _check_reflections(prompts: list[str], reflection: str | None, reflections: dict) -> dict:
    errors: dict[str, list[str]] = {}
    for prompt_id, answer in reflections.items():
        if prompt_id not in prompts:
            errors[f"reflections.{prompt_id}"] = ["Not a reflection prompt of this course."]
        elif _clean(answer) is None:
            errors[f"reflections.{prompt_id}"] = ["Must not be blank."]
    if reflections:
        for prompt_id in prompts:
            if prompt_id not in reflections:
                errors[f"reflections.{prompt_id}"] = ["Answer every reflection prompt."]
    elif reflection is None:
        errors["reflection"] = [
            "Write your reflection, or answer the course's prompts in reflections."
        ]
    return errors


def _check_actions(actions: list[dict], today: date) -> dict:
    errors: dict[str, list[str]] = {}
    kinds = [action["kind"] for action in actions]
    if sorted(kinds) != sorted(ACTION_KINDS):
        errors["actions"] = ["Pledge two actions: one personal and one with_others."]
    catalogue_actions = load_catalogue().actions
    for index, action in enumerate(actions):
        where = f"actions.{index}"
        slug = action.get("action")
        if slug is not None:
            entry = catalogue_actions.get(slug)
            if entry is None:
                errors[f"{where}.action"] = [
                    "Not an action of the catalogue (GET /api/v1/actions)."
                ]
            elif entry["kind"] != action["kind"]:
                errors[f"{where}.action"] = [f"This catalogue action is {entry['kind']}."]
        if _clean(action["description"]) is None:
            errors[f"{where}.description"] = ["Say what you will do."]
        if action["by"] < today:
            errors[f"{where}.by"] = ["A date from today on."]
    return errors


def _checked_submission(
    *, prompts: list[str], reflection: str | None, reflections: dict, actions: list[dict]
) -> dict:
    """The submission's content, cleaned; every problem at once as 422."""
    reflection = _clean(reflection)
    today = utcnow().astimezone(TIMEZONE).date()
    errors = _check_reflections(prompts, reflection, reflections)
    errors.update(_check_actions(actions, today))
    if errors:
        raise InvalidInput("The certification request is not complete.", errors=errors)
    return {
        "reflection": reflection,
        "reflections": {prompt_id: reflections[prompt_id].strip() for prompt_id in reflections},
        "actions": [
            {
                "kind": action["kind"],
                "action": action.get("action"),
                "description": action["description"].strip(),
                "by": action["by"].isoformat(),
            }
            for action in sorted(actions, key=lambda action: ACTION_KINDS.index(action["kind"]))
        ],
    }


def _earlier_submission(user: User, client_id: uuid.UUID | None) -> Certification | None:
    """The certification a retried request already made, or None; another's id is a conflict."""
    if client_id is None:
        return None
    submission = db.session.scalar(
        sa.select(CertificationSubmission).where(
            CertificationSubmission.client_id == str(client_id)
        )
    )
    if submission is None:
        return None
    if submission.certification.user_id != user.id:
        raise Conflict(f"The id {client_id} is already used for another request.")
    return submission.certification


def _language(user: User, preferred: list[str]) -> str:
    return catalogue.choose_language(list(LANGUAGES), [*preferred, user.locale])


def submit_certification(
    *,
    user: User,
    course: str,
    actions: list[dict],
    preferred: list[str],
    reflection: str | None = None,
    reflections: dict | None = None,
    client_id: uuid.UUID | None = None,
) -> dict:
    """Apply for certification after completing a certifiable course."""
    _lock_learner(user.id)
    earlier = _earlier_submission(user, client_id)
    if earlier is not None:
        return certification_out(earlier, language=_language(user, preferred))
    version = catalogue.published_version(slug=course)
    if not version.certifiable:
        raise Conflict(f"{course} does not lead to the certification.")
    standing = progress_for_learners(user_ids=[user.id], targets=[(course, None)])
    if standing.get((course, None), {}).get(user.id, {}).get("state") != DONE:
        raise Conflict(f"Complete {course} before applying for the certification.")
    existing = db.session.scalars(
        sa.select(Certification).where(Certification.user_id == user.id)
    ).all()
    for other in existing:
        if other.status == APPROVED:
            raise Conflict(f"You are already Carbon Literate: certificate {other.number}.")
        if other.course_slug == course:
            raise Conflict(
                f"You already applied for {course}: see certification {other.id}; revise it "
                "there when an assessor asks for changes."
            )
    content = _checked_submission(
        prompts=[prompt["id"] for prompt in version.reflection_prompts],
        reflection=reflection,
        reflections=reflections or {},
        actions=actions,
    )
    now = utcnow()
    certification = Certification(
        user_id=user.id,
        course_slug=course,
        course_version=version.version,
        course_title=version.title,
        status=PENDING,
        created_at=now,
        updated_at=now,
    )
    certification.submissions.append(
        CertificationSubmission(
            number=1, client_id=str(client_id) if client_id else None, submitted_at=now, **content
        )
    )
    db.session.add(certification)
    db.session.flush()
    result = certification_out(certification, language=_language(user, preferred))
    db.session.commit()
    current_app.logger.info("certification %s submitted by user %s", certification.id, user.id)
    return result


def _mine(user: User, certification_id: int, *, lock: bool = False) -> Certification:
    query = sa.select(Certification).where(Certification.id == certification_id)
    certification = db.session.scalar(query.with_for_update() if lock else query)
    if certification is None or certification.user_id != user.id:
        raise NotFound(f"You have no certification {certification_id}.")
    return certification


def resubmit_certification(
    *,
    user: User,
    certification_id: int,
    actions: list[dict],
    preferred: list[str],
    reflection: str | None = None,
    reflections: dict | None = None,
    client_id: uuid.UUID | None = None,
) -> dict:
    """Submit a revised version after an assessor asked for changes."""
    _lock_learner(user.id)
    earlier = _earlier_submission(user, client_id)
    if earlier is not None:
        return certification_out(earlier, language=_language(user, preferred))
    certification = _mine(user, certification_id, lock=True)
    if certification.status != CHANGES_REQUESTED:
        raise Conflict(
            f"This certification is {certification.status}; it is revised only when an "
            "assessor asks for changes."
        )
    version = catalogue.published_version(slug=certification.course_slug)
    content = _checked_submission(
        prompts=[prompt["id"] for prompt in version.reflection_prompts],
        reflection=reflection,
        reflections=reflections or {},
        actions=actions,
    )
    now = utcnow()
    certification.submissions.append(
        CertificationSubmission(
            number=len(certification.submissions) + 1,
            client_id=str(client_id) if client_id else None,
            submitted_at=now,
            **content,
        )
    )
    certification.status = PENDING
    certification.updated_at = now
    db.session.flush()
    result = certification_out(certification, language=_language(user, preferred))
    db.session.commit()
    return result


def my_certifications(*, user: User, preferred: list[str]) -> list[dict]:
    """My certifications, newest first."""
    language = _language(user, preferred)
    found = db.session.scalars(
        sa.select(Certification)
        .where(Certification.user_id == user.id)
        .order_by(Certification.created_at.desc(), Certification.id.desc())
    )
    return [certification_out(certification, language=language) for certification in found]


def my_certification(*, user: User, certification_id: int, preferred: list[str]) -> dict:
    return certification_out(_mine(user, certification_id), language=_language(user, preferred))


def review_queue(
    *, assessor: User, status: str, preferred: list[str], page: int, per_page: int
) -> dict:
    """Certifications of a status for assessors, oldest change first; never their own."""
    where = [Certification.status == status, Certification.user_id != assessor.id]
    total = db.session.scalar(sa.select(sa.func.count()).select_from(Certification).where(*where))
    found = db.session.scalars(
        sa.select(Certification)
        .where(*where)
        .order_by(Certification.updated_at, Certification.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    language = _language(assessor, preferred)
    return {
        "items": [certification_out(certification, language=language) for certification in found],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def _reviewable(assessor: User, certification_id: int, *, lock: bool = False) -> Certification:
    query = sa.select(Certification).where(Certification.id == certification_id)
    certification = db.session.scalar(query.with_for_update() if lock else query)
    if certification is None:
        raise NotFound(f"There is no certification {certification_id}.")
    if certification.user_id == assessor.id:
        raise Forbidden("Nobody reviews their own certification; another assessor will.")
    return certification


def certification_for_assessor(
    *, assessor: User, certification_id: int, preferred: list[str]
) -> dict:
    return certification_out(
        _reviewable(assessor, certification_id), language=_language(assessor, preferred)
    )


def _next_number(year: int) -> str:
    """The year's next certificate number; concurrent approvals queue on the year's row."""
    statement = _insert(CertificateCounter).values(year=year, last=1)
    last = db.session.scalar(
        statement.on_conflict_do_update(
            index_elements=["year"], set_={"last": CertificateCounter.last + 1}
        ).returning(CertificateCounter.last)
    )
    return f"CL-{year}-{last:06d}"


def review_certification(
    *, assessor: User, certification_id: int, decision: str, comment: str, preferred: list[str]
) -> dict:
    """Approve a pending certification, or ask its learner for changes, with a comment."""
    certification = _reviewable(assessor, certification_id, lock=True)
    if certification.status != PENDING:
        raise Conflict(f"This certification is {certification.status}, not waiting for review.")
    comment = comment.strip()
    if decision != APPROVE and not comment:
        raise InvalidInput(
            "Say what to change.", errors={"comment": ["Required when asking for changes."]}
        )
    now = utcnow()
    certification.reviews.append(
        CertificationReview(
            submission_id=certification.submissions[-1].id,
            reviewer_id=assessor.id,
            decision=decision,
            comment=comment,
            reviewed_at=now,
        )
    )
    certification.updated_at = now
    if decision == APPROVE:
        _approve(certification, now)
    else:
        certification.status = CHANGES_REQUESTED
        db.session.flush()
        subject, body = messages.notification(
            messages.CHANGES_REQUESTED, titles=certification.course_title, comment=comment
        )
        notifications.queue(
            user_id=certification.user_id,
            kind=messages.CHANGES_REQUESTED,
            subject=subject,
            body=body,
            dedupe_key=f"certification:{certification.id}:review:{certification.reviews[-1].id}",
        )
    db.session.flush()
    result = certification_out(certification, language=_language(assessor, preferred))
    db.session.commit()
    current_app.logger.info(
        "certification %s reviewed by assessor %s: %s", certification.id, assessor.id, decision
    )
    return result


def _approve(certification: Certification, now: datetime) -> None:
    certification.status = APPROVED
    certification.approved_at = now
    certification.number = _next_number(now.astimezone(TIMEZONE).year)
    db.session.flush()
    events.certification_approved.send(
        "certification",
        user_id=certification.user_id,
        certification=certification.id,
        course=certification.course_slug,
        number=certification.number,
        at=now,
    )
    subject, body = messages.notification(
        messages.APPROVED,
        titles=certification.course_title,
        number=certification.number,
        url=badges.certificate_assertion_url(number=certification.number),
    )
    notifications.queue(
        user_id=certification.user_id,
        kind=messages.APPROVED,
        subject=subject,
        body=body,
        dedupe_key=f"certification:{certification.id}:approved",
    )


def certificate_pdf(*, user: User, certification_id: int) -> tuple[bytes, str]:
    """(PDF, file name): my approved certificate, printable, in my language."""
    certification = _mine(user, certification_id)
    if certification.status != APPROVED:
        raise Conflict("The certificate exists once an assessor has approved the certification.")
    language = user.locale if user.locale in messages.CERTIFICATE else "en"
    pdf = certificate.render(
        certificate.CertificateData(
            language=language,
            learner=user.display_name,
            course=_title(certification.course_title, language),
            number=certification.number,
            approved_at=certification.approved_at,
            verification_url=badges.certificate_assertion_url(number=certification.number),
            issuer=current_app.config["BADGE_ISSUER_NAME"],
        )
    )
    return pdf, f"{certification.number}.pdf"


# Personal data -------------------------------------------------------------------------------


def export_personal_data(*, user_id: int) -> dict:
    """A person's certifications with every submission and review, and the reviews they wrote
    as an assessor."""
    certifications = db.session.scalars(
        sa.select(Certification)
        .where(Certification.user_id == user_id)
        .order_by(Certification.created_at, Certification.id)
    )
    reviews_written = db.session.scalars(
        sa.select(CertificationReview)
        .where(CertificationReview.reviewer_id == user_id)
        .order_by(CertificationReview.reviewed_at, CertificationReview.id)
    )
    return {
        "certifications": [
            {
                **as_json(certification),
                "submissions": [as_json(row) for row in certification.submissions],
                "reviews": [as_json(row) for row in certification.reviews],
            }
            for certification in certifications
        ],
        "reviews_written": [as_json(review) for review in reviews_written],
    }


def erase_personal_data(*, user_id: int) -> None:
    """Delete a person's certifications, with the reflections, actions and reviews in them.

    The certificate numbers they held are not given again (the yearly counter only goes up)
    and the badge that carried a number is revoked by the badges domain. Reviews the person
    wrote as an assessor belong to other learners' histories: they stay, without a reviewer.
    """
    for certification in db.session.scalars(
        sa.select(Certification).where(Certification.user_id == user_id)
    ).all():
        db.session.delete(certification)
    db.session.execute(
        sa.update(CertificationReview)
        .where(CertificationReview.reviewer_id == user_id)
        .values(reviewer_id=None)
    )
