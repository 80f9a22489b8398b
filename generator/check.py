"""`privacy-notice check`: everything wrong with a content folder, found in one run.

Three layers: the notice's shape and consistency (content.py), the GDPR Art. 13/14 checklist and
known traps (completeness.py), and the release log with its checksums (releases.py).
"""

from __future__ import annotations

from pathlib import Path

from . import completeness
from .content import locate_content, read_inside, validate_notice
from .errors import ContentError, Problem, display_path
from .model import build_notice
from .releases import interrupted_problems, link_problems, load_log, verify


def check_all(path: Path, *, strict: bool = False) -> list[Problem]:
    """Every problem, in file order; with `strict`, warnings count as errors."""
    paths = locate_content(path)
    document = None
    try:  # the notice is parsed once, for validation and for the checklist
        document = read_inside(paths.notice, paths.root)
        problems = [completeness.annotate(p) for p in validate_notice(document)]
    except ContentError as exc:
        problems = [completeness.annotate(p) for p in exc.problems]
    log = read = None
    if path.is_dir():
        try:  # load_log reports the log's schema problems, located, as well as its own rules
            log = read = load_log(paths.root)
            broken = verify(log.releases)
            problems += broken
            if broken:
                log = None  # a version that cannot be read as released is not compared with
        except ContentError as exc:
            problems += exc.problems
        problems += interrupted_problems(paths.root, read) + link_problems(paths.root)
    notice_name = display_path(paths.notice)
    if document is not None and not any(p.severity == "error" and p.file == notice_name for p in problems):
        notice = build_notice(document.data)
        latest = log.latest if log else None
        new_purposes = tuple(p.id for p in notice.purposes if latest and p.id not in {q.id for q in latest.notice.purposes})
        found = completeness.findings(notice, document, new_purposes=new_purposes)
        problems += completeness.as_problems(found, document, strict=strict)
    return sorted(set(problems))
