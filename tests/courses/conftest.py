"""Course fixtures: the documented example package, zipped or imported."""

import pytest

from tests.factories import EXAMPLE, import_folder, zip_folder


@pytest.fixture
def example_zip() -> bytes:
    return zip_folder(EXAMPLE)


@pytest.fixture
def published_example(app):
    """The example package, imported and published as the CLI would."""
    return import_folder(app, EXAMPLE)
