"""`privacy-notice check`: everything wrong with a content folder, found in one run."""

from __future__ import annotations

from pathlib import Path

from .content import check_content, locate_content
from .errors import ContentError, Problem
from .releases import load_log, verify


def check_all(path: Path) -> list[Problem]:
    """The notice's problems, then the release log's: schema, dates, notice periods, checksums."""
    problems = check_content(path)
    if path.is_dir():
        root = locate_content(path).root
        if not any(p.file.endswith("releases.yaml") for p in problems):
            try:
                problems += verify(load_log(root))
            except ContentError as exc:
                problems += exc.problems
    return sorted(set(problems))
