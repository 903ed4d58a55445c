"""How answers are written and arguments parsed: the same documents as Flask's and
marshmallow's own, with less work per request."""

import dataclasses
import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import marshmallow as ma
import pytest
from flask.json.provider import DefaultJSONProvider
from markupsafe import Markup

from learning.api import PlainList


@dataclasses.dataclass
class Figure:
    kg: float
    source: str


def _everything():
    return {
        "zebra": 1,
        "apple": [1.5, 0.1, -3, None, True],
        "name": "Élodie, Sint-Jans-Molenbeek 🌍",
        "at": datetime(2026, 11, 28, 9, 0, tzinfo=UTC),
        "on": date(2026, 11, 28),
        "amount": Decimal("12.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "figure": Figure(kg=2.5, source="ADEME"),
        "safe": Markup("<b>bold</b>"),
        7: "an integer key",
    }


def test_answers_are_the_documents_flask_wrote(app):
    written = app.json.dumps(_everything())
    flask_own = DefaultJSONProvider(app)
    flask_own.sort_keys = False

    assert json.loads(written) == json.loads(flask_own.dumps(_everything()))
    assert list(json.loads(written)) == list(json.loads(flask_own.dumps(_everything())))
    assert json.loads(written)["at"] == "Sat, 28 Nov 2026 09:00:00 GMT"


def test_a_response_is_compact_json_with_a_final_newline(app):
    response = app.json.response({"b": 1, "a": "é"})

    assert response.mimetype == "application/json"
    assert response.get_data() == '{"b":1,"a":"é"}\n'.encode()


def test_in_debug_a_response_is_indented(app):
    app.debug = True
    try:
        body = app.json.response({"b": 1}).get_data(as_text=True)
    finally:
        app.debug = False

    assert body == '{\n  "b": 1\n}\n'


def test_what_json_cannot_hold_is_refused(app):
    with pytest.raises(TypeError):
        app.json.dumps({"x": object()})


class Entry(ma.Schema):
    rank = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, allow_none=True)
    me = ma.fields.Boolean(required=True)


def test_a_plain_list_picks_each_items_fields():
    class Board(ma.Schema):
        top = PlainList(Entry, required=True)

    dumped = Board().dump(
        {
            "top": [
                {"rank": 1, "name": None, "me": False, "user_id": 42},
                {"rank": 2, "name": "An", "me": True},
            ]
        }
    )

    assert dumped == {
        "top": [{"rank": 1, "name": None, "me": False}, {"rank": 2, "name": "An", "me": True}]
    }


def test_a_plain_list_is_documented_as_its_items_schema(client):
    spec = client.get("/api/openapi.json").json

    top = spec["components"]["schemas"]["Leaderboard"]["properties"]["top"]
    assert top == {"type": "array", "items": {"$ref": "#/components/schemas/Ranked"}}


@pytest.mark.parametrize(
    "field",
    [
        ma.fields.DateTime(),
        ma.fields.Float(),
        ma.fields.Nested(Entry),
        ma.fields.Integer(data_key="position"),
        ma.fields.String(attribute="title"),
    ],
)
def test_a_plain_list_refuses_fields_that_change_their_values(field):
    schema = ma.Schema.from_dict({"rank": ma.fields.Integer(), "other": field}, name="Odd")

    with pytest.raises(TypeError, match=r"Odd\.other is not a plain field"):
        PlainList(schema)


def test_query_arguments_are_parsed_without_a_new_schema_per_request(client, monkeypatch):
    built = []
    original = ma.Schema.__init__

    def counting(self, *args, **kwargs):
        built.append(type(self).__name__)
        original(self, *args, **kwargs)

    monkeypatch.setattr(ma.Schema, "__init__", counting)

    for _ in range(3):
        assert client.get("/api/v1/circles?open_seats=true").status_code == 200

    assert "CircleListArgsSchema" not in built
