"""The course package format: reading an upload or a folder safely, then checking and loading it.

A package is a mapping of posix paths to bytes. `read_zip` and `read_folder` build it from
untrusted input and refuse, with PackageRefused, whatever is unsafe to even look at. `load_package`
then checks everything docs/course-format.md asks for and reports every problem at once, each with
its file and, where it has one, the line of the real file, so an author fixes a package in one pass.

Litter that operating systems add without asking (`__MACOSX/` folders and `.DS_Store` files) is
dropped silently by the readers; any other hidden file or folder is a problem. Problems name a
field by its path, counting list items from 1 (`authors[2].url`).
"""

import hashlib
import io
import json
import math
import os
import pathlib
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yaml

from learning.badges.images import ICONS, UnsafeSvg, sanitise_svg
from learning.brussels import LANGUAGES
from learning.courses.rendering import asset_name, referenced_links

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_MAX_LENGTH = 64
VERSION = re.compile(r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)")
# SPDX ids are words joined by dots and hyphens (CC-BY-SA-4.0, CC0-1.0, MIT, GPL-2.0+).
LICENCE = re.compile(r"[A-Za-z0-9]+(?:[.-][A-Za-z0-9]+)*\+?")
AUDIENCES = ("adults", "pupils", "teachers", "facilitators", "civil-servants")
KINDS = ("reading", "video", "activity", "discussion")
QUESTION_TYPES = ("single", "multiple", "true_false", "numeric")
WEB_SCHEMES = ("https", "http")
LINK_SCHEMES = ("https", "http", "mailto")
ASSET_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
LESSON_FILE = re.compile(r"(?P<slug>[^.]+)\.(?P<language>[^.]+)\.md")
QUIZ_FILE = re.compile(r"(?P<slug>[^.]+)\.quiz\.yaml")
EXPECTED_FILES = (
    "course.yaml, badges.yaml, assets/<image>, badges/<image>.svg, <module>/module.yaml, "
    "<module>/<lesson>.<language>.md and <module>/<quiz>.quiz.yaml"
)
# Folders at the root that are not modules.
RESERVED_FOLDERS = ("assets", "badges")
# The badges domain's rule types that are about one course (its COURSE_RULE_TYPES), with the
# parameters each takes in a package; the course itself is implied.
BADGE_RULES: dict[str, tuple[str, ...]] = {
    "course_completed": (),
    "modules_completed": ("modules",),
    "certification_approved": (),
}
BADGE_TEXT_LIMITS = {"name": 80, "description": 500, "criteria": 2000}
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
BADGE_IMAGE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\.svg")
READ_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a package, where an author can find it."""

    file: str  # posix path inside the package; "" for the archive or folder as a whole
    line: int | None  # 1-based line of the real file; None when about the whole file
    message: str

    def __str__(self) -> str:
        if not self.file:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


class PackageRefused(Exception):
    """The archive or folder itself is unsafe or unreadable (zip slip, links, bombs, not a zip)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True)
class Asset:
    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Lesson:
    slug: str
    kind: str
    minutes: int
    video: str | None
    title: dict[str, str]
    markdown: dict[str, str]
    content_hash: str


@dataclass(frozen=True)
class Quiz:
    slug: str
    title: dict[str, str]
    pass_mark: int
    minutes: int
    questions: list[dict]


@dataclass(frozen=True)
class Module:
    slug: str
    title: dict[str, str]
    summary: dict[str, str]
    prerequisites: list[str]
    sequential: bool
    sources: list[dict]
    lessons: list[Lesson]
    quiz: Quiz | None


@dataclass(frozen=True)
class Badge:
    """A badge the course awards, as badges.yaml defines it; texts in the course's languages."""

    slug: str
    name: dict[str, str]
    description: dict[str, str]
    criteria: dict[str, str]
    colour: str
    icon: str
    image_svg: str | None  # sanitised; without one the platform draws the image
    rule: dict  # {"type": ..., "modules"?: [...]}; the course is implied


@dataclass(frozen=True)
class Package:
    slug: str
    version: str
    version_line: int
    languages: list[str]
    title: dict[str, str]
    summary: dict[str, str]
    tags: list[str]
    audience: list[str]
    estimated_minutes: int
    licence: str
    authors: list[dict]
    certifiable: bool
    reflection_prompts: list[dict]
    modules: list[Module]
    assets: dict[str, Asset]
    badges: list[Badge]

    @property
    def default_language(self) -> str:
        return self.languages[0]


# Reading archives and folders


def _refuse(message: str, file: str = "") -> PackageRefused:
    return PackageRefused([Problem(file, None, message)])


def _is_litter(path: str) -> bool:
    """Files an operating system adds to archives and folders behind the author's back."""
    parts = path.split("/")
    return "__MACOSX" in parts or parts[-1] == ".DS_Store"


def _safe_path(name: str) -> tuple[str | None, str | None]:
    """An entry name as a relative posix path, or why it could land outside the package."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return None, "an absolute path is not allowed"
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        return None, "a path with .. is not allowed"
    if not parts:
        return None, "an entry without a name is not allowed"
    return "/".join(parts), None


def _unwrap(files: dict[str, bytes]) -> dict[str, bytes]:
    """A package zipped as its folder: drop the one top-level folder every file sits in."""
    tops = {path.split("/", 1)[0] for path in files}
    if len(tops) == 1 and all("/" in path for path in files):
        return {path.split("/", 1)[1]: data for path, data in files.items()}
    return files


def read_zip(data: bytes, *, max_files: int, max_bytes: int) -> dict[str, bytes]:
    """Unpack an uploaded zip in memory, refusing anything unsafe before reading its content.

    The declared sizes are checked first, then every entry is read against a running byte
    budget, so an entry whose header lies about its size cannot get past `max_bytes`.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError) as error:
        raise _refuse("the upload is not a zip archive") from error
    with archive:
        problems, entries, seen = [], [], set()
        for info in archive.infolist():
            path, unsafe = _safe_path(info.filename)
            if unsafe:
                problems.append(Problem(info.filename, None, unsafe))
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                problems.append(Problem(path, None, "symbolic links are not allowed"))
            elif info.is_dir() or _is_litter(path):
                continue
            elif info.flag_bits & 0x1:
                problems.append(Problem(path, None, "encrypted entries are not allowed"))
            elif info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                problems.append(
                    Problem(path, None, "use a zip that is stored or deflated, the usual method")
                )
            elif path in seen:
                problems.append(Problem(path, None, "the archive holds this file twice"))
            else:
                seen.add(path)
                entries.append((path, info))
        if problems:
            raise PackageRefused(problems)
        if len(entries) > max_files:
            raise _refuse(f"the archive holds more than {max_files} files")
        if sum(info.file_size for _path, info in entries) > max_bytes:
            raise _refuse(f"the archive unpacks to more than {max_bytes} bytes")
        files, budget = {}, max_bytes
        for path, info in entries:
            chunks = []
            try:
                with archive.open(info) as stream:
                    while chunk := stream.read(min(READ_CHUNK, budget + 1)):
                        budget -= len(chunk)
                        if budget < 0:
                            raise _refuse(f"the archive unpacks to more than {max_bytes} bytes")
                        chunks.append(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                raise _refuse("the archive is damaged and cannot be read", path) from error
            files[path] = b"".join(chunks)
    return _unwrap(files)


def read_folder(path: pathlib.Path, *, max_files: int, max_bytes: int) -> dict[str, bytes]:
    """Read a package folder from disk, with the limits of an upload and no links followed."""
    if not path.is_dir():
        raise _refuse(f"{path} is not a folder")
    problems, found, folders = [], [], [path]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                relative = pathlib.Path(entry.path).relative_to(path).as_posix()
                if entry.is_symlink():
                    problems.append(Problem(relative, None, "symbolic links are not allowed"))
                elif entry.is_dir(follow_symlinks=False):
                    folders.append(pathlib.Path(entry.path))
                elif not entry.is_file(follow_symlinks=False):
                    problems.append(Problem(relative, None, "only regular files are allowed"))
                elif not _is_litter(relative):
                    found.append((relative, pathlib.Path(entry.path)))
                    if len(found) > max_files:
                        raise _refuse(f"the folder holds more than {max_files} files")
    if problems:
        raise PackageRefused(problems)
    if sum(file.stat().st_size for _relative, file in found) > max_bytes:
        raise _refuse(f"the folder holds more than {max_bytes} bytes")
    files, budget = {}, max_bytes
    for relative, file in sorted(found):
        with file.open("rb") as stream:
            data = stream.read(budget + 1)
        budget -= len(data)
        if budget < 0:
            raise _refuse(f"the folder holds more than {max_bytes} bytes")
        files[relative] = data
    return files


# YAML with the line of every value


@dataclass(frozen=True)
class _Node:
    """A YAML value and the 1-based line it is on; a mapping's values sit on their key's line."""

    value: Any  # dict[str, _Node], list[_Node] or a scalar
    line: int
    source: str | None = None  # a scalar as written, so `title: Yes` can still be text


class _Check:
    """Reads one file's values, reporting what is wrong as problems instead of raising."""

    def __init__(self, problems: list[Problem], file: str, languages: list[str] | None):
        self.problems = problems
        self.file = file
        self.languages = languages  # the course's; None while course.yaml does not say

    def problem(self, line: int | None, where: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, f"{where}: {message}" if where else message))

    def parse_yaml(self, text: str, *, first_line: int = 1) -> _Node | None:
        """Parse YAML into nodes; None after reporting a syntax error."""
        try:
            # Refusing aliases also refuses the billion-laughs expansion of a few bytes.
            events = yaml.parse(text, Loader=yaml.SafeLoader)
            aliases = [event for event in events if isinstance(event, yaml.AliasEvent)]
            for alias in aliases:
                line = alias.start_mark.line + first_line
                self.problem(line, "", "YAML aliases (*name) are not allowed")
            if aliases:
                return None
            loader = yaml.SafeLoader(text)
            try:
                root = loader.get_single_node()
                if root is None:
                    return _Node(None, first_line)
                return self._node(root, loader, first_line)
            finally:
                loader.dispose()
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + first_line if mark else None
            explained = "; ".join(part for part in (error.context, error.problem) if part)
            self.problem(line, "", f"YAML syntax error: {explained}")
        except yaml.reader.ReaderError as error:
            line = text[: error.position].count("\n") + first_line
            self.problem(line, "", f"YAML does not allow the character #x{error.character:04x}")
        except RecursionError:
            self.problem(None, "", "the YAML is nested too deeply")
        return None

    def _node(self, node: yaml.Node, loader: yaml.SafeLoader, first_line: int) -> _Node:
        line = node.start_mark.line + first_line
        if isinstance(node, yaml.MappingNode):
            fields: dict[str, _Node] = {}
            for key_node, value_node in node.value:
                key_line = key_node.start_mark.line + first_line
                if not isinstance(key_node, yaml.ScalarNode):
                    self.problem(key_line, "", "a key must be a plain word")
                elif key_node.value in fields:
                    self.problem(key_line, "", f'duplicate key "{key_node.value}"')
                else:
                    child = self._node(value_node, loader, first_line)
                    fields[key_node.value] = _Node(child.value, key_line, child.source)
            return _Node(fields, line)
        if isinstance(node, yaml.SequenceNode):
            return _Node([self._node(item, loader, first_line) for item in node.value], line)
        try:
            value = loader.construct_object(node)
        except yaml.constructor.ConstructorError as error:
            self.problem(line, "", f"YAML error: {error.problem}")
            return _Node(None, line)
        return _Node(value, line, node.value)

    def is_mapping(self, node: _Node, where: str = "") -> bool:
        if not isinstance(node.value, dict):
            self.problem(node.line, where, "must be a mapping of fields (name: value)")
            return False
        return True

    def fields(
        self, node: _Node, where: str, *, required: tuple, optional: tuple = ()
    ) -> dict[str, _Node]:
        """The fields of a mapping, after reporting unknown and missing ones."""
        if not self.is_mapping(node, where):
            return {}
        for key, child in node.value.items():
            if key not in required and key not in optional:
                self.problem(child.line, where, f'unknown field "{key}"')
        for key in required:
            if key not in node.value:
                self.problem(node.line, where, f'missing required field "{key}"')
        return node.value

    def text(self, node: _Node, where: str) -> str | None:
        value = node.value
        if not isinstance(value, str) and node.source is not None and value is not None:
            value = node.source
        if not isinstance(value, str) or not value.strip():
            self.problem(node.line, where, "must be text")
            return None
        return value

    def slug(self, node: _Node, where: str) -> str | None:
        value = node.value
        if not isinstance(value, str) or not _is_slug(value):
            self.problem(
                node.line,
                where,
                f"{_shown(node)} is not a slug (lower-case letters, digits and single hyphens, "
                f"at most {SLUG_MAX_LENGTH} characters)",
            )
            return None
        return value

    def whole(self, node: _Node, where: str, *, high: int | None = None) -> int | None:
        """A positive whole number, at most `high`."""
        value = node.value
        if not _is_whole(value) or value < 1 or (high is not None and value > high):
            rule = f"a whole number from 1 to {high}" if high else "a positive whole number"
            self.problem(node.line, where, f"must be {rule}")
            return None
        return value

    def number(self, node: _Node, where: str, *, rule: str = "must be a number") -> float | None:
        value = node.value
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
        ):
            self.problem(node.line, where, rule)
            return None
        return float(value)

    def flag(self, node: _Node, where: str) -> bool | None:
        if not isinstance(node.value, bool):
            self.problem(node.line, where, "must be true or false")
            return None
        return node.value

    def items(self, node: _Node, where: str, *, at_least: int = 0, what: str) -> list[_Node]:
        value = node.value
        if not isinstance(value, list) or len(value) < at_least:
            size = {0: "a list", 1: "a non-empty list"}.get(
                at_least, f"a list of {at_least} or more"
            )
            self.problem(node.line, where, f"must be {size} of {what}")
            return []
        return value

    def slugs(
        self, node: _Node, where: str, *, at_least: int = 0, what: str, choices: tuple = ()
    ) -> list[tuple[str, int]]:
        """Distinct slugs, or values from `choices`, each with its line."""
        found: list[tuple[str, int]] = []
        for index, item in enumerate(self.items(node, where, at_least=at_least, what=what), 1):
            if choices and item.value not in choices:
                self.problem(
                    item.line,
                    f"{where}[{index}]",
                    f"{_shown(item)} is not one of {', '.join(choices)}",
                )
                continue
            value = self.slug(item, f"{where}[{index}]")
            if value is None:
                continue
            if value in (seen for seen, _line in found):
                self.problem(item.line, f"{where}[{index}]", f'"{value}" is listed twice')
                continue
            found.append((value, item.line))
        return found

    def link(self, node: _Node, where: str, *, schemes: tuple = WEB_SCHEMES) -> str | None:
        value = node.value
        if not isinstance(value, str) or not _is_link(value, schemes):
            self.problem(node.line, where, f"must be an {' or '.join(schemes)} link")
            return None
        return value

    def language_map(self, node: _Node, where: str) -> dict[str, str] | None:
        """Text in every course language, no more and no fewer."""
        if not isinstance(node.value, dict):
            self.problem(node.line, where, "must be text in each language, e.g. {en: ..., nl: ...}")
            return None
        texts: dict[str, str] = {}
        declared = self.languages if self.languages is not None else list(LANGUAGES)
        for language, child in node.value.items():
            if language not in declared:
                self.problem(
                    child.line,
                    where,
                    f'language "{language}" is not one of the course\'s languages '
                    f"({', '.join(declared)})",
                )
            elif (text := self.text(child, f"{where}.{language}")) is not None:
                texts[language] = text
        for language in self.languages or ():
            if language not in node.value:
                self.problem(node.line, where, f'missing language "{language}"')
        return texts


def _is_slug(value: str) -> bool:
    return len(value) <= SLUG_MAX_LENGTH and SLUG.fullmatch(value) is not None


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_link(value: str, schemes: tuple) -> bool:
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return scheme in schemes and bool(parts.path)
    return scheme in schemes and bool(parts.netloc)


def _shown(node: _Node) -> str:
    """A value as an author wrote it, short enough for a message."""
    if isinstance(node.value, dict):
        return "a mapping"
    if isinstance(node.value, list):
        return "a list"
    shown = node.source if node.source is not None else str(node.value)
    return f'"{shown[:60]}"'


def _field(fields: dict[str, _Node], key: str, read, where: str | None = None, **options):
    """Read a field with `read` when it is there; None when it is absent, which the mapping's
    check has already reported if the field is required."""
    if key not in fields:
        return None
    return read(fields[key], where or key, **options)


# The files of a package


def _decode(problems: list[Problem], path: str, data: bytes) -> str | None:
    """UTF-8 text with Windows line ends and byte order mark undone; None after a problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.append(
            Problem(path, line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})")
        )
        return None
    return text.replace("\r\n", "\n")


def _read_course(check: _Check, text: str) -> dict | None:
    """course.yaml's values, or None when it is too broken to say which modules to read."""
    node = check.parse_yaml(text)
    if node is None or not check.is_mapping(node):
        return None
    fields = check.fields(
        node,
        "",
        required=(
            "slug", "version", "languages", "title", "summary", "audience",
            "estimated_minutes", "licence", "authors", "modules",
        ),
        optional=("tags", "certifiable", "reflection_prompts"),
    )  # fmt: skip
    course: dict[str, Any] = {}
    languages = _field(
        fields, "languages", check.slugs, at_least=1, what="languages", choices=LANGUAGES
    )
    course["languages"] = [language for language, _line in languages or ()]
    check.languages = course["languages"] or None
    course["slug"] = _field(fields, "slug", check.slug)
    course["version"] = _version(check, fields.get("version"))
    course["version_line"] = fields["version"].line if "version" in fields else None
    course["title"] = _field(fields, "title", check.language_map)
    course["summary"] = _field(fields, "summary", check.language_map)
    course["tags"] = _field(fields, "tags", check.slugs, what="tags") or []
    course["audience"] = _field(
        fields, "audience", check.slugs, at_least=1, what="audiences", choices=AUDIENCES
    )
    course["estimated_minutes"] = _field(fields, "estimated_minutes", check.whole)
    course["licence"] = _licence(check, fields.get("licence"))
    course["authors"] = [
        _author(check, item, f"authors[{index}]")
        for index, item in enumerate(
            _field(fields, "authors", check.items, at_least=1, what="authors") or (), 1
        )
    ]
    modules = fields.get("modules")
    course["modules"] = _field(
        fields, "modules", check.slugs, at_least=1, what="module folder names"
    )
    if modules is None or not isinstance(modules.value, list):
        course["modules"] = None
    course["certifiable"] = bool(_field(fields, "certifiable", check.flag))
    course["reflection_prompts"] = _prompts(check, fields.get("reflection_prompts"))
    return course


def _version(check: _Check, node: _Node | None) -> str | None:
    if node is None:
        return None
    if not isinstance(node.value, str) or not VERSION.fullmatch(node.value):
        check.problem(node.line, "version", f"{_shown(node)} is not MAJOR.MINOR.PATCH, e.g. 1.0.0")
        return None
    return node.value


def _licence(check: _Check, node: _Node | None) -> str | None:
    if node is None:
        return None
    if not isinstance(node.value, str) or not LICENCE.fullmatch(node.value):
        check.problem(
            node.line, "licence", f"{_shown(node)} is not an SPDX licence id such as CC-BY-SA-4.0"
        )
        return None
    return node.value


def _author(check: _Check, node: _Node, where: str) -> dict:
    fields = check.fields(node, where, required=("name",), optional=("url",))
    author = {"name": _field(fields, "name", check.text, f"{where}.name")}
    if "url" in fields:
        author["url"] = check.link(fields["url"], f"{where}.url")
    return author


def _prompts(check: _Check, node: _Node | None) -> list[dict]:
    prompts: list[dict] = []
    items = check.items(node, "reflection_prompts", what="prompts") if node else []
    for index, item in enumerate(items, 1):
        where = f"reflection_prompts[{index}]"
        fields = check.fields(item, where, required=("id", "text"))
        prompt_id = _field(fields, "id", check.slug, f"{where}.id")
        if prompt_id is not None and prompt_id in (prompt["id"] for prompt in prompts):
            check.problem(fields["id"].line, f"{where}.id", f'"{prompt_id}" is used twice')
        prompts.append(
            {
                "id": prompt_id,
                "text": _field(fields, "text", check.language_map, f"{where}.text"),
            }
        )
    return prompts


def _read_module(check: _Check, text: str) -> dict | None:
    """module.yaml's values, or None when it is too broken to say what the folder holds."""
    node = check.parse_yaml(text)
    if node is None or not check.is_mapping(node):
        return None
    fields = check.fields(
        node,
        "",
        required=("title", "summary", "lessons"),
        optional=("quiz", "prerequisites", "sequential", "sources"),
    )
    lessons = _field(fields, "lessons", check.slugs, at_least=1, what="lesson slugs")
    return {
        "title": _field(fields, "title", check.language_map),
        "summary": _field(fields, "summary", check.language_map),
        # None when no lesson is known, so lesson files are not blamed for a broken list.
        "lessons": lessons or None,
        "quiz": (_field(fields, "quiz", check.slug), fields["quiz"].line)
        if "quiz" in fields
        else None,
        "prerequisites": _field(fields, "prerequisites", check.slugs, what="module slugs") or [],
        "sequential": bool(_field(fields, "sequential", check.flag)),
        "sources": [
            _source(check, item, f"sources[{index}]")
            for index, item in enumerate(
                _field(fields, "sources", check.items, what="sources") or (), 1
            )
        ],
    }


def _source(check: _Check, node: _Node, where: str) -> dict:
    fields = check.fields(node, where, required=("title", "url"), optional=("publisher", "year"))
    source = {"title": _field(fields, "title", check.text, f"{where}.title")}
    if "publisher" in fields:
        source["publisher"] = check.text(fields["publisher"], f"{where}.publisher")
    if "year" in fields:
        source["year"] = check.whole(fields["year"], f"{where}.year")
    source["url"] = _field(fields, "url", check.link, f"{where}.url")
    return source


def _front_matter(text: str) -> tuple[str, str, int] | None:
    """(header YAML, body, body line offset) of a lesson file, or None without a header."""
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        return None
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            return "\n".join(lines[1:index]), "\n".join(lines[index + 1 :]), index + 1
    return None


def _read_lesson(check: _Check, text: str, *, asset_names: set[str]) -> dict | None:
    split = _front_matter(text)
    if split is None:
        check.problem(1, "", 'a lesson starts with a front matter header between two "---" lines')
        return None
    header, body, body_offset = split
    node = check.parse_yaml(header, first_line=2)
    if node is None:
        return None
    if node.value is None:
        node = _Node({}, 2)
    fields = check.fields(node, "", required=("title", "minutes", "kind"), optional=("video",))
    lesson = {
        "title": _field(fields, "title", check.text),
        "minutes": _field(fields, "minutes", check.whole),
        "kind": None,
        "video": _field(fields, "video", check.link, schemes=("https",)),
        "markdown": body,
        "lines": {key: child.line for key, child in fields.items()},
    }
    if "kind" in fields:
        kind = fields["kind"]
        if kind.value in KINDS:
            lesson["kind"] = kind.value
        else:
            check.problem(kind.line, "kind", f"{_shown(kind)} is not one of {', '.join(KINDS)}")
    if lesson["kind"] == "video" and "video" not in fields:
        check.problem(fields["kind"].line, "video", "a video lesson needs an https link to it")
    for kind, target, line in referenced_links(body):
        _check_target(check, kind, target, line=line + body_offset, asset_names=asset_names)
    return lesson


def _check_target(check: _Check, kind: str, target: str, *, line: int, asset_names: set) -> None:
    if kind == "image":
        name = asset_name(target)
        if name is None:
            check.problem(
                line, f'image "{target}"', "images are files of the package: ../assets/<name>"
            )
        elif name not in asset_names:
            check.problem(line, f'image "{target}"', f"there is no assets/{name}")
    elif not _is_link(target, LINK_SCHEMES):
        check.problem(line, f'link "{target}"', "a link must be an https, http or mailto address")


def _read_quiz(check: _Check, text: str) -> dict | None:
    node = check.parse_yaml(text)
    if node is None:
        return None
    fields = check.fields(node, "", required=("title", "pass_mark", "minutes", "questions"))
    questions: list[dict] = []
    items = _field(fields, "questions", check.items, at_least=1, what="questions") or []
    for index, item in enumerate(items, 1):
        question = _question(check, item, f"questions[{index}]")
        if question["id"] is not None and question["id"] in (seen["id"] for seen in questions):
            check.problem(item.line, f"questions[{index}].id", f'"{question["id"]}" is used twice')
        questions.append(question)
    return {
        "title": _field(fields, "title", check.language_map),
        "pass_mark": _field(fields, "pass_mark", check.whole, high=100),
        "minutes": _field(fields, "minutes", check.whole),
        "questions": questions,
    }


QUESTION_FIELDS = {
    "single": (("options",), ("explanation",)),
    "multiple": (("options",), ("explanation",)),
    "true_false": (("answer", "explanation"), ()),
    "numeric": (("answer", "explanation"), ("tolerance",)),
}


def _question(check: _Check, node: _Node, where: str) -> dict:
    """A question, normalised to the shape Quiz.questions promises."""
    raw = node.value if isinstance(node.value, dict) else {}
    kind_node = raw.get("type")
    kind = kind_node.value if kind_node is not None and kind_node.value in QUESTION_TYPES else None
    if kind_node is not None and kind is None:
        check.problem(
            kind_node.line,
            f"{where}.type",
            f"{_shown(kind_node)} is not one of {', '.join(QUESTION_TYPES)}",
        )
    # Without a known type, accept every question field rather than guess which are wrong.
    required, optional = QUESTION_FIELDS.get(
        kind, ((), ("options", "answer", "tolerance", "explanation"))
    )
    fields = check.fields(
        node, where, required=("id", "type", "text", *required), optional=optional
    )
    question = {
        "id": _field(fields, "id", check.slug, f"{where}.id"),
        "type": kind,
        "text": _field(fields, "text", check.language_map, f"{where}.text"),
        "explanation": _field(fields, "explanation", check.language_map, f"{where}.explanation"),
        "options": [],
        "answer": None,
        "tolerance": 0.0,
    }
    if kind in ("single", "multiple") and "options" in fields:
        question["options"] = _options(check, fields["options"], where, kind)
    elif kind == "true_false" and "answer" in fields:
        question["answer"] = check.flag(fields["answer"], f"{where}.answer")
    elif kind == "numeric":
        if "answer" in fields:
            question["answer"] = check.number(
                fields["answer"],
                f"{where}.answer",
                rule="a numeric question needs a number as its answer",
            )
        if "tolerance" in fields:
            tolerance = check.number(fields["tolerance"], f"{where}.tolerance")
            if tolerance is not None and tolerance < 0:
                check.problem(fields["tolerance"].line, f"{where}.tolerance", "must be 0 or more")
            question["tolerance"] = tolerance
    return question


def _options(check: _Check, node: _Node, where: str, kind: str) -> list[dict]:
    options: list[dict] = []
    items = check.items(node, f"{where}.options", at_least=2, what="options")
    for index, item in enumerate(items, 1):
        at = f"{where}.options[{index}]"
        fields = check.fields(
            item, at, required=("id", "text", "explanation"), optional=("correct",)
        )
        option = {
            "id": _field(fields, "id", check.slug, f"{at}.id"),
            "text": _field(fields, "text", check.language_map, f"{at}.text"),
            "correct": bool(_field(fields, "correct", check.flag, f"{at}.correct")),
            "explanation": _field(fields, "explanation", check.language_map, f"{at}.explanation"),
        }
        if option["id"] is not None and option["id"] in (seen["id"] for seen in options):
            check.problem(fields["id"].line, f"{at}.id", f'"{option["id"]}" is used twice')
        options.append(option)
    if items:
        correct = sum(option["correct"] for option in options)
        if kind == "single" and correct != 1:
            check.problem(
                node.line,
                f"{where}.options",
                f"a single question needs exactly one correct option, not {correct}",
            )
        if kind == "multiple" and correct == 0:
            check.problem(
                node.line,
                f"{where}.options",
                "a multiple question needs at least one correct option",
            )
    return options


def _check_asset(problems: list[Problem], name: str, data: bytes) -> Asset | None:
    path = f"assets/{name}"
    media_type = ASSET_TYPES.get(pathlib.PurePosixPath(name).suffix.lower())
    if media_type is None:
        problems.append(
            Problem(path, None, f"an asset must be one of {', '.join(ASSET_TYPES)} images")
        )
        return None
    if _sniff(data) != media_type:
        kind = media_type.removeprefix("image/").upper()
        problems.append(Problem(path, None, f"the file is not really a {kind} image"))
        return None
    return Asset(name=name, media_type=media_type, data=data)


def _sniff(data: bytes) -> str | None:
    """The image type the bytes themselves say, whatever the file is called."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _lesson_hash(*, module: str, slug: str, kind: str, minutes: int, video, title, markdown) -> str:
    """Changes whenever anything a learner sees of the lesson changes, in any language."""
    canonical = json.dumps(
        {
            "module": module,
            "lesson": slug,
            "kind": kind,
            "minutes": minutes,
            "video": video,
            "title": title,
            "markdown": markdown,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# The package as a whole


@dataclass
class _Folder:
    """The files of one top-level folder, by what their names say they are."""

    has_module: bool = False
    lessons: dict[tuple[str, str], str] = field(default_factory=dict)  # (slug, language): path
    quizzes: dict[str, str] = field(default_factory=dict)  # slug: path


class _Layout:
    """Where every file of a package goes, and the files that go nowhere."""

    def __init__(self, problems: list[Problem], files: dict[str, bytes]):
        self.course: bytes | None = files.get("course.yaml")
        self.badges: bytes | None = files.get("badges.yaml")
        self.assets: dict[str, bytes] = {}
        self.badge_images: dict[str, bytes] = {}
        self.folders: dict[str, _Folder] = {}
        hidden: set[str] = set()
        for path, data in sorted(files.items()):
            parts = path.split("/")
            hidden_at = next((i for i, part in enumerate(parts) if part.startswith(".")), None)
            if hidden_at is not None:
                hidden.add("/".join(parts[: hidden_at + 1]))
            elif path in ("course.yaml", "badges.yaml"):
                continue
            elif len(parts) == 2 and parts[0] == "assets":
                self.assets[parts[1]] = data
            elif len(parts) == 2 and parts[0] == "badges" and BADGE_IMAGE.fullmatch(parts[1]):
                self.badge_images[parts[1]] = data
            elif len(parts) == 2 and self._place(parts[0], parts[1]):
                continue
            else:
                problems.append(
                    Problem(path, None, f"unexpected file; a package holds {EXPECTED_FILES}")
                )
        for path in sorted(hidden):
            problems.append(Problem(path, None, "hidden files and folders are not allowed"))

    def _place(self, folder_name: str, name: str) -> bool:
        """File a module folder's file under what its name says it is; False if it says nothing."""
        quiz, lesson = QUIZ_FILE.fullmatch(name), LESSON_FILE.fullmatch(name)
        if name != "module.yaml" and not quiz and not lesson:
            return False
        folder = self.folders.setdefault(folder_name, _Folder())
        if quiz:
            folder.quizzes[quiz["slug"]] = f"{folder_name}/{name}"
        elif lesson:
            folder.lessons[lesson["slug"], lesson["language"]] = f"{folder_name}/{name}"
        else:
            folder.has_module = True
        return True


def load_package(files: dict[str, bytes]) -> tuple[Package | None, list[Problem]]:
    """Check a package and load it; the Package comes back only when there is no problem.

    When course.yaml is missing or too broken to say which languages and modules there are,
    the problems stop at course.yaml and the files themselves: module checks would be guesswork.
    """
    problems: list[Problem] = []
    layout = _Layout(problems, files)
    assets = {}
    for name, data in layout.assets.items():
        asset = _check_asset(problems, name, data)
        if asset is not None:
            assets[name] = asset
    course = None
    if layout.course is None:
        problems.append(
            Problem("course.yaml", None, "missing: a package has course.yaml at its root")
        )
    elif (text := _decode(problems, "course.yaml", layout.course)) is not None:
        course = _read_course(_Check(problems, "course.yaml", None), text)
    if course is None or not course["languages"] or course["modules"] is None:
        return None, sorted(problems, key=_order)
    modules = _Modules(problems, files, layout, course["languages"]).read(course["modules"])
    badges = _read_badges(problems, layout, course)
    if problems:
        return None, sorted(problems, key=_order)
    return _package(course, modules, assets, badges), []


def _read_badges(problems: list[Problem], layout: _Layout, course: dict) -> list[Badge]:
    """badges.yaml's badges (none without the file), and their images in badges/."""
    used_images: set[str] = set()
    badges: list[Badge] = []
    text = _decode(problems, "badges.yaml", layout.badges) if layout.badges is not None else None
    check = _Check(problems, "badges.yaml", course["languages"])
    node = check.parse_yaml(text) if text is not None else None
    if node is not None and check.is_mapping(node):
        fields = check.fields(node, "", required=("badges",))
        items = _field(fields, "badges", check.items, at_least=1, what="badges") or []
        module_slugs = {slug for slug, _line in course["modules"]}
        for index, item in enumerate(items, 1):
            badge = _badge(check, item, f"badges[{index}]", module_slugs, layout, used_images)
            if badge is not None and badge.slug in (other.slug for other in badges):
                check.problem(item.line, f"badges[{index}].slug", f'"{badge.slug}" is used twice')
            elif badge is not None:
                badges.append(badge)
    for name in sorted(set(layout.badge_images) - used_images):
        problems.append(Problem(f"badges/{name}", None, "no badge in badges.yaml uses this image"))
    return badges


def _badge(
    check: _Check,
    node: _Node,
    where: str,
    module_slugs: set[str],
    layout: _Layout,
    used_images: set[str],
) -> Badge | None:
    """One badge of badges.yaml; None when anything about it is wrong (each thing reported)."""
    before = len(check.problems)
    fields = check.fields(
        node,
        where,
        required=("slug", "name", "description", "criteria", "colour", "icon", "rule"),
        optional=("image",),
    )
    slug = _field(fields, "slug", check.slug, f"{where}.slug")
    texts = {}
    for key, limit in BADGE_TEXT_LIMITS.items():
        texts[key] = _field(fields, key, check.language_map, f"{where}.{key}") or {}
        for language, value in texts[key].items():
            if len(value) > limit:
                check.problem(
                    fields[key].line, f"{where}.{key}.{language}", f"at most {limit} characters"
                )
    colour = fields.get("colour")
    if colour is not None and not (
        isinstance(colour.value, str) and COLOUR.fullmatch(colour.value)
    ):
        check.problem(
            colour.line, f"{where}.colour", f"{_shown(colour)} is not a colour like #1b5e20"
        )
    icon = fields.get("icon")
    if icon is not None and icon.value not in ICONS:
        check.problem(
            icon.line, f"{where}.icon", f"{_shown(icon)} is not one of {', '.join(sorted(ICONS))}"
        )
    rule = _badge_rule(check, fields.get("rule"), f"{where}.rule", module_slugs)
    image_svg = _badge_image(check, fields.get("image"), f"{where}.image", layout, used_images)
    if len(check.problems) > before:
        return None
    return Badge(
        slug=slug,
        name=texts["name"],
        description=texts["description"],
        criteria=texts["criteria"],
        colour=colour.value,
        icon=icon.value,
        image_svg=image_svg,
        rule=rule,
    )


def _badge_rule(check: _Check, node: _Node | None, where: str, module_slugs: set[str]) -> dict:
    if node is None or not check.is_mapping(node, where):
        return {}
    kind = node.value.get("type")
    if kind is None or kind.value not in BADGE_RULES:
        check.problem(
            node.line if kind is None else kind.line,
            f"{where}.type",
            f"must be one of {', '.join(BADGE_RULES)}",
        )
        return {}
    fields = check.fields(node, where, required=("type", *BADGE_RULES[kind.value]))
    rule: dict[str, Any] = {"type": kind.value}
    if "modules" in fields:
        listed = check.slugs(fields["modules"], f"{where}.modules", at_least=1, what="modules")
        for module, line in listed:
            if module not in module_slugs:
                check.problem(line, f"{where}.modules", f'"{module}" is not a module of the course')
        rule["modules"] = [module for module, _line in listed]
    return rule


def _badge_image(
    check: _Check, node: _Node | None, where: str, layout: _Layout, used_images: set[str]
) -> str | None:
    """The sanitised SVG an `image:` names in badges/, or None when the platform draws one."""
    if node is None:
        return None
    name = node.value
    if not isinstance(name, str) or not BADGE_IMAGE.fullmatch(name):
        check.problem(node.line, where, f"{_shown(node)} is not a file name like explorer.svg")
        return None
    data = layout.badge_images.get(name)
    if data is None:
        check.problem(node.line, where, f"there is no file badges/{name}")
        return None
    used_images.add(name)
    try:
        return sanitise_svg(data.decode("utf-8"))
    except UnicodeDecodeError:
        check.problem(node.line, where, f"badges/{name} is not UTF-8 text")
    except UnsafeSvg as error:
        for problem in error.problems:
            check.problem(node.line, where, f"badges/{name}: {problem}")
    return None


def _order(problem: Problem) -> tuple:
    return (problem.file, problem.line or 0)


class _Modules:
    """Reads the listed modules, and checks them against each other and the folders there are."""

    def __init__(self, problems, files: dict[str, bytes], layout: _Layout, languages: list[str]):
        self.problems = problems
        self.files = files
        self.layout = layout
        self.languages = languages
        self.lesson_homes: dict[str, str] = {}  # lesson slug: the module that has it first
        self.quiz_homes: dict[str, str] = {}

    def read(self, listed: list[tuple[str, int]]) -> dict[str, dict]:
        modules = {}
        for slug, line in listed:
            module = self._module(slug, line)
            if module is not None:
                modules[slug] = module
        for name in sorted(set(self.layout.folders) - {slug for slug, _line in listed}):
            self.problems.append(
                Problem(f"{name}/", None, f'folder "{name}" is not a module listed in course.yaml')
            )
        self._check_prerequisites(modules, [slug for slug, _line in listed])
        return modules

    def _text(self, path: str) -> str | None:
        return _decode(self.problems, path, self.files[path])

    def _module(self, slug: str, line: int) -> dict | None:
        folder = self.layout.folders.get(slug)
        if slug in RESERVED_FOLDERS:
            self.problems.append(
                Problem("course.yaml", line, f'modules: "{slug}" is the folder of images')
            )
            return None
        if folder is None:
            self.problems.append(
                Problem("course.yaml", line, f'modules: there is no module folder "{slug}/"')
            )
            return None
        path = f"{slug}/module.yaml"
        if not folder.has_module:
            self.problems.append(Problem(path, None, "missing: a module folder has a module.yaml"))
            return None
        check = _Check(self.problems, path, self.languages)
        text = self._text(path)
        module = _read_module(check, text) if text is not None else None
        if module is None:
            return None
        module["slug"] = slug
        module["lesson_data"] = []
        for lesson_slug, lesson_line in module["lessons"] or ():
            home = self.lesson_homes.setdefault(lesson_slug, slug)
            if home != slug:
                check.problem(
                    lesson_line,
                    "lessons",
                    f'lesson "{lesson_slug}" is already in module "{home}"; '
                    "lesson slugs are unique in a course",
                )
            lesson = self._lesson(check, folder, module=slug, slug=lesson_slug, line=lesson_line)
            if lesson is not None:
                module["lesson_data"].append(lesson)
        module["quiz_data"] = self._quiz(check, folder, module)
        self._check_lesson_files(folder, module)
        return module

    def _lesson(
        self, check: _Check, folder: _Folder, *, module: str, slug: str, line: int
    ) -> dict | None:
        """One lesson in every language, which must agree on kind, minutes and video."""
        missing = [lang for lang in self.languages if (slug, lang) not in folder.lessons]
        if len(missing) == len(self.languages):
            expected = ", ".join(f"{module}/{slug}.{lang}.md" for lang in self.languages)
            check.problem(line, "lessons", f'lesson "{slug}" has no files; expected {expected}')
            return None
        for language in missing:
            check.problem(
                line,
                "lessons",
                f'lesson "{slug}" has no file for language "{language}": '
                f"expected {module}/{slug}.{language}.md",
            )
        translations = {}
        for language in self.languages:
            path = folder.lessons.get((slug, language))
            if path is None or (text := self._text(path)) is None:
                continue
            lesson_check = _Check(self.problems, path, self.languages)
            lesson = _read_lesson(lesson_check, text, asset_names=set(self.layout.assets))
            if lesson is not None:
                translations[language] = (path, lesson)
        if not translations:
            return None
        first_path, first = next(iter(translations.values()))
        for path, lesson in list(translations.values())[1:]:
            for key in ("kind", "minutes", "video"):
                if lesson[key] != first[key] and not _broken(first, key, lesson):
                    self.problems.append(
                        Problem(
                            path,
                            lesson["lines"].get(key),
                            f"{key}: {lesson[key] or 'none'} here but {first[key] or 'none'} in "
                            f"{first_path}; a lesson has the same {key} in every language",
                        )
                    )
        return {"slug": slug, "translations": {lang: t for lang, (_, t) in translations.items()}}

    def _quiz(self, check: _Check, folder: _Folder, module: dict) -> dict | None:
        """The module's quiz, after blaming every quiz file that is not it."""
        slug, line = module["quiz"] or (None, None)
        if line is not None and slug is None:
            return None  # a quiz field that is not a slug, reported already
        for other, path in folder.quizzes.items():
            if other != slug:
                self.problems.append(
                    Problem(path, None, f"this quiz is not the quiz of {check.file}")
                )
        if slug is None:
            return None
        home = self.quiz_homes.setdefault(slug, module["slug"])
        if home != module["slug"]:
            check.problem(
                line,
                "quiz",
                f'quiz "{slug}" is already in module "{home}"; quiz slugs are unique in a course',
            )
        path = folder.quizzes.get(slug)
        if path is None:
            check.problem(line, "quiz", f"there is no file {module['slug']}/{slug}.quiz.yaml")
            return None
        text = self._text(path)
        if text is None:
            return None
        quiz = _read_quiz(_Check(self.problems, path, self.languages), text)
        return {"slug": slug, **quiz} if quiz else None

    def _check_lesson_files(self, folder: _Folder, module: dict) -> None:
        """Lesson files in a language the course lacks, or of a lesson module.yaml does not list."""
        listed = {slug for slug, _line in module["lessons"] or ()}
        for (slug, language), path in folder.lessons.items():
            if language not in self.languages:
                self.problems.append(
                    Problem(
                        path,
                        None,
                        f'language "{language}" is not one of the course\'s languages '
                        f"({', '.join(self.languages)})",
                    )
                )
            elif module["lessons"] is not None and slug not in listed:
                self.problems.append(
                    Problem(
                        path, None, f'lesson "{slug}" is not listed in {module["slug"]}/module.yaml'
                    )
                )

    def _check_prerequisites(self, modules: dict[str, dict], order: list[str]) -> None:
        """Prerequisites name other modules of the course, and no module requires itself at all."""
        requires: dict[str, list[tuple[str, int]]] = {}
        for slug, module in modules.items():
            check = _Check(self.problems, f"{slug}/module.yaml", self.languages)
            requires[slug] = []
            for index, (other, line) in enumerate(module["prerequisites"], 1):
                where = f"prerequisites[{index}]"
                if other == slug:
                    check.problem(line, where, "a module cannot require itself")
                elif other not in order:
                    check.problem(line, where, f'"{other}" is not a module of this course')
                elif other in modules:
                    requires[slug].append((other, line))
        for cycle, line in _cycles(requires, order):
            self.problems.append(
                Problem(
                    f"{cycle[0]}/module.yaml",
                    line,
                    f"prerequisites form a cycle: {' -> '.join(cycle)}",
                )
            )


def _broken(first: dict, key: str, other: dict) -> bool:
    """Whether either translation got the field wrong, which is reported already.

    A missing video is no mistake: it is a difference only when another language has one.
    """
    return any(
        lesson[key] is None and (key != "video" or key in lesson["lines"])
        for lesson in (first, other)
    )


def _cycles(requires: dict[str, list[tuple[str, int]]], order: list[str]) -> list[tuple]:
    """Each cycle once, as (modules from the one first in the course and back, line of its
    first requirement)."""
    found: dict[tuple, int] = {}
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(slug: str) -> None:
        state[slug] = "open"
        path.append(slug)
        for other, _line in requires[slug]:
            if state.get(other) == "open":
                cycle = path[path.index(other) :]
                start = min(range(len(cycle)), key=lambda i: order.index(cycle[i]))
                cycle = cycle[start:] + cycle[:start]
                line = next(line for target, line in requires[cycle[0]] if target == cycle[1])
                found.setdefault((*cycle, cycle[0]), line)
            elif other not in state:
                visit(other)
        path.pop()
        state[slug] = "done"

    for slug in order:
        if slug in requires and slug not in state:
            visit(slug)
    return list(found.items())


def _package(
    course: dict, modules: dict[str, dict], assets: dict[str, Asset], badges: list[Badge]
) -> Package:
    """Build the Package from values that have all been checked."""
    return Package(
        slug=course["slug"],
        version=course["version"],
        version_line=course["version_line"],
        languages=course["languages"],
        title=course["title"],
        summary=course["summary"],
        tags=[tag for tag, _line in course["tags"]],
        audience=[audience for audience, _line in course["audience"]],
        estimated_minutes=course["estimated_minutes"],
        licence=course["licence"],
        authors=course["authors"],
        certifiable=course["certifiable"],
        reflection_prompts=course["reflection_prompts"],
        modules=[_module(modules[slug]) for slug, _line in course["modules"]],
        assets=assets,
        badges=badges,
    )


def _module(module: dict) -> Module:
    quiz = module["quiz_data"]
    return Module(
        slug=module["slug"],
        title=module["title"],
        summary=module["summary"],
        prerequisites=[slug for slug, _line in module["prerequisites"]],
        sequential=module["sequential"],
        sources=module["sources"],
        lessons=[_lesson(module["slug"], lesson) for lesson in module["lesson_data"]],
        quiz=Quiz(**quiz) if quiz else None,
    )


def _lesson(module_slug: str, lesson: dict) -> Lesson:
    translations = lesson["translations"]
    first = next(iter(translations.values()))
    title = {language: text["title"] for language, text in translations.items()}
    markdown = {language: text["markdown"] for language, text in translations.items()}
    return Lesson(
        slug=lesson["slug"],
        kind=first["kind"],
        minutes=first["minutes"],
        video=first["video"],
        title=title,
        markdown=markdown,
        content_hash=_lesson_hash(
            module=module_slug,
            slug=lesson["slug"],
            kind=first["kind"],
            minutes=first["minutes"],
            video=first["video"],
            title=title,
            markdown=markdown,
        ),
    )
