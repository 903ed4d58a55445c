"""Checking that an HTML page keeps to a strict Content-Security-Policy and needs nothing it
would block: no inline script or style, no event handler attributes, only this server's files."""

from html.parser import HTMLParser

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
UNSAFE_SOURCES = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:")


class _Markup(HTMLParser):
    """Every start tag with its attributes, and whether each <script> or <style> had a body."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline_bodies: list[str] = []
        self._open: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._open = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open and data.strip():
            self.inline_bodies.append(self._open)


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def assert_strict_csp_page(client, response) -> None:
    """The response is an HTML page whose policy is strict and whose markup it does not block."""
    assert response.mimetype == "text/html"
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy["default-src"] in (["'none'"], ["'self'"])
    for name in ("script-src", "style-src"):
        assert policy[name] == ["'self'"], (name, policy[name])
        assert not set(policy[name]) & set(UNSAFE_SOURCES)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] in (["'none'"], ["'self'"])

    markup = _Markup(response.get_data(as_text=True))
    assert not markup.inline_bodies, f"inline {markup.inline_bodies}"
    assert not [tag for tag, _ in markup.tags if tag == "style"]
    for tag, attrs in markup.tags:
        assert "style" not in attrs, (tag, attrs)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not any(
            (value or "").strip().lower().startswith("javascript:") for value in attrs.values()
        ), (tag, attrs)
    files = [attrs["src"] for tag, attrs in markup.tags if tag == "script"]
    files += [
        attrs["href"]
        for tag, attrs in markup.tags
        if tag == "link" and attrs.get("rel") == "stylesheet"
    ]
    for path in files:
        assert path.startswith("/") and not path.startswith("//"), path
        with client.get(path) as asset:
            assert asset.status_code == 200, path
