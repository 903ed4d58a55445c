"""The rules of classes: teachers and learners, join codes, assignments and class progress.

Privacy: only a class's teachers see it, its members and their progress; anyone else, the
class's own learners and the teachers of other classes included, gets 404 for it. A learner
sees the classes they joined, their own assignments, and their classmates' display names only
while a teacher has the class leaderboard enabled.

Other domains use member_ids, classes_of and leaderboard_enabled (gamification's class
leaderboards and challenges, impact's class scope); they never read the classes tables.
"""

import secrets
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask import current_app

from learning.accounts.models import User
from learning.brussels import TIMEZONE, end_of_day
from learning.classes.models import (
    ASSIGNMENT_STATES,
    DONE,
    IN_PROGRESS,
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    LATE,
    NOT_STARTED,
    Assignment,
    ClassMember,
    ClassTeacher,
    SchoolClass,
)
from learning.classes.schemas import ClassProgressSchema
from learning.courses import catalogue
from learning.db import as_json, utcnow
from learning.errors import Conflict, DomainError, InvalidInput, NotFound
from learning.extensions import db
from learning.kept import kept
from learning.progress import services as progress

CO_TEACHER_ROLE = "teacher"
MATRICES = "class-progress"
# Class matrices a process keeps at once: the classes followed lately.
MATRICES_KEPT = 1024


class JoinCodeExpired(DomainError):
    status = 410
    code = "join-code-expired"
    title = "Join code expired"


def current_school_year() -> str:
    """The Belgian school year under way, e.g. 2026-2027; classes for it are made from August."""
    today = datetime.now(TIMEZONE).date()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


def normalise_join_code(code: str) -> str:
    """Codes are read aloud and typed by hand: case, spaces and dashes do not matter."""
    return "".join(character for character in code.upper() if character.isalnum())


def format_join_code(code: str) -> str:
    """Two groups of four, easier to dictate: ABCD-EFGH."""
    half = JOIN_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _new_join_code() -> str:
    while True:
        code = "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))
        taken = db.session.scalar(sa.select(SchoolClass.id).where(SchoolClass.join_code == code))
        if taken is None:
            return code


def _check_future(value: datetime, field: str) -> None:
    if value <= utcnow():
        raise InvalidInput(
            f"{field} must be in the future.", errors={field: ["Must be in the future."]}
        )


def _clean_text(value: str, field: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise InvalidInput(f"{field} is empty.", errors={field: ["Must not be blank."]})
    return cleaned


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    return note.strip() or None


def _taught(*columns) -> sa.Select:
    """These columns of the class :class_id, if :user_id teaches it (both bound when run)."""
    return (
        sa.select(*columns)
        .join(ClassTeacher, ClassTeacher.class_id == SchoolClass.id)
        .where(
            SchoolClass.id == sa.bindparam("class_id"),
            ClassTeacher.user_id == sa.bindparam("user_id"),
        )
    )


_TAUGHT_CLASS = _taught(SchoolClass)
_TAUGHT_CLASS_FOR_UPDATE = _TAUGHT_CLASS.with_for_update(of=SchoolClass)
_TAUGHT_CLASS_NAME = _taught(SchoolClass.name)


def _taught_class(user: User, class_id: int, *, lock: bool = False) -> SchoolClass:
    """The class, if this user teaches it; lock it when changing who belongs to it."""
    query = _TAUGHT_CLASS_FOR_UPDATE if lock else _TAUGHT_CLASS
    found = db.session.scalar(query, {"class_id": class_id, "user_id": user.id})
    if found is None:
        raise NotFound(f"There is no class {class_id} that you teach.")
    return found


def _taught_class_name(user: User, class_id: int) -> str:
    """The name of a class this user teaches, without loading the class (the matrix needs
    nothing else of it)."""
    name = db.session.scalar(_TAUGHT_CLASS_NAME, {"class_id": class_id, "user_id": user.id})
    if name is None:
        raise NotFound(f"There is no class {class_id} that you teach.")
    return name


def _teachers(class_ids: list[int]) -> dict[int, list[dict]]:
    teachers: dict[int, list[dict]] = {class_id: [] for class_id in class_ids}
    rows = db.session.execute(
        sa.select(ClassTeacher.class_id, User.id, User.display_name)
        .join(User, User.id == ClassTeacher.user_id)
        .where(ClassTeacher.class_id.in_(class_ids))
        .order_by(ClassTeacher.added_at, User.id)
    )
    for class_id, user_id, display_name in rows:
        teachers[class_id].append({"user_id": user_id, "display_name": display_name})
    return teachers


def _learner_counts(class_ids: list[int]) -> dict[int, int]:
    return dict(
        db.session.execute(
            sa.select(ClassMember.class_id, sa.func.count())
            .where(ClassMember.class_id.in_(class_ids))
            .group_by(ClassMember.class_id)
        ).all()
    )


def _class_views(classes: list[SchoolClass]) -> list[dict]:
    """What a teacher sees of their classes, in two queries however many classes."""
    ids = [klass.id for klass in classes]
    teachers = _teachers(ids)
    learners = _learner_counts(ids)
    return [
        {
            "id": klass.id,
            "name": klass.name,
            "school": klass.school,
            "commune": klass.commune,
            "language": klass.language,
            "school_year": klass.school_year,
            "join_code": format_join_code(klass.join_code),
            "join_code_expires_at": klass.join_code_expires_at,
            "leaderboard_enabled": klass.leaderboard_enabled,
            "teachers": teachers[klass.id],
            "learners": learners.get(klass.id, 0),
            "created_at": klass.created_at,
        }
        for klass in classes
    ]


def _page(query, *, page: int, per_page: int) -> tuple[list, int]:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return rows, total


def create_class(
    *,
    teacher: User,
    name: str,
    school: str,
    commune: str,
    language: str,
    school_year: str | None = None,
    leaderboard_enabled: bool = False,
    join_code_expires_at: datetime | None = None,
) -> dict:
    """Open a class taught by its creator, with a fresh join code."""
    if join_code_expires_at is not None:
        _check_future(join_code_expires_at, "join_code_expires_at")
    klass = SchoolClass(
        name=_clean_text(name, "name"),
        school=_clean_text(school, "school"),
        commune=commune,
        language=language,
        school_year=school_year or current_school_year(),
        join_code=_new_join_code(),
        join_code_expires_at=join_code_expires_at,
        leaderboard_enabled=leaderboard_enabled,
    )
    db.session.add(klass)
    db.session.flush()
    db.session.add(ClassTeacher(class_id=klass.id, user_id=teacher.id))
    db.session.commit()
    return _class_views([klass])[0]


def list_taught_classes(*, user: User, page: int, per_page: int) -> dict:
    """The classes I teach, newest first."""
    query = (
        sa.select(SchoolClass)
        .join(ClassTeacher, ClassTeacher.class_id == SchoolClass.id)
        .where(ClassTeacher.user_id == user.id)
        .order_by(SchoolClass.created_at.desc(), SchoolClass.id.desc())
    )
    rows, total = _page(query, page=page, per_page=per_page)
    items = _class_views([klass for (klass,) in rows])
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def get_class(*, user: User, class_id: int) -> dict:
    return _class_views([_taught_class(user, class_id)])[0]


def update_class(*, user: User, class_id: int, changes: dict) -> dict:
    """Rename or move a class, or switch its leaderboard on or off."""
    klass = _taught_class(user, class_id)
    for field in ("name", "school"):
        if field in changes:
            changes[field] = _clean_text(changes[field], field)
    for field, value in changes.items():
        setattr(klass, field, value)
    db.session.commit()
    return _class_views([klass])[0]


def delete_class(*, user: User, class_id: int) -> None:
    """Delete a class with its memberships and assignments; learners keep their progress."""
    klass = _taught_class(user, class_id, lock=True)
    db.session.execute(sa.delete(SchoolClass).where(SchoolClass.id == klass.id))
    db.session.commit()


def rotate_join_code(*, user: User, class_id: int, expires_at: datetime | None = None) -> dict:
    """Replace the join code: the old one stops working at once; the new one may expire."""
    klass = _taught_class(user, class_id, lock=True)
    if expires_at is not None:
        _check_future(expires_at, "expires_at")
    klass.join_code = _new_join_code()
    klass.join_code_expires_at = expires_at
    db.session.commit()
    return _class_views([klass])[0]


def join_class(*, user: User, code: str) -> dict:
    """Join the class this code opens; joining again changes nothing.

    An unknown code is 404 and an expired one 410, so that the app can tell the learner to
    check the code or to ask for a new one.
    """
    normalised = normalise_join_code(code)
    klass = db.session.scalar(
        sa.select(SchoolClass).where(SchoolClass.join_code == normalised).with_for_update()
    )
    if klass is None:
        raise NotFound("No class has this join code; check it with your teacher.")
    if klass.join_code_expires_at is not None and klass.join_code_expires_at <= utcnow():
        raise JoinCodeExpired("This join code has expired; ask your teacher for a new one.")
    if db.session.get(ClassTeacher, (klass.id, user.id)) is not None:
        raise Conflict("You teach this class; learners join it.")
    if db.session.get(ClassMember, (klass.id, user.id)) is None:
        db.session.add(ClassMember(class_id=klass.id, user_id=user.id, joined_at=utcnow()))
    db.session.commit()
    return _my_class_views(user, [klass.id])[0]


def _my_class_views(user: User, class_ids: list[int]) -> list[dict]:
    """What a learner sees of classes they belong to, in the order of class_ids."""
    rows = db.session.execute(
        sa.select(SchoolClass, ClassMember.joined_at)
        .join(ClassMember, ClassMember.class_id == SchoolClass.id)
        .where(ClassMember.user_id == user.id, SchoolClass.id.in_(class_ids))
    ).all()
    found = {klass.id: (klass, joined_at) for klass, joined_at in rows}
    teachers = _teachers(class_ids)
    views = []
    for class_id in class_ids:
        klass, joined_at = found[class_id]
        views.append(
            {
                "id": klass.id,
                "name": klass.name,
                "school": klass.school,
                "commune": klass.commune,
                "language": klass.language,
                "school_year": klass.school_year,
                "leaderboard_enabled": klass.leaderboard_enabled,
                "teachers": [teacher["display_name"] for teacher in teachers[class_id]],
                "joined_at": joined_at,
            }
        )
    return views


def my_classes(*, user: User, page: int, per_page: int) -> dict:
    """The classes I joined, most recent first."""
    query = (
        sa.select(ClassMember.class_id)
        .where(ClassMember.user_id == user.id)
        .order_by(ClassMember.joined_at.desc(), ClassMember.class_id.desc())
    )
    rows, total = _page(query, page=page, per_page=per_page)
    items = _my_class_views(user, [class_id for (class_id,) in rows])
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def leave_class(*, user: User, class_id: int) -> None:
    membership = db.session.get(ClassMember, (class_id, user.id))
    if membership is None:
        raise NotFound(f"You are not in class {class_id}.")
    db.session.delete(membership)
    db.session.commit()


# A class's learners by display name (the matrix, reloaded often, runs it as built).
_MEMBERS = (
    sa.select(User.id, User.display_name, ClassMember.joined_at)
    .join(ClassMember, ClassMember.user_id == User.id)
    .where(ClassMember.class_id == sa.bindparam("class_id"))
    .order_by(sa.func.lower(User.display_name), User.id)
)


def _members_query(class_id: int):
    return _MEMBERS.params(class_id=class_id)


def list_members(*, user: User, class_id: int, page: int, per_page: int) -> dict:
    """The learners of a class I teach, by display name."""
    klass = _taught_class(user, class_id)
    rows, total = _page(_members_query(klass.id), page=page, per_page=per_page)
    items = [
        {"user_id": user_id, "display_name": name, "joined_at": joined_at}
        for user_id, name, joined_at in rows
    ]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def remove_member(*, user: User, class_id: int, member_id: int) -> None:
    """Take a learner out of a class; rotate the code too to keep them from joining again."""
    klass = _taught_class(user, class_id, lock=True)
    membership = db.session.get(ClassMember, (klass.id, member_id))
    if membership is None:
        raise NotFound(f"User {member_id} is not a learner in class {class_id}.")
    db.session.delete(membership)
    db.session.commit()


def add_teacher(*, user: User, class_id: int, teacher_id: int) -> dict:
    """Add a co-teacher, who must hold the teacher role; adding one twice changes nothing."""
    klass = _taught_class(user, class_id, lock=True)
    teacher = db.session.get(User, teacher_id)
    if teacher is None:
        raise NotFound(f"There is no user {teacher_id}.")
    if not teacher.has_role(CO_TEACHER_ROLE):
        raise Conflict(f"User {teacher_id} does not have the teacher role.")
    if db.session.get(ClassMember, (klass.id, teacher_id)) is not None:
        raise Conflict(f"User {teacher_id} is a learner in this class; remove them first.")
    if db.session.get(ClassTeacher, (klass.id, teacher_id)) is None:
        db.session.add(ClassTeacher(class_id=klass.id, user_id=teacher_id, added_at=utcnow()))
    db.session.commit()
    return _class_views([klass])[0]


def remove_teacher(*, user: User, class_id: int, teacher_id: int) -> None:
    """Take a teacher off a class, oneself included; a class keeps at least one teacher."""
    klass = _taught_class(user, class_id, lock=True)
    teacher = db.session.get(ClassTeacher, (klass.id, teacher_id))
    if teacher is None:
        raise NotFound(f"User {teacher_id} does not teach class {class_id}.")
    others = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(ClassTeacher)
        .where(ClassTeacher.class_id == klass.id, ClassTeacher.user_id != teacher_id)
    )
    if not others:
        raise Conflict("A class keeps at least one teacher; add another one first.")
    db.session.delete(teacher)
    db.session.commit()


def _assignment_view(assignment: Assignment) -> dict:
    return {
        "id": assignment.id,
        "class_id": assignment.class_id,
        "course": assignment.course_slug,
        "module": assignment.module_slug,
        "course_title": assignment.course_title,
        "module_title": assignment.module_title,
        "due_at": assignment.due_at,
        "note": assignment.note,
        "created_at": assignment.created_at,
    }


def _taught_assignment(user: User, class_id: int, assignment_id: int) -> Assignment:
    klass = _taught_class(user, class_id)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.class_id != klass.id:
        raise NotFound(f"Class {class_id} has no assignment {assignment_id}.")
    return assignment


def create_assignment(
    *,
    user: User,
    class_id: int,
    course: str,
    due_at: datetime,
    module: str | None = None,
    note: str | None = None,
) -> dict:
    """Assign a published course, or one of its modules, to a class, due at a time.

    Titles are kept in the class's language (or the course's first one); assigning the same
    course or module twice is a conflict: change the first assignment's due time instead.
    """
    klass = _taught_class(user, class_id, lock=True)
    _check_future(due_at, "due_at")
    try:
        outline = catalogue.course_outline(slug=course, preferred=[klass.language])
    except NotFound:
        raise InvalidInput(
            f"There is no published course {course}.", errors={"course": ["No such course."]}
        ) from None
    module_title = None
    if module is not None:
        found = next((m for m in outline["modules"] if m["slug"] == module), None)
        if found is None:
            raise InvalidInput(
                f"{course} has no module {module}.", errors={"module": ["No such module."]}
            )
        module_title = found["title"]
    duplicate = db.session.scalar(
        sa.select(Assignment.id).where(
            Assignment.class_id == klass.id,
            Assignment.course_slug == course,
            Assignment.module_slug.is_(None)
            if module is None
            else Assignment.module_slug == module,
        )
    )
    if duplicate is not None:
        raise Conflict(f"This is already assignment {duplicate}; change its due time instead.")
    assignment = Assignment(
        class_id=klass.id,
        course_slug=course,
        module_slug=module,
        course_title=outline["title"],
        module_title=module_title,
        due_at=due_at,
        note=_clean_note(note),
        created_at=utcnow(),
    )
    db.session.add(assignment)
    db.session.commit()
    return _assignment_view(assignment)


def _class_assignments(class_id: int):
    return (
        sa.select(Assignment)
        .where(Assignment.class_id == class_id)
        .order_by(Assignment.due_at, Assignment.id)
    )


def list_assignments(*, user: User, class_id: int, page: int, per_page: int) -> dict:
    """A class's assignments, soonest due first."""
    klass = _taught_class(user, class_id)
    rows, total = _page(_class_assignments(klass.id), page=page, per_page=per_page)
    items = [_assignment_view(assignment) for (assignment,) in rows]
    return {"items": items, "page": page, "per_page": per_page, "total": total}


def get_assignment(*, user: User, class_id: int, assignment_id: int) -> dict:
    return _assignment_view(_taught_assignment(user, class_id, assignment_id))


def update_assignment(*, user: User, class_id: int, assignment_id: int, changes: dict) -> dict:
    """Move the due time (to a later one, say) or change the note."""
    assignment = _taught_assignment(user, class_id, assignment_id)
    if "due_at" in changes:
        _check_future(changes["due_at"], "due_at")
        assignment.due_at = changes["due_at"]
    if "note" in changes:
        assignment.note = _clean_note(changes["note"])
    db.session.commit()
    return _assignment_view(assignment)


def delete_assignment(*, user: User, class_id: int, assignment_id: int) -> None:
    db.session.delete(_taught_assignment(user, class_id, assignment_id))
    db.session.commit()


def _standings(user_ids: list[int], assignments) -> dict:
    return progress.progress_for_learners(
        user_ids=user_ids,
        targets=[(a.course_slug, a.module_slug) for a in assignments],
    )


def _cell(target: dict, due_at: datetime, user_id: int, now: datetime) -> dict:
    """A learner's standing on an assignment, from its target's standings: `late` is set when
    it is overdue and not done (the state is then late too) and when it was done after its due
    time (the state stays done). An assignment whose course is no longer published counts as
    not started."""
    standing = target.get(user_id) or {"percent": 0, "state": NOT_STARTED, "completed_at": None}
    state, completed_at = standing["state"], standing["completed_at"]
    if state == DONE:
        late = completed_at is not None and completed_at > due_at
    else:
        late = now > due_at
        state = LATE if late else state
    return {
        "percent": standing["percent"],
        "state": state,
        "completed_at": completed_at,
        "late": late,
    }


def _target(standings: dict, assignment: Assignment) -> dict:
    return standings.get((assignment.course_slug, assignment.module_slug), {})


def _summary(cells: list[dict]) -> dict:
    summary = {"learners": len(cells), **dict.fromkeys(ASSIGNMENT_STATES, 0)}
    for cell in cells:
        summary[cell["state"]] += 1
    percents = [cell["percent"] for cell in cells]
    summary["average_percent"] = round(sum(percents) / len(percents)) if percents else 0
    return summary


# The matrix's assignments as plain rows, with every column its answer shows.
_MATRIX_ASSIGNMENTS = (
    sa.select(*Assignment.__table__.columns)
    .where(Assignment.class_id == sa.bindparam("class_id"))
    .order_by(Assignment.due_at, Assignment.id)
)


class ClassMatrix(NamedTuple):
    """A class progress matrix, and the same as the JSON answer's bytes."""

    matrix: dict
    body: bytes


def class_progress(*, user: User, class_id: int) -> ClassMatrix:
    """The class's learners by its assignments, with a summary per assignment.

    A fixed number of queries whatever the number of learners and assignments. A teacher
    follows a lesson with the matrix open, reloading it: each process keeps a class's matrix
    for CLASS_PROGRESS_CACHE_SECONDS, keyed by the class's name, assignments, learners and the
    published versions of the assigned courses, which are read on every request. So a change
    to the class shows at once, and learners' progress lags by at most that long; a matrix is
    not kept past the next due time, when cells turn late.
    """
    class_name = _taught_class_name(user, class_id)
    assignments = tuple(db.session.execute(_MATRIX_ASSIGNMENTS, {"class_id": class_id}))
    learners = tuple(
        (user_id, name) for user_id, name, _ in db.session.execute(_MEMBERS, {"class_id": class_id})
    )
    versions = []
    for slug in sorted({assignment.course_slug for assignment in assignments}):
        try:
            versions.append((slug, catalogue.published_ref(slug=slug).version))
        except NotFound:
            versions.append((slug, None))
    return kept(
        MATRICES,
        (class_id, class_name, assignments, learners, tuple(versions)),
        lambda: _class_matrix(class_id, class_name, assignments, learners),
        seconds=current_app.config["CLASS_PROGRESS_CACHE_SECONDS"],
        size=MATRICES_KEPT,
        until=lambda kept_matrix: min(
            (a.due_at for a in assignments if a.due_at > kept_matrix.matrix["generated_at"]),
            default=None,
        ),
    )


def _class_matrix(class_id: int, class_name: str, assignments, learners) -> ClassMatrix:
    now = utcnow()
    standings = _standings([user_id for user_id, _ in learners], assignments)
    # Each assignment's attributes and standings are read once, not once per learner.
    columns_in = [(a.id, a.due_at, _target(standings, a)) for a in assignments]
    rows = [
        {
            "user_id": user_id,
            "display_name": display_name,
            "cells": [
                {"assignment_id": assignment_id, **_cell(target, due_at, user_id, now)}
                for assignment_id, due_at, target in columns_in
            ],
        }
        for user_id, display_name in learners
    ]
    columns = [
        {
            **_assignment_view(assignment),
            "summary": _summary([row["cells"][index] for row in rows]),
        }
        for index, assignment in enumerate(assignments)
    ]
    matrix = {
        "class_id": class_id,
        "class_name": class_name,
        "generated_at": now,
        "assignments": columns,
        "learners": rows,
    }
    body = current_app.json.dumps(ClassProgressSchema().dump(matrix)).encode()
    return ClassMatrix(matrix, body)


def my_assignments(
    *,
    user: User,
    page: int,
    per_page: int,
    state: str | None = None,
    due_soon: bool | None = None,
) -> dict:
    """What my classes assigned me, soonest due first, with my state in each.

    Due soon: not done, not yet late, and due by the end of the day CLASS_DUE_SOON_DAYS days
    from today in Brussels.
    """
    days = current_app.config["CLASS_DUE_SOON_DAYS"]
    rows = db.session.execute(
        sa.select(Assignment, SchoolClass.name)
        .join(SchoolClass, SchoolClass.id == Assignment.class_id)
        .join(ClassMember, ClassMember.class_id == Assignment.class_id)
        .where(ClassMember.user_id == user.id)
        .order_by(Assignment.due_at, Assignment.id)
    ).all()
    now = utcnow()
    horizon = end_of_day(now.astimezone(TIMEZONE).date() + timedelta(days=days))
    standings = _standings([user.id], [assignment for assignment, _ in rows])
    items = []
    for assignment, class_name in rows:
        cell = _cell(_target(standings, assignment), assignment.due_at, user.id, now)
        soon = cell["state"] in (NOT_STARTED, IN_PROGRESS) and assignment.due_at <= horizon
        if (state is None or cell["state"] == state) and due_soon in (None, soon):
            items.append(
                {**_assignment_view(assignment), "class_name": class_name, **cell, "due_soon": soon}
            )
    start = (page - 1) * per_page
    return {
        "items": items[start : start + per_page],
        "page": page,
        "per_page": per_page,
        "total": len(items),
        "due_soon_days": days,
    }


def classmates(*, user: User, class_id: int, page: int, per_page: int) -> dict:
    """Display names of a class's learners, for its learners and teachers, and only while the
    class leaderboard is enabled; otherwise an empty list that says it is off."""
    klass = db.session.get(SchoolClass, class_id)
    belongs = klass is not None and (
        db.session.get(ClassMember, (class_id, user.id)) is not None
        or db.session.get(ClassTeacher, (class_id, user.id)) is not None
    )
    if not belongs:
        raise NotFound(f"You are not in class {class_id}.")
    if not klass.leaderboard_enabled:
        return {
            "leaderboard_enabled": False,
            "items": [],
            "page": page,
            "per_page": per_page,
            "total": 0,
        }
    rows, total = _page(_members_query(class_id), page=page, per_page=per_page)
    return {
        "leaderboard_enabled": True,
        "items": [{"display_name": name} for _, name, _ in rows],
        "page": page,
        "per_page": per_page,
        "total": total,
    }


def _existing_class(class_id: int) -> SchoolClass:
    klass = db.session.get(SchoolClass, class_id)
    if klass is None:
        raise NotFound(f"There is no class {class_id}.")
    return klass


def member_ids(*, class_id: int) -> list[int]:
    """The user ids of a class's learners (not its teachers), for gamification and impact."""
    _existing_class(class_id)
    return list(
        db.session.scalars(
            sa.select(ClassMember.user_id)
            .where(ClassMember.class_id == class_id)
            .order_by(ClassMember.user_id)
        )
    )


def classes_of(*, user_id: int) -> list[int]:
    """The ids of the classes a user is a learner in, for gamification and impact."""
    return list(
        db.session.scalars(
            sa.select(ClassMember.class_id)
            .where(ClassMember.user_id == user_id)
            .order_by(ClassMember.class_id)
        )
    )


def leaderboard_enabled(*, class_id: int) -> bool:
    """Whether a teacher switched the class leaderboard on; gamification shows it only then."""
    return _existing_class(class_id).leaderboard_enabled


# Personal data -------------------------------------------------------------------------------


def _classes_with(link, user_id: int) -> list[dict]:
    rows = db.session.execute(
        sa.select(SchoolClass, link)
        .join(link, link.class_id == SchoolClass.id)
        .where(link.user_id == user_id)
        .order_by(SchoolClass.id)
    ).all()
    return [
        {
            **as_json(link_row, exclude=("user_id",)),
            "name": school_class.name,
            "school": school_class.school,
            "commune": school_class.commune,
        }
        for school_class, link_row in rows
    ]


def export_personal_data(*, user_id: int) -> dict:
    """The classes a person is in and the classes they teach."""
    return {
        "member_of": _classes_with(ClassMember, user_id),
        "teacher_of": _classes_with(ClassTeacher, user_id),
    }


def erase_personal_data(*, user_id: int) -> None:
    """Take a person out of every class, as a learner and as a teacher; a class keeps what its
    teachers wrote (its name, assignments and notes), which belongs to the class."""
    db.session.execute(sa.delete(ClassMember).where(ClassMember.user_id == user_id))
    db.session.execute(sa.delete(ClassTeacher).where(ClassTeacher.user_id == user_id))
