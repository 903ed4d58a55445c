"""flask --app learning users ...: bootstrap accounts from the command line."""

import click
from flask.cli import AppGroup

from learning.accounts import services
from learning.accounts.models import ROLES
from learning.errors import DomainError

users_cli = AppGroup("users", help="Manage user accounts.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--password", required=True, prompt=True, hide_input=True)
@click.option("--display-name", default=None, help="Defaults to the part of the email before @.")
@click.option("--locale", type=click.Choice(["nl", "fr", "en"]), default="nl")
@click.option("--role", "roles", multiple=True, type=click.Choice(ROLES), help="Repeatable.")
def create_user_command(email, password, display_name, locale, roles):
    """Create a user, for example the first admin."""
    try:
        user = services.create_user(
            email=email,
            password=password,
            display_name=display_name or email.split("@")[0],
            locale=locale,
            roles=roles,
        )
    except DomainError as error:
        raise click.ClickException(error.detail) from None
    click.echo(f"created user {user.id} <{user.email}> with roles {', '.join(user.roles)}")
