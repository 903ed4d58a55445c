"""flask --app learning points rebuild: derived totals and days recomputed from the ledger."""

import sqlalchemy as sa

from learning.extensions import db
from learning.gamification.models import ActivityDay, PointsTotal
from tests.gamification.conftest import brussels


def test_rebuild_restores_totals_and_streak_days_from_the_ledger(
    app, client, person, admin, deed, points
):
    ana = person("Ana")
    deed(ana, at=brussels(2026, 3, 3, 9, 0))
    deed(ana)
    client.post(
        f"/api/v1/users/{ana.id}/points/corrections",
        json={"points": 5, "reason": "Bonus"},
        headers=admin.headers,
    )
    before = points(ana)
    with app.app_context():
        db.session.execute(sa.update(PointsTotal).values(points=999))
        db.session.execute(sa.delete(ActivityDay))
        db.session.commit()

    result = app.test_cli_runner().invoke(args=["points", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "rebuilt 3 points totals and 2 activity days" in result.output
    assert points(ana) == before
    assert (before["total"], before["streak"]["current"]) == (25, 2)
