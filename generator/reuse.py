"""Serve-time reuse: under `mkdocs serve`, a save rebuilds what can have changed and reuses the rest.

MkDocs rebuilds every page on every save, and a released version's pages cannot change while their
frozen files do not; at 100 versions that made a save take 12-23 s. Reuse is in two layers, each
keyed by everything that shapes it, so any change is picked up on the next save:

- the release log and the published pages (pages.published_pages): keyed by the bytes of
  releases.yaml and of every file under releases/ (a tampered frozen file changes the key, and the
  log is then read and verified again, raising the build's own error), the clause library's files,
  the build date, site_url and what those pages read from the working copy
  (pages.working_copy_inputs). The draft pages are made anew on every save.
- the HTML MkDocs made of each generated page: keyed by the page's Markdown, title and metadata, the
  set of generated pages (links and the language switch point at them), and the environment: the
  MkDocs config file, site_url, every theme and docs_dir file outside installed packages, and the
  versions of this package, MkDocs and Material. A reused page is handed to MkDocs as a finished
  file (ReusedFile), which it copies without Markdown, templates or plugin events.

Only the plugin under `mkdocs serve` uses this; `mkdocs build`, `privacy-notice build` and CI render
everything from the frozen files with no cache. The site search of a preview gets the entries each
reused page had when it was built (Material's search plugin indexes only the pages MkDocs renders).
docs/architecture.md ("Preview") has the table of what is kept and what makes it stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, Iterable

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, InclusionLevel

from . import __version__, clauses
from .content import RELEASES_FILE
from .model import Notice
from .pages import Page, draft_pages, published_pages, source, working_copy_inputs
from .releases import RELEASES_DIR, ReleaseLog, load_verified_log


#: A file changed less than this long before it was read may change again with the same size and
#: timestamps (file systems count time in ticks); such a file is read again on every rebuild.
RACY_NS = 2_000_000_000


class Checksums:
    """The SHA-256 of files, each read again only when the file system says it was written since.

    A file's size, inode, modification and change times are its signature; the change time (ctime)
    moves on every write and cannot be set back from user space. A file whose last change was too
    close to when it was read (RACY_NS) is always read again, as git does for its index."""

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}

    def of(self, path: str) -> bytes:
        try:
            return self._of(path)
        except OSError:  # gone or unreadable since it was listed: a key no content has
            self._known.pop(path, None)
            return b"\0unreadable"

    def _of(self, path: str) -> bytes:
        st = os.stat(path)
        signature = (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
        known = self._known.get(path)
        if known is not None and known[0] == signature:
            return known[1]
        now = time.time_ns()
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).digest()
        if max(st.st_mtime_ns, st.st_ctime_ns) < now - RACY_NS:
            self._known[path] = (signature, digest)
        else:
            self._known.pop(path, None)
        return digest


def _digest_tree(digest, folder: Path, sums: Checksums) -> None:
    """Every file's path and checksum under `folder`, in a stable order; a missing folder adds its absence."""
    if not folder.is_dir():
        digest.update(b"\0absent:" + str(folder).encode())
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            digest.update(b"\0" + os.path.relpath(path, folder).encode() + b"\0" + sums.of(path))


def _digest_file(digest, path: Path, sums: Checksums) -> None:
    digest.update(b"\0" + str(path).encode() + b"\0")
    digest.update(sums.of(str(path)) if path.is_file() else b"\0absent")


def released_key(root: Path, sums: Checksums) -> str:
    """The release log and every frozen file, by checksum."""
    digest = hashlib.sha256()
    _digest_file(digest, root / RELEASES_FILE, sums)
    _digest_tree(digest, root / RELEASES_DIR, sums)
    return digest.hexdigest()


def library_key(sums: Checksums) -> str:
    digest = hashlib.sha256()
    _digest_tree(digest, clauses.LIBRARY, sums)
    return digest.hexdigest()


def _installed(path: str) -> bool:
    return "site-packages" in Path(path).parts or "dist-packages" in Path(path).parts


def _package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "none"


def environment_key(config: MkDocsConfig, sums: Checksums) -> str:
    """What shapes every page's HTML besides its own Markdown: config, theme, hand-written pages, versions.

    Theme folders inside installed packages are covered by the packages' versions; any other theme
    folder (a custom_dir, or this package's own theme in a development checkout) is read byte for byte."""
    digest = hashlib.sha256()
    for name in ("mkdocs", "mkdocs-material"):
        digest.update(f"\0{name}={_package_version(name)}".encode())
    digest.update(f"\0privacy-notice={__version__}\0site_url={config.site_url}\0".encode())
    digest.update(f"use_directory_urls={config.use_directory_urls}\0theme={list(config.theme.dirs)}\0".encode())
    if config.config_file_path:
        _digest_file(digest, Path(config.config_file_path), sums)
    for folder in config.theme.dirs:
        if not _installed(folder):
            _digest_tree(digest, Path(folder), sums)
    _digest_tree(digest, Path(config.docs_dir), sums)
    return digest.hexdigest()


def _ancestors(path: str, top: int) -> list[str]:
    """The folders a file is in, shallowest first, from `top` levels deep (en/versions, en/versions/3
    for en/versions/3/index.html and top 2)."""
    parts = path.split("/")
    return ["/".join(parts[:depth]) for depth in range(top, len(parts))]


def _dest(path: str, directory_urls: bool) -> str:
    """Where MkDocs writes a Markdown file (x.md -> x/index.html with directory URLs), for a file not built yet."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    folder, name = posixpath.split(stem)
    if name in ("index", "README"):
        return posixpath.join(folder, "index.html")
    return f"{stem}/index.html" if directory_urls else f"{stem}.html"


def page_key(page: Page) -> str:
    digest = hashlib.sha256()
    for part in (page.src_uri, page.lang, page.key, page.title, repr(sorted(page.meta.items())), page.content):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


class ReusedFile(File):
    """A generated file whose finished output is reused from an earlier rebuild.

    MkDocs writes it as it writes a static file: by a hard link to the kept copy (no bytes written),
    or a copy where links are not possible. It keeps the page's Markdown path, so links from rebuilt
    pages to it resolve (to its URL) exactly as they would to the page."""

    def __init__(self, src_uri: str, kept: Path, config: MkDocsConfig, dest_uri: str, folder: tuple[str, Path, set[str]] | None = None) -> None:
        super().__init__(src_uri, None, config.site_dir, config.use_directory_urls, dest_uri=dest_uri, inclusion=InclusionLevel.NOT_IN_NAV)
        self.generated_by = "privacy-notice"
        self.kept = kept
        self.folder = folder  # (its folder in the site, the kept copy of that folder, the folders linked so far)

    def is_documentation_page(self) -> bool:
        return False

    def is_static_page(self) -> bool:
        return True

    def is_modified(self) -> bool:
        return True

    def copy_file(self, dirty: bool = False) -> None:
        if self.folder is not None and self._link_folder(*self.folder):
            return
        target = self.abs_dest_path
        try:
            os.link(self.kept, target)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            self._link(target)
        except FileExistsError:  # a --dirty rebuild: replace it, never write through it into the kept copy
            os.unlink(target)
            self._link(target)
        except OSError:
            shutil.copyfile(self.kept, target)

    def _link(self, target: str) -> None:
        try:
            os.link(self.kept, target)
        except OSError:
            shutil.copyfile(self.kept, target)

    def _link_folder(self, folder: str, kept: Path, linked: set[str]) -> bool:
        """A wholly reused folder (such as en/versions) as one symbolic link: MkDocs' cleaning of the site then removes one
        link instead of every folder and file in it. False where that is not possible."""
        if folder in linked:
            return True  # another file of the same folder made it in this rebuild
        target = os.path.join(self.dest_dir, folder)
        try:
            os.symlink(kept, target, target_is_directory=True)
        except FileNotFoundError:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            return self._link_folder(folder, kept, linked)
        except FileExistsError:  # a --dirty rebuild: an earlier link is replaced, a real folder kept
            if not os.path.islink(target):
                return False
            os.unlink(target)
            return self._link_folder(folder, kept, linked)
        except OSError:
            return False
        linked.add(folder)
        return True


class _MemoryBytecode(jinja2.BytecodeCache):
    """Compiled templates in memory; Jinja checks each against its template's source before use."""

    def __init__(self) -> None:
        self._store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self._store:
            bucket.bytecode_from_string(self._store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


@dataclass
class _Built:
    key: str
    dest_uri: str
    kept: Path
    search: list[dict] = field(default_factory=list)  # the site search's entries for the page, as indexed when built


@dataclass
class Reuse:
    """What one `mkdocs serve` session keeps between rebuilds (held by the plugin instance).

    With `mkdocs serve --dirty` MkDocs does not empty the site folder and writes rebuilt pages over
    the old files, so reused folders are not linked whole there (a write would go into the kept copy)."""

    dirty: bool = False
    _sums: Checksums = field(default_factory=Checksums)

    _log: tuple[str, ReleaseLog] | None = None
    _library: str | None = None
    _published: tuple[tuple, list[Page]] | None = None
    _page_keys: dict[tuple[int, str], tuple[Page, str]] = field(default_factory=dict)  # (id(page), what) -> (page, value), for the published pages
    _bytecode: _MemoryBytecode = field(default_factory=lambda: _MemoryBytecode())
    _built: dict[str, _Built] = field(default_factory=dict)  # path in the site -> its output as last built
    _folder: Path | None = None
    _environment: str = ""
    #: The shallowest folder that may be linked whole. Never one directly in the site folder: MkDocs
    #: cleans the site folder with rmtree, which refuses a symbolic link there (one inside a real
    #: folder goes with it), and the next save would then write through the old link.
    _top: int = 2
    _keys: dict[str, str] = field(default_factory=dict)  # this rebuild's generated files: path in the site -> key

    def start(self, config: MkDocsConfig) -> None:
        """At the start of each rebuild: an edited clause library drops everything made from it."""
        library = library_key(self._sums)
        if library != self._library:
            clauses.reload()
            self._library, self._log, self._published = library, None, None
            self._forget()
        self._environment = environment_key(config, self._sums)
        self._keys = {}

    def log(self, root: Path) -> ReleaseLog:
        """The verified release log; read and verified again whenever a byte of it or of a frozen file changed."""
        key = released_key(root, self._sums)
        if self._log is None or self._log[0] != key:
            self._log = None
            self._log = (key, load_verified_log(root))
        return self._log[1]

    def plan(self, notice: Notice, log: ReleaseLog, *, today: dt.date, draft: bool, site_url: str | None) -> list[Page]:
        """pages.plan, with the published pages made again only when the log, the library, the date,
        site_url or what they read of the working copy changed; the draft pages every time."""
        assert self._log is not None and self._log[1] is log, "plan() takes the log from log()"
        key = (self._log[0], self._library, today, site_url, working_copy_inputs(notice, log))
        if self._published is None or self._published[0] != key:
            self._published = (key, published_pages(notice, log, today=today, site_url=site_url))
        published = {id(page) for page in self._published[1]}
        self._page_keys = {k: v for k, v in self._page_keys.items() if k[0] in published}  # last save's drafts go
        pages = list(self._published[1])
        if draft:
            pages += draft_pages(notice, log, today=today, site_url=site_url)
        return pages

    def templates(self, env: jinja2.Environment) -> None:
        """Keep compiled theme templates between rebuilds; Jinja compiles again any whose source changed."""
        env.bytecode_cache = self._bytecode

    def files(self, pages: Iterable[tuple[str, Page]], config: MkDocsConfig, others: Iterable[File] = ()) -> dict[str, File]:
        """The reused finished files for these (path in the site, page) pairs, by path; every other page
        is built by MkDocs. `others` are the files MkDocs already has (hand-written pages, theme files)."""
        pages = list(pages)
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="privacy-notice-serve-"))
        everything = hashlib.sha256("\0".join(sorted(path for path, _ in pages)).encode() + self._environment.encode()).hexdigest()
        self._keys = {path: hashlib.sha256((everything + path + self._page_key(p)).encode()).hexdigest() for path, p in pages}
        for uri, built in list(self._built.items()):
            if self._keys.get(uri) != built.key:
                del self._built[uri]
                built.kept.unlink(missing_ok=True)
        folders = {} if self.dirty else self._folders(pages, others, config.use_directory_urls)
        return {uri: ReusedFile(uri, built.kept, config, built.dest_uri, folders.get(uri)) for uri, built in self._built.items()}

    def _folders(self, pages: list[tuple[str, Page]], others: Iterable[File], directory_urls: bool) -> dict[str, tuple[str, Path, set[str]]]:
        """The largest folders (such as en/versions, or versions for the JSON exports) whose every file
        is reused, each kept as one folder of hard links that MkDocs' output gets as one symbolic
        link; by the path of each file in them. A folder holding a file built on this save, a
        hand-written page or a theme file is never one of them: it would be written into the kept copy."""
        assert self._folder is not None
        blocked: set[str] = set()
        reused: list[tuple[str, _Built]] = []
        for path, _ in pages:
            built = self._built.get(path)
            if built is None:
                blocked.update(_ancestors(path, self._top), _ancestors(_dest(path, directory_urls), self._top))
            else:
                reused.append((path, built))
        for file in others:
            for path in (file.src_uri, file.dest_uri):
                blocked.update(_ancestors(path, self._top))
        groups: dict[str, list[tuple[str, _Built]]] = {}
        for path, built in reused:
            folder = next((f for f in _ancestors(built.dest_uri, self._top) if f not in blocked), None)
            if folder is not None:
                groups.setdefault(folder, []).append((path, built))
        keep: dict[str, tuple[str, Path, set[str]]] = {}
        linked: set[str] = set()  # shared by this rebuild's files
        wanted = set()
        for folder, members in groups.items():
            name = hashlib.sha256("".join(sorted(f"{b.dest_uri}\0{b.key}\0" for _, b in members)).encode()).hexdigest()
            kept = self._folder / "folders" / name
            if not kept.is_dir():
                staging = self._folder / "folders" / (name + ".part")
                shutil.rmtree(staging, ignore_errors=True)
                for _, b in members:
                    target = staging / b.dest_uri[len(folder) + 1 :]
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.link(b.kept, target)
                staging.rename(kept)
            wanted.add(name)
            for path, _ in members:
                keep[path] = (folder, kept, linked)
        if (self._folder / "folders").is_dir():
            for old in (self._folder / "folders").iterdir():
                if old.name not in wanted:
                    shutil.rmtree(old, ignore_errors=True)
        return keep

    def _page_key(self, page: Page) -> str:
        return self._of_page(page, "key", page_key)

    def source(self, page: Page) -> str:
        """pages.source, worked out once for each published page (front matter costs 0.1 ms a page)."""
        return self._of_page(page, "source", source)

    def _of_page(self, page: Page, what: str, make: Callable[[Page], str]) -> str:
        known = self._page_keys.get((id(page), what))
        if known is not None and known[0] is page:
            return known[1]
        value = make(page)
        self._page_keys[(id(page), what)] = (page, value)
        return value

    def remember(self, files: Iterable[File], search: list[dict] | None = None) -> None:
        """After a rebuild: keep a copy of what MkDocs wrote for each generated file, as served, and
        the entries the site search (`search`, Material's index) made of each page."""
        assert self._folder is not None, "files() first"
        by_page: dict[str, list[dict]] = {}
        for entry in search or ():
            by_page.setdefault(str(entry.get("location", "")).split("#", 1)[0], []).append(entry)
        for file in files:
            key = self._keys.get(file.src_uri)
            if key is None or isinstance(file, ReusedFile) or file.src_uri in self._built:
                continue
            kept = self._folder / key
            try:
                shutil.copyfile(file.abs_dest_path, kept)
            except OSError:
                continue  # not written (an empty page): built again next time
            self._built[file.src_uri] = _Built(key, file.dest_uri, kept, by_page.get(file.url, []) if file.is_documentation_page() else [])

    def search_entries(self) -> list[dict]:
        """The search entries of the pages this rebuild reuses: MkDocs does not render them, so the
        search plugin never sees them; without these a preview's search finds only rebuilt pages."""
        return [entry for uri, built in self._built.items() if uri in self._keys for entry in built.search]

    def close(self) -> None:
        """When `mkdocs serve` stops: remove the kept copies."""
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        self._built.clear()

    def _forget(self) -> None:
        for built in self._built.values():
            built.kept.unlink(missing_ok=True)
        self._built.clear()
