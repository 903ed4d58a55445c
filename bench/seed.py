"""Seeding a benchmark database at a chosen scale: one function per domain, bulk writes.

Content goes in through the project's own services (the shipped courses are imported as the
CLI imports them). Bulk data (learners, progress, ...) is written with PostgreSQL's COPY or
SQLite's executemany in large transactions, shaped like what the services would have written,
so that the benchmark reads realistic rows at a million of them in minutes.
"""

import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_jwt_extended import create_access_token

from learning.accounts.models import User, UserRole
from learning.accounts.services import _hasher
from learning.actions.catalogue import load_catalogue
from learning.actions.models import DONE, DROPPED, ONGOING, STATUSES, Pledge
from learning.brussels import COMMUNES, TIMEZONE
from learning.circles.models import (
    JOINED,
    WAITLISTED,
    Circle,
    CircleFacilitator,
    CircleMeeting,
    CircleMembership,
)
from learning.classes.models import Assignment, ClassMember, ClassTeacher, SchoolClass
from learning.courses import services as course_services
from learning.courses.models import PUBLISHED, Course, CourseVersion, Lesson, Module, Quiz
from learning.extensions import db
from learning.gamification.models import ActivityDay, LedgerEntry, PointsTotal
from learning.gamification.periods import PERIODS, brussels_day, period_start
from learning.progress.models import ACCEPTED, Enrolment, LessonProgress, ProgressEvent

SHIPPED_COURSES = Path(__file__).resolve().parent.parent / "courses"
PASSWORD = "benchmark horse battery staple"
BATCH = 20_000
# Fixed, so that two runs at one scale seed the same data.
RANDOM_SEED = 20261127


@dataclass(frozen=True)
class Scale:
    """How much of everything to seed."""

    learners: int
    progress_events: int
    ledger_rows: int
    classes: int
    circles: int
    pledges: int
    # Learners given an access token for the load driver (a sample: tokens cost nothing).
    token_learners: int


SCALES = {
    "small": Scale(
        learners=1_000,
        progress_events=10_000,
        ledger_rows=10_000,
        classes=30,
        circles=20,
        pledges=500,
        token_learners=200,
    ),
    "large": Scale(
        learners=100_000,
        progress_events=1_000_000,
        ledger_rows=1_000_000,
        classes=3_000,
        circles=1_000,
        pledges=50_000,
        token_learners=2_000,
    ),
}


@dataclass(frozen=True)
class SeededCourse:
    """A published course as the load driver needs it: languages and lessons in order."""

    slug: str
    course_id: int
    version_id: int
    languages: list[str]
    # (module slug, lesson slug, content hash), in the course's order.
    lessons: list[tuple[str, str, str]]
    # Lessons of modules with no prerequisites and no imposed order: a learner can always
    # record progress on them.
    open_lessons: list[str]
    quizzes: list[str]


@dataclass
class Seeded:
    """What was seeded, for the endpoints' request lines and the results."""

    courses: dict[str, SeededCourse] = field(default_factory=dict)
    learner_ids: list[int] = field(default_factory=list)
    # learner id -> the slug of the course that learner is taking, and their commune.
    enrolled: dict[int, str] = field(default_factory=dict)
    communes: dict[int, str] = field(default_factory=dict)
    tokens: dict[int, str] = field(default_factory=dict)
    # class id -> its teacher's id, and a sample of classes -> their teacher's token.
    classes: dict[int, int] = field(default_factory=dict)
    teacher_tokens: dict[int, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def sqlite_value(value):
    """A value as SQLAlchemy stores it in SQLite (UTC timestamps without zone, ISO dates,
    UUIDs as 32 hex digits)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def bulk_insert(table: sa.Table, columns: list[str], rows: Iterable[tuple]) -> int:
    """Write rows (tuples in the order of columns) in batches; COPY on PostgreSQL."""
    connection = db.session.connection()
    raw = connection.connection.driver_connection
    written = 0
    names = ", ".join(f'"{name}"' for name in columns)
    if connection.dialect.name == "postgresql":
        copying = f'COPY "{table.name}" ({names}) FROM STDIN'
        with raw.cursor() as cursor, cursor.copy(copying) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    marks = ", ".join("?" for _ in columns)
    statement = f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})'
    iterator = iter(rows)
    cursor = raw.cursor()
    while batch := list(islice(iterator, BATCH)):
        cursor.executemany(statement, [tuple(sqlite_value(v) for v in row) for row in batch])
        written += len(batch)
    cursor.close()
    return written


def seed_courses(app: Flask) -> dict[str, SeededCourse]:
    """Import and publish the shipped courses through the courses' own services."""
    with app.app_context():
        for folder in sorted(SHIPPED_COURSES.iterdir()):
            if (folder / "course.yaml").is_file():
                files = course_services.read_package_source(folder)
                course_services.import_package(files=files, publish=True)
        seeded = {}
        versions = db.session.execute(
            sa.select(Course.slug, CourseVersion)
            .join(CourseVersion, CourseVersion.course_id == Course.id)
            .where(CourseVersion.status == PUBLISHED)
            .order_by(Course.slug)
        ).all()
        for slug, version in versions:
            modules = db.session.scalars(
                sa.select(Module).where(Module.version_id == version.id).order_by(Module.position)
            ).all()
            lessons, open_lessons = [], []
            for module in modules:
                for lesson in db.session.scalars(
                    sa.select(Lesson).where(Lesson.module_id == module.id).order_by(Lesson.position)
                ):
                    lessons.append((module.slug, lesson.slug, lesson.content_hash))
                    if not module.prerequisites and not module.sequential:
                        open_lessons.append(lesson.slug)
            seeded[slug] = SeededCourse(
                slug=slug,
                course_id=version.course_id,
                version_id=version.id,
                languages=list(version.languages),
                lessons=lessons,
                open_lessons=open_lessons,
                quizzes=list(
                    db.session.scalars(sa.select(Quiz.slug).where(Quiz.version_id == version.id))
                ),
            )
        return seeded


def _locale(rng: random.Random) -> str:
    """Brussels reads mostly French, then Dutch, then English."""
    draw = rng.random()
    return "fr" if draw < 0.6 else "nl" if draw < 0.9 else "en"


def seed_learners(app: Flask, scale: Scale, seeded: Seeded, rng: random.Random) -> None:
    """Learners with one password, hashed once with the production parameters."""
    communes = sorted(COMMUNES)
    now = datetime.now(UTC)
    with app.app_context():
        password_hash = _hasher().hash(PASSWORD)
        first = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
        ids = list(range(first, first + scale.learners))
        seeded.communes = {user_id: rng.choice(communes) for user_id in ids}
        rows = (
            (
                user_id,
                f"learner-{user_id}@bench.example.org",
                password_hash,
                f"Learner {user_id}",
                _locale(rng),
                seeded.communes[user_id],
                rng.random() < 0.6,
                now - timedelta(days=rng.randint(1, 365)),
            )
            for user_id in ids
        )
        columns = [
            "id",
            "email",
            "password_hash",
            "display_name",
            "locale",
            "commune",
            "leaderboard_visible",
            "created_at",
        ]
        seeded.counts["learners"] = bulk_insert(User.__table__, columns, rows)
        if db.session.get_bind().dialect.name == "postgresql":
            # COPY wrote the ids itself; the sequence must continue after them.
            db.session.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('users', 'id'), :last)"),
                {"last": ids[-1]},
            )
        db.session.commit()
    seeded.learner_ids = ids


def _choose_course(courses: list[SeededCourse], rng: random.Random) -> SeededCourse:
    """Most learners take the flagship course, pupils the school one, a few the facilitators'."""
    by_slug = {course.slug: course for course in courses}
    draw = rng.random()
    if draw < 0.7 and "carbon-literacy-brussels" in by_slug:
        return by_slug["carbon-literacy-brussels"]
    if draw < 0.95 and "climate-at-school" in by_slug:
        return by_slug["climate-at-school"]
    return rng.choice(courses)


def _progress_rows(scale: Scale, seeded: Seeded, rng: random.Random) -> Iterator[tuple]:
    """Per learner, an enrolment, lessons started and mostly completed, and the events that
    did it: (table name, row) pairs, each learner's rows together."""
    courses = list(seeded.courses.values())
    per_learner = max(2, scale.progress_events // max(1, scale.learners))
    now = datetime.now(UTC)
    for user_id in seeded.learner_ids:
        course = _choose_course(courses, rng)
        seeded.enrolled[user_id] = course.slug
        hashes = {lesson: content_hash for _, lesson, content_hash in course.lessons}
        modules = {lesson: module for module, lesson, _ in course.lessons}
        at = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 600))
        enrolled_at = at
        touched = course.open_lessons[: per_learner // 2]
        for index, lesson in enumerate(touched):
            started = at
            last = index == len(touched) - 1
            finished = started + timedelta(minutes=rng.randint(3, 15))
            verb = "position" if last and rng.random() < 0.5 else "completed"
            for verb_at, event_verb in ((started, "started"), (finished, verb)):
                yield (
                    "progress_events",
                    (
                        user_id,
                        str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        course.slug,
                        lesson,
                        event_verb,
                        verb_at,
                        verb_at + timedelta(seconds=rng.randint(1, 3600)),
                        0.5 if event_verb == "position" else None,
                        ACCEPTED,
                        None,
                    ),
                )
            yield (
                "lesson_progress",
                (
                    user_id,
                    course.course_id,
                    modules[lesson],
                    lesson,
                    hashes[lesson],
                    started,
                    finished,
                    0.5 if verb == "position" else None,
                    finished if verb == "position" else None,
                    finished if verb == "completed" else None,
                    finished if verb == "completed" else None,
                ),
            )
            at = finished + timedelta(minutes=rng.randint(1, 60 * 24))
        yield (
            "enrolments",
            (user_id, course.course_id, course.version_id, enrolled_at, at, None, None),
        )


PROGRESS_COLUMNS = {
    "progress_events": (
        ProgressEvent.__table__,
        [
            "user_id",
            "event_id",
            "course",
            "lesson",
            "verb",
            "client_at",
            "received_at",
            "position",
            "status",
            "reason",
        ],
    ),
    "lesson_progress": (
        LessonProgress.__table__,
        [
            "user_id",
            "course_id",
            "module_slug",
            "lesson_slug",
            "content_hash",
            "started_at",
            "last_activity_at",
            "position",
            "position_at",
            "completed_at",
            "completion_recorded_at",
        ],
    ),
    "enrolments": (
        Enrolment.__table__,
        [
            "user_id",
            "course_id",
            "version_id",
            "enrolled_at",
            "last_activity_at",
            "completed_at",
            "completed_version_id",
        ],
    ),
}


def _write_grouped(rows: Iterable[tuple[str, tuple]], tables: dict) -> dict[str, int]:
    """Write (table name, row) pairs, buffered per table and written in batches."""
    buffers: dict[str, list[tuple]] = {name: [] for name in tables}
    counts = dict.fromkeys(tables, 0)

    def flush(name: str) -> None:
        table, columns = tables[name]
        counts[name] += bulk_insert(table, columns, buffers[name])
        buffers[name].clear()

    for name, row in rows:
        buffers[name].append(row)
        if len(buffers[name]) >= BATCH:
            flush(name)
    for name in tables:
        flush(name)
    return counts


def seed_progress(app: Flask, scale: Scale, seeded: Seeded, rng: random.Random) -> None:
    """Enrolments, lesson progress and the offline events behind them (progress_events)."""
    with app.app_context():
        seeded.counts.update(_write_grouped(_progress_rows(scale, seeded, rng), PROGRESS_COLUMNS))
        db.session.commit()


def _ledger_rows(scale: Scale, seeded: Seeded, rng: random.Random) -> Iterator[tuple]:
    """Per learner, awards for the lessons and quizzes of their course, spread over the last
    sixty days as gamification would have written them: (table name, row) pairs, the
    derived totals and activity days last."""
    per_learner = max(1, scale.ledger_rows // max(1, scale.learners))
    totals: dict[tuple[str, date, int], int] = {}
    days: set[tuple[int, date]] = set()
    now = datetime.now(UTC)
    subjects = {
        course.slug: [
            ("lesson_completed", f"{course.slug}/{lesson}", 10) for _, lesson, _ in course.lessons
        ]
        + [("quiz_passed", f"{course.slug}/{quiz}", 20) for quiz in course.quizzes]
        for course in seeded.courses.values()
    }
    for user_id in seeded.learner_ids:
        # Their own course first; a learner who finished it goes on to the others.
        own = seeded.enrolled[user_id]
        earned = [*subjects[own]]
        for slug, awards in subjects.items():
            if slug != own:
                earned.extend(awards)
        for rule, subject, points in earned[:per_learner]:
            at = now - timedelta(days=rng.randint(0, 60), minutes=rng.randint(0, 1440))
            day = brussels_day(at)
            yield ("ledger_entries", (user_id, rule, subject, points, False, at, day, at))
            days.add((user_id, day))
            for kind in PERIODS:
                key = (kind, period_start(kind, day), user_id)
                totals[key] = totals.get(key, 0) + points
    for (kind, start, user_id), points in totals.items():
        yield ("points_totals", (kind, start, user_id, points, seeded.communes.get(user_id), now))
    for user_id, day in days:
        yield ("activity_days", (user_id, day))


LEDGER_COLUMNS = {
    "ledger_entries": (
        LedgerEntry.__table__,
        ["user_id", "rule", "subject", "points", "capped", "awarded_at", "day", "recorded_at"],
    ),
    "points_totals": (
        PointsTotal.__table__,
        ["period_kind", "period_start", "user_id", "points", "commune", "updated_at"],
    ),
    "activity_days": (ActivityDay.__table__, ["user_id", "day"]),
}


def seed_gamification(app: Flask, scale: Scale, seeded: Seeded, rng: random.Random) -> None:
    """The points ledger, its per-period totals (what leaderboards read) and activity days."""
    with app.app_context():
        seeded.counts.update(_write_grouped(_ledger_rows(scale, seeded, rng), LEDGER_COLUMNS))
        db.session.commit()


CLASS_SIZE = 30
CLASS_ASSIGNMENTS = 10


def _add_users(seeded: Seeded, count: int, kind: str, role: str, rng: random.Random) -> list[int]:
    """More users after the learners (teachers, facilitators), each granted role."""
    password_hash = _hasher().hash(PASSWORD)
    first = (db.session.scalar(sa.select(sa.func.max(User.id))) or 0) + 1
    ids = list(range(first, first + count))
    now = datetime.now(UTC)
    rows = (
        (
            user_id,
            f"{kind}-{user_id}@bench.example.org",
            password_hash,
            f"{kind.title()} {user_id}",
            _locale(rng),
            rng.choice(sorted(COMMUNES)),
            False,
            now,
        )
        for user_id in ids
    )
    columns = [
        "id",
        "email",
        "password_hash",
        "display_name",
        "locale",
        "commune",
        "leaderboard_visible",
        "created_at",
    ]
    seeded.counts[f"{kind}s"] = bulk_insert(User.__table__, columns, rows)
    bulk_insert(
        UserRole.__table__,
        ["user_id", "role", "granted_at"],
        ((user_id, role, now) for user_id in ids),
    )
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            sa.text("SELECT setval(pg_get_serial_sequence('users', 'id'), :last)"),
            {"last": ids[-1]},
        )
    return ids


def seed_classes(app: Flask, scale: Scale, seeded: Seeded, rng: random.Random) -> None:
    """Classes of 30 learners taking one course, a teacher each, ten module assignments."""
    now = datetime.now(UTC)
    with app.app_context():
        teachers = _add_users(seeded, scale.classes, "teacher", "teacher", rng)
        by_course: dict[str, list[int]] = {}
        for user_id in seeded.learner_ids:
            by_course.setdefault(seeded.enrolled[user_id], []).append(user_id)
        classes, members, teaching, assignments = [], [], [], []
        for number, teacher in enumerate(teachers, start=1):
            slug = rng.choice(["carbon-literacy-brussels", "climate-at-school"])
            course = seeded.courses[slug]
            pupils = rng.sample(by_course[slug], min(CLASS_SIZE, len(by_course[slug])))
            classes.append(
                (
                    number,
                    f"Class {number}",
                    f"School {number // 10}",
                    rng.choice(sorted(COMMUNES)),
                    rng.choice(["nl", "fr"]),
                    "2026-2027",
                    f"{number:08X}",
                    True,
                    now,
                )
            )
            teaching.append((number, teacher, now))
            members.extend((number, pupil, now) for pupil in pupils)
            modules = list(dict.fromkeys(module for module, _, _ in course.lessons))
            for index in range(CLASS_ASSIGNMENTS):
                module = modules[index % len(modules)] if index < len(modules) else None
                assignments.append(
                    (
                        number,
                        slug,
                        module,
                        slug,
                        module,
                        now + timedelta(days=7 + index * 7),
                        now,
                    )
                )
            seeded.classes[number] = teacher
        seeded.counts["classes"] = bulk_insert(
            SchoolClass.__table__,
            [
                "id",
                "name",
                "school",
                "commune",
                "language",
                "school_year",
                "join_code",
                "leaderboard_enabled",
                "created_at",
            ],
            classes,
        )
        bulk_insert(ClassTeacher.__table__, ["class_id", "user_id", "added_at"], teaching)
        seeded.counts["class_members"] = bulk_insert(
            ClassMember.__table__, ["class_id", "user_id", "joined_at"], members
        )
        seeded.counts["class_assignments"] = bulk_insert(
            Assignment.__table__,
            [
                "class_id",
                "course_slug",
                "module_slug",
                "course_title",
                "module_title",
                "due_at",
                "created_at",
            ],
            assignments,
        )
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('school_classes', 'id'), :last)"),
                {"last": len(classes)},
            )
        db.session.commit()


CIRCLE_MEETINGS = 6
CIRCLE_CAPACITY = 12


def seed_circles(app: Flask, scale: Scale, seeded: Seeded, rng: random.Random) -> None:
    """Published learning circles in every commune, as propose and publish would leave them:
    a learner facilitating, weekly meetings at 19:00 in Brussels (some circles already under
    way, most to come), seats taken by learners and, for full ones, a waiting list."""
    now = datetime.now(UTC)
    slugs = sorted(seeded.courses)
    circles, facilitators, meetings, memberships = [], [], [], []
    for number in range(1, scale.circles + 1):
        course = seeded.courses[rng.choice(slugs)]
        commune = rng.choice(sorted(COMMUNES))
        first_day = (now + timedelta(days=rng.randint(-20, 60))).astimezone(TIMEZONE).date()
        starts = [
            datetime.combine(first_day + timedelta(weeks=week), time(19, 0), tzinfo=TIMEZONE)
            for week in range(CIRCLE_MEETINGS)
        ]
        facilitator = rng.choice(seeded.learner_ids)
        circles.append(
            (
                number,
                course.course_id,
                "[]",
                f"Circle {number}",
                "",
                rng.choice(course.languages),
                commune,
                f"Library {number}",
                f"Street {number}, {commune}",
                50.85 + rng.uniform(-0.05, 0.05),
                4.35 + rng.uniform(-0.07, 0.07),
                CIRCLE_CAPACITY,
                CIRCLE_MEETINGS,
                90,
                first_day.weekday(),
                "19:00:00",
                starts[0],
                starts[-1] + timedelta(minutes=90),
                "published",
                facilitator,
                now,
                now,
            )
        )
        facilitators.append((number, facilitator, now))
        for index, start in enumerate(starts, start=1):
            meetings.append((number, index, start, start + timedelta(minutes=90), 0, now))
        people = rng.sample(seeded.learner_ids, rng.randint(0, CIRCLE_CAPACITY + 4))
        for seat, person in enumerate(p for p in people if p != facilitator):
            joined = seat < CIRCLE_CAPACITY
            status = JOINED if joined else WAITLISTED
            memberships.append((number, person, status, now, now if joined else None))
    with app.app_context():
        seeded.counts["circles"] = bulk_insert(
            Circle.__table__,
            [
                "id",
                "course_id",
                "modules",
                "title",
                "description",
                "language",
                "commune",
                "venue_name",
                "venue_address",
                "venue_lat",
                "venue_lng",
                "capacity",
                "meeting_count",
                "duration_minutes",
                "weekday",
                "local_time",
                "starts_at",
                "ends_at",
                "status",
                "created_by_id",
                "created_at",
                "published_at",
            ],
            circles,
        )
        bulk_insert(CircleFacilitator.__table__, ["circle_id", "user_id", "added_at"], facilitators)
        bulk_insert(
            CircleMeeting.__table__,
            ["circle_id", "number", "starts_at", "ends_at", "sequence", "updated_at"],
            meetings,
        )
        seeded.counts["circle_memberships"] = bulk_insert(
            CircleMembership.__table__,
            ["circle_id", "user_id", "status", "requested_at", "joined_at"],
            memberships,
        )
        if db.session.get_bind().dialect.name == "postgresql":
            db.session.execute(
                sa.text("SELECT setval(pg_get_serial_sequence('circles', 'id'), :last)"),
                {"last": max(1, len(circles))},
            )
        db.session.commit()


def _pledge_rows(scale: Scale, seeded: Seeded, rng: random.Random) -> Iterator[tuple]:
    """Pledges of catalogue actions by learners, in every state a report can leave them."""
    actions = list(load_catalogue().actions.values())
    now = datetime.now(UTC)
    for _ in range(scale.pledges):
        action = rng.choice(actions)
        pledged_at = now - timedelta(days=rng.randint(0, 180), minutes=rng.randint(0, 1440))
        status = rng.choices(STATUSES, weights=(50, 25, 20, 5))[0]
        later = pledged_at + timedelta(days=rng.randint(1, 30))
        yield (
            "pledges",
            (
                uuid.UUID(int=rng.getrandbits(128), version=4),
                rng.choice(seeded.learner_ids),
                action["slug"],
                action["category"],
                action["kind"],
                action["kg_co2e_per_year"]["central"],
                status,
                pledged_at,
                later if status in (ONGOING, DONE) else None,
                later if status == DONE else None,
                later if status == DROPPED else None,
            ),
        )


PLEDGE_COLUMNS = {
    "pledges": (
        Pledge.__table__,
        [
            "id",
            "user_id",
            "action_slug",
            "category",
            "kind",
            "kg_co2e_per_year",
            "status",
            "pledged_at",
            "kept_since",
            "done_at",
            "dropped_at",
        ],
    ),
}


def seed_actions(app: Flask, scale: Scale, seeded: Seeded, rng: random.Random) -> None:
    """Pledges, with the state their reports add up to (what impact figures read)."""
    with app.app_context():
        seeded.counts.update(_write_grouped(_pledge_rows(scale, seeded, rng), PLEDGE_COLUMNS))
        db.session.commit()


def mint_tokens(app: Flask, scale: Scale, seeded: Seeded, rng: random.Random) -> None:
    """Access tokens for a sample of learners, valid for the whole run."""
    sample = rng.sample(seeded.learner_ids, min(scale.token_learners, len(seeded.learner_ids)))
    classes = rng.sample(sorted(seeded.classes), min(scale.token_learners, len(seeded.classes)))
    with app.app_context():
        seeded.tokens = {user_id: _token(user_id) for user_id in sample}
        seeded.teacher_tokens = {number: _token(seeded.classes[number]) for number in classes}


def _token(user_id: int) -> str:
    return create_access_token(identity=str(user_id), expires_delta=timedelta(hours=6))


DOMAINS = (
    seed_learners,
    seed_progress,
    seed_gamification,
    seed_classes,
    seed_circles,
    seed_actions,
)


def seed(app: Flask, scale: Scale) -> Seeded:
    """Seed every domain in order; each function adds what it wrote to seeded.counts."""
    rng = random.Random(RANDOM_SEED)
    seeded = Seeded()
    seeded.courses = seed_courses(app)
    seeded.counts["courses"] = len(seeded.courses)
    for domain in DOMAINS:
        domain(app, scale, seeded, rng)
    mint_tokens(app, scale, seeded, rng)
    gather_statistics(app)
    return seeded


def gather_statistics(app: Flask) -> None:
    """What autovacuum has done for a database that grew through its services, and what anyone
    does after a bulk load. ANALYZE: without the planner's statistics, a table filled with COPY a
    moment ago looks empty, and a query may scan a course's every row for a class. On PostgreSQL
    VACUUM too: otherwise autovacuum wakes up within a minute of the load and vacuums a million
    fresh rows per table while the first rounds are measured (seen: a third fewer requests in
    rounds one and two than in round three), and index-only scans find no page all-visible."""
    with app.app_context(), db.engine.connect() as connection:
        statement = "VACUUM (ANALYZE)" if connection.dialect.name == "postgresql" else "ANALYZE"
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(sa.text(statement))
