"""flask --app learning users create."""

from learning.accounts.models import User
from learning.extensions import db


def test_users_create_makes_an_admin_who_can_sign_in(app, client):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "--email",
            "Admin@Example.org",
            "--password",
            "a very good password",
            "--role",
            "admin",
            "--role",
            "author",
        ]
    )

    assert result.exit_code == 0, result.output
    assert "with roles learner, author, admin" in result.output
    login = client.post(
        "/api/v1/auth/login",
        json={"email": "admin@example.org", "password": "a very good password"},
    )
    assert login.status_code == 200


def test_users_create_refuses_a_duplicate_email(app):
    runner = app.test_cli_runner()
    args = ["users", "create", "--email", "a@example.org", "--password", "a very good password"]
    runner.invoke(args=args)

    result = runner.invoke(args=args)

    assert result.exit_code == 1
    assert "already exists" in result.output
    with app.app_context():
        assert db.session.query(User).count() == 1


def test_users_create_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--email", "a@example.org", "--password", "short"]
    )

    assert result.exit_code == 1
    assert "at least 10 characters" in result.output
