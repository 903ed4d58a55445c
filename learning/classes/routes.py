"""/api/v1/classes and /api/v1/me/classes, /api/v1/me/assignments: thin views over classes."""

from flask import Response, current_app, request
from flask.views import MethodView
from flask_jwt_extended import current_user, get_jwt_identity, verify_jwt_in_request
from flask_limiter.util import get_remote_address

from learning.api import Blueprint, PageArgsSchema, page_schema
from learning.classes import export, services
from learning.classes.schemas import (
    AssignmentChangesSchema,
    AssignmentCreateSchema,
    AssignmentSchema,
    ClassChangesSchema,
    ClassCreateSchema,
    ClassJoinSchema,
    ClassmatesSchema,
    ClassMemberSchema,
    ClassProgressArgsSchema,
    ClassProgressSchema,
    ClassSchema,
    JoinCodeRotationSchema,
    MyAssignmentArgsSchema,
    MyAssignmentsSchema,
    MyClassSchema,
)
from learning.extensions import limiter

bp = Blueprint(
    "classes",
    __name__,
    url_prefix="/api/v1",
    description="Classes (teachers): join codes, learners, co-teachers, assignments with due "
    "dates and the class progress matrix; my classes and my assignments (learners).",
)

CSV = "text/csv"


def _join_rate_limit() -> str:
    return current_app.config["CLASS_JOIN_RATE_LIMIT"]


def _caller() -> str:
    """Throttle per account, so that a whole class joining from one school address is fine."""
    verify_jwt_in_request(optional=True)
    identity = get_jwt_identity()
    return f"user:{identity}" if identity else get_remote_address()


# Only wrong or expired codes count: guessing codes is what the limit is for.
join_rate_limited = limiter.limit(
    _join_rate_limit,
    key_func=_caller,
    methods=["POST"],
    deduct_when=lambda response: response.status_code in (404, 410),
)


@bp.route("/classes")
class Classes(MethodView):
    @bp.login_required()
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, page_schema(ClassSchema, "ClassPage"))
    def get(self, args):
        """The classes I teach, newest first."""
        return services.list_taught_classes(user=current_user, **args)

    @bp.login_required("teacher", "admin")
    @bp.arguments(ClassCreateSchema)
    @bp.response(201, ClassSchema)
    def post(self, new_class):
        """Open a class (teachers): I teach it, and learners join it with its `join_code`."""
        return services.create_class(teacher=current_user, **new_class)


@bp.route("/classes/join")
class Join(MethodView):
    decorators = [join_rate_limited]

    @bp.login_required()
    @bp.arguments(ClassJoinSchema)
    @bp.response(200, MyClassSchema)
    @bp.alt_response(404, response="NOT_FOUND", description="No class has this code")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(410, response="GONE", description="The code has expired")
    @bp.alt_response(429, response="TOO_MANY_REQUESTS")
    def post(self, body):
        """Join a class with its code (any case, dash optional); joining again changes nothing.

        An unknown code answers 404 and an expired one 410. Wrong codes are throttled per
        account (CLASS_JOIN_RATE_LIMIT)."""
        return services.join_class(user=current_user, code=body["code"])


@bp.route("/classes/<int:class_id>")
class Class(MethodView):
    @bp.login_required()
    @bp.response(200, ClassSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, class_id):
        """A class I teach (anyone else gets 404)."""
        return services.get_class(user=current_user, class_id=class_id)

    @bp.login_required()
    @bp.arguments(ClassChangesSchema(partial=True))
    @bp.response(200, ClassSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def patch(self, changes, class_id):
        """Change a class I teach, or switch its leaderboard on or off."""
        return services.update_class(user=current_user, class_id=class_id, changes=changes)

    @bp.login_required()
    @bp.response(204)
    @bp.alt_response(404, response="NOT_FOUND")
    def delete(self, class_id):
        """Delete a class I teach, its memberships and assignments (learners keep their
        progress)."""
        services.delete_class(user=current_user, class_id=class_id)


@bp.route("/classes/<int:class_id>/join-code")
class JoinCode(MethodView):
    @bp.login_required()
    @bp.arguments(JoinCodeRotationSchema)
    @bp.response(200, ClassSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def post(self, body, class_id):
        """Give the class a new join code, which may expire; the old one stops working."""
        return services.rotate_join_code(
            user=current_user, class_id=class_id, expires_at=body["expires_at"]
        )


@bp.route("/classes/<int:class_id>/members")
class Members(MethodView):
    @bp.login_required()
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, page_schema(ClassMemberSchema, "ClassMemberPage"))
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, class_id):
        """The learners of a class I teach, by display name."""
        return services.list_members(user=current_user, class_id=class_id, **args)


@bp.route("/classes/<int:class_id>/members/<int:user_id>")
class Member(MethodView):
    @bp.login_required()
    @bp.response(204)
    @bp.alt_response(404, response="NOT_FOUND")
    def delete(self, class_id, user_id):
        """Remove a learner from a class I teach (rotate the code to keep them out)."""
        services.remove_member(user=current_user, class_id=class_id, member_id=user_id)


@bp.route("/classes/<int:class_id>/teachers/<int:user_id>")
class Teacher(MethodView):
    @bp.login_required()
    @bp.response(200, ClassSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def put(self, class_id, user_id):
        """Add a co-teacher, who must hold the teacher role."""
        return services.add_teacher(user=current_user, class_id=class_id, teacher_id=user_id)

    @bp.login_required()
    @bp.response(204)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def delete(self, class_id, user_id):
        """Take a teacher, perhaps myself, off a class; a class keeps at least one."""
        services.remove_teacher(user=current_user, class_id=class_id, teacher_id=user_id)


@bp.route("/classes/<int:class_id>/assignments")
class Assignments(MethodView):
    @bp.login_required()
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, page_schema(AssignmentSchema, "ClassAssignmentPage"))
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, class_id):
        """The assignments of a class I teach, soonest due first."""
        return services.list_assignments(user=current_user, class_id=class_id, **args)

    @bp.login_required()
    @bp.arguments(AssignmentCreateSchema)
    @bp.response(201, AssignmentSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def post(self, assignment, class_id):
        """Assign a published course, or one of its modules, due at a time or by a date."""
        return services.create_assignment(user=current_user, class_id=class_id, **assignment)


@bp.route("/classes/<int:class_id>/assignments/<int:assignment_id>")
class ClassAssignment(MethodView):
    @bp.login_required()
    @bp.response(200, AssignmentSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, class_id, assignment_id):
        """One assignment of a class I teach."""
        return services.get_assignment(
            user=current_user, class_id=class_id, assignment_id=assignment_id
        )

    @bp.login_required()
    @bp.arguments(AssignmentChangesSchema(partial=True))
    @bp.response(200, AssignmentSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def patch(self, changes, class_id, assignment_id):
        """Move an assignment's due time or change its note."""
        return services.update_assignment(
            user=current_user, class_id=class_id, assignment_id=assignment_id, changes=changes
        )

    @bp.login_required()
    @bp.response(204)
    @bp.alt_response(404, response="NOT_FOUND")
    def delete(self, class_id, assignment_id):
        """Withdraw an assignment (learners keep their progress)."""
        services.delete_assignment(
            user=current_user, class_id=class_id, assignment_id=assignment_id
        )


def _wants_csv(args: dict) -> bool:
    if "format" in args:
        return args["format"] == "csv"
    return request.accept_mimetypes.best_match(["application/json", CSV]) == CSV


@bp.route("/classes/<int:class_id>/progress")
class ClassProgress(MethodView):
    @bp.read_only
    @bp.login_required()
    @bp.arguments(ClassProgressArgsSchema, location="query")
    @bp.response(200, ClassProgressSchema)
    @bp.alt_response(
        200,
        success=True,
        content_type=CSV,
        schema={"type": "string"},
        description="The matrix as JSON; with `Accept: text/csv` or `?format=csv`, the same for "
        "spreadsheets, UTF-8 with a byte order mark; one row per learner, three columns per "
        "assignment (percent, state, completed in Brussels time), then summary rows. Text "
        "that a spreadsheet would run as a formula starts with a single quote.",
    )
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, class_id):
        """My class's learners by its assignments: percent done, state and completion date per
        cell, a summary per assignment.

        Learners' progress may lag by up to CLASS_PROGRESS_CACHE_SECONDS (15 by default): each
        server keeps a class's matrix that long. Changes to the class (assignments, learners,
        names) show at once, and cells turn late at their due time."""
        matrix = services.class_progress(user=current_user, class_id=class_id)
        if not _wants_csv(args):
            return Response(matrix.body, mimetype="application/json", headers={"Vary": "Accept"})
        return Response(
            export.progress_csv(matrix.matrix, delimiter=args["delimiter"]),
            mimetype=CSV,
            headers={
                "Content-Disposition": f'attachment; filename="class-{class_id}-progress.csv"',
                "Vary": "Accept",
            },
        )


@bp.route("/classes/<int:class_id>/classmates")
class Classmates(MethodView):
    @bp.login_required()
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, ClassmatesSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, args, class_id):
        """My classmates' display names, while the class leaderboard is enabled; otherwise an
        empty list with `leaderboard_enabled: false`."""
        return services.classmates(user=current_user, class_id=class_id, **args)


@bp.route("/me/classes")
class MyClasses(MethodView):
    @bp.login_required()
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, page_schema(MyClassSchema, "MyClassPage"))
    def get(self, args):
        """The classes I joined, most recent first."""
        return services.my_classes(user=current_user, **args)


@bp.route("/me/classes/<int:class_id>")
class MyClass(MethodView):
    @bp.login_required()
    @bp.response(204)
    @bp.alt_response(404, response="NOT_FOUND")
    def delete(self, class_id):
        """Leave a class."""
        services.leave_class(user=current_user, class_id=class_id)


@bp.route("/me/assignments")
class MyAssignments(MethodView):
    @bp.login_required()
    @bp.arguments(MyAssignmentArgsSchema, location="query")
    @bp.response(200, MyAssignmentsSchema)
    def get(self, args):
        """What my classes assigned me, soonest due first: my state in each, and whether it is
        due soon."""
        return services.my_assignments(user=current_user, **args)
