"""What goes in and out of the learning circles API."""

import marshmallow as ma
from marshmallow import validate

from learning.actions.schemas import PledgeSummarySchema
from learning.api import PageArgsSchema
from learning.brussels import COMMUNES, LANGUAGES, TIMEZONE
from learning.circles.models import (
    FACILITATOR,
    FINISHED,
    IN_PROGRESS,
    JOINED,
    ONLINE,
    UPCOMING,
    WAITLISTED,
    WEEKDAYS,
)
from learning.courses.schemas import SLUG

PLACES = [*COMMUNES, ONLINE]
CIRCLE_STATUSES = ["draft", UPCOMING, IN_PROGRESS, FINISHED]
MEETING_STATUSES = [UPCOMING, IN_PROGRESS, FINISHED]


class VenueSchema(ma.Schema):
    name = ma.fields.String(required=True, validate=validate.Length(min=1, max=120))
    address = ma.fields.String(required=True, validate=validate.Length(min=1, max=300))
    lat = ma.fields.Float(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=-90, max=90),
        metadata={"description": "Latitude (WGS 84), for the distance filter"},
    )
    lng = ma.fields.Float(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=-180, max=180),
        metadata={"description": "Longitude (WGS 84)"},
    )

    @ma.validates_schema
    def _both_coordinates(self, data, **_kwargs):
        if (data.get("lat") is None) != (data.get("lng") is None):
            raise ma.ValidationError("Give both lat and lng, or neither.", "lat")


class CircleSettingsSchema(ma.Schema):
    """What a facilitator decides about a circle: course, language, place and schedule."""

    course = ma.fields.String(
        required=True, validate=SLUG, metadata={"description": "A published course, by slug"}
    )
    modules = ma.fields.List(
        ma.fields.String(validate=SLUG),
        load_default=list,
        metadata={"description": "Module slugs the circle covers; empty: the whole course"},
    )
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=120))
    description = ma.fields.String(load_default="", validate=validate.Length(max=2000))
    language = ma.fields.String(
        required=True,
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "The language the circle speaks"},
    )
    commune = ma.fields.String(
        required=True,
        validate=validate.OneOf(PLACES),
        metadata={"description": "One of the 19 Brussels communes by slug, or online"},
    )
    venue = ma.fields.Nested(
        VenueSchema,
        load_default=None,
        allow_none=True,
        metadata={"description": "Where it meets; null for an online circle"},
    )
    online_url = ma.fields.URL(
        load_default=None,
        allow_none=True,
        schemes={"https", "http"},
        validate=validate.Length(max=500),
        metadata={"description": "The video call; shown to members and facilitators only"},
    )
    capacity = ma.fields.Integer(
        required=True,
        validate=validate.Range(min=2, max=30),
        metadata={"description": "Seats; learning circles work best with 4 to 12 people"},
    )
    first_meeting = ma.fields.AwareDateTime(
        required=True,
        metadata={
            "description": "Start of the first meeting, in the future; the others follow "
            "weekly at the same wall-clock time in Europe/Brussels"
        },
    )
    meetings = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=26))
    duration_minutes = ma.fields.Integer(required=True, validate=validate.Range(min=15, max=480))
    timezone = ma.fields.String(
        load_default=TIMEZONE.key,
        validate=validate.OneOf([TIMEZONE.key]),
        metadata={"description": "The zone of the weekly schedule: Europe/Brussels"},
    )


class CircleProposalSchema(CircleSettingsSchema):
    id = ma.fields.UUID(
        load_default=None,
        load_only=True,
        metadata={"description": "Client-chosen; resending the proposal makes no second circle"},
    )


class CircleUpdateSchema(CircleSettingsSchema):
    """Every field of a proposal, each optional; a published circle takes title, description
    and capacity only."""

    modules = ma.fields.List(ma.fields.String(validate=SLUG))
    description = ma.fields.String(validate=validate.Length(max=2000))
    venue = ma.fields.Nested(VenueSchema, allow_none=True)
    online_url = ma.fields.URL(
        allow_none=True, schemes={"https", "http"}, validate=validate.Length(max=500)
    )
    timezone = ma.fields.String(validate=validate.OneOf([TIMEZONE.key]))


class CircleListArgsSchema(PageArgsSchema):
    commune = ma.fields.String(validate=validate.OneOf(PLACES))
    language = ma.fields.String(validate=validate.OneOf(LANGUAGES))
    course = ma.fields.String(validate=SLUG, metadata={"description": "Course slug"})
    weekday = ma.fields.String(validate=validate.OneOf(WEEKDAYS))
    status = ma.fields.String(validate=validate.OneOf(MEETING_STATUSES))
    open_seats = ma.fields.Boolean(
        metadata={"description": "true: a newcomer would get a seat now; false: full"}
    )
    lat = ma.fields.Float(
        validate=validate.Range(min=-90, max=90),
        metadata={"description": "With lng: only circles within radius_km, nearest first"},
    )
    lng = ma.fields.Float(validate=validate.Range(min=-180, max=180))
    radius_km = ma.fields.Float(
        load_default=10.0, validate=validate.Range(min=0.1, max=100), metadata={"unit": "km"}
    )

    @ma.validates_schema
    def _both_coordinates(self, data, **_kwargs):
        if ("lat" in data) != ("lng" in data):
            raise ma.ValidationError("Give both lat and lng, or neither.", "lat")


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    display_name = ma.fields.String(required=True)


class CourseRefSchema(ma.Schema):
    slug = ma.fields.String(required=True)
    title = ma.fields.String(required=True, metadata={"description": "In the circle's language"})


class MeetingBriefSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)


class CircleSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(CIRCLE_STATUSES))
    course = ma.fields.Nested(CourseRefSchema, required=True)
    modules = ma.fields.List(ma.fields.String(), required=True)
    title = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    language = ma.fields.String(required=True)
    commune = ma.fields.String(required=True)
    venue = ma.fields.Nested(VenueSchema, required=True, allow_none=True)
    online = ma.fields.Boolean(required=True, metadata={"description": "Meets by video call"})
    online_url = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "Members and facilitators only"}
    )
    capacity = ma.fields.Integer(required=True)
    members_count = ma.fields.Integer(required=True)
    waitlist_count = ma.fields.Integer(required=True)
    seats_left = ma.fields.Integer(
        required=True, metadata={"description": "Seats a newcomer could take now"}
    )
    timezone = ma.fields.String(required=True)
    weekday = ma.fields.String(required=True, validate=validate.OneOf(WEEKDAYS))
    time = ma.fields.String(required=True, metadata={"description": "Local HH:MM of the meetings"})
    first_meeting = ma.fields.AwareDateTime(required=True)
    last_meeting_ends = ma.fields.AwareDateTime(required=True)
    meetings_count = ma.fields.Integer(required=True)
    duration_minutes = ma.fields.Integer(required=True)
    next_meeting = ma.fields.Nested(
        MeetingBriefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The meeting going on or coming next; null when over"},
    )
    facilitators = ma.fields.List(ma.fields.Nested(PersonSchema), required=True)
    my_status = ma.fields.String(
        required=True, allow_none=True, validate=validate.OneOf([FACILITATOR, JOINED, WAITLISTED])
    )
    waitlist_position = ma.fields.Integer(required=True, allow_none=True)
    distance_km = ma.fields.Float(
        required=True, allow_none=True, metadata={"description": "From lat/lng, when given"}
    )
    published_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class MyFeedbackSchema(ma.Schema):
    rating = ma.fields.Integer(required=True)
    comment = ma.fields.String(required=True, allow_none=True)


class MeetingSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    ends_at = ma.fields.AwareDateTime(required=True)
    duration_minutes = ma.fields.Integer(required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(MEETING_STATUSES))
    sequence = ma.fields.Integer(
        required=True, metadata={"description": "Raised each time the meeting moves"}
    )
    attendance_recorded = ma.fields.Boolean(required=True)
    attended = ma.fields.Boolean(
        required=True,
        allow_none=True,
        metadata={"description": "Mine, as a member, once recorded; null otherwise"},
    )
    my_feedback = ma.fields.Nested(MyFeedbackSchema, required=True, allow_none=True)
    present = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "Facilitators: how many came"}
    )
    reflection = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "Facilitators only"}
    )


class MeetingListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(MeetingSchema), required=True)


class CircleDetailSchema(CircleSchema):
    members = ma.fields.List(
        ma.fields.Nested(PersonSchema),
        required=True,
        allow_none=True,
        metadata={"description": "Members and facilitators see who holds a seat; others null"},
    )
    meetings = ma.fields.List(ma.fields.Nested(MeetingSchema), required=True)


class SignupSchema(ma.Schema):
    status = ma.fields.String(required=True, validate=validate.OneOf([JOINED, WAITLISTED]))
    waitlist_position = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "1 is next; null when joined"}
    )
    next_meeting = ma.fields.Nested(
        MeetingBriefSchema,
        required=True,
        allow_none=True,
        metadata={"description": "When joined: the meeting to come to, not the first one"},
    )


class MeetingMoveSchema(ma.Schema):
    starts_at = ma.fields.AwareDateTime(required=True)
    duration_minutes = ma.fields.Integer(validate=validate.Range(min=15, max=480))


class AttendanceInSchema(ma.Schema):
    present = ma.fields.List(
        ma.fields.Integer(),
        required=True,
        metadata={"description": "Ids of the members who came; the other members did not"},
    )


class AttendeeSchema(PersonSchema):
    present = ma.fields.Boolean(
        required=True, allow_none=True, metadata={"description": "null: not recorded"}
    )


class AttendanceSchema(ma.Schema):
    meeting = ma.fields.Integer(required=True)
    recorded_at = ma.fields.AwareDateTime(required=True, allow_none=True)
    members = ma.fields.List(ma.fields.Nested(AttendeeSchema), required=True)


class FeedbackInSchema(ma.Schema):
    id = ma.fields.UUID(
        load_default=None, metadata={"description": "Client-chosen; resending it is harmless"}
    )
    rating = ma.fields.Integer(required=True, validate=validate.Range(min=1, max=5))
    comment = ma.fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000)
    )


class FeedbackSchema(ma.Schema):
    meeting = ma.fields.Integer(required=True)
    rating = ma.fields.Integer(required=True)
    comment = ma.fields.String(required=True, allow_none=True)
    created_at = ma.fields.AwareDateTime(required=True)


class ReflectionSchema(ma.Schema):
    text = ma.fields.String(required=True, validate=validate.Length(max=4000))


class RatingsSchema(ma.Schema):
    count = ma.fields.Integer(required=True)
    average = ma.fields.Float(required=True, allow_none=True)
    distribution = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        required=True,
        metadata={"description": "How many ratings of each value, '1' to '5'"},
    )


class ReportMeetingSchema(ma.Schema):
    number = ma.fields.Integer(required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    attendance_recorded = ma.fields.Boolean(required=True)
    present = ma.fields.Integer(required=True)
    ratings = ma.fields.Nested(RatingsSchema, required=True)
    comments = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": "Anonymous"}
    )
    reflection = ma.fields.String(required=True, allow_none=True)


class ProgressStandingSchema(ma.Schema):
    module = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "null: the whole course"}
    )
    percent = ma.fields.Integer(required=True)
    state = ma.fields.String(
        required=True, validate=validate.OneOf(["not_started", "in_progress", "done"])
    )
    completed_at = ma.fields.AwareDateTime(required=True, allow_none=True)


class ReportPersonSchema(PersonSchema):
    attended = ma.fields.Integer(required=True, metadata={"description": "Meetings attended"})
    meetings = ma.fields.List(ma.fields.Integer(), required=True)
    progress = ma.fields.List(
        ma.fields.Nested(ProgressStandingSchema),
        required=True,
        metadata={"description": "In the course, or in each of the circle's modules"},
    )
    actions = ma.fields.List(
        ma.fields.Nested(PledgeSummarySchema),
        required=True,
        metadata={"description": "The actions this member pledged, and how they stand"},
    )


class ReportSchema(ma.Schema):
    circle = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    course = ma.fields.String(required=True)
    modules = ma.fields.List(ma.fields.String(), required=True)
    status = ma.fields.String(required=True, validate=validate.OneOf(CIRCLE_STATUSES))
    meetings_count = ma.fields.Integer(required=True)
    members_count = ma.fields.Integer(required=True)
    meetings = ma.fields.List(ma.fields.Nested(ReportMeetingSchema), required=True)
    people = ma.fields.List(ma.fields.Nested(ReportPersonSchema), required=True)
    ratings = ma.fields.Nested(RatingsSchema, required=True)


class CalendarFeedSchema(ma.Schema):
    url = ma.fields.String(
        required=True, metadata={"description": "Secret: anyone with it can read the feed"}
    )
    webcal_url = ma.fields.String(
        required=True, metadata={"description": "The same, for phones to subscribe"}
    )
    created_at = ma.fields.AwareDateTime(required=True)
