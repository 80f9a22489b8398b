"""Reading YAML files into plain data while remembering where every value came from.

ruamel.yaml's round-trip loader is the authority: it is YAML 1.2 (so `no` stays a string), rejects
duplicate keys, and keeps line and column of every key and item for precise error messages. A clean
file is read faster by libyaml with the same result (quickread.py); ruamel.yaml reads the rest.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, ScalarEvent
from ruamel.yaml.nodes import MappingNode
from ruamel.yaml.reader import ReaderError

from .errors import ContentError, Problem, display_path
from .files import ReadError, read_bounded
from .quickread import read_clean

#: A notice is tens of kilobytes; anything this large is a mistake, refused before parsing.
MAX_BYTES = 2 * 1024 * 1024
#: Deeper nesting than any notice needs; bounds recursion in every later stage.
MAX_DEPTH = 32

PathItem = str | int
FieldPath = tuple[PathItem, ...]


class _Constructor(RoundTripConstructor):
    """Keeps dates as the text written, so the schema's format checker judges them (2024-02-30 fails)."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


class _Refused(MarkedYAMLError):
    """Valid YAML that a notice does not accept, located where it is written."""


class _Composer(Composer):
    """Refuses aliases and excessive nesting while the file is composed, before anything is built.

    Aliases are refused rather than expanded: expanding them is how "billion laughs" files exhaust
    memory, and a notice has no need for them. This covers scalar aliases and merge keys (<<: *name)
    too; a merge key with any other value (<<: {a: 1}) is refused the same way. The depth check keeps every later stage, and the composer itself, clear of RecursionError.
    With `refuse_tags` set on the loader, tags are refused too: `en: !Viktig melding` would silently
    lose "!Viktig" from the text.
    """

    _nesting = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            if event.anchor not in self.anchors:  # most likely Markdown emphasis: *important* text
                problem = "a value starting with '*' is read as a YAML alias: put the text in quotes"
            else:
                problem = "YAML aliases (*name) are not supported: write the value out in full"
            raise _Refused(problem=problem, problem_mark=event.start_mark)
        if isinstance(event, ScalarEvent) and event.value == "<<" and event.style is None and index is None and isinstance(parent, MappingNode):
            raise _Refused(problem="YAML merge keys (<<) are not supported: write the fields out in full", problem_mark=event.start_mark)
        if getattr(event, "tag", None) is not None and getattr(self.loader, "refuse_tags", False):
            raise _Refused(problem="a value starting with '!' is read as a YAML tag: put the text in quotes", problem_mark=event.start_mark)
        if self._nesting > MAX_DEPTH:  # the root is at nesting 0
            raise _Refused(problem=f"nesting is too deep (more than {MAX_DEPTH} levels)", problem_mark=event.start_mark)
        self._nesting += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._nesting -= 1


def yaml_loader() -> YAML:
    """The one YAML configuration used for reading and round-trip writing."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Composer = _Composer
    yaml.allow_duplicate_keys = False
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    return yaml


@dataclass(frozen=True)
class Document:
    """A parsed YAML file: plain data for validation, the ruamel tree for positions."""

    path: Path
    name: str  # as shown in messages
    tree: Any  # ruamel CommentedMap, keeps positions
    data: Any  # plain dicts, lists and scalars

    def problem(self, field: FieldPath, message: str, *, at: str = "value", severity: str = "error") -> Problem:
        """A Problem located at `field` (at="key" points at the key itself, e.g. for unknown keys)."""
        line, column = locate(self.tree, field, at=at)
        return Problem(self.name, line, column, format_field(self.data, field), message, severity)


def read_document(path: Path, *, allow_tags: bool = True, root: Path | None = None, limit: int = MAX_BYTES) -> Document:
    """Parse one YAML file, or raise ContentError with a located problem.

    Content files are read with allow_tags=False and their content folder as `root` (no symlinks
    below it); other YAML (mkdocs.yml) may use tags. At most `limit` bytes are read.
    """
    name = display_path(path)

    def fail(message: str, line: int = 1, column: int = 1) -> ContentError:
        return ContentError([Problem(name, line, column, "", message)])

    try:
        raw = read_bounded(path, limit, root=root)
    except ReadError as exc:
        raise fail(f"file {exc}") from None
    except OSError as exc:
        raise fail(f"cannot read file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        # in characters, as editors count: the bytes before the bad one decoded fine
        column = len(raw[raw.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8")) + 1
        raise fail("file is not UTF-8 text; save it with UTF-8 encoding", line, column) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        raise fail("file is empty")
    clean = read_clean(text, MAX_DEPTH)
    if clean is not None:
        return Document(path=path, name=name, tree=clean[0], data=clean[1])
    try:
        yaml = yaml_loader()
        yaml.refuse_tags = not allow_tags
        tree = yaml.load(io.StringIO(text))
    except DuplicateKeyError as exc:
        mark = exc.problem_mark
        key = _quoted_key(exc.problem or "")
        raise fail(f"duplicate key {key}: each key may appear only once in a mapping", mark.line + 1, mark.column + 1) from None
    except _Refused as exc:
        raise fail(exc.problem, exc.problem_mark.line + 1, exc.problem_mark.column + 1) from None
    except MarkedYAMLError as exc:
        problem, mark = _syntax_problem(exc)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise fail(problem, line, column) from None
    except RecursionError:
        raise fail(f"nesting is too deep (more than {MAX_DEPTH} levels)") from None
    except ReaderError as exc:  # control characters; the position counts characters from the start
        before = text[: exc.position] if isinstance(exc.position, int) else ""
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        character = f" (U+{exc.character:04X})" if isinstance(exc.character, int) else ""
        raise fail(f"invisible control character{character}: delete it", line, column) from None
    except YAMLError as exc:  # other unmarked errors
        raise fail(f"YAML error: {str(exc).splitlines()[0]}") from None
    if tree is None:
        raise fail("file is empty")
    if not isinstance(tree, CommentedMap):
        raise fail("the file must be a mapping of fields (key: value), not a single value or a list")
    data = _plain(tree)
    return Document(path=path, name=name, tree=tree, data=data)


#: ruamel's wording -> plain words ({found}: the character ruamel found), and whether to point where
#: the construct began (context mark) rather than where the parser gave up. First match wins.
_INDENTED = "this line is indented differently from the lines before it: keys of one mapping start in the same column"
_SYNTAX = [
    ("expected <block end>, but found '<block mapping start>'", _INDENTED, False),
    ("expected '<document start>', but found ('<block mapping start>',)", _INDENTED, False),
    ("expected <block end>, but found '<block sequence start>'", "this list item is indented differently from the items before it", False),
    ("expected <block end>, but found '<scalar>'", "unexpected text: check that every quote is closed and that nothing follows a closing quote", False),
    ("expected <block end>, but found", "unexpected '{found}': check the indentation of this line, and put text that contains '{found}' in quotes", False),
    ("mapping values are not allowed here", "a second ':' in this value: put text that contains ': ' in quotes", False),
    ("could not find expected ':'", "a key without ':' (write key: value)", True),
    ("expected ',' or ']'", "this [list] is not closed with ']'", True),
    ("expected ',' or '}'", "this {{mapping}} is not closed with '}}'", True),
    ("found unexpected end of stream while scanning a quoted scalar", "this quote is not closed", True),
    ("expected alphabetic or numeric character", "a value starting with '&' or '*' must be in quotes", True),
    ("expected chomping or indentation indicators", "a value starting with '|' or '>' must be in quotes", True),
    ("found character", "a value cannot start with '{found}': put the value in quotes", False),  # ... that cannot start any token
    ("found unknown escape character", "'\\{found}' is no escape in \"double quotes\": use 'single quotes', or write \\\\ for a backslash", False),
]


def _syntax_problem(exc: MarkedYAMLError) -> tuple[str, Any]:
    """A plain message for a YAML syntax error, and the mark to report it at."""
    problem = exc.problem or exc.context or "invalid YAML"
    if "'\\t'" in problem:
        return "tab character: indent with spaces, not tabs", exc.problem_mark or exc.context_mark
    found = problem.split("'")[1] if problem.count("'") >= 2 else "?"
    for start, plain, at_context in _SYNTAX:
        if f"{problem} {exc.context or ''}".startswith(start):
            mark = (exc.context_mark if at_context else None) or exc.problem_mark or exc.context_mark
            return f"YAML syntax error: {plain.format(found=found)}", mark
    return f"YAML syntax error: {problem}", exc.problem_mark or exc.context_mark


def _quoted_key(problem: str) -> str:
    # ruamel says: found duplicate key "a" with value ...
    start = problem.find('"')
    end = problem.find('"', start + 1)
    return problem[start : end + 1] if start >= 0 and end > start else "in mapping"


def _plain(node: Any) -> Any:
    """Copy the ruamel tree into plain Python data (the composer has refused aliases and deep nesting)."""
    if isinstance(node, CommentedMap):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return str(node)


def locate(tree: Any, field: Iterable[PathItem], at: str = "value") -> tuple[int, int]:
    """1-based line and column of the value (or key) at `field`; the nearest known ancestor if absent."""
    node = tree
    line, column = _own_position(tree)
    for item in field:
        if isinstance(node, CommentedMap) and item not in node:
            # keys are strings in the plain data: find `1:` or `~:` by their text
            item = next((key for key in node if str(key) == item), item)
        if isinstance(node, CommentedMap) and item in node:
            # an empty value has no position of its own (ruamel gives the next token's): use its key's
            position = node.lc.key(item) if at == "key" or node[item] is None else node.lc.value(item)
            node = node[item]
        elif isinstance(node, CommentedSeq) and isinstance(item, int) and 0 <= item < len(node):
            position = node.lc.item(item)
            node = node[item]
        else:
            break
        if position is not None:
            line, column = position[0] + 1, position[1] + 1
    return line, column


def _own_position(node: Any) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is not None and lc.line is not None:
        return lc.line + 1, lc.col + 1
    return 1, 1


def format_field(data: Any, field: Iterable[PathItem]) -> str:
    """purposes[newsletter].legal_basis, releases[2].effective: list items are named by their id (or
    name, or version) when they have one, and by their 0-based index otherwise."""
    out = ""
    node = data
    for item in field:
        if isinstance(item, int):
            label = str(item)
            if isinstance(node, list) and 0 <= item < len(node):
                child = node[item]
                if isinstance(child, dict):  # a release-log entry is named by its version, which counts from 1
                    ident = child.get("id", child.get("name", child.get("version")))
                    if isinstance(ident, (str, int)) and not isinstance(ident, bool) and str(ident).strip():
                        label = str(ident)
                node = child
            else:
                node = None
            out += f"[{label}]"
        else:
            out += f".{item}" if out else str(item)
            node = node.get(item) if isinstance(node, dict) else None
    return out
