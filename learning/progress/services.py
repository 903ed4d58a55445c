"""The rules of progress: enrolment, offline event sync, completion, quiz grading and resume.

A learner's writes are serialised by locking their user row, so that the same batch sent from
two connections at once is recorded once and fires each domain event once.
"""

import dataclasses
import math
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

import marshmallow as ma
import sqlalchemy as sa
from cachetools import LRUCache
from flask import current_app

from learning import events
from learning.accounts.models import User
from learning.courses import catalogue
from learning.courses.models import Course, CourseVersion, Lesson, Module, Quiz
from learning.db import InIds, UTCDateTime, as_json, utcnow
from learning.errors import Conflict, DomainError, InvalidInput, NotFound
from learning.extensions import db
from learning.progress.models import (
    ACCEPTED,
    DUPLICATE,
    REJECTED,
    VERBS,
    Enrolment,
    LessonProgress,
    ModuleCompletion,
    ProgressEvent,
    QuizAttempt,
)

NOT_STARTED, STARTED, COMPLETED, LOCKED = "not_started", "started", "completed", "locked"
STRUCTURES_EXTENSION = "carbonlit.progress_structures"
_structures_lock = threading.Lock()


class TooSoon(DomainError):
    status = 429
    code = "too-soon"
    title = "Too soon"


class EventSchema(ma.Schema):
    """One offline event; a malformed one is rejected alone, never the whole batch."""

    id = ma.fields.UUID(required=True)
    course = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    lesson = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    verb = ma.fields.String(required=True, validate=ma.validate.OneOf(VERBS))
    at = ma.fields.AwareDateTime(required=True)
    position = ma.fields.Float(allow_none=True, validate=ma.validate.Range(min=0), allow_nan=False)


@dataclass
class LearnerCourse:
    """A learner's standing in the published version of one course, loaded in a few queries."""

    course: Course
    version: CourseVersion
    modules: list[Module]
    lessons: dict[int, list[Lesson]]
    quizzes: dict[int, Quiz]
    progress: dict[str, LessonProgress]
    passed_quizzes: set[str]
    best_scores: dict[str, int]
    attempts: dict[str, int]
    enrolment: Enrolment | None
    completed_modules: set[str] = field(default_factory=set)

    def lesson_by_slug(self, slug: str) -> tuple[Module, Lesson] | None:
        for module in self.modules:
            for lesson in self.lessons.get(module.id, []):
                if lesson.slug == slug:
                    return module, lesson
        return None

    def lesson_complete(self, lesson: Lesson) -> bool:
        row = self.progress.get(lesson.content_hash)
        return row is not None and row.completed_at is not None

    def quiz_passed(self, module: Module) -> bool:
        quiz = self.quizzes.get(module.id)
        return quiz is None or quiz.content_hash in self.passed_quizzes

    def module_complete(self, module: Module) -> bool:
        return all(self.lesson_complete(lesson) for lesson in self.lessons.get(module.id, [])) and (
            self.quiz_passed(module)
        )

    def module_locked(self, module: Module) -> bool:
        by_slug = {m.slug: m for m in self.modules}
        return any(not self.module_complete(by_slug[slug]) for slug in module.prerequisites)

    def lesson_locked(self, module: Module, lesson: Lesson) -> bool:
        if self.module_locked(module):
            return True
        if not module.sequential:
            return False
        lessons = self.lessons.get(module.id, [])
        index = lessons.index(lesson)
        return index > 0 and not self.lesson_complete(lessons[index - 1])

    def lesson_state(self, module: Module, lesson: Lesson) -> str:
        if self.lesson_complete(lesson):
            return COMPLETED
        if self.lesson_locked(module, lesson):
            return LOCKED
        return STARTED if lesson.content_hash in self.progress else NOT_STARTED

    def course_complete(self) -> bool:
        return all(self.module_complete(module) for module in self.modules)

    def counts(self) -> tuple[int, int]:
        """(steps done, steps in all): every lesson and every quiz is a step."""
        done = total = 0
        for module in self.modules:
            for lesson in self.lessons.get(module.id, []):
                total += 1
                done += self.lesson_complete(lesson)
            if module.id in self.quizzes:
                total += 1
                done += self.quiz_passed(module)
        return done, total

    def percent(self) -> int:
        done, total = self.counts()
        return math.floor(100 * done / total) if total else 0

    def resume(self) -> dict | None:
        """The lesson to open next: the one touched last if unfinished, else the next open one."""
        ordered = [(m, lesson) for m in self.modules for lesson in self.lessons.get(m.id, [])]
        touched = [
            (self.progress[lesson.content_hash].last_activity_at, i)
            for i, (_, lesson) in enumerate(ordered)
            if lesson.content_hash in self.progress
        ]
        start = max(touched)[1] if touched else 0
        for module, lesson in ordered[start:] + ordered[:start]:
            if not self.lesson_complete(lesson) and not self.lesson_locked(module, lesson):
                row = self.progress.get(lesson.content_hash)
                return {
                    "module": module.slug,
                    "lesson": lesson.slug,
                    "position": row.position if row else None,
                }
        return None


def _lock_learner(user_id: int) -> None:
    """Serialise this learner's progress writes, so that two writers never both find a lesson
    untouched and both insert it: a row lock on PostgreSQL. SQLite ignores FOR UPDATE, so
    there raising the learner's revision takes the database's one write lock (waiting up to
    busy_timeout) before anything is read, and tells syncs reading meanwhile to start over
    (_claim_learner). Quiz attempts and enrolments use it; syncs, far more frequent, lock
    only on PostgreSQL (_read_learner)."""
    if _on_sqlite():
        db.session.execute(_RAISE_REVISION, {"user_id": user_id})
    else:
        db.session.execute(sa.select(User.id).where(User.id == user_id).with_for_update())


def _on_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


_USERS = User.__table__
_RAISE_REVISION = (
    sa.update(_USERS)
    .where(_USERS.c.id == sa.bindparam("user_id"))
    .values(progress_revision=_USERS.c.progress_revision + 1)
)
_CLAIM_REVISION = (
    sa.update(_USERS)
    .where(
        _USERS.c.id == sa.bindparam("user_id"),
        _USERS.c.progress_revision == sa.bindparam("seen"),
    )
    .values(progress_revision=_USERS.c.progress_revision + 1)
)


class _LearnerChanged(Exception):
    """Another write of this learner's progress committed while a sync was reading (SQLite)."""


def _read_learner(user_id: int) -> int | None:
    """Begin a sync. On PostgreSQL, lock the learner's row as _lock_learner does. On SQLite,
    where a lock is the whole database's, only read the learner's revision: syncs of different
    learners then read in parallel and queue only for their writes, and _claim_learner checks
    that no other write of this learner came in between."""
    if not _on_sqlite():
        _lock_learner(user_id)
        return None
    return db.session.scalar(sa.select(_USERS.c.progress_revision).where(_USERS.c.id == user_id))


def _claim_learner(user_id: int, seen: int | None) -> None:
    """Before a sync commits on SQLite: raise the learner's revision if it is still the one the
    sync read, inside the sync's write transaction; else its reads are stale, and it is rolled
    back and run again under _lock_learner (sync_events), which cannot be overtaken."""
    if seen is None:
        return
    with db.session.no_autoflush:
        claimed = db.session.execute(_CLAIM_REVISION, {"user_id": user_id, "seen": seen})
    if claimed.rowcount != 1:
        raise _LearnerChanged


def load_learner_course(*, user_id: int | None, version: CourseVersion) -> LearnerCourse:
    modules = db.session.scalars(
        sa.select(Module).where(Module.version_id == version.id).order_by(Module.position)
    ).all()
    lessons: dict[int, list[Lesson]] = {}
    for lesson in db.session.scalars(
        sa.select(Lesson).where(Lesson.version_id == version.id).order_by(Lesson.position)
    ):
        lessons.setdefault(lesson.module_id, []).append(lesson)
    quizzes = {
        quiz.module_id: quiz
        for quiz in db.session.scalars(sa.select(Quiz).where(Quiz.version_id == version.id))
    }
    state = LearnerCourse(
        course=version.course,
        version=version,
        modules=list(modules),
        lessons=lessons,
        quizzes=quizzes,
        progress={},
        passed_quizzes=set(),
        best_scores={},
        attempts={},
        enrolment=None,
    )
    if user_id is not None:
        _load_standing(state, user_id=user_id, course_id=version.course_id)
    return state


def _load_standing(state: LearnerCourse, *, user_id: int, course_id: int) -> None:
    """Fill in the learner's lessons, quiz results, enrolment and completed modules."""
    state.progress = {
        row.content_hash: row
        for row in db.session.scalars(
            sa.select(LessonProgress).where(
                LessonProgress.user_id == user_id, LessonProgress.course_id == course_id
            )
        )
    }
    attempts = db.session.execute(
        sa.select(
            QuizAttempt.quiz_slug,
            QuizAttempt.quiz_hash,
            sa.func.max(QuizAttempt.score),
            sa.func.count(),
            sa.func.max(sa.case((QuizAttempt.passed, 1), else_=0)),
        )
        .where(QuizAttempt.user_id == user_id, QuizAttempt.course_id == course_id)
        .group_by(QuizAttempt.quiz_slug, QuizAttempt.quiz_hash)
    ).all()
    for quiz_slug, quiz_hash, best, count, passed in attempts:
        state.best_scores[quiz_slug] = max(best, state.best_scores.get(quiz_slug, 0))
        state.attempts[quiz_slug] = state.attempts.get(quiz_slug, 0) + count
        if passed:
            state.passed_quizzes.add(quiz_hash)
    state.enrolment = db.session.scalar(
        sa.select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
    )
    state.completed_modules = set(
        db.session.scalars(
            sa.select(ModuleCompletion.module_slug).where(
                ModuleCompletion.user_id == user_id,
                ModuleCompletion.course_id == course_id,
            )
        )
    )


def _enrol(state: LearnerCourse, user_id: int) -> Enrolment:
    if state.enrolment is None:
        state.enrolment = Enrolment(
            user_id=user_id, course_id=state.course.id, version_id=state.version.id
        )
        db.session.add(state.enrolment)
    else:
        state.enrolment.version_id = state.version.id
    return state.enrolment


def enrol(*, user: User, slug: str) -> dict:
    """Enrol explicitly in a published course; enrolling again changes nothing."""
    version = catalogue.published_version(slug=slug)
    _lock_learner(user.id)
    state = load_learner_course(user_id=user.id, version=version)
    enrolment = _enrol(state, user.id)
    db.session.commit()
    return {
        "course": slug,
        "version": version.version,
        "enrolled_at": enrolment.enrolled_at,
        "completed_at": enrolment.completed_at,
    }


def _cascade(state: LearnerCourse, user_id: int, module: Module, at: datetime) -> None:
    """After a lesson or quiz, record and announce a newly completed module, then course.

    What was recorded is flushed before each announcement (a sync runs without autoflush):
    receivers ask progress_for_learners what is done.
    """
    signature = {"user_id": user_id, "course": state.course.slug, "version": state.version.version}
    if state.module_complete(module) and module.slug not in state.completed_modules:
        state.completed_modules.add(module.slug)
        db.session.add(
            ModuleCompletion(
                user_id=user_id,
                course_id=state.course.id,
                module_slug=module.slug,
                version_id=state.version.id,
                completed_at=at,
            )
        )
        db.session.flush()
        events.module_completed.send("progress", **signature, module=module.slug, at=at)
    enrolment = _enrol(state, user_id)
    if enrolment.completed_at is None and state.course_complete():
        enrolment.completed_at = at
        enrolment.completed_version_id = state.version.id
        db.session.flush()
        events.course_completed.send("progress", **signature, at=at)


def _apply_event(state: LearnerCourse, user_id: int, event: dict, now: datetime) -> str | None:
    """Apply one accepted-looking event; return a rejection reason, or None when accepted."""
    found = state.lesson_by_slug(event["lesson"])
    if found is None:
        return "unknown_lesson"
    module, lesson = found
    if state.lesson_locked(module, lesson) and not state.lesson_complete(lesson):
        return "locked"
    at = event["at"]
    row = state.progress.get(lesson.content_hash)
    if row is None:
        row = LessonProgress(
            user_id=user_id,
            course_id=state.course.id,
            module_slug=module.slug,
            lesson_slug=lesson.slug,
            content_hash=lesson.content_hash,
            started_at=at,
            last_activity_at=at,
        )
        db.session.add(row)
        state.progress[lesson.content_hash] = row
    row.started_at = min(row.started_at, at)
    row.last_activity_at = max(row.last_activity_at, at)
    newer = row.position_at is None or at >= row.position_at
    if event["verb"] == "position" and event.get("position") is not None and newer:
        row.position, row.position_at = event["position"], at
    enrolment = _enrol(state, user_id)
    enrolment.last_activity_at = max(filter(None, [enrolment.last_activity_at, at]))
    if event["verb"] == "completed":
        if row.completed_at is None:
            row.completed_at, row.completion_recorded_at = at, now
            events.lesson_completed.send(
                "progress",
                user_id=user_id,
                course=state.course.slug,
                version=state.version.version,
                module=module.slug,
                lesson=lesson.slug,
                at=at,
            )
            _cascade(state, user_id, module, at)
        else:
            row.completed_at = min(row.completed_at, at)
    return None


def sync_events(*, user: User, events_in: list) -> list[dict]:
    """Record a batch of offline events and answer each: accepted, duplicate or rejected.

    Events apply in client-time order, whatever order they arrive in. The batch is one
    transaction; a bad event is rejected alone.
    """
    maximum = current_app.config["PROGRESS_MAX_BATCH"]
    if len(events_in) > maximum:
        raise InvalidInput(
            f"A batch holds at most {maximum} events; send the rest in another.",
            errors={"events": [f"At most {maximum} events."]},
        )
    now = utcnow()
    skew = timedelta(seconds=current_app.config["PROGRESS_MAX_CLOCK_SKEW_SECONDS"])
    results: list[dict | None] = [None] * len(events_in)
    parsed: list[tuple[int, dict]] = []
    schema = EventSchema()
    for index, raw in enumerate(events_in):
        try:
            parsed.append((index, schema.load(raw)))
        except ma.ValidationError as error:
            given = raw.get("id") if isinstance(raw, dict) else None
            fields = error.messages if isinstance(raw, dict) else {"not an object": []}
            results[index] = {
                "id": given if isinstance(given, str) else None,
                "status": REJECTED,
                "reason": "malformed: " + ", ".join(sorted(fields)),
            }
    user_id = user.id
    try:
        return _record_batch(user_id, parsed, list(results), now, skew, lock=False)
    except (_LearnerChanged, sa.exc.IntegrityError):
        # Another write of this learner committed first (SQLite): run again, holding the lock.
        db.session.rollback()
        return _record_batch(user_id, parsed, list(results), now, skew, lock=True)


def _record_batch(
    user_id: int,
    parsed: list[tuple[int, dict]],
    results: list,
    now: datetime,
    skew: timedelta,
    *,
    lock: bool,
) -> list[dict]:
    """sync_events' one transaction: the batch's events applied in order and recorded."""
    if lock:
        _lock_learner(user_id)
        seen = None
    else:
        seen = _read_learner(user_id)
    ids = [str(event["id"]) for _, event in parsed]
    # The reason each event id already seen was rejected for (None: it was accepted).
    previous = dict(
        db.session.execute(
            sa.select(ProgressEvent.event_id, ProgressEvent.reason).where(
                ProgressEvent.user_id == user_id, ProgressEvent.event_id.in_(ids)
            )
        ).all()
    )
    states: dict[str, LearnerCourse | None] = {}
    recorded: list[dict] = []
    # The learner's rows are all loaded above; flushing before each query of the receivers
    # would write the batch one row at a time.
    with db.session.no_autoflush:
        for index, event in sorted(parsed, key=lambda item: (item[1]["at"], item[0])):
            event_id = str(event["id"])
            if event_id in previous:
                results[index] = _answer(event_id, DUPLICATE, previous[event_id])
                continue
            if event["at"] > now + skew:
                reason = "future"
            else:
                slug = event["course"]
                if slug not in states:
                    states[slug] = _published_state(user_id, slug)
                state = states[slug]
                reason = (
                    "unknown_course" if state is None else _apply_event(state, user_id, event, now)
                )
            status = REJECTED if reason else ACCEPTED
            recorded.append(
                {
                    "user_id": user_id,
                    "event_id": event_id,
                    "course": event["course"],
                    "lesson": event["lesson"],
                    "verb": event["verb"],
                    "client_at": event["at"],
                    "received_at": now,
                    "position": event.get("position"),
                    "status": status,
                    "reason": reason,
                }
            )
            previous[event_id] = reason
            results[index] = _answer(event_id, status, reason)
    _claim_learner(user_id, seen)
    if recorded:
        # One executemany on the table: the ORM's bulk path would compile it per batch size.
        db.session.execute(sa.insert(ProgressEvent.__table__), recorded)
    db.session.commit()
    return results


def _answer(event_id: str, status: str, reason: str | None) -> dict:
    answer = {"id": event_id, "status": status}
    if reason:
        answer["reason"] = reason
    return answer


def _published_state(user_id: int, slug: str) -> LearnerCourse | None:
    """The learner's standing in the published version, matched against its cached
    structure: the course's own tables are not read (a sync applies events to it)."""
    try:
        ref = catalogue.published_ref(slug=slug)
    except NotFound:
        return None
    state = _cached_state(ref, slug)
    _load_standing(state, user_id=user_id, course_id=ref.course_id)
    return state


def _grade(question: dict, answer) -> bool:
    kind = question["type"]
    if kind == "single":
        right = [option["id"] for option in question["options"] if option["correct"]]
        return isinstance(answer, str) and [answer] == right
    if kind == "multiple":
        right = {option["id"] for option in question["options"] if option["correct"]}
        return isinstance(answer, list) and len(set(answer)) == len(answer) and set(answer) == right
    if kind == "true_false":
        return isinstance(answer, bool) and answer == question["answer"]
    return (
        isinstance(answer, int | float)
        and not isinstance(answer, bool)
        and abs(answer - question["answer"]) <= question.get("tolerance", 0) + 1e-9
    )


def _check_answer_shape(question: dict, answer) -> str | None:
    kind = question["type"]
    options = {option["id"] for option in question["options"]}
    if kind == "single" and not (isinstance(answer, str) and answer in options):
        return "Choose one option id."
    if kind == "multiple" and not (
        isinstance(answer, list) and all(isinstance(a, str) and a in options for a in answer)
    ):
        return "Choose a list of option ids."
    if kind == "true_false" and not isinstance(answer, bool):
        return "Answer true or false."
    if kind == "numeric" and (
        isinstance(answer, bool) or not isinstance(answer, int | float) or not math.isfinite(answer)
    ):
        return "Answer a number."
    return None


def _feedback(question: dict, answer, correct: bool, language: str) -> dict:
    """Whether it was right, and why: the question's explanation or those of the chosen options."""
    texts = []
    if question.get("explanation"):
        texts.append(question["explanation"][language])
    chosen = answer if isinstance(answer, list) else [answer]
    for option in question["options"]:
        if option["id"] in chosen and option.get("explanation"):
            texts.append(option["explanation"][language])
    return {"question": question["id"], "correct": correct, "explanation": " ".join(texts)}


def submit_attempt(
    *, user: User, slug: str, quiz_slug: str, answers: list[dict], client_id, preferred
) -> dict:
    """Grade a quiz attempt on the server; the best score counts.

    Resending the same client id answers the first grading again and records nothing.
    """
    version = catalogue.published_version(slug=slug)
    _lock_learner(user.id)
    language = catalogue.choose_language(version.languages, preferred)
    if client_id is not None:
        earlier = db.session.scalar(
            sa.select(QuizAttempt).where(
                QuizAttempt.user_id == user.id, QuizAttempt.client_id == str(client_id)
            )
        )
        if earlier is not None:
            return _attempt_result(earlier, language, user.id)
    state = load_learner_course(user_id=user.id, version=version)
    module = next(
        (
            m
            for m in state.modules
            if m.id in state.quizzes and state.quizzes[m.id].slug == quiz_slug
        ),
        None,
    )
    if module is None:
        raise NotFound(f"{slug} has no quiz {quiz_slug}.")
    quiz = state.quizzes[module.id]
    if state.module_locked(module):
        raise Conflict(f"The module {module.slug} is locked until its prerequisites are done.")
    _check_attempt_limits(user.id, state, quiz_slug)
    by_id = {question["id"]: question for question in quiz.questions}
    given: dict = {}
    errors: dict = {}
    for index, item in enumerate(answers):
        question = by_id.get(item["question"])
        if question is None:
            errors[f"answers.{index}.question"] = ["No such question in this quiz."]
        elif item["question"] in given:
            errors[f"answers.{index}.question"] = ["Answered twice."]
        else:
            problem = _check_answer_shape(question, item.get("answer"))
            if problem:
                errors[f"answers.{index}.answer"] = [problem]
            given[item["question"]] = item.get("answer")
    if errors:
        raise InvalidInput("Some answers do not fit their questions.", errors=errors)
    passed_before = _passed_before(user.id, state.course.id, quiz.slug)
    correct = {q["id"]: q["id"] in given and _grade(q, given[q["id"]]) for q in quiz.questions}
    score = round(100 * sum(correct.values()) / len(quiz.questions))
    attempt = QuizAttempt(
        user_id=user.id,
        course_id=state.course.id,
        version_id=version.id,
        module_slug=module.slug,
        quiz_slug=quiz.slug,
        quiz_hash=quiz.content_hash,
        client_id=str(client_id) if client_id else None,
        answers=[{"question": q, "answer": a} for q, a in given.items()],
        correct=correct,
        score=score,
        passed=score >= quiz.pass_mark,
        submitted_at=utcnow(),
    )
    db.session.add(attempt)
    _enrol(state, user.id).last_activity_at = attempt.submitted_at
    if attempt.passed:
        state.passed_quizzes.add(quiz.content_hash)
    if attempt.passed and not passed_before:
        events.quiz_passed.send(
            "progress",
            user_id=user.id,
            course=slug,
            version=version.version,
            module=module.slug,
            quiz=quiz.slug,
            score=score,
            at=attempt.submitted_at,
        )
    if attempt.passed:
        _cascade(state, user.id, module, attempt.submitted_at)
    db.session.flush()
    result = _attempt_result(attempt, language, user.id, quiz=quiz)
    db.session.commit()
    return result


def _passed_before(user_id: int, course_id: int, quiz_slug: str) -> bool:
    return (
        db.session.scalar(
            sa.select(QuizAttempt.id)
            .where(
                QuizAttempt.user_id == user_id,
                QuizAttempt.course_id == course_id,
                QuizAttempt.quiz_slug == quiz_slug,
                QuizAttempt.passed,
            )
            .limit(1)
        )
        is not None
    )


def _check_attempt_limits(user_id: int, state: LearnerCourse, quiz_slug: str) -> None:
    config = current_app.config
    maximum = config["QUIZ_MAX_ATTEMPTS"]
    if maximum and state.attempts.get(quiz_slug, 0) >= maximum:
        raise Conflict(f"All {maximum} attempts at this quiz are used.")
    spacing = config["QUIZ_MIN_SECONDS_BETWEEN_ATTEMPTS"]
    if spacing:
        last = db.session.scalar(
            sa.select(sa.func.max(QuizAttempt.submitted_at)).where(
                QuizAttempt.user_id == user_id,
                QuizAttempt.course_id == state.course.id,
                QuizAttempt.quiz_slug == quiz_slug,
            )
        )
        if last is not None:
            wait = spacing - (utcnow() - last).total_seconds()
            if wait > 0:
                raise TooSoon(
                    f"Take a moment before trying again: {math.ceil(wait)} seconds.",
                    headers={"Retry-After": str(math.ceil(wait))},
                )


def _attempt_result(attempt: QuizAttempt, language: str, user_id: int, quiz: Quiz | None = None):
    quiz = quiz or db.session.scalar(
        sa.select(Quiz).where(Quiz.version_id == attempt.version_id, Quiz.slug == attempt.quiz_slug)
    )
    given = {item["question"]: item["answer"] for item in attempt.answers}
    best = db.session.scalar(
        sa.select(sa.func.max(QuizAttempt.score)).where(
            QuizAttempt.user_id == user_id,
            QuizAttempt.course_id == attempt.course_id,
            QuizAttempt.quiz_slug == attempt.quiz_slug,
        )
    )
    return {
        "quiz": attempt.quiz_slug,
        "language": language,
        "score": attempt.score,
        "passed": attempt.passed,
        "pass_mark": quiz.pass_mark,
        "best_score": max(best or 0, attempt.score),
        "questions": [
            _feedback(q, given.get(q["id"]), attempt.correct[q["id"]], language)
            for q in quiz.questions
        ],
    }


class _CachedModule(NamedTuple):
    """A module of a cached course structure, shaped like the Module that LearnerCourse reads."""

    id: int
    slug: str
    prerequisites: list
    sequential: bool


class _CachedStep(NamedTuple):
    """A lesson or quiz of a cached course structure: what progress is matched against."""

    slug: str
    content_hash: str


class _CachedCourse(NamedTuple):
    """The course of a published version, as LearnerCourse reads it."""

    id: int
    slug: str


class _CachedVersion(NamedTuple):
    """A published version, as LearnerCourse reads it."""

    id: int
    version: str


def _cached_state(ref: sa.Row, slug: str) -> LearnerCourse:
    """A LearnerCourse of the published version ref from its cached structure, with no
    learner's rows yet: the locking and counting rules run on it with no course query.

    The structure's objects are built once per app and version (a published version never
    changes; keyed like the content cache, by id and creation time) and shared by every
    learner's state, which only adds its own rows.
    """
    built = current_app.extensions.setdefault(STRUCTURES_EXTENSION, LRUCache(maxsize=256))
    key = (ref.id, ref.created_at)
    with _structures_lock:
        template = built.get(key)
    if template is None:
        template = _structure_state(ref, slug)
        with _structures_lock:
            built[key] = template
    return dataclasses.replace(
        template,
        progress={},
        passed_quizzes=set(),
        best_scores={},
        attempts={},
        completed_modules=set(),
    )


def _structure_state(ref: sa.Row, slug: str) -> LearnerCourse:
    structure = catalogue.published_structure(ref=ref)
    return LearnerCourse(
        course=_CachedCourse(ref.course_id, slug),
        version=_CachedVersion(ref.id, ref.version),
        modules=[
            _CachedModule(index, module["slug"], module["prerequisites"], module["sequential"])
            for index, module in enumerate(structure)
        ],
        lessons={
            index: [_CachedStep(*lesson) for lesson in module["lessons"]]
            for index, module in enumerate(structure)
        },
        quizzes={
            index: _CachedStep(*module["quiz"])
            for index, module in enumerate(structure)
            if module["quiz"]
        },
        progress={},
        passed_quizzes=set(),
        best_scores={},
        attempts={},
        enrolment=None,
    )


# My lessons touched (with when completed) and my passed quizzes' hashes, in one round trip.
_MY_STANDING = sa.union_all(
    sa.select(
        LessonProgress.content_hash,
        LessonProgress.completed_at,
        sa.literal(False).label("quiz"),
    ).where(
        LessonProgress.user_id == sa.bindparam("user_id"),
        LessonProgress.course_id == sa.bindparam("course_id"),
    ),
    sa.select(QuizAttempt.quiz_hash, sa.cast(sa.null(), UTCDateTime), sa.literal(True))
    .where(
        QuizAttempt.user_id == sa.bindparam("user_id"),
        QuizAttempt.course_id == sa.bindparam("course_id"),
        QuizAttempt.passed,
    )
    .distinct(),
)


def course_outline(*, user: User, slug: str, preferred: list[str]) -> tuple[bytes, str]:
    """The published outline with my state per lesson and my locks per module, as JSON bytes,
    and its language.

    The outline (cut where my state goes) and the course's structure come from the content
    cache, so that it costs one query of mine, whatever the size of the course; the locking
    rules are LearnerCourse's, run over the cached structure.
    """
    ref, template = catalogue.published_outline_template(slug=slug, preferred=preferred)
    state = _cached_state(ref, slug)
    for row in db.session.execute(_MY_STANDING, {"user_id": user.id, "course_id": ref.course_id}):
        if row.quiz:
            state.passed_quizzes.add(row.content_hash)
        else:
            state.progress[row.content_hash] = row
    locked = [state.module_locked(module) for module in state.modules]
    states = [
        [state.lesson_state(module, lesson) for lesson in state.lessons[module.id]]
        for module in state.modules
    ]
    return template.fill(locked, states), template.language


def _module_state(state: LearnerCourse, module: Module) -> str:
    if state.module_complete(module):
        return COMPLETED
    if state.module_locked(module):
        return LOCKED
    lessons = state.lessons.get(module.id, [])
    touched = any(lesson.content_hash in state.progress for lesson in lessons)
    quiz = state.quizzes.get(module.id)
    return STARTED if touched or (quiz and quiz.slug in state.attempts) else NOT_STARTED


def course_progress(*, user: User, slug: str, preferred: list[str]) -> dict:
    """My state in one course: per module and lesson, quiz best scores, resume point."""
    version = catalogue.published_version(slug=slug)
    state = load_learner_course(user_id=user.id, version=version)
    language = catalogue.choose_language(version.languages, preferred)
    enrolment = state.enrolment
    modules = []
    for module in state.modules:
        quiz = state.quizzes.get(module.id)
        modules.append(
            {
                "slug": module.slug,
                "title": module.title[language],
                "state": _module_state(state, module),
                "lessons": [
                    _lesson_progress(state, module, lesson, language)
                    for lesson in state.lessons.get(module.id, [])
                ],
                "quiz": None
                if quiz is None
                else {
                    "slug": quiz.slug,
                    "passed": quiz.content_hash in state.passed_quizzes,
                    "best_score": state.best_scores.get(quiz.slug),
                    "attempts": state.attempts.get(quiz.slug, 0),
                    "pass_mark": quiz.pass_mark,
                },
            }
        )
    return {
        "course": slug,
        "version": version.version,
        "language": language,
        "enrolled": enrolment is not None,
        "percent": state.percent(),
        "completed_at": enrolment.completed_at if enrolment else None,
        "last_activity_at": enrolment.last_activity_at if enrolment else None,
        "resume": state.resume(),
        "modules": modules,
    }


def _lesson_progress(state: LearnerCourse, module: Module, lesson: Lesson, language: str):
    row = state.progress.get(lesson.content_hash)
    return {
        "slug": lesson.slug,
        "title": lesson.title[language],
        "state": state.lesson_state(module, lesson),
        "position": row.position if row else None,
        "completed_at": row.completed_at if row else None,
    }


# My lessons touched and my passed quizzes, in the courses I am enrolled in, in one round trip.
_MY_COURSES_STANDING = sa.union_all(
    sa.select(
        LessonProgress.course_id,
        LessonProgress.content_hash,
        LessonProgress.completed_at,
        LessonProgress.last_activity_at,
        LessonProgress.position,
        sa.literal(False).label("quiz"),
    )
    .join(
        Enrolment,
        sa.and_(
            Enrolment.user_id == LessonProgress.user_id,
            Enrolment.course_id == LessonProgress.course_id,
        ),
    )
    .where(LessonProgress.user_id == sa.bindparam("user_id")),
    sa.select(
        QuizAttempt.course_id,
        QuizAttempt.quiz_hash,
        sa.cast(sa.null(), UTCDateTime),
        sa.cast(sa.null(), UTCDateTime),
        sa.cast(sa.null(), sa.Float),
        sa.literal(True),
    )
    .join(
        Enrolment,
        sa.and_(
            Enrolment.user_id == QuizAttempt.user_id, Enrolment.course_id == QuizAttempt.course_id
        ),
    )
    .where(QuizAttempt.user_id == sa.bindparam("user_id"), QuizAttempt.passed)
    .distinct(),
)


def my_progress(*, user: User, preferred: list[str]) -> list[dict]:
    """Every course I am enrolled in, with percent done, where to resume and when I was last
    active, most recent first.

    Two queries however many courses: my enrolments, then my lessons and passed quizzes in all
    of them; each published version's structure and title come from the content cache.
    """
    rows = db.session.execute(
        sa.select(Enrolment, Course.slug)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.user_id == user.id)
    ).all()
    if not rows:
        return []
    standing: dict[int, list[sa.Row]] = {}
    for row in db.session.execute(_MY_COURSES_STANDING, {"user_id": user.id}):
        standing.setdefault(row.course_id, []).append(row)
    courses = []
    for enrolment, slug in rows:
        try:
            ref = catalogue.published_ref(slug=slug)
        except NotFound:
            continue
        state = _cached_state(ref, slug)
        for row in standing.get(enrolment.course_id, []):
            if row.quiz:
                state.passed_quizzes.add(row.content_hash)
            else:
                state.progress[row.content_hash] = row
        language = catalogue.choose_language(ref.languages, preferred)
        courses.append(
            {
                "course": slug,
                "title": ref.title[language],
                "version": ref.version,
                "percent": state.percent(),
                "resume": state.resume(),
                "enrolled_at": enrolment.enrolled_at,
                "last_activity_at": enrolment.last_activity_at,
                "completed_at": enrolment.completed_at,
            }
        )
    courses.sort(key=lambda c: c["last_activity_at"] or c["enrolled_at"], reverse=True)
    return courses


IN_PROGRESS, DONE = "in_progress", "done"


def progress_for_learners(
    *, user_ids: list[int], targets: list[tuple[str, str | None]]
) -> dict[tuple[str, str | None], dict[int, dict]]:
    """Where each learner stands on each target, a course slug with a module slug or None for
    the whole course: {target: {user_id: {percent, state, completed_at}}}.

    Class progress matrices call it with every learner and every assignment at once, so it runs
    the same few queries however many learners, courses and modules there are. `state` is
    not_started, in_progress (a lesson or quiz of the target touched) or done. A target stays
    done once completed, in any version, and its completed_at is that first completion (None
    when the published version counts it complete but no completion was recorded yet). Targets
    whose course is not published, or whose module the published version lacks, are left out.

    A 30 x 10 matrix is 300 standings: each target's steps are gathered once from the cached
    structure, and each learner's rows are loaded as plain columns into sets, so that a
    standing is a few set lookups rather than a walk through the course's rules.
    """
    published: dict[str, sa.Row] = {}
    for slug in sorted({slug for slug, _ in targets}):
        try:
            published[slug] = catalogue.published_ref(slug=slug)
        except NotFound:
            continue
    if not published:
        return {}
    steps: dict[tuple[str, str | None], _TargetSteps] = {}
    for slug, module_slug in dict.fromkeys(targets):
        if slug in published:
            found = _target_steps(_cached_state(published[slug], slug), module_slug)
            if found is not None:
                steps[(slug, module_slug)] = found
    course_ids = [ref.course_id for ref in published.values()]
    rows = _LearnerRows(user_ids=user_ids, course_ids=course_ids)
    standings: dict[tuple[str, str | None], dict[int, dict]] = {}
    for (slug, module_slug), target in steps.items():
        course_id = published[slug].course_id
        if module_slug is None:
            completions = rows.course_completions.get(course_id, {})
        else:
            completions = rows.module_completions.get((course_id, module_slug), {})
        standings[(slug, module_slug)] = {
            user_id: _standing(target, rows, (user_id, course_id), completions.get(user_id))
            for user_id in user_ids
        }
    return standings


class _TargetSteps(NamedTuple):
    """The lessons and quizzes a target (a course, or one of its modules) counts: how many
    steps each content hash stands for (two lessons may share their content), and the quizzes'
    slugs, which attempts are recorded under."""

    lessons: dict[str, int]
    quizzes: dict[str, int]
    quiz_slugs: frozenset[str]
    total: int


def _target_steps(structure: LearnerCourse, module_slug: str | None) -> _TargetSteps | None:
    """The target's steps in the published structure; None when that version lacks the module."""
    chosen = [m for m in structure.modules if module_slug in (None, m.slug)]
    if not chosen:
        return None
    quizzes = [structure.quizzes[m.id] for m in chosen if m.id in structure.quizzes]
    lessons = [lesson for m in chosen for lesson in structure.lessons.get(m.id, [])]
    return _TargetSteps(
        lessons=Counter(lesson.content_hash for lesson in lessons),
        quizzes=Counter(quiz.content_hash for quiz in quizzes),
        quiz_slugs=frozenset(quiz.slug for quiz in quizzes),
        total=len(lessons) + len(quizzes),
    )


# Everything progress_for_learners reads of the learners, in one round trip: what kind of row,
# whose, in which course, two keys, a flag and a time.
#   lesson:   content hash, -, completed (1/0), -
#   quiz:     quiz slug, quiz hash, passed at least once (1/0), -
#   course:   -, -, -, first completion (enrolments completed only)
#   module:   module slug, -, -, first completion
_LESSON, _QUIZ, _COURSE, _MODULE = "lesson", "quiz", "course", "module"
_NO_TEXT = sa.cast(sa.null(), sa.String)
_NO_FLAG = sa.cast(sa.null(), sa.Integer)
_NO_TIME = sa.cast(sa.null(), UTCDateTime)
_LEARNERS_ROWS = sa.union_all(
    sa.select(
        sa.literal(_LESSON, sa.String).label("kind"),
        LessonProgress.user_id,
        LessonProgress.course_id,
        LessonProgress.content_hash.label("key"),
        _NO_TEXT.label("hash"),
        sa.case((LessonProgress.completed_at.is_not(None), 1), else_=0).label("flag"),
        _NO_TIME.label("completed_at"),
    ).where(
        InIds(LessonProgress.user_id, "user_ids"),
        InIds(LessonProgress.course_id, "course_ids"),
    ),
    sa.select(
        sa.literal(_QUIZ, sa.String),
        QuizAttempt.user_id,
        QuizAttempt.course_id,
        QuizAttempt.quiz_slug,
        QuizAttempt.quiz_hash,
        sa.func.max(sa.case((QuizAttempt.passed, 1), else_=0)),
        _NO_TIME,
    )
    .where(
        InIds(QuizAttempt.user_id, "user_ids"),
        InIds(QuizAttempt.course_id, "course_ids"),
    )
    .group_by(
        QuizAttempt.user_id, QuizAttempt.course_id, QuizAttempt.quiz_slug, QuizAttempt.quiz_hash
    ),
    sa.select(
        sa.literal(_COURSE, sa.String),
        Enrolment.user_id,
        Enrolment.course_id,
        _NO_TEXT,
        _NO_TEXT,
        _NO_FLAG,
        Enrolment.completed_at,
    ).where(
        InIds(Enrolment.user_id, "user_ids"),
        InIds(Enrolment.course_id, "course_ids"),
        Enrolment.completed_at.is_not(None),
    ),
    sa.select(
        sa.literal(_MODULE, sa.String),
        ModuleCompletion.user_id,
        ModuleCompletion.course_id,
        ModuleCompletion.module_slug,
        _NO_TEXT,
        _NO_FLAG,
        ModuleCompletion.completed_at,
    ).where(
        InIds(ModuleCompletion.user_id, "user_ids"),
        InIds(ModuleCompletion.course_id, "course_ids"),
    ),
)


class _LearnerRows:
    """What the learners did in the courses, as sets keyed by (user id, course id), loaded as
    plain columns for everyone in one statement."""

    def __init__(self, *, user_ids: list[int], course_ids: list[int]) -> None:
        self.touched: dict[tuple[int, int], set[str]] = {}
        self.completed: dict[tuple[int, int], set[str]] = {}
        self.quizzes_tried: dict[tuple[int, int], set[str]] = {}
        self.quizzes_passed: dict[tuple[int, int], set[str]] = {}
        # First completions, by learner: {course id: {user id: completed_at}} and
        # {(course id, module slug): {user id: completed_at}}.
        self.course_completions: dict[int, dict[int, datetime]] = {}
        self.module_completions: dict[tuple[int, str], dict[int, datetime]] = {}
        rows = db.session.execute(_LEARNERS_ROWS, {"user_ids": user_ids, "course_ids": course_ids})
        for kind, user_id, course_id, key, quiz_hash, flag, completed_at in rows:
            if kind == _LESSON:
                self.touched.setdefault((user_id, course_id), set()).add(key)
                if flag:
                    self.completed.setdefault((user_id, course_id), set()).add(key)
            elif kind == _QUIZ:
                self.quizzes_tried.setdefault((user_id, course_id), set()).add(key)
                if flag:
                    self.quizzes_passed.setdefault((user_id, course_id), set()).add(quiz_hash)
            elif kind == _COURSE:
                self.course_completions.setdefault(course_id, {})[user_id] = completed_at
            else:
                self.module_completions.setdefault((course_id, key), {})[user_id] = completed_at


def _standing(
    target: _TargetSteps, rows: _LearnerRows, key: tuple[int, int], completed_at: datetime | None
) -> dict:
    """Percent of the target's steps (lessons and quizzes) done, and the state: done when
    completed once or when every step is done now."""
    if completed_at is not None:
        return {"percent": 100, "state": DONE, "completed_at": completed_at}
    done = sum(
        target.lessons[h] for h in rows.completed.get(key, _NOTHING) & target.lessons.keys()
    ) + sum(
        target.quizzes[h] for h in rows.quizzes_passed.get(key, _NOTHING) & target.quizzes.keys()
    )
    total = target.total
    if done == total:
        return {"percent": 100, "state": DONE, "completed_at": None}
    touched = not rows.touched.get(key, _NOTHING).isdisjoint(target.lessons) or not (
        rows.quizzes_tried.get(key, _NOTHING).isdisjoint(target.quiz_slugs)
    )
    return {
        "percent": math.floor(100 * done / total),
        "state": IN_PROGRESS if touched else NOT_STARTED,
        "completed_at": None,
    }


_NOTHING: frozenset = frozenset()


def enrolled_user_ids(*, slug: str) -> sa.Select:
    """The ids of the learners enrolled in a course, as a query other domains filter by: a
    course can have more learners than a database takes bound parameters."""
    course_id = db.session.scalar(sa.select(Course.id).where(Course.slug == slug))
    if course_id is None:
        raise NotFound(f"There is no course {slug}.")
    return sa.select(Enrolment.user_id).where(Enrolment.course_id == course_id)


# Personal data -------------------------------------------------------------------------------


def export_personal_data(*, user_id: int) -> dict:
    """Everything progress holds about a learner: enrolments, lesson states, the events the
    apps sent, quiz attempts with their answers, and completed modules."""
    slugs = dict(db.session.execute(sa.select(Course.id, Course.slug)).all())

    def rows(model, order):
        return db.session.scalars(sa.select(model).where(model.user_id == user_id).order_by(order))

    def with_course(model, order):
        """Rows that name their course by id also name it by slug, as the API does."""
        return [{"course": slugs[row.course_id], **as_json(row)} for row in rows(model, order)]

    return {
        "enrolments": with_course(Enrolment, Enrolment.enrolled_at),
        "lesson_progress": with_course(LessonProgress, LessonProgress.started_at),
        "progress_events": [as_json(row) for row in rows(ProgressEvent, ProgressEvent.received_at)],
        "quiz_attempts": with_course(QuizAttempt, QuizAttempt.submitted_at),
        "module_completions": with_course(ModuleCompletion, ModuleCompletion.completed_at),
    }


def erase_personal_data(*, user_id: int) -> None:
    """Forget what a learner did, lesson by lesson and answer by answer; the enrolments stay,
    anonymous, because a course's impact figure counts the pledges of its enrolled learners."""
    for model in (ProgressEvent, LessonProgress, QuizAttempt, ModuleCompletion):
        db.session.execute(sa.delete(model).where(model.user_id == user_id))
