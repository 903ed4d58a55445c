"""A new version of a course keeps learners' progress on the lessons that did not change."""

from tests.factories import RIGHT_ANSWERS, import_folder
from tests.progress.conftest import event, write_course


def test_a_changed_lesson_starts_over_and_the_others_keep_their_state(
    app, client, tmp_path, learner, sync
):
    import_folder(app, write_course(tmp_path / "v1"))
    sync(learner, event("lesson-0-0", minutes=1), event("lesson-0-1", minutes=2))
    sync(learner, event("lesson-1-0", minutes=3))
    client.post(
        "/api/v1/courses/course/quizzes/quiz-1/attempts",
        json={"answers": RIGHT_ANSWERS},
        headers=learner,
    )

    def rewrite_one(module, lesson, language):
        return "A rewritten text." if (module, lesson) == (0, 1) else None

    import_folder(app, write_course(tmp_path / "v2", version="1.1.0", lesson_text=rewrite_one))
    progress = client.get("/api/v1/me/courses/course/progress", headers=learner).json

    assert progress["version"] == "1.1.0"
    states = {
        lesson["slug"]: lesson["state"] for m in progress["modules"] for lesson in m["lessons"]
    }
    assert states["lesson-0-0"] == "completed"
    assert states["lesson-0-1"] == "not_started"
    assert states["lesson-1-0"] == "completed"
    assert progress["modules"][1]["quiz"]["passed"] is True
    assert progress["modules"][0]["state"] == "started"
