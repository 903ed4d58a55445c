"""Hardening fixtures: one app per test module, and the populated world of
tests/hardening/world.py on it, built again from an empty database when a test asks."""

import itertools
from datetime import timedelta

import pytest

from learning.extensions import db
from tests.conftest import _empty_all_tables, make_app
from tests.hardening.world import World


@pytest.fixture(scope="module")
def module_app(database_url, _schema):
    """An app shared by a module's tests; its tokens outlive the weeks the world's circle
    travels back through."""
    app = make_app(database_url, JWT_ACCESS_TOKEN_EXPIRES=timedelta(days=365))
    yield app
    with app.app_context():
        _empty_all_tables()
        db.engine.dispose()


class Worlds:
    """Hands out worlds on the module's app: the same one while tests only read or add, a new
    one, from an empty database, for a test that may destroy what others need."""

    def __init__(self, app, folders):
        self.app = app
        self.folders = folders
        self.current: World | None = None
        self.spoiled = False

    def shared(self) -> World:
        if self.current is None or self.spoiled:
            self._rebuild()
        return self.current

    def fresh(self) -> World:
        self._rebuild()
        self.spoiled = True
        return self.current

    def another(self) -> World:
        """A world beside the current one, in the same database, sharing nothing with it."""
        return World(self.app, self.app.test_client(), next(self.folders))

    def _rebuild(self) -> None:
        with self.app.app_context():
            _empty_all_tables()
        self.current = self.another()
        self.spoiled = False


@pytest.fixture(scope="module")
def worlds(module_app, tmp_path_factory):
    folders = (tmp_path_factory.mktemp(f"world{number}") for number in itertools.count())
    return Worlds(module_app, folders)
