"""The benchmark's seeded data is what the services would have written: the API reads it back."""

import pytest
import sqlalchemy as sa

from bench.seed import PASSWORD, Scale, Seeded, seed
from learning.brussels import COMMUNES
from learning.extensions import db
from learning.gamification.models import LedgerEntry
from learning.progress.models import LessonProgress

TINY = Scale(
    learners=80,
    progress_events=800,
    ledger_rows=800,
    classes=2,
    circles=6,
    pledges=400,
    token_learners=10,
)


@pytest.fixture
def seeded(app) -> Seeded:
    return seed(app, TINY)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_seeding_writes_the_scale_asked_for(seeded):
    assert seeded.counts["learners"] == 80
    assert seeded.counts["progress_events"] == 800
    assert seeded.counts["ledger_entries"] == 800
    assert seeded.counts["classes"] == 2
    assert seeded.counts["circles"] == 6
    assert len(seeded.tokens) == 10


def test_seeded_learners_sign_in_with_the_benchmark_password(client, seeded):
    response = client.post(
        "/api/v1/auth/login",
        json={"email": f"learner-{seeded.learner_ids[0]}@bench.example.org", "password": PASSWORD},
    )

    assert response.status_code == 200


def test_a_seeded_learners_outline_shows_the_lessons_they_completed(app, client, seeded):
    user_id, token = next(iter(seeded.tokens.items()))
    with app.app_context():
        completed = set(
            db.session.scalars(
                sa.select(LessonProgress.lesson_slug).where(
                    LessonProgress.user_id == user_id, LessonProgress.completed_at.is_not(None)
                )
            )
        )

    outline = client.get(f"/api/v1/courses/{seeded.enrolled[user_id]}", headers=bearer(token))
    progress = client.get("/api/v1/me/progress", headers=bearer(token)).json["items"]

    shown = {
        lesson["slug"]
        for module in outline.json["modules"]
        for lesson in module["lessons"]
        if lesson["state"] == "completed"
    }
    assert completed
    assert shown == completed
    assert [course["course"] for course in progress] == [seeded.enrolled[user_id]]
    assert progress[0]["percent"] > 0


def test_seeded_points_add_up_the_ledger(app, client, seeded):
    user_id, token = next(iter(seeded.tokens.items()))
    with app.app_context():
        ledger = db.session.scalar(
            sa.select(sa.func.sum(LedgerEntry.points)).where(LedgerEntry.user_id == user_id)
        )

    points = client.get("/api/v1/me/points", headers=bearer(token)).json
    board = client.get(
        "/api/v1/leaderboards?scope=global&period=all&limit=20", headers=bearer(token)
    ).json

    assert points["total"] == ledger
    assert len(board["top"]) == 20
    assert board["me"]["points"] == ledger


def test_seeded_pledges_show_in_the_region_s_impact(client, seeded):
    impact = client.get("/api/v1/impact?scope=region")

    assert seeded.counts["pledges"] == 400
    assert impact.status_code == 200, impact.json
    assert impact.json["pledges"] > 0


def test_a_seeded_teacher_sees_a_class_of_learners_by_ten_assignments(client, seeded):
    class_id, token = next(iter(seeded.teacher_tokens.items()))

    matrix = client.get(f"/api/v1/classes/{class_id}/progress", headers=bearer(token))

    assert matrix.status_code == 200
    assert len(matrix.json["assignments"]) == 10
    assert len(matrix.json["learners"]) == 30


def test_seeded_circles_are_found_by_commune_with_their_seats(client, seeded):
    found = [
        circle
        for commune in sorted(COMMUNES)
        for circle in client.get(f"/api/v1/circles?commune={commune}&per_page=50").json["items"]
    ]

    assert len(found) == 6
    assert all(circle["members_count"] <= circle["capacity"] for circle in found)
    assert all(len(circle["facilitators"]) == 1 for circle in found)


def test_a_seeded_commune_board_ranks_its_own_learners(client, seeded):
    user_id, token = next(iter(seeded.tokens.items()))
    commune = seeded.communes[user_id]

    board = client.get(
        f"/api/v1/leaderboards?scope=commune:{commune}&period=all&limit=20",
        headers=bearer(token),
    ).json

    assert board["top"]
    assert board["me"]["rank"] >= 1


def test_seeding_ends_as_autovacuum_would_have_left_the_tables(app, seeded):
    """Planner statistics on both databases, and on PostgreSQL the fresh rows vacuumed, so that
    autovacuum has nothing left to do while the benchmark measures."""
    table = LedgerEntry.__table__.name
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            vacuumed, analyzed = db.session.execute(
                sa.text(
                    "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL"
                    " FROM pg_stat_user_tables WHERE relname = :table"
                ),
                {"table": table},
            ).one()
            assert vacuumed and analyzed
        else:
            statistics = db.session.execute(
                sa.text("SELECT count(*) FROM sqlite_stat1 WHERE tbl = :table"), {"table": table}
            ).scalar_one()
            assert statistics > 0
