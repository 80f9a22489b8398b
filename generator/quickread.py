"""Reading a clean YAML file with libyaml, the way ruamel.yaml would, or saying it cannot.

ruamel.yaml is pure Python, and its round-trip scanner spends much of its time collecting comments:
for a realistic notice that is about 175 ms on every `check`, `diff` and build. libyaml (PyYAML's C
parser, installed with MkDocs) reads the same file in 5 ms, and this module builds the same data and
positions from it in 20 ms in all.

libyaml speaks YAML 1.1, so it is used only for what the two versions agree on: the event stream.
Scalars are resolved by ruamel's own YAML 1.2 resolver (so `no` stays a string), and positions come
from libyaml's marks, which count lines and characters the way ruamel's do. Anything this reader
is not certain it reads exactly as ruamel.yaml would (an alias, anchor, tag, directive, duplicate
key, non-decimal number, merge key, YAML 1.1 line break, deep nesting, or any syntax error) makes it
return None, and the caller reads the file with ruamel.yaml, which also locates every problem.
"""

from __future__ import annotations

import re
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

try:
    import yaml as _pyyaml
    from yaml import CSafeLoader as _CParser
except ImportError:  # PyYAML built without libyaml: always read with ruamel.yaml
    _pyyaml = _CParser = None

#: Where the two parsers were seen to disagree: YAML 1.1 line breaks that YAML 1.2 reads as
#: ordinary characters, a BOM inside the text, and tabs (libyaml allows `a\tb` as a plain key).
_DISAGREE = re.compile("[\t\x85\u2028\u2029\ufeff]")
_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_STR, _INT, _BOOL, _NULL, _TIMESTAMP = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "null", "timestamp"))


class _Unsure(Exception):
    """This file needs ruamel.yaml."""


def read_clean(text: str, max_depth: int) -> tuple[CommentedMap, dict] | None:
    """The ruamel-shaped tree (for positions) and the plain data of a clean mapping file, or None."""
    if _CParser is None or _DISAGREE.search(text):
        return None
    parser = _CParser(text)
    try:
        return _Reader(parser, max_depth).document()
    except (_Unsure, _pyyaml.YAMLError, RecursionError):
        return None
    finally:
        parser.dispose()


class _Reader:
    def __init__(self, parser: Any, max_depth: int) -> None:
        self.next = parser.get_event
        self.max_depth = max_depth
        self.resolve = _resolver()

    def document(self) -> tuple[CommentedMap, dict]:
        self.next()  # stream start
        start = self.next()
        if not isinstance(start, _pyyaml.DocumentStartEvent) or start.version or start.tags:
            raise _Unsure  # an empty file, or a %YAML or %TAG directive
        first = self.next()
        if not isinstance(first, _pyyaml.MappingStartEvent):
            raise _Unsure  # the caller's own message says what a content file must be
        tree, data = self.mapping(first, 1)
        if not isinstance(self.next(), _pyyaml.DocumentEndEvent) or not isinstance(self.next(), _pyyaml.StreamEndEvent):
            raise _Unsure  # more than one document
        return tree, data

    def node(self, event: Any, depth: int) -> tuple[Any, Any]:
        if depth > self.max_depth or event.anchor is not None or getattr(event, "tag", None) is not None:
            raise _Unsure
        if isinstance(event, _pyyaml.ScalarEvent):
            value = self.scalar(event)
            return value, value
        if isinstance(event, _pyyaml.MappingStartEvent):
            return self.mapping(event, depth + 1)
        if isinstance(event, _pyyaml.SequenceStartEvent):
            return self.sequence(event, depth + 1)
        raise _Unsure  # an alias

    def mapping(self, start: Any, depth: int) -> tuple[CommentedMap, dict]:
        tree, data = CommentedMap(), {}
        tree._yaml_set_line_col(start.start_mark.line, start.start_mark.column)
        while not isinstance(event := self.next(), _pyyaml.MappingEndEvent):
            if not isinstance(event, _pyyaml.ScalarEvent):
                raise _Unsure  # a complex key
            key = self.node(event, depth)[0]
            value_event = self.next()
            value_tree, value_data = self.node(value_event, depth)
            if key in tree or str(key) in data:
                raise _Unsure  # ruamel reports the duplicate
            tree[key] = value_tree
            tree._yaml_set_kv_line_col(key, [event.start_mark.line, event.start_mark.column, value_event.start_mark.line, value_event.start_mark.column])
            data[str(key)] = value_data
        return tree, data

    def sequence(self, start: Any, depth: int) -> tuple[CommentedSeq, list]:
        tree, data = CommentedSeq(), []
        tree._yaml_set_line_col(start.start_mark.line, start.start_mark.column)
        while not isinstance(event := self.next(), _pyyaml.SequenceEndEvent):
            value_tree, value_data = self.node(event, depth)
            tree._yaml_set_idx_line_col(len(tree), [event.start_mark.line, event.start_mark.column])
            tree.append(value_tree)
            data.append(value_data)
        return tree, data

    def scalar(self, event: Any) -> Any:
        """The value ruamel.yaml's round-trip loader gives, with dates kept as written."""
        if not event.implicit[0]:  # quoted or block scalar
            return event.value
        tag = self.resolve(event.value)
        if tag in (_STR, _TIMESTAMP):
            return event.value
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return event.value.lower() == "true"
        if tag == _INT and _DECIMAL.fullmatch(event.value):
            return int(event.value)
        raise _Unsure  # floats, octal, hex, 1_000, merge keys: ruamel's own constructors decide


def _resolver() -> Any:
    """ruamel.yaml's YAML 1.2 implicit resolver, as a function of a plain scalar's text."""
    from ruamel.yaml.nodes import ScalarNode
    from ruamel.yaml.resolver import VersionedResolver

    resolve = VersionedResolver(version=(1, 2)).resolve
    return lambda value: resolve(ScalarNode, value, (True, False))
