"""The impact page in a real headless Chromium: it renders, its charts are there, and a
screenshot is kept in test-artifacts/impact.png."""

import shutil
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.actions.pages import Elements

CHROMIUM = shutil.which("chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = "412,915"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)"
)


@pytest.fixture
def live_server(app):
    """The app on a free port of 127.0.0.1, served by a thread for the length of the test."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def busy_region(learners, pledge, report):
    """Eight learners acting since last autumn, so that every chart has something to draw."""
    start = datetime.now(UTC) - timedelta(days=150)
    actions = ["heat-pump", "bike-commute", "vegetarian-days", "fewer-new-clothes"]
    for index, learner in enumerate(learners(8, commune="forest")):
        for offset, action in enumerate(actions):
            made = pledge(learner, action, at=start + timedelta(days=3 * index + offset))
            report(learner, made["id"], "ongoing", at=start + timedelta(days=20 + 15 * offset))


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--window-size={PHONE}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def test_the_page_renders_its_figures_and_charts_in_chromium(
    client, live_server, busy_region, tmp_path
):
    figures = client.get("/api/v1/impact").json

    dom = chromium("--dump-dom", f"{live_server}/impact?lang=en", profile=tmp_path / "dom").stdout

    page = Elements(dom)
    assert "The impact of our climate actions" in dom
    (learners,) = page.find("dd", **{"data-figure": "learners"})
    assert int(learners["data-value"]) == figures["learners"] == 8
    (pledged,) = page.find("dd", **{"data-figure": "pledged"})
    assert float(pledged["data-value"]) == figures["catalogue"]["pledged_kg_co2e_per_year"]
    for chart in ("chart-categories", "chart-months"):
        assert page.find("svg", id=chart), chart
    bars = [rect for rect in page.find("rect") if "data-value" in rect]
    assert len(bars) == 2 * len(figures["catalogue"]["categories"]) + len(
        figures["catalogue"]["months"]
    )
    assert all(float(rect["height"]) > 0 for rect in bars if float(rect["data-value"]) > 0)


def test_a_screenshot_of_the_page_on_a_phone_is_kept(live_server, busy_region, tmp_path):
    shot = tmp_path / "impact.png"

    chromium(f"--screenshot={shot}", f"{live_server}/impact/forest?lang=fr", profile=tmp_path / "p")

    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000
    ARTIFACTS.mkdir(exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / "impact.png")
