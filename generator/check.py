"""`privacy-notice check`: everything wrong with a content folder, found in one run.

Three layers: the notice's shape and consistency (content.py), the GDPR Art. 13/14 checklist and
known traps (completeness.py), and the release log with its checksums (releases.py).
"""

from __future__ import annotations

from pathlib import Path

from . import completeness
from .content import check_content, locate_content, read_inside
from .errors import ContentError, Problem, display_path
from .model import build_notice
from .releases import load_log, verify


def check_all(path: Path, *, strict: bool = False) -> list[Problem]:
    """Every problem, in file order; with `strict`, warnings count as errors."""
    paths = locate_content(path)
    problems = [completeness.annotate(p) for p in check_content(path)]
    log = None
    if path.is_dir() and not any(p.file.endswith("releases.yaml") for p in problems):
        try:
            log = load_log(paths.root)
            problems += verify(log)
        except ContentError as exc:
            problems += exc.problems
    notice_name = display_path(paths.notice)
    if not any(p.severity == "error" and p.file == notice_name for p in problems):
        document = read_inside(paths.notice, paths.root)
        notice = build_notice(document.data)
        latest = log.latest if log else None
        new_purposes = tuple(p.id for p in notice.purposes if latest and p.id not in {q.id for q in latest.notice.purposes})
        found = completeness.findings(notice, document, new_purposes=new_purposes)
        problems += completeness.as_problems(found, document, strict=strict)
    return sorted(set(problems))
