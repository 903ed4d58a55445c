"""Domain events: a domain announces what happened; other domains react in the same transaction.

Receivers run synchronously inside the sender's database transaction and write through the
same session, so points, badges and progress commit or roll back together. Each event is sent
once per learner and subject: senders fire only when they first record the fact.
"""

from blinker import Namespace

_events = Namespace()

lesson_completed = _events.signal("lesson_completed")
"""kwargs: user_id, course (slug), version (string), module (slug), lesson (slug), at."""

quiz_passed = _events.signal("quiz_passed")
"""kwargs: user_id, course, version, module, quiz (slug), score, at."""

module_completed = _events.signal("module_completed")
"""kwargs: user_id, course, version, module, at."""

course_completed = _events.signal("course_completed")
"""kwargs: user_id, course, version, at."""
