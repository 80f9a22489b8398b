"""Every file the tool reads from content or writes anywhere goes through here.

Writing never leaves half a file or half a folder behind (temporary copy, fsync, rename), gives
ordinary permissions (0644 files, 0755 folders, subject to umask), and goes only where output belongs
(`guard_output`). Reading content is bounded while reading, not by stat (a device reports size 0),
and refuses symlinks and anything that is not a regular file: a frozen file replaced by a link must
not publish whatever it points to. A lock makes a second concurrent writer refuse in one line.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
import weakref
from pathlib import Path
from typing import Callable, Iterator, TextIO

from .errors import NoticeError, UsageError, display_path, plain_os_error

#: Written into every folder the tool creates for output; a non-empty folder without it is not ours.
MARKER = ".privacy-notice-output"
MARKER_TEXT = "Written by privacy-notice. Each build replaces this folder; do not keep other files here.\n"


class OutputError(UsageError):
    """An output target that would overwrite something that is not output."""


class LockedError(NoticeError):
    """Another privacy-notice process is writing the same folder."""


class ReadError(NoticeError):
    """A content file that may not be read: a link, not a regular file, or too large."""


# -- permissions -------------------------------------------------------------------------------


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode() -> int:
    return 0o666 & ~_umask()


def dir_mode() -> int:
    return 0o777 & ~_umask()


# -- writing -----------------------------------------------------------------------------------


def _fsync_dir(folder: Path) -> None:
    """Make a rename in `folder` durable (a crash after it must not undo it)."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomically(path: Path, write: Callable[[TextIO], object]) -> None:
    """Write to a temporary file in the same folder, flush it to disk, then rename over `path`."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        os.fchmod(fd, file_mode())
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_bytes(path: Path, data: bytes) -> None:
    """A new file in a folder being staged: written, flushed to disk, with ordinary permissions."""
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def write_text(path: Path, text: str) -> None:
    """write_bytes of `text` in UTF-8, line ends as they are."""
    write_bytes(path, text.encode("utf-8"))


def sync_tree(folder: Path) -> None:
    """Flush every file and folder under `folder` to disk before it is renamed into place."""
    for parent, dirs, files in os.walk(folder):
        for name in files:
            try:
                fd = os.open(os.path.join(parent, name), os.O_RDONLY)
            except OSError:
                continue
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(parent))


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    try:
        import ctypes
        import ctypes.util

        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def replace_dir(new: Path, target: Path) -> None:
    """Put folder `new` in place of `target` so that every reader, and a crash at any moment, sees the
    old folder or the new one: an atomic exchange where the system has one, else two renames."""
    if target.exists() and not target.is_symlink() and _exchange(new, target):
        _fsync_dir(target.parent)
        shutil.rmtree(new, ignore_errors=True)  # `new` now holds the old folder
        return
    old = None
    if target.exists() or target.is_symlink():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        target.rename(old)
    new.rename(target)
    _fsync_dir(target.parent)
    if old is not None:
        if old.is_symlink():
            old.unlink()
        else:
            shutil.rmtree(old, ignore_errors=True)


def staging_dir(target: Path) -> Path:
    """A fresh empty folder beside `target` (same file system, so the final rename is atomic), with
    ordinary permissions and our marker, left-overs of killed runs removed first."""
    target.parent.mkdir(parents=True, exist_ok=True)
    remove_leftovers(target)
    folder = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
    os.chmod(folder, dir_mode())
    write_text(folder / MARKER, MARKER_TEXT)
    return folder


def write_marker(folder: Path) -> None:
    """Mark `folder` as output of this tool, so a later run may replace it (guard_output)."""
    if folder.is_dir() and not (folder / MARKER).is_file():
        write_atomically(folder / MARKER, lambda f: f.write(MARKER_TEXT))


def remove_leftovers(target: Path) -> None:
    """Staging and old copies of `target` that a killed run left beside it (never `target` itself).

    Only call this while holding the lock for `target`'s folder or when no other run can be active."""
    for prefix in (f".{target.name}.building-", f".{target.name}.old-", f".{target.name}.staging-"):
        for leftover in target.parent.glob(prefix + "*"):
            if leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)


# -- where output may go ---------------------------------------------------------------------


def guard_output(target: Path, *, project: Path, protected: dict[str, Path], what: str = "output folder", enclosing: dict[str, Path] | None = None) -> None:
    """Refuse an output target that is or contains the project root, `.git` or any `protected` path
    (name -> path, e.g. the content folder and the config file), lies inside one of them, or is a
    non-empty folder without our marker. `enclosing` paths (like the project) may hold the target but
    not be it or lie inside it. Nothing is written before this has passed."""
    shown = display_path(target)
    real = Path(os.path.realpath(target))
    project = Path(os.path.realpath(project))
    named = {"the project folder": project, "the project's .git": project / ".git"}
    named.update({name: Path(os.path.realpath(p)) for name, p in protected.items()})
    holders = {project} | {Path(os.path.realpath(p)) for p in (enclosing or {}).values()}
    named.update({name: Path(os.path.realpath(p)) for name, p in (enclosing or {}).items()})
    for name, path in named.items():
        if real == path or path.is_relative_to(real):
            raise OutputError(f"{what} {shown} is or contains {name} ({display_path(path)}); the build would replace it: choose another folder, e.g. site")
        if real.is_relative_to(path) and path not in holders:
            raise OutputError(f"{what} {shown} is inside {name} ({display_path(path)}): choose a folder outside it, e.g. site")
    if (real / ".git").exists() or real.name == ".git":
        raise OutputError(f"{what} {shown} holds a git repository: choose another folder, e.g. site")
    if target.is_symlink() or (target.exists() and not target.is_dir()):
        raise OutputError(f"{what} {shown} exists and is not a folder: remove it or choose another")
    if target.is_dir() and not (target / MARKER).is_file() and any(target.iterdir()) and not _legacy_site(target):
        raise OutputError(
            f"{what} {shown} is not empty and was not made by privacy-notice (no {MARKER} in it); "
            "empty or remove it yourself, or choose another folder"
        )


def _legacy_site(folder: Path) -> bool:
    """Output written before the marker existed: a site (MkDocs always writes these two), or our
    records folder (its README says who wrote it)."""
    if (folder / "sitemap.xml.gz").is_file() and (folder / "index.html").is_file():
        return True
    readme = folder / "README.md"
    try:
        return readme.is_file() and readme.read_bytes()[:200].startswith(b"Record of processing activities (GDPR Art. 30(1)), generated by `privacy-notice build`")
    except OSError:
        return False


# -- one writer at a time --------------------------------------------------------------------

_HELD: dict[str, int] = {}


@contextlib.contextmanager
def locked(folder: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock on `folder` (flock on the folder itself: nothing to clean up, and the
    system releases it when the process dies, even by SIGKILL). Re-entrant within one process."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): one writer at a time is then the user's job
        yield
        return
    key = os.path.realpath(folder)
    if key in _HELD:
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"{display_path(folder)}: another privacy-notice {what} is running on this folder; wait for it to finish and try again") from None
        _HELD[key] = fd
        try:
            yield
        finally:
            del _HELD[key]
    finally:
        os.close(fd)


# -- reading content -----------------------------------------------------------------------


def read_bounded(path: Path, limit: int, *, root: Path | None = None) -> bytes:
    """The bytes of a regular file, at most `limit` of them, counted while reading.

    With `root` (the content folder), `path` and every folder between it and `root` must be real
    folders and a real file, not symlinks. Raises ReadError with a one-line reason, OSError when
    the system cannot read it.
    """
    if root is not None:
        _no_links(path, root)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) * (root is not None) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError("is a symbolic link; content files must be plain files: copy the file in instead") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ReadError("is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise ReadError("is not a regular file (a device, pipe or socket); content files must be plain files")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise ReadError(f"is larger than {_size(limit)}, the most this file may hold")
        return b"".join(chunks)
    finally:
        os.close(fd)


def _no_links(path: Path, root: Path) -> None:
    """Refuse a symlink at `path` or at any folder between the content root and it (with os.path on
    strings: a build checks every frozen file of every version)."""
    absolute = os.path.abspath(path)
    base = os.path.abspath(root)
    inside = base if base.endswith(os.sep) else base + os.sep
    if absolute != base and not absolute.startswith(inside):
        raise ReadError(f"is outside the content folder {display_path(root)}/")
    current = base
    for part in absolute[len(inside):].split(os.sep) if absolute != base else ():
        current = os.path.join(current, part)
        if os.path.islink(current):
            where = "" if current == absolute else f" (its folder {display_path(Path(current))} is a link)"
            raise ReadError(f"is a symbolic link{where}; content files must be plain files: copy the file in instead")


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{limit} bytes"


def find_links(root: Path) -> list[Path]:
    """Every symlink under the content folder (none is allowed), in path order."""
    found = []
    for parent, dirs, files in os.walk(root):
        for name in sorted(dirs + files):
            path = Path(parent) / name
            if path.is_symlink():
                found.append(path)
    return sorted(found)


class Scratch:
    """A private temporary folder for files a build reads once (the generated pages): on disk they
    cost no memory while MkDocs works through the rest. Removed by close(), or when the object goes
    or the interpreter exits, whichever comes first; TMPDIR chooses where."""

    def __init__(self) -> None:
        try:
            self.path = Path(tempfile.mkdtemp(prefix="privacy-notice-pages-"))
        except OSError as exc:
            raise UsageError(f"cannot make a temporary folder for the generated pages: {plain_os_error(exc)}; check TMPDIR") from None
        self._remove = weakref.finalize(self, shutil.rmtree, str(self.path), True)

    def put(self, relative: str, data: bytes) -> str:
        """Write one file; its absolute path."""
        path = self.path / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            raise UsageError(f"{path}: cannot write a generated page to the temporary folder: {plain_os_error(exc)}; check TMPDIR") from None
        return str(path)

    def close(self) -> None:
        self._remove()
