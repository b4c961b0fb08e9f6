"""Reading YAML files safely, keeping the line and column of every key and value.

Every plain scalar stays text: `NO`, `yes`, `on`, `1:30` and `010` reach the models as the
strings they were written as, and the models decide what a field means. Only `null`, `~`
and empty values become None. Tags other than YAML's standard ones are refused, so are
duplicate keys, merge keys, and aliases that expand past a limit (in values and in text).

A file is read only when it is a regular file inside its folder (`trainer.files`), and its
size is known before any byte is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem
from .files import UnsafeFile, read_bytes

MAX_BYTES = 5 * 1024 * 1024
"""The largest YAML file trainer reads (the library's largest is under 100 KB)."""
MAX_NODES = 200_000
"""At most this many values once aliases are expanded ("billion laughs")."""
MAX_EXPANDED_CHARACTERS = 5_000_000
"""At most this many characters of text once aliases are expanded: no more than a file of
the largest size could hold, however few values it has (a 1 MB text repeated by alias)."""
MAX_DEPTH = 64
"""Mappings and lists nested at most this deep."""

_STANDARD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STANDARD + name for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")}
_NULLS = {"", "~", "null", "Null", "NULL"}

Path_ = tuple[str | int, ...]

try:  # libyaml's parser is several times faster; PyYAML's wheels ship it.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader


@dataclass
class Located:
    """The data of a YAML file and where each part of it stands in the file."""

    file: Path
    data: Any
    values: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """The (line, column) of the value at each path, 1-based."""
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    """The (line, column) of the key that introduces the value at each path."""

    def where(self, path: Path_, *, key: bool = False) -> tuple[int | None, int | None]:
        """The place of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            table = self.keys if key and path in self.keys else self.values
            if path in table:
                return table[path]
            if not path:
                return None, None
            path = path[:-1]

    def problem(self, path: Path_, message: str, *, key: bool = False, severity: str = "error") -> Problem:
        line, column = self.where(path, key=key)
        return Problem(self.file, line, column, message, severity)  # type: ignore[arg-type]


class YamlProblem(Exception):
    """Raised inside the reader; carries the problem to report."""

    def __init__(self, problem: Problem):
        self.problem = problem


def read_yaml(file: Path, text: str | None = None, root: Path | None = None, where: str = "the course folder") -> Located:
    """Read one YAML file, which must stay inside `root` (its folder) when one is given.
    Raises YamlProblem naming the file (or the link that leaves the folder), line and column."""
    if text is None:
        try:
            raw = read_bytes(file, MAX_BYTES, root, where)
        except UnsafeFile as error:
            raise YamlProblem(Problem(error.path, None, None, error.reason)) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
            raise YamlProblem(
                Problem(file, line, column, "the file is not UTF-8 text: save it as UTF-8 (byte %#04x)" % raw[error.start])
            ) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        raise YamlProblem(Problem(file, line, offset - text.rfind("\n", 0, offset), "the file contains a NUL byte"))
    try:
        _check_depth(file, text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        if mark is not None and _character_at(text, mark.line, mark.column) == "\t":
            raise YamlProblem(
                Problem(file, line, column, "a tab character where YAML expects spaces: indent with spaces only")
            ) from None
        what = error.problem or error.context or "invalid YAML"
        raise YamlProblem(Problem(file, line, column, f"invalid YAML: {what}")) from None
    except yaml.YAMLError as error:
        raise YamlProblem(Problem(file, None, None, f"invalid YAML: {error}")) from None
    except RecursionError:
        raise YamlProblem(Problem(file, None, None, "invalid YAML: nested too deeply")) from None
    located = Located(file, None)
    if node is not None:
        located.data = _Builder(located).build(node, (), 0)
    return located


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return ""


def _check_depth(file: Path, text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH from the parser's events, before any recursive
    step (libyaml's composer and parser have depth limits of their own, with their own words)."""
    # libyaml reads up to 1,024 characters ahead and has a flow-depth limit of its own, so
    # text whose brackets nest deeply is parsed by PyYAML's pure-Python parser, which yields
    # each event as it comes and lets trainer's limit answer first, at the right place
    brackets = re.sub(r"[^\[\]{}]", "", text)
    deepest = level = 0
    for bracket in brackets:
        level += 1 if bracket in "[{" else -1
        deepest = max(deepest, level)
    loader = yaml.SafeLoader if deepest > MAX_DEPTH else _Loader
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                mark = event.start_mark
                raise YamlProblem(Problem(file, mark.line + 1, mark.column + 1, f"nested more than {MAX_DEPTH} levels deep"))
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1


def _shown_path(path: Path_) -> str:
    """('organisers', 4) -> 'organisers[5]' (counted from 1, as people count)."""
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the top"


class _Builder:
    """Turns composed YAML nodes into plain data, recording where each value stands."""

    def __init__(self, located: Located):
        self.located = located
        self.count = 0
        self.characters = 0
        self.active: set[int] = set()

    def fail(self, node: yaml.Node, message: str) -> YamlProblem:
        mark = node.start_mark
        return YamlProblem(Problem(self.located.file, mark.line + 1, mark.column + 1, message))

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(node, f"too many values (over {MAX_NODES:,}): aliases may be expanding without end")
        if depth > MAX_DEPTH:
            raise self.fail(node, f"nested more than {MAX_DEPTH} levels deep")
        if node.tag not in _ALLOWED_TAGS:
            raise self.fail(node, f"the tag {node.tag.replace(_STANDARD, '!!')!r} is not allowed")
        self.located.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if isinstance(node, yaml.ScalarNode):
            self.characters += len(node.value)
            if self.characters > MAX_EXPANDED_CHARACTERS:
                raise self.fail(
                    node, f"aliases expand this file to more than {MAX_EXPANDED_CHARACTERS:,} characters of text "
                    f"(the limit), at {_shown_path(path)}"
                )
            if node.tag == _STANDARD + "null" or (node.style is None and node.value in _NULLS):
                return None
            return node.value
        if id(node) in self.active:
            raise self.fail(node, "an alias refers to the value that contains it")
        self.active.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode):
                return [self.build(item, (*path, index), depth + 1) for index, item in enumerate(node.value)]
            return self.mapping(node, path, depth)
        finally:
            self.active.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _STANDARD + "merge":
                raise self.fail(key_node, "merge keys ('<<') are not supported: write the keys out")
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, "a key must be a plain name, not a list or mapping")
            key = key_node.value
            if key in out:
                first = self.located.keys[(*path, key)][0]
                raise self.fail(key_node, f"duplicate key '{key}' (first given on line {first})")
            self.located.keys[(*path, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*path, key), depth + 1)
        return out
