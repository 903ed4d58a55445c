"""Lesson Markdown becomes HTML that is safe to show, with package images at their served URL."""

import pytest

from learning.courses.package import load_package, read_folder
from learning.courses.rendering import asset_name, referenced_links, render_markdown
from tests.factories import EXAMPLE

ASSETS = "/api/v1/courses/small-course/versions/1.0.0/assets/"


def render(markdown: str) -> str:
    return render_markdown(markdown, asset_url=lambda name: ASSETS + name)


def test_a_package_image_gets_its_served_url():
    html = render("![Ten stripes](../assets/warming-stripes.png)")

    assert html == f'<p><img src="{ASSETS}warming-stripes.png" alt="Ten stripes"></p>\n'


def test_an_asset_name_is_unescaped_for_asset_url():
    names = []
    render_markdown("![x](../assets/my%20stripes.png)", asset_url=lambda n: names.append(n) or "/a")

    assert names == ["my stripes.png"]


@pytest.mark.parametrize(
    "image",
    [
        "![tracker](https://evil.example/pixel.png)",
        "![inline](data:image/png;base64,iVBORw0KGgo=)",
        "![up](../../secrets.png)",
        "![elsewhere](/api/v1/courses/other/versions/1.0.0/assets/x.png)",
    ],
)
def test_images_that_are_not_package_assets_are_dropped(image):
    html = render(f"Look: {image}")

    assert "<img" not in html
    assert html == "<p>Look: </p>\n"


def test_raw_html_shows_as_text_never_as_markup():
    html = render('<script>alert("x")</script>\n\n<img src=x onerror="alert(1)">')

    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;img src=x onerror=" in html


def test_a_style_or_event_handler_cannot_get_into_an_attribute():
    html = render('[x](https://example.org "a\\" onmouseover=\\"alert(1)\\" style=\\"x")')

    assert html == (
        '<p><a href="https://example.org" title="a&quot; onmouseover=&quot;alert(1)&quot; '
        'style=&quot;x" rel="noopener noreferrer">x</a></p>\n'
    )


@pytest.mark.parametrize(
    "link",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
    ],
)
def test_script_links_are_not_links(link):
    html = render(link)

    assert "<a" not in html
    assert "href" not in html


def test_links_on_other_schemes_lose_their_target():
    html = render("[files](ftp://example.org/x)")

    assert html == '<p><a rel="noopener noreferrer">files</a></p>\n'


def test_web_and_mail_links_are_kept_with_rel_noopener():
    html = render("[IPCC](https://www.ipcc.ch/) and [us](mailto:hello@example.org)")

    assert html == (
        '<p><a href="https://www.ipcc.ch/" rel="noopener noreferrer">IPCC</a> and '
        '<a href="mailto:hello@example.org" rel="noopener noreferrer">us</a></p>\n'
    )


def test_tables_are_kept_without_their_styles():
    html = render("| Where | Share |\n| :--- | ---: |\n| Home | ~~a third~~ |\n")

    assert html == (
        "<table>\n<thead>\n<tr>\n<th>Where</th>\n<th>Share</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>Home</td>\n<td><del>a third</del></td>\n</tr>\n</tbody>\n</table>\n"
    )


def test_everyday_markdown_survives():
    html = render("## Title\n\n> *quote* and **bold**\n\n3. three\n4. four\n\n```\ncode\n```\n")

    assert html == (
        "<h2>Title</h2>\n<blockquote>\n<p><em>quote</em> and <strong>bold</strong></p>\n"
        '</blockquote>\n<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n'
        "<pre><code>code\n</code></pre>\n"
    )


def test_every_example_lesson_renders_with_its_image():
    package, _ = load_package(read_folder(EXAMPLE, max_files=2000, max_bytes=50_000_000))
    lessons = [lesson for module in package.modules for lesson in module.lessons]

    for lesson in lessons:
        for language in package.languages:
            html = render(lesson.markdown[language])
            assert html.startswith("<p>")
            assert ("<img" in html) == (lesson.slug == "warming-stripes")
            assert html.count("<a ") == html.count('rel="noopener noreferrer"')


def test_referenced_links_gives_every_image_and_link_with_its_line():
    markdown = (
        "Intro [one](https://one.example)\n"
        "still intro ![pic](../assets/a.png)\n"
        "\n"
        "| a | b |\n"
        "| - | - |\n"
        "| [two](javascript:alert(1)) | x |\n"
        "\n"
        "- item\n"
        "  ![far](https://far.example/x.png)\n"
        "\n"
        "`[not](a-link)`\n"
    )

    assert referenced_links(markdown) == [
        ("link", "https://one.example", 1),
        ("image", "../assets/a.png", 2),
        ("link", "javascript:alert(1)", 6),
        ("image", "https://far.example/x.png", 9),
    ]


@pytest.mark.parametrize(
    ("target", "name"),
    [
        ("../assets/warming-stripes.png", "warming-stripes.png"),
        ("../assets/my%20map.jpg", "my map.jpg"),
        ("../assets/sub/x.png", None),
        ("../assets/%2e%2e%2fcourse.yaml", None),
        ("../assets/", None),
        ("assets/x.png", None),
    ],
)
def test_asset_name_accepts_only_files_of_the_assets_folder(target, name):
    assert asset_name(target) == name
