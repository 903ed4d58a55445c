"""flask --app learning notify send: deliver the outbox's due messages (run it from cron)."""

import click
from flask.cli import AppGroup

from learning.notifications import services

notify_cli = AppGroup("notify", help="Deliver queued messages.")


@notify_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages in this run.")
def send_command(limit: int):
    """Send what is due by SMTP (SMTP_HOST), or log it when no SMTP server is configured.

    Safe to run every minute and from several machines at once: each message goes out once.
    """
    summary = services.send_due(limit=limit)
    click.echo(f"sent {summary.sent} message(s), {summary.failed} failed")
    if summary.failed:
        raise SystemExit(1)
