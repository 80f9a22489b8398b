"""The libyaml reader must give exactly what ruamel.yaml gives (data and every position), or step aside.

An error message's line and column come from these positions, so a difference here would send an
editor to the wrong line; a difference in data would change the published notice.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from generator import document
from generator.document import MAX_DEPTH, _plain, yaml_loader
from generator.errors import ContentError
from generator.quickread import read_clean

REPO = Path(__file__).resolve().parent.parent
NOTICES = sorted(
    [REPO / "content/notice.yaml", REPO / "content/releases.yaml", *REPO.glob("content/releases/*/notice.yaml"), *REPO.glob("examples/*/notice.yaml"),
     *REPO.glob("tests/fixtures/*/notice.yaml"), *REPO.glob("generator/library/*.yaml")]
)


def ruamel_tree(text: str):
    return yaml_loader().load(io.StringIO(text))


def positions(tree, at=()) -> dict:
    """Every position ruamel records, by field path; an empty value has none of its own."""
    out = {}
    if isinstance(tree, (CommentedMap, CommentedSeq)):
        out[at] = (tree.lc.line, tree.lc.col)
    if isinstance(tree, CommentedMap):
        for key, value in tree.items():
            out[(*at, str(key), "key")] = tuple(tree.lc.key(key))
            if value is not None:
                out[(*at, str(key))] = tuple(tree.lc.value(key))
            out.update(positions(value, (*at, str(key))))
    elif isinstance(tree, CommentedSeq):
        for i, value in enumerate(tree):
            out[(*at, i)] = tuple(tree.lc.item(i))
            out.update(positions(value, (*at, i)))
    return out


def assert_same_as_ruamel(text: str) -> None:
    fast = read_clean(text, MAX_DEPTH)
    assert fast is not None, "a clean file should be read by libyaml"
    slow = ruamel_tree(text)
    assert fast[1] == _plain(slow)
    assert [type(v) for v in _walk(fast[1])] == [type(v) for v in _walk(_plain(slow))]  # 1 is not True
    assert positions(fast[0]) == positions(slow)


def _walk(data):
    yield data
    if isinstance(data, dict):
        for value in data.values():
            yield from _walk(value)
    elif isinstance(data, list):
        for value in data:
            yield from _walk(value)


@pytest.mark.parametrize("path", NOTICES, ids=lambda p: str(p.relative_to(REPO)))
def test_every_shipped_yaml_file_reads_the_same_as_with_ruamel(path):
    assert_same_as_ruamel(path.read_text(encoding="utf-8"))


def test_yaml_12_scalars_are_read_as_ruamel_reads_them():
    assert_same_as_ruamel(
        "a: no\nb: yes\nc: on\nd: 2024-02-30\ne: ~\nf:\ng: true\nh: FALSE\ni: -12\nj: '007'\nk: +47 22 33 44 55\nl: 12:30\n"
        'm: "æøå"\nn: {o: "ø", p: [1, x, "y"]}\nq: |\n  line one\n  line two\nr: >-\n  folded\n  text\n1: number key\n'
        "s:\n- indentless\n- [flow, 'list']\n"
    )


def test_windows_line_endings_read_the_same():
    assert_same_as_ruamel((REPO / "content/notice.yaml").read_text(encoding="utf-8").replace("\n", "\r\n"))


def test_columns_count_characters_not_bytes():
    fast, _ = read_clean('a: {b: "æøå", c: x}\n', MAX_DEPTH)
    assert tuple(fast["a"].lc.key("c")) == (0, 14)


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # alias
        "a: &x 1\n",  # anchor
        "a: !Viktig melding\n",  # tag
        "a: !!str 1\n",
        "%YAML 1.1\n---\na: no\n",  # ruamel honours the directive
        "a: 017\n",  # octal or decimal: ruamel's constructor decides
        "a: 0x1F\n",
        "a: 1_000\n",
        "a: 1.5\n",
        "a: .inf\n",
        "<<: {b: 1}\n",  # merge key
        "a: 1\na: 2\n",  # duplicate
        "1: x\n'1': y\n",  # the same key once made plain text
        "a: x\x85y\n",  # NEL: a line break in YAML 1.1, a character in 1.2
        "a: x\u2028y\n",
        "l\tanguages: x\n",  # libyaml reads one key, ruamel.yaml refuses the tab
        "a: [1, 2\n",  # syntax error
        "a: 1\n---\nb: 2\n",  # two documents
        "- a\n- b\n",  # not a mapping
        "? [a, b]\n: c\n",  # complex key
        "a:" + " {b:" * (MAX_DEPTH + 1) + " 1" + "}" * (MAX_DEPTH + 1) + "\n",
    ],
)
def test_anything_uncertain_is_left_to_ruamel(text):
    assert read_clean(text, MAX_DEPTH) is None


def test_nesting_limit_matches_ruamels(tmp_path, monkeypatch):
    monkeypatch.setattr(document, "read_clean", lambda *args: None)  # read_document: ruamel.yaml only
    for depth in (MAX_DEPTH, MAX_DEPTH + 1):
        path = tmp_path / f"nested-{depth}.yaml"
        path.write_text("a: " + "{b: " * (depth - 1) + "1" + "}" * (depth - 1) + "\n", encoding="utf-8")
        try:
            ruamel_reads_it = document.read_document(path).data is not None
        except ContentError:
            ruamel_reads_it = False
        assert (read_clean(path.read_text(encoding="utf-8"), MAX_DEPTH) is not None) == ruamel_reads_it


BASES = [(REPO / name).read_text(encoding="utf-8") for name in ("tests/fixtures/minimal/notice.yaml", "content/notice.yaml", "content/releases.yaml")]
PIECES = ["", " ", "  ", ":", ": ", "- ", "{", "}", "[", "]", ",", "&a ", "*a", "!x ", "'", '"', "#", "?", "|", ">", "no", "0o7", "1e3",
          "\\", "\\/", "\t", "\r", "\x85", "ø", "%", "@", "`", "---", "..."]


@st.composite
def edited(draw):
    lines = draw(st.sampled_from(BASES)).splitlines()
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(lines) - 1))
        pos = draw(st.integers(0, len(lines[i])))
        action = draw(st.sampled_from(["insert", "delete", "join"]))
        if action == "insert":
            lines[i] = lines[i][:pos] + draw(st.sampled_from(PIECES) | st.text(max_size=3)) + lines[i][pos:]
        elif action == "delete":
            lines[i] = lines[i][:pos] + lines[i][pos + draw(st.integers(1, 4)):]
        elif i + 1 < len(lines):
            lines[i : i + 2] = [lines[i] + lines[i + 1].lstrip()]
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=edited())
def test_an_edited_notice_reads_the_same_or_falls_back(text):
    """Whatever an editor does, libyaml never accepts a file ruamel rejects, nor reads it differently."""
    fast = read_clean(text, MAX_DEPTH)
    if fast is None:
        return
    try:
        slow = ruamel_tree(text)
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"libyaml read a file ruamel.yaml rejects ({type(exc).__name__}: {exc})")
    assert fast[1] == _plain(slow)
    assert positions(fast[0]) == positions(slow)
