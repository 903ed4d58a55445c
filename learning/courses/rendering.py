"""Lesson Markdown: rendering it to safe HTML, and listing its images and links for checking."""

from collections.abc import Callable
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markdown_it.token import Token

ASSET_PREFIX = "../assets/"
ALLOWED_TAGS = {
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "img", "em", "strong",
    "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "hr", "br",
    "del", "sup", "sub",
}  # fmt: skip
# `start` keeps an ordered list that begins at 3 numbered from 3; it carries no script or style.
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer"


def _parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough; raw HTML stays text, never markup."""
    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])


_RENDERER = _parser()
# The validator must see every target an author wrote, including the ones markdown-it would
# quietly leave as text (javascript:, file:...), to tell the author what is wrong with them.
_LINK_FINDER = _parser()
_LINK_FINDER.validateLink = lambda url: True


def asset_name(target: str) -> str | None:
    """The asset a Markdown image points at when written `../assets/<name>`, else None."""
    if not target.startswith(ASSET_PREFIX):
        return None
    name = unquote(target.removeprefix(ASSET_PREFIX))
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    return name


def _inline_tokens(tokens: list[Token]):
    """The inline tokens that have children: images and links live in those children."""
    return [token for token in tokens if token.type == "inline" and token.children]


def render_markdown(markdown: str, *, asset_url: Callable[[str], str]) -> str:
    """Render a lesson body to HTML a browser can show as it is.

    Package images (`../assets/<name>`) get the URL `asset_url(name)`; every other image is
    dropped, and the sanitiser drops any img src that is not one of those URLs, as a second line.
    """
    env: dict = {}
    tokens = _RENDERER.parse(markdown, env)
    asset_urls: set[str] = set()
    for token in _inline_tokens(tokens):
        kept = []
        for child in token.children:
            if child.type == "image":
                name = asset_name(str(child.attrGet("src") or ""))
                if name is None:
                    continue
                url = asset_url(name)
                child.attrSet("src", url)
                asset_urls.add(url)
            elif child.type in ("s_open", "s_close"):
                child.tag = "del"
            kept.append(child)
        token.children = kept
    html = _RENDERER.renderer.render(tokens, _RENDERER.options, env)

    def keep_asset_images(element: str, attribute: str, value: str) -> str | None:
        if element == "img" and attribute == "src" and value not in asset_urls:
            return None
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        attribute_filter=keep_asset_images,
        strip_comments=True,
    )


def referenced_links(markdown: str) -> list[tuple[str, str, int]]:
    """Every image and link as ("image" | "link", target, 1-based line within the body)."""
    found = []
    for token in _inline_tokens(_LINK_FINDER.parse(markdown)):
        line = token.map[0] + 1 if token.map else 1
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
            elif child.type == "image":
                found.append(("image", str(child.attrGet("src") or ""), line))
            elif child.type == "link_open":
                found.append(("link", str(child.attrGet("href") or ""), line))
    return found
