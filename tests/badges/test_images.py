"""Badge images are drawn from a badge's name, colour and icon, and can be baked."""

import json
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from learning.badges.images import ICONS, UnsafeSvg, bake, draw_badge, sanitise_svg
from tests.badges.conftest import award_of

SVG = "{http://www.w3.org/2000/svg}"
OPENBADGES = "{http://openbadges.org}"
REPOSITORY = Path(__file__).resolve().parents[2]
VALIDATOR_PYTHON = REPOSITORY / ".obv" / "bin" / "python"


def parse(svg: str) -> ElementTree.Element:
    # Our own output, parsed to check its structure.
    return ElementTree.fromstring(svg)  # noqa: S314


def test_the_image_is_an_svg_with_the_badge_name_in_the_asked_language(client):
    response = client.get("/ob/badges/course-completed/image.svg?lang=fr")

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    root = parse(response.get_data(as_text=True))
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Cours terminé"
    assert root.find(f"{SVG}circle").get("fill") == "#0d47a1"


@pytest.mark.parametrize("icon", sorted(ICONS))
def test_every_icon_draws(icon):
    root = parse(draw_badge(name="A badge", colour="#123456", icon=icon))

    assert root.find(f"{SVG}g/{SVG}path").get("d") == ICONS[icon]


def test_a_name_cannot_inject_markup():
    name = 'Hack"><script>alert(1)</script><image href="https://evil.example/x.png"/>'

    svg = draw_badge(name=name, colour="#123456", icon="leaf")

    root = parse(svg)
    tags = {element.tag for element in root.iter()}
    assert tags <= {f"{SVG}{tag}" for tag in ("svg", "title", "circle", "g", "path", "text")}
    assert root.find(f"{SVG}title").text == name
    assert root.get("aria-label") == name


def test_a_long_name_stays_on_two_lines():
    root = parse(
        draw_badge(
            name="Animateur de cercle jusqu'à la toute dernière rencontre",
            colour="#123456",
            icon="circle",
        )
    )

    lines = [text.text for text in root.iter(f"{SVG}text")]
    assert len(lines) == 2
    assert all(len(line) <= 16 for line in lines)


def test_baking_puts_the_assertion_first_in_the_svg():
    assertion = {"id": "https://example.org/ob/assertions/1", "name": "tricky ]]> text"}

    baked = bake(
        draw_badge(name="B", colour="#123456", icon="star"),
        assertion_url=assertion["id"],
        assertion=assertion,
    )

    root = parse(baked)
    first = root[0]
    assert first.tag == f"{OPENBADGES}assertion"
    assert first.get("verify") == assertion["id"]
    assert json.loads(first.text) == assertion


def test_i_can_download_my_badge_baked(client, course, learner, complete_course):
    complete_course(learner.headers)
    award = award_of(client, learner, "course-completed")

    response = client.get(award["baked_url"], headers=learner.headers)

    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "attachment" in response.headers["Content-Disposition"]
    embedded = parse(response.get_data(as_text=True))[0]
    assert embedded.get("verify") == award["assertion_url"]
    hosted = client.get(
        award["assertion_url"].removeprefix("http://127.0.0.1:5000") + "?lang=en"
    ).json
    assert json.loads(embedded.text) == hosted


@pytest.mark.skipif(
    not VALIDATOR_PYTHON.exists(),
    reason="the Open Badges tools' virtualenv .obv is missing (see ../shared/tools/README.md)",
)
def test_the_reference_bakery_reads_the_baked_assertion(
    client, course, learner, complete_course, tmp_path
):
    complete_course(learner.headers)
    award = award_of(client, learner, "course-completed")
    baked = tmp_path / "badge.svg"
    baked.write_bytes(client.get(award["baked_url"], headers=learner.headers).data)

    result = subprocess.run(
        [
            str(VALIDATOR_PYTHON),
            "-c",
            "import sys; from openbadges_bakery import unbake; "
            "found = unbake(open(sys.argv[1], 'rb')); "
            "print(found.decode() if isinstance(found, bytes) else found)",
            str(baked),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    # For a hosted badge the bakery answers what verifies it: the assertion's URL.
    assert result.stdout.strip() == award["assertion_url"]


def test_only_my_own_live_badges_can_be_downloaded(
    client, course, learner, person, complete_course
):
    complete_course(learner.headers)
    award = award_of(client, learner, "course-completed")

    assert client.get(award["baked_url"], headers=person().headers).status_code == 404
    client.post(
        f"/api/v1/badges/assertions/{award['id']}/revoke",
        json={"reason": "Mistake"},
        headers=person("admin").headers,
    )
    assert client.get(award["baked_url"], headers=learner.headers).status_code == 409


AUTHORED = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
    'viewBox="0 0 100 100"><!-- drawn by hand --><defs><linearGradient id="sky">'
    '<stop offset="0" stop-color="#0d47a1"/></linearGradient><circle id="dot" r="5"/></defs>'
    '<rect width="100" height="100" fill="url(#sky)"/><use xlink:href="#dot" x="50" y="50"/>'
    '<text x="10" y="90">Repair &amp; reuse</text></svg>'
)


def test_an_authored_image_keeps_its_shapes_and_loses_its_comments():
    root = parse(sanitise_svg(AUTHORED))

    assert [child.tag.removeprefix(SVG) for child in root] == ["defs", "rect", "use", "text"]
    assert root.find(f"{SVG}rect").get("fill") == "url(#sky)"
    assert root.find(f"{SVG}use").get("href") == "#dot"
    assert root.find(f"{SVG}text").text == "Repair & reuse"


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "element <script> is not allowed",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "<svg> attribute onload is not allowed",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:red"/></svg>',
            "<rect> attribute style is not allowed",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>',
            "element <image> is not allowed",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/s.svg#a"/></svg>',
            "<use> href may only point inside the image (#id)",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/#g)"/></svg>',
            "<rect> fill may only use url(#id) inside the image",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>',
            "element <foreignObject> is not allowed",
        ),
        (
            '<html xmlns="http://www.w3.org/1999/xhtml"/>',
            "the root element must be <svg> in the SVG namespace",
        ),
    ],
)
def test_an_unsafe_authored_image_is_refused_with_its_problem(svg, problem):
    with pytest.raises(UnsafeSvg) as raised:
        sanitise_svg(svg)

    assert problem in raised.value.problems


def test_entities_and_doctypes_are_refused():
    bomb = (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        '<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>'
    )

    with pytest.raises(UnsafeSvg):
        sanitise_svg(bomb)
