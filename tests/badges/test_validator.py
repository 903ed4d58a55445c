"""The IMS Open Badges 2.0 validator accepts a real award served by a running server, and
rejects a tampered or revoked one. It runs offline, from its own virtualenv (.obv), as
../shared/tools/README.md describes."""

import json
import subprocess
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from learning.badges.awards import recipient_identity
from learning.badges.models import BadgeAssertion
from learning.extensions import db
from tests.badges.conftest import award_of

REPOSITORY = Path(__file__).resolve().parents[2]
VALIDATOR_PYTHON = REPOSITORY / ".obv" / "bin" / "python"
VERIFY_SCRIPT = REPOSITORY / ".." / "shared" / "tools" / "openbadges_verify.py"

pytestmark = pytest.mark.skipif(
    not (VALIDATOR_PYTHON.exists() and VERIFY_SCRIPT.exists()),
    reason="the Open Badges validator is not installed: python3 -m venv .obv && .obv/bin/pip "
    "install --no-deps -r ../shared/tools/openbadges-validator.txt",
)


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def live_server(app):
    """The app served on a free port of 127.0.0.1, its public base URL pointing there."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["PUBLIC_BASE_URL"]
    server.shutdown()
    thread.join(timeout=10)


def validate(url: str, email: str) -> tuple[int, dict]:
    result = subprocess.run(
        [str(VALIDATOR_PYTHON), str(VERIFY_SCRIPT), url, email],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.returncode, json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def awarded(live_server, client, course, learner, complete_course):
    complete_course(learner.headers)
    return award_of(client, learner, "course-completed")


def test_the_validator_accepts_a_real_award(awarded, learner, live_server):
    assert awarded["assertion_url"].startswith(live_server)

    code, report = validate(awarded["assertion_url"], learner.email)

    assert (code, report["errors"]) == (0, [])
    assert report["valid"] is True


def test_the_validator_rejects_the_award_for_another_email(awarded):
    code, report = validate(awarded["assertion_url"], "someone.else@example.org")

    assert code == 1
    assert report["valid"] is False


def test_the_validator_rejects_a_tampered_recipient(app, awarded, learner):
    with app.app_context():
        row = db.session.get(BadgeAssertion, awarded["id"])
        row.recipient_identity = recipient_identity("intruder@example.org", row.recipient_salt)
        db.session.commit()

    code, report = validate(awarded["assertion_url"], learner.email)

    assert code == 1
    assert report["valid"] is False


def test_the_validator_rejects_an_award_for_an_unknown_badge(app, awarded, learner):
    with app.app_context():
        db.session.execute(
            sa.update(BadgeAssertion)
            .where(BadgeAssertion.id == awarded["id"])
            .values(badge_slug="no-such-badge")
        )
        db.session.commit()

    code, _ = validate(awarded["assertion_url"], learner.email)

    assert code == 1


def test_the_validator_rejects_a_revoked_award(client, awarded, learner, person):
    response = client.post(
        f"/api/v1/badges/assertions/{awarded['id']}/revoke",
        json={"reason": "Awarded by mistake"},
        headers=person("admin").headers,
    )
    assert response.status_code == 200

    code, report = validate(awarded["assertion_url"], learner.email)

    assert code == 1
    assert report["valid"] is False
