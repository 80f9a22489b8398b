"""Typed errors. Every problem a user can cause is a Problem with a position, never a traceback."""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one field of one file, located for an editor's "go to line"."""

    file: str
    line: int  # 1-based
    column: int  # 1-based
    field: str  # dotted path such as purposes[newsletter].legal_basis, or "" for the whole file
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        field = f" {self.field}:" if self.field else ""
        level = "" if self.severity == "error" else f" {self.severity}:"
        return f"{where}:{level}{field} {self.message}"


class NoticeError(Exception):
    """Base class of the errors the command line reports as one line each and exit 1."""


class ContentError(NoticeError):
    """The content is invalid; carries every problem found, in file order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.field))
        super().__init__("\n".join(str(p) for p in self.problems))


class UsageError(NoticeError):
    """The command was called wrongly (exit 2)."""


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when inside it.

    Symlinks are not followed first: a linked content/notice.yaml is still named content/notice.yaml.
    """
    cwd = Path.cwd()
    for candidate, base in ((Path(os.path.abspath(path)), cwd), (path.resolve(), cwd.resolve())):
        try:
            return str(candidate.relative_to(base))
        except ValueError:
            continue
    return str(path)


#: System errors in the words a user reads them in (the command line and the plugin say the same).
_PLAIN_OS_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOENT: "no such file or folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ENOTDIR: "a part of the path is not a folder",
}


def plain_os_error(exc: OSError) -> str:
    """What went wrong, in plain words (without the file)."""
    return _PLAIN_OS_ERRORS.get(exc.errno, exc.strerror or str(exc))
