"""/api/v1/circles, /api/v1/me/circles and /api/v1/calendar: thin views over the circles
services."""

from flask import Response, current_app
from flask.views import MethodView
from flask_jwt_extended import current_user

from learning.api import Blueprint, PageArgsSchema, page_schema, signed_in_user
from learning.circles import services
from learning.circles.schemas import (
    AttendanceInSchema,
    AttendanceSchema,
    CalendarFeedSchema,
    CircleDetailSchema,
    CircleListArgsSchema,
    CircleProposalSchema,
    CircleSchema,
    CircleUpdateSchema,
    FeedbackInSchema,
    FeedbackSchema,
    MeetingListSchema,
    MeetingMoveSchema,
    MeetingSchema,
    ReflectionSchema,
    ReportSchema,
    SignupSchema,
)

bp = Blueprint(
    "circles",
    __name__,
    url_prefix="/api/v1",
    description="Learning circles: peer groups meeting weekly around a course.",
)

CALENDAR_TYPE = "text/calendar"


def _calendar(data: bytes, filename: str) -> Response:
    response = Response(data, mimetype=CALENDAR_TYPE)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/circles")
class Circles(MethodView):
    @bp.read_only
    @bp.arguments(CircleListArgsSchema, location="query")
    @bp.response(200, page_schema(CircleSchema, "CirclePage"))
    @bp.doc(security=[{}, {"bearerAuth": []}])
    def get(self, args):
        """Find published circles by commune, language, course, weekday, status, open seats
        and distance from a point (lat, lng, radius_km).

        Seat counts and newly published circles may lag by up to CIRCLE_LIST_CACHE_SECONDS (10
        by default): each server keeps a page as anyone sees it that long. My status, my place
        in line and the online link are always current."""
        page, per_page = args.pop("page"), args.pop("per_page")
        listed = services.list_circles(
            user=signed_in_user(), filters=args, page=page, per_page=per_page
        )
        return Response(current_app.json.dumps(listed), mimetype="application/json")

    @bp.login_required()
    @bp.arguments(CircleProposalSchema)
    @bp.response(201, CircleDetailSchema)
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, proposal):
        """Propose a circle, which I facilitate; it is a draft until published."""
        return services.propose_circle(user=current_user, proposal=proposal)


@bp.route("/circles/<int:circle_id>")
class CircleDetail(MethodView):
    @bp.response(200, CircleDetailSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=[{}, {"bearerAuth": []}])
    def get(self, circle_id):
        """A circle: details, meetings and seats left; members also see who takes part."""
        return services.get_circle(user=signed_in_user(), circle_id=circle_id)

    @bp.login_required()
    @bp.arguments(CircleUpdateSchema(partial=tuple(CircleUpdateSchema().fields)))
    @bp.response(200, CircleDetailSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, changes, circle_id):
        """Change a draft (facilitators); once published, only title, description and capacity."""
        return services.update_circle(user=current_user, circle_id=circle_id, changes=changes)


@bp.route("/circles/<int:circle_id>/publish")
class Publish(MethodView):
    @bp.login_required()
    @bp.response(200, CircleDetailSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def post(self, circle_id):
        """Publish a draft so people can find and join it (publishing twice is harmless)."""
        return services.publish_circle(user=current_user, circle_id=circle_id)


@bp.route("/circles/<int:circle_id>/facilitators/<int:user_id>")
class Facilitators(MethodView):
    @bp.login_required()
    @bp.response(200, CircleDetailSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    def put(self, circle_id, user_id):
        """Add a co-facilitator (facilitators); a member who becomes one frees their seat."""
        return services.add_facilitator(
            user=current_user, circle_id=circle_id, facilitator_id=user_id
        )

    @bp.login_required()
    @bp.response(200, CircleDetailSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def delete(self, circle_id, user_id):
        """Remove a facilitator, oneself included; a circle keeps at least one."""
        return services.remove_facilitator(
            user=current_user, circle_id=circle_id, facilitator_id=user_id
        )


@bp.route("/circles/<int:circle_id>/signup")
class Signup(MethodView):
    @bp.login_required()
    @bp.response(200, SignupSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def post(self, circle_id):
        """Join: a seat, or the waitlist when full; asking again answers where I stand."""
        return services.sign_up(user=current_user, circle_id=circle_id)

    @bp.login_required()
    @bp.response(204)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def delete(self, circle_id):
        """Leave the circle or its waitlist; the first on the waitlist takes the seat."""
        services.leave(user=current_user, circle_id=circle_id)


@bp.route("/circles/<int:circle_id>/meetings")
class Meetings(MethodView):
    @bp.response(200, MeetingListSchema)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=[{}, {"bearerAuth": []}])
    def get(self, circle_id):
        """The schedule, in Europe/Brussels time; members see whether they came."""
        return services.list_meetings(user=signed_in_user(), circle_id=circle_id)


@bp.route("/circles/<int:circle_id>/meetings/<int:number>")
class MeetingDetail(MethodView):
    @bp.login_required()
    @bp.arguments(MeetingMoveSchema)
    @bp.response(200, MeetingSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def patch(self, changes, circle_id, number):
        """Move one meeting (facilitators); the others stay. Members get a notice and
        calendars update."""
        return services.move_meeting(
            user=current_user, circle_id=circle_id, number=number, changes=changes
        )


@bp.route("/circles/<int:circle_id>/meetings/<int:number>/attendance")
class Attendance(MethodView):
    @bp.login_required()
    @bp.response(200, AttendanceSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, circle_id, number):
        """Who came, as recorded so far (facilitators)."""
        return services.meeting_attendance(user=current_user, circle_id=circle_id, number=number)

    @bp.login_required()
    @bp.arguments(AttendanceInSchema)
    @bp.response(200, AttendanceSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def put(self, attendance, circle_id, number):
        """Record who came to a meeting that has started (facilitators): the members listed
        came, the others did not."""
        return services.record_attendance(
            user=current_user, circle_id=circle_id, number=number, present=attendance["present"]
        )


@bp.route("/circles/<int:circle_id>/meetings/<int:number>/feedback")
class Feedback(MethodView):
    @bp.login_required()
    @bp.arguments(FeedbackInSchema)
    @bp.response(201, FeedbackSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    @bp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    def post(self, feedback, circle_id, number):
        """Rate a meeting I attended, 1 to 5, with an optional comment: once per meeting."""
        return services.give_feedback(
            user=current_user,
            circle_id=circle_id,
            number=number,
            rating=feedback["rating"],
            comment=feedback["comment"],
            client_id=feedback["id"],
        )


@bp.route("/circles/<int:circle_id>/meetings/<int:number>/reflection")
class Reflection(MethodView):
    @bp.login_required()
    @bp.arguments(ReflectionSchema)
    @bp.response(200, MeetingSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.alt_response(409, response="CONFLICT")
    def put(self, reflection, circle_id, number):
        """Write the facilitators' short reflection on a meeting; writing again replaces it."""
        return services.write_reflection(
            user=current_user, circle_id=circle_id, number=number, text=reflection["text"]
        )


@bp.route("/circles/<int:circle_id>/report")
class Report(MethodView):
    @bp.login_required()
    @bp.response(200, ReportSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, circle_id):
        """The circle's report (facilitators): attendance per meeting and per person, ratings,
        reflections and members' progress in the course."""
        return services.circle_report(user=current_user, circle_id=circle_id)


@bp.route("/circles/<int:circle_id>/calendar.ics")
class CircleCalendar(MethodView):
    @bp.response(200, description="iCalendar (RFC 5545)", content_type=CALENDAR_TYPE)
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=[{}, {"bearerAuth": []}])
    def get(self, circle_id):
        """The circle's meetings as iCalendar, in Europe/Brussels time."""
        data = services.circle_calendar(user=signed_in_user(), circle_id=circle_id)
        return _calendar(data, f"circle-{circle_id}.ics")


@bp.route("/me/circles")
class MyCircles(MethodView):
    @bp.login_required()
    @bp.arguments(PageArgsSchema, location="query")
    @bp.response(200, page_schema(CircleSchema, "MyCirclePage"))
    def get(self, args):
        """Circles I facilitate (drafts too), joined or wait for; current ones first."""
        return services.my_circles(user=current_user, page=args["page"], per_page=args["per_page"])


@bp.route("/me/circles/calendar")
class MyCalendarFeed(MethodView):
    @bp.login_required()
    @bp.response(200, CalendarFeedSchema)
    def get(self):
        """The secret address of my calendar feed of all my circles' meetings, for a calendar
        app to subscribe to without a token."""
        return services.calendar_feed(user=current_user)


@bp.route("/me/circles/calendar/rotate")
class RotateCalendarFeed(MethodView):
    @bp.login_required()
    @bp.response(200, CalendarFeedSchema)
    def post(self):
        """Replace my feed's secret address; the old one stops working."""
        return services.rotate_calendar_feed(user=current_user)


@bp.route("/calendar/<token>.ics")
class PersonalCalendar(MethodView):
    @bp.response(200, description="iCalendar (RFC 5545)", content_type=CALENDAR_TYPE)
    @bp.alt_response(404, response="NOT_FOUND")
    def get(self, token):
        """A person's feed of the meetings of their circles; the secret address is the key."""
        return _calendar(services.personal_calendar(token=token), "carbonlit-circles.ics")
