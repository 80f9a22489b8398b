"""Fixtures for the loading and validation tests: the minimal notice and edited copies of it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from hypothesis import HealthCheck, settings

# Property tests assert what is true of any input, not how fast one example runs: on a loaded 2-core
# CI machine a per-example deadline fails tests at random, so no deadline and no "too slow" check.
settings.register_profile("default", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("default")

from tests.notice_text import minimal_text as _minimal_text
from tests.notice_text import replace_once


@pytest.fixture
def minimal_text() -> str:
    """The text of tests/fixtures/minimal/notice.yaml: a small, complete, valid notice."""
    return _minimal_text()


@pytest.fixture
def write_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minimal_text: str) -> Callable[..., Path]:
    """write_notice((old, new), ...) -> tmp_path/content/notice.yaml, an edited copy of the fixture.

    Each `old` must occur exactly once in the text (so a drifting fixture fails loudly), and is
    replaced by `new`. text= writes the given text (str) or bytes instead. The working directory is
    tmp_path, so messages name the file as a user in the project folder sees it: content/notice.yaml.
    """
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "content"
    folder.mkdir()

    def write(*replacements: tuple[str, str], text: str | bytes | None = None) -> Path:
        path = folder / "notice.yaml"
        if text is None:
            text = minimal_text
            for old, new in replacements:
                text = replace_once(text, old, new)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    return write
