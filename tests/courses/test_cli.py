"""flask --app learning courses validate|import."""

import sqlalchemy as sa

from learning.courses.models import CourseVersion
from learning.extensions import db
from tests.factories import EXAMPLE, write_package, zip_folder


def test_validate_accepts_the_example(app):
    result = app.test_cli_runner().invoke(args=["courses", "validate", str(EXAMPLE)])

    assert result.exit_code == 0, result.output
    assert "small-course 1.0.0: valid" in result.output
    assert "1 of 1 package(s) ok" in result.output


def test_validate_reports_every_problem_and_fails(app, tmp_path):
    package = write_package(tmp_path / "bad", slug="bad")
    (package / "module-1" / "lesson-1-2.nl.md").unlink()

    result = app.test_cli_runner().invoke(args=["courses", "validate", str(tmp_path)])

    assert result.exit_code == 1
    assert "lesson-1-2" in result.output
    assert "0 of 1 package(s) ok" in result.output


def test_import_publishes_a_folder_of_packages_and_skips_what_it_has(app, tmp_path):
    write_package(tmp_path / "one", slug="one")
    (tmp_path / "two.zip").write_bytes(zip_folder(write_package(tmp_path / "src", slug="two")))
    runner = app.test_cli_runner()

    first = runner.invoke(args=["courses", "import", str(tmp_path)])
    second = runner.invoke(args=["courses", "import", str(tmp_path)])

    assert first.exit_code == 0, first.output
    assert "one 1.0.0: published" in first.output
    assert "two 1.0.0: published" in first.output
    assert "one 1.0.0: skipped" in second.output
    with app.app_context():
        statuses = db.session.scalars(sa.select(CourseVersion.status)).all()
    assert statuses == ["published", "published"]


def test_import_as_draft(app, tmp_path):
    package = write_package(tmp_path / "one", slug="one")

    result = app.test_cli_runner().invoke(args=["courses", "import", "--draft", str(package)])

    assert "one 1.0.0: imported" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(CourseVersion.status)) == "draft"


def test_a_failing_package_fails_the_import_but_not_the_others(app, tmp_path):
    write_package(tmp_path / "good", slug="good")
    bad = write_package(tmp_path / "bad", slug="bad")
    (bad / "course.yaml").write_text("slug: [unclosed\n")

    result = app.test_cli_runner().invoke(args=["courses", "import", str(tmp_path)])

    assert result.exit_code == 1
    assert "good 1.0.0: published" in result.output
    assert "1 of 2 package(s) ok" in result.output
