"""Badge images: SVG drawn from a badge's name, colour and icon, or authored and sanitised,
and baked with an assertion.

Drawn images are built as element trees, never by pasting text into markup, so a badge name
cannot add elements or attributes. Authored images keep only an allow-list of shape, text and
gradient elements and their presentation attributes, re-serialised from the parsed tree: no
script, no style, no event handler, no link and no reference outside the image itself.
Baking follows the Open Badges 2.0 baking specification for SVG: an `openbadges:assertion`
element, first child of the root, holding the assertion's JSON.
"""

import json
import re
import textwrap
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"
OPENBADGES_NAMESPACE = "http://openbadges.org"
SIZE = 200
MAX_AUTHORED_BYTES = 100_000

AUTHORED_ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "title", "desc", "path", "circle", "ellipse", "rect", "line",
        "polyline", "polygon", "text", "tspan", "linearGradient", "radialGradient", "stop",
        "clipPath", "use", "symbol",
    }
)  # fmt: skip
AUTHORED_ATTRIBUTES = frozenset(
    {
        "id", "class", "width", "height", "viewBox", "preserveAspectRatio", "role",
        "aria-label", "aria-hidden", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx",
        "ry", "fx", "fy", "dx", "dy", "d", "points", "transform", "fill", "fill-opacity",
        "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-linecap",
        "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray", "stroke-dashoffset",
        "opacity", "clip-path", "clip-rule", "font-family", "font-size", "font-weight",
        "font-style", "letter-spacing", "text-anchor", "dominant-baseline", "offset",
        "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
        "clipPathUnits", "href", f"{{{XLINK_NAMESPACE}}}href",
    }
)  # fmt: skip
# A paint or clip may point inside the image (url(#id)) and nowhere else.
_URL = re.compile(r"url\s*\(", re.IGNORECASE)
_LOCAL_URL = re.compile(r"^\s*url\(\s*#[A-Za-z_][\w.-]*\s*\)\s*$")
_LOCAL_HREF = re.compile(r"^#[A-Za-z_][\w.-]*$")


class UnsafeSvg(Exception):
    """An authored image holds something a badge image may not; `problems` says what."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# Icons on a 24 x 24 grid, filled white on the badge's colour; drawn for this project.
ICONS = {
    "leaf": "M4 20C4 11 10 4 20 4c0 10-6.5 16-16 16zm2-2.5 9-9-1-1-9 9z",
    "book": (
        "M2 5h7.5A2.5 2.5 0 0 1 12 7.5V20a2.5 2.5 0 0 0-2.5-2H2zm20 0h-7.5A2.5 2.5 0 0 0 "
        "12 7.5V20a2.5 2.5 0 0 1 2.5-2H22z"
    ),
    "modules": "M3 3h8v8H3zm10 0h8v8h-8zM3 13h8v8H3zm10 0h8v8h-8z",
    "circle": (
        "M12 3a3 3 0 1 1 0 6 3 3 0 0 1 0-6zM4.5 8a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5zm15 "
        "0a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5zM7 20a5 5 0 0 1 10 0zm-6 0a3.5 3.5 0 0 1 "
        "5-3.2A6.5 6.5 0 0 0 5 20zm22 0h-4a6.5 6.5 0 0 0-1-3.2 3.5 3.5 0 0 1 5 3.2z"
    ),
    "megaphone": "M3 10h3l11-6v16L6 14H3zm4 5h3l1 6H8zm12-7h2v4h-2z",
    "star": "M12 2l2.9 6.6 7.1.6-5.4 4.7 1.6 7.1L12 17.3 5.8 21l1.6-7.1L2 9.2l7.1-.6z",
    "flame": "M12 2c1 4 6 6.5 6 12a6 6 0 0 1-12 0c0-3 1.5-5 3-7 0 2.5 1 4 2 5 1.5-3.5.5-6 1-10z",
    "trophy": (
        "M6 3h12v2h3v3a4 4 0 0 1-4 4h-.5A5 5 0 0 1 13 15v3h4v3H7v-3h4v-3a5 5 0 0 1-3.5-3H7a4 "
        "4 0 0 1-4-4V5h3zm0 4H5v1a2 2 0 0 0 1 1.7zm12 0v2.7A2 2 0 0 0 19 8V7z"
    ),
    "check": "M3.5 12.5 5 11l4 4 10-10 1.5 1.5L9 18z",
    "hand": (
        "M8 11V4.5a1.5 1.5 0 0 1 3 0V10h.5V3a1.5 1.5 0 0 1 3 0v7h.5V4.5a1.5 1.5 0 0 1 3 0V14a7 "
        "7 0 0 1-7 7h-1a6 6 0 0 1-5-2.7L2.5 13a1.5 1.5 0 0 1 2.3-1.9L8 14z"
    ),
}


def _element(parent: ElementTree.Element, tag: str, **attributes) -> ElementTree.Element:
    return ElementTree.SubElement(
        parent, tag, {k.replace("_", "-"): str(v) for k, v in attributes.items()}
    )


def _lines(name: str) -> list[str]:
    """The name on at most two lines of about 16 characters; longer names are shortened."""
    lines = textwrap.wrap(name, width=16, break_long_words=True) or [name]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=16, placeholder="…")]
    return lines


def draw_badge(*, name: str, colour: str, icon: str) -> str:
    """The badge as a standalone SVG document: a disc in its colour, a ring, its icon and name."""
    svg = ElementTree.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "width": str(SIZE),
            "height": str(SIZE),
            "viewBox": f"0 0 {SIZE} {SIZE}",
            "role": "img",
            "aria-label": name,
        },
    )
    ElementTree.SubElement(svg, "title").text = name
    _element(svg, "circle", cx=100, cy=100, r=98, fill=colour)
    _element(svg, "circle", cx=100, cy=100, r=88, fill="none", stroke="#ffffff", stroke_width=4)
    icon_group = _element(svg, "g", transform="translate(70 36) scale(2.5)", fill="#ffffff")
    _element(icon_group, "path", d=ICONS[icon])
    lines = _lines(name)
    font_size = 15 if max(len(line) for line in lines) <= 13 else 13
    top = 116 + (0 if len(lines) == 2 else 9)
    for index, line in enumerate(lines):
        text = _element(
            svg,
            "text",
            x=100,
            y=top + 22 + index * (font_size + 4),
            text_anchor="middle",
            font_family="DejaVu Sans, Verdana, sans-serif",
            font_size=font_size,
            font_weight="bold",
            fill="#ffffff",
        )
        text.text = line
    return ElementTree.tostring(svg, encoding="unicode", xml_declaration=False)


def bake(svg: str, *, assertion_url: str, assertion: dict) -> str:
    """The image with the assertion embedded as the baking specification describes."""
    payload = json.dumps(assertion, ensure_ascii=False, separators=(",", ":"))
    # CDATA cannot hold its own terminator: split it across two sections.
    payload = payload.replace("]]>", "]]]]><![CDATA[>")
    root = svg.index("<svg")
    opening_end = svg.index(">", root) + 1
    opening = svg[:opening_end]
    opening = opening.replace("<svg", f'<svg xmlns:openbadges="{OPENBADGES_NAMESPACE}"', 1)
    embedded = (
        f"<openbadges:assertion verify={quoteattr(assertion_url)}>"
        f"<![CDATA[{payload}]]></openbadges:assertion>"
    )
    return opening + embedded + svg[opening_end:]


def _local_name(tag: str) -> tuple[str | None, str]:
    namespace, _, name = tag[1:].partition("}") if tag.startswith("{") else ("", "", tag)
    return namespace or None, name


def _attribute_problem(element: str, name: str, value: str) -> str | None:
    label = name.replace(f"{{{XLINK_NAMESPACE}}}", "xlink:")
    if name not in AUTHORED_ATTRIBUTES:
        return f"<{element}> attribute {label} is not allowed"
    if name.endswith("href") and not _LOCAL_HREF.match(value):
        return f"<{element}> {label} may only point inside the image (#id)"
    if _URL.search(value) and not _LOCAL_URL.match(value):
        return f"<{element}> {label} may only use url(#id) inside the image"
    return None


def sanitise_svg(text: str) -> str:
    """An authored badge image, re-serialised from the allowed elements and attributes.

    Raises UnsafeSvg naming every problem: anything outside the allow-list, a reference out
    of the image, a DTD or entity, or XML that does not parse.
    """
    if len(text.encode()) > MAX_AUTHORED_BYTES:
        raise UnsafeSvg([f"the image is larger than {MAX_AUTHORED_BYTES} bytes"])
    try:
        root = fromstring(text, forbid_dtd=True)
    except (ElementTree.ParseError, DefusedXmlException) as error:
        raise UnsafeSvg([f"not well-formed SVG without DTD or entities: {error}"]) from None
    problems: list[str] = []
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        problems.append("the root element must be <svg> in the SVG namespace")
    for element in root.iter():
        namespace, name = _local_name(element.tag)
        if namespace != SVG_NAMESPACE or name not in AUTHORED_ELEMENTS:
            problems.append(f"element <{name}> is not allowed")
            continue
        for attribute, value in element.attrib.items():
            problem = _attribute_problem(name, attribute, value)
            if problem:
                problems.append(problem)
    if problems:
        raise UnsafeSvg(list(dict.fromkeys(problems)))
    clean = _copy(root)
    clean.set("xmlns", SVG_NAMESPACE)
    return ElementTree.tostring(clean, encoding="unicode")


def _copy(element: ElementTree.Element) -> ElementTree.Element:
    """The element and its children in the default namespace; xlink:href becomes SVG 2's href."""
    attributes = {
        "href" if name.endswith("}href") else name: value for name, value in element.attrib.items()
    }
    copy = ElementTree.Element(_local_name(element.tag)[1], attributes)
    copy.text, copy.tail = element.text, element.tail
    copy.extend(_copy(child) for child in element)
    return copy
