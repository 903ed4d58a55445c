"""Domain events: a domain announces what happened; other domains react in the same transaction.

Receivers run synchronously inside the sender's database transaction and write through the
same session, so points, badges and progress commit or roll back together. Each event is sent
once per learner and subject: senders fire only when they first record the fact.
"""

from blinker import Namespace

_events = Namespace()

course_published = _events.signal("course_published")
"""kwargs: course (slug), version (string), languages (the course's, default first), badges (the
package's badge definitions: slug, name, description, criteria, colour, icon, image_svg, rule),
at; when a version becomes the one learners see."""

lesson_completed = _events.signal("lesson_completed")
"""kwargs: user_id, course (slug), version (string), module (slug), lesson (slug), at."""

quiz_passed = _events.signal("quiz_passed")
"""kwargs: user_id, course, version, module, quiz (slug), score, at."""

module_completed = _events.signal("module_completed")
"""kwargs: user_id, course, version, module, at."""

course_completed = _events.signal("course_completed")
"""kwargs: user_id, course, version, at."""

circle_meeting_attended = _events.signal("circle_meeting_attended")
"""kwargs: user_id, circle_id, course (slug), meeting (number), at (the meeting's start); once
per member and meeting, the first time the facilitator records them present."""

circle_feedback_given = _events.signal("circle_feedback_given")
"""kwargs: user_id, circle_id, course, meeting (number), rating (1-5), at; once per member and
meeting."""

circle_completed = _events.signal("circle_completed")
"""kwargs: user_id, circle_id, course, role ("facilitator" or "member"), at; once per person and
circle, when attendance is recorded after the last meeting has started: for its facilitators
and for the members who came to most meetings."""

challenge_met = _events.signal("challenge_met")
"""kwargs: user_id, challenge (id), scope ("class:{id}", "circle:{id}" or "commune:{slug}"),
points, at; once per contributor and challenge, when gamification pays them for it."""

action_pledged = _events.signal("action_pledged")
"""kwargs: user_id, pledge (uuid string), action (catalogue slug, or None when self-estimated),
category (None when self-estimated), kind (personal or with_others), self_estimated,
kg_co2e_per_year, at."""

action_reported_done = _events.signal("action_reported_done")
"""kwargs: user_id, pledge, action, category, kind, self_estimated, kg_co2e_per_year, at;
once per pledge, however often done is reported."""

points_awarded = _events.signal("points_awarded")
"""kwargs: user_id, rule (the ledger rule, an event name), subject, points, at; after each new
ledger row and the activity day it marks, so that levels and streaks already count it."""

badge_awarded = _events.signal("badge_awarded")
"""kwargs: user_id, badge (badge class slug), assertion (id), at; once per learner and badge."""

certification_approved = _events.signal("certification_approved")
"""kwargs: user_id, certification (id), course (slug), number (certificate number, e.g.
CL-2026-000123), at; once per certification, when an assessor approves it."""

commune_changed = _events.signal("commune_changed")
"""kwargs: user_id, commune (the new commune's slug, or None), at; when a learner changes the
commune they live in, so that boards kept per commune follow them."""
