"""flask --app learning points rebuild: recompute what is derived from the points ledger."""

import click
from flask.cli import AppGroup

from learning.gamification import services

points_cli = AppGroup("points", help="Keep the points ledger's derived data true.")


@points_cli.command("rebuild")
def rebuild_command():
    """Recompute leaderboard totals and streak days from the ledger (after a bulk import, or
    to check them: nothing changes when they were right)."""
    counts = services.rebuild_totals()
    click.echo(
        f"rebuilt {counts['totals']} points totals and {counts['activity_days']} activity days"
    )
