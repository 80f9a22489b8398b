"""The minimal fixture notice as text, and finding line:column positions in YAML text.

Tests compute expected positions from the text they wrote (`where(text, "webside:")`) instead of
hard-coding line numbers, so editing the fixture moves the expectations with it.
"""

from __future__ import annotations

from pathlib import Path

MINIMAL = Path(__file__).parent / "fixtures" / "minimal" / "notice.yaml"


def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def where(text: str, fragment: str, at: str | None = None) -> tuple[int, int]:
    """1-based (line, column) of `fragment`, which must occur exactly once in `text`.

    With `at`, the position of the first occurrence of `at` inside `fragment`: where("  city: x", "x").
    """
    count = text.count(fragment)
    assert count == 1, f"{fragment!r} occurs {count} times in the text; pick a unique fragment"
    index = text.index(fragment)
    if at is not None:
        assert at in fragment, f"{at!r} is not part of {fragment!r}"
        index += fragment.index(at)
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


def replace_once(text: str, old: str, new: str) -> str:
    """`text` with `old`, which must occur exactly once, replaced by `new`."""
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times in the text; pick a unique fragment"
    return text.replace(old, new)
