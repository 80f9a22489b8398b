"""The content folder: where the notice and its release log live, and loading them into the model.

content/notice.yaml      the working copy marketing edits
content/releases.yaml    the release log written by `privacy-notice release`
content/releases/N/      the frozen files of version N
content/pages/           optional hand-written Markdown pages (MkDocs' docs_dir)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import consistency, schema
from .clauses import clause_ids
from .document import MAX_BYTES, Document, read_document
from .errors import ContentError, Problem, UsageError, display_path
from .model import Notice, build_notice

NOTICE_FILE = "notice.yaml"
RELEASES_FILE = "releases.yaml"


@dataclass(frozen=True)
class ContentPaths:
    """Where a content folder's files are; the folder may hold only a notice."""

    root: Path
    notice: Path

    @property
    def releases(self) -> Path:
        return self.root / RELEASES_FILE


def locate_content(path: Path) -> ContentPaths:
    """Accept either the content folder or the notice file itself."""
    if path.is_dir():
        notice = path / NOTICE_FILE
        if not notice.exists():
            raise UsageError(f"{display_path(path)}: no {NOTICE_FILE} in this folder")
        return ContentPaths(path, notice)
    if path.exists() or path.is_symlink():
        return ContentPaths(path.parent, path)
    raise UsageError(f"{display_path(path)}: no such file or folder")


def read_inside(path: Path, root: Path, *, limit: int = MAX_BYTES) -> Document:
    """Read a YAML file of the content folder: no symlink leading out of it, at most `limit` bytes."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise ContentError(
            [Problem(display_path(path), 1, 1, "", f"is a link to {resolved}, outside {display_path(root)}/; copy the file in instead")]
        )
    return read_document(path, allow_tags=False, root=root, limit=limit)


def validate_notice(document: Document) -> list[Problem]:
    """Schema and consistency problems of one notice document, in file order."""
    return sorted(schema.validate(document, schema.NOTICE_SCHEMA) + consistency.check(document, clause_ids))


def load_document(path: Path) -> tuple[ContentPaths, Document]:
    """Read and validate a notice; raise ContentError listing every problem."""
    paths = locate_content(path)
    document = read_inside(paths.notice, paths.root)
    problems = [p for p in validate_notice(document) if p.severity == "error"]
    if problems:
        raise ContentError(problems)
    return paths, document


def load_notice(path: Path) -> Notice:
    """Read, validate and model a notice; raise ContentError listing every problem."""
    return build_notice(load_document(path)[1].data)


def check_notice(path: Path) -> list[Problem]:
    """Every problem in the notice file of a content folder (or the given notice file)."""
    paths = locate_content(path)
    try:
        return validate_notice(read_inside(paths.notice, paths.root))
    except ContentError as exc:
        return list(exc.problems)


def check_content(path: Path) -> list[Problem]:
    """Every problem in a content folder (or single notice file), without stopping at the first file."""
    paths = locate_content(path)
    problems = check_notice(path)
    if path.is_dir() and paths.releases.exists():
        try:
            log = read_inside(paths.releases, paths.root)
            problems += schema.validate(log, schema.RELEASES_SCHEMA)
        except ContentError as exc:
            problems += exc.problems
    return sorted(problems)
