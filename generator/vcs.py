"""Reading the notice as it is at a git ref (e.g. origin/main), for reviewing a branch's changes."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from .content import validate_notice
from .document import read_document
from .errors import ContentError, UsageError
from .model import Notice, build_notice


def notice_at_ref(ref: str, notice_path: Path) -> Notice:
    """The notice file at `ref`, validated; UsageError when git or the ref cannot provide it."""
    notice_path = notice_path.resolve()
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=notice_path.parent, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        raise UsageError(f"--base {ref}: not a file, and {notice_path.parent} is not in a git repository") from None
    relative = notice_path.relative_to(Path(top).resolve()).as_posix()
    shown = subprocess.run(["git", "show", f"{ref}:{relative}"], cwd=top, capture_output=True)
    if shown.returncode != 0:
        message = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"--base {ref}: cannot read {relative} at {ref}: {message[-1] if message else 'git failed'}")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Path(relative).name
        copy.write_bytes(shown.stdout)
        document = read_document(copy)
        problems = [p for p in validate_notice(document) if p.severity == "error"]
        if problems:
            raise ContentError([p.__class__(f"{ref}:{relative}", p.line, p.column, p.field, p.message) for p in problems])
        return build_notice(document.data)
