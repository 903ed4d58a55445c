"""flask --app learning courses validate|import PATH: the authoring checks from a terminal."""

from pathlib import Path

import click
from flask.cli import AppGroup

from learning.courses import services
from learning.courses.package import PackageRefused
from learning.errors import DomainError
from learning.extensions import db

courses_cli = AppGroup("courses", help="Validate and import course packages.")


def _package_paths(path: Path) -> list[Path]:
    """PATH is one package (a folder with course.yaml, or a zip) or a folder of packages."""
    if path.is_file() or (path / "course.yaml").is_file():
        return [path]
    if not path.is_dir():
        raise click.BadParameter(f"{path} is neither a package, a zip nor a folder of packages")
    return sorted(
        child
        for child in path.iterdir()
        if (child.is_dir() and (child / "course.yaml").is_file()) or child.suffix == ".zip"
    )


def _run(path: Path, label: str, action) -> None:
    """Apply action to each package with a progress bar, then print a summary and fail on any
    problem."""
    packages = _package_paths(path)
    if not packages:
        raise click.ClickException(f"no course packages in {path}")
    failures: dict[Path, list[str]] = {}
    lines: list[str] = []
    with click.progressbar(packages, label=label, item_show_func=lambda p: p and p.name) as bar:
        for package_path in bar:
            try:
                lines.append(action(services.read_package_source(package_path)))
            except PackageRefused as refused:
                failures[package_path] = [str(problem) for problem in refused.problems]
            except DomainError as error:
                db.session.rollback()
                failures[package_path] = (error.errors or {}).get("package", [error.detail])
    for line in lines:
        click.echo(line)
    for package_path, problems in failures.items():
        click.echo(f"{package_path}: {len(problems)} problem(s)")
        for problem in problems:
            click.echo(f"  {problem}")
    click.echo(f"{len(packages) - len(failures)} of {len(packages)} package(s) ok")
    if failures:
        raise SystemExit(1)


@courses_cli.command("validate")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def validate_command(path: Path):
    """Check packages as an upload would, reporting every problem as file:line: message."""

    def validate(files):
        package, problems = services.check_package(files)
        if package is None:
            raise services.PackageInvalid(
                "invalid", errors={"package": [str(problem) for problem in problems]}
            )
        return f"{package.slug} {package.version}: valid"

    _run(path, "validating", validate)


@courses_cli.command("import")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--draft", is_flag=True, help="Import as drafts instead of publishing.")
def import_command(path: Path, draft: bool):
    """Import packages not yet in the database at their version, and publish them."""

    def import_one(files):
        outcome = services.import_package(files=files, publish=not draft)
        return f"{outcome.slug} {outcome.version}: {outcome.action}"

    _run(path, "importing", import_one)
