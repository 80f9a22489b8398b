"""Released versions: the legal record of what was published, when it took effect, and proof it is intact.

A release freezes three files under content/releases/N/: the content YAML exactly as released
(notice.yaml) and the rendered text of each language exactly as published (nb.md, en.md). The log
content/releases.yaml lists every version with its dates and each file's SHA-256. The site shows
released versions from the frozen text, so later changes to the clause library or templates never
alter what was published; the build verifies every checksum first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

from . import schema
from .content import RELEASES_FILE, ContentPaths, load_document, read_inside
from .diff import Change, Diff, Reclassification, diff
from .document import MAX_BYTES, read_document, yaml_loader
from .errors import ContentError, NoticeError, Problem, UsageError, display_path
from .files import ReadError, find_links, dir_mode, locked, read_bounded, sync_tree, write_atomically, write_bytes, write_text
from .model import Notice, build_notice

RELEASES_DIR = "releases"
#: Bounds for reading, counted while reading: a frozen text or JSON copy, and the whole release log.
FROZEN_LIMIT = 16 * 1024 * 1024
LOG_LIMIT = 64 * 1024 * 1024
LOG_HEADER = (
    "# yaml-language-server: $schema=../schema/releases.schema.json\n"
    "# The release log, written by `privacy-notice release`. Each version's files are frozen under\n"
    "# releases/N/ with their SHA-256 here: never edit a released version, release a new one.\n"
)


def build_date() -> dt.date:
    """Today, or the date of SOURCE_DATE_EPOCH (the reproducible-builds convention) when set.

    It decides which released version is in force and which are upcoming.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch.strip()), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a time: set it to whole seconds since 1970-01-01 UTC (e.g. $(git log -1 --format=%ct)), or unset it") from None
    return dt.date.today()


class ReleaseError(NoticeError):
    """A release was refused; nothing was written."""


class IntegrityError(NoticeError):
    """A released version's frozen file is missing or differs from its recorded checksum."""


@dataclass(frozen=True)
class FrozenFile:
    path: str  # relative to the content folder
    sha256: str


@dataclass(frozen=True)
class Release:
    version: int
    announced: dt.date
    effective: dt.date
    significant: bool
    files: dict[str, FrozenFile]  # "source", and one per language
    reclassifications: tuple[Reclassification, ...]
    short_notice: tuple[str, str] | None  # (reason, approved_by)
    root: Path
    urls: tuple[str, ...] = ()  # site paths this version published; every later build must keep them
    standard_wording: tuple[Change, ...] = ()  # recorded at release: no later code can tell them again

    def text(self, lang: str) -> str:
        """The frozen rendered text of `lang`, exactly as published."""
        return self._read(self.files[lang].path).decode("utf-8")

    def _read(self, relative: str) -> bytes:
        """A frozen file, or a located ContentError saying why it cannot be read."""
        try:
            return read_frozen(self.root, relative)
        except (ReadError, OSError) as exc:
            reason = str(exc) if isinstance(exc, ReadError) else f"cannot be read ({exc.strerror or exc})"
            raise ContentError([Problem(display_path(self.root / relative), 1, 1, "", f"version {self.version}: frozen file {reason}")]) from None

    @property
    def data(self) -> dict:
        """The frozen content as plain data: from the JSON copy when the release has one (fast),
        else from the YAML source. Not kept: parsing it again costs less than keeping it (a
        hundred versions' JSON: 15 ms against 11 MiB)."""
        frozen = self.files.get("data") or self.files["source"]
        if "data" in self.files:
            return json.loads(self._read(frozen.path))
        return read_document(self.root / frozen.path, root=self.root).data

    @cached_property
    def notice(self) -> Notice:
        """The frozen content as a model, for diffs between versions."""
        return build_notice(self.data)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(k for k in self.files if k not in ("source", "data"))

    def in_force(self, today: dt.date) -> bool:
        return self.effective <= today


@dataclass(frozen=True)
class ReleaseLog:
    releases: tuple[Release, ...]
    _diffs: dict[int, Diff] = field(default_factory=dict, compare=False, repr=False)  # version -> its changes

    @property
    def latest(self) -> Release | None:
        return self.releases[-1] if self.releases else None

    def current(self, today: dt.date) -> Release | None:
        """The version in force on `today`: the newest whose effective date has come."""
        in_force = [r for r in self.releases if r.in_force(today)]
        return in_force[-1] if in_force else None

    def upcoming(self, today: dt.date) -> tuple[Release, ...]:
        return tuple(r for r in self.releases if not r.in_force(today))

    def previous(self, release: Release) -> Release | None:
        index = release.version - 1  # versions are 1, 2, 3, ... in order (checked when the log is read)
        return self.releases[index - 1] if index > 0 else None

    def get(self, version: int) -> Release | None:
        return next((r for r in self.releases if r.version == version), None)

    def forget(self) -> None:
        """Drop every version's model and changes (about 5 MiB at 100 versions) once
        a build has made its pages; whatever reads them later parses them again."""
        for release in self.releases:
            release.__dict__.pop("notice", None)
        self._diffs.clear()

    def diff(self, release: Release) -> Diff:
        """What changed in `release` against the one before; computed once per log."""
        if release.version not in self._diffs:
            previous = self.previous(release)
            found = diff(previous.notice if previous else None, release.notice, release.reclassifications)
            self._diffs[release.version] = found + Diff(release.standard_wording)
        return self._diffs[release.version]


def load_log(root: Path) -> ReleaseLog:
    """The release log of a content folder (empty when nothing was released yet), validated.

    The log is machine-written and grows with every release, so it is first read with libyaml
    (PyYAML's C parser); only when that reading is not clean is it read again with ruamel.yaml,
    which knows where each problem is.
    """
    path = root / RELEASES_FILE
    if not (path.exists() or path.is_symlink()):
        return ReleaseLog(())
    entries = _read_fast(path, root)
    if entries is None:
        document = read_inside(path, root, limit=LOG_LIMIT)
        problems = schema.validate(document, schema.RELEASES_SCHEMA)
        entries = document.data.get("releases", []) if isinstance(document.data, dict) else []
        if not problems:
            problems = [document.problem(field, message) for field, message in _log_rules(entries, root)]
        if problems:
            raise ContentError(problems)
    return ReleaseLog(tuple(_release(entry, root) for entry in entries))


def _read_fast(path: Path, root: Path) -> list[dict] | None:
    """The entries, if libyaml reads a log that is valid as it stands; None means: read it carefully."""
    try:
        import yaml as pyyaml

        loader = pyyaml.CSafeLoader
    except (ImportError, AttributeError):
        return None
    try:
        data = pyyaml.load(read_bounded(path, LOG_LIMIT, root=root).decode("utf-8"), Loader=loader)  # noqa: S506 (safe loader)
    except (pyyaml.YAMLError, UnicodeDecodeError, RecursionError, OSError, NoticeError):
        return None  # the careful reading reports it, located
    if not schema.is_valid(data, schema.RELEASES_SCHEMA):  # also catches YAML 1.1 surprises (yes/no, dates)
        return None
    entries = data["releases"]
    return None if _log_rules(entries, root) else entries


def _log_rules(entries: list[dict], root: Path) -> list[tuple[tuple, str]]:
    """What the schema cannot say: versions 1, 2, 3 in order, effective dates rising, notice periods kept."""
    problems = []
    for i, entry in enumerate(entries):
        if entry["version"] != i + 1:
            problems.append((("releases", i, "version"), f"expected version {i + 1}: versions count 1, 2, 3, ... in order"))
        if i and entry["effective"] <= entries[i - 1]["effective"]:
            problems.append((("releases", i, "effective"), "must be after the previous version's effective date"))
        problems += _notice_period(root, i, entry)
    return problems


def _notice_period(root: Path, index: int, entry: dict) -> list[tuple[tuple, str]]:
    """A significant release announced too late needs a recorded short_notice approval."""
    if not entry.get("significant") or entry.get("short_notice") or index == 0:
        return []
    files = entry["files"]
    try:
        if "data" in files:
            data = json.loads(read_frozen(root, files["data"]["path"]))
        else:
            data = read_document(root / files["source"]["path"], root=root).data
        days = data.get("changes", {}).get("notice_days", 30)
    except (NoticeError, OSError, ValueError, AttributeError):
        return []  # reported by the integrity check
    given = (dt.date.fromisoformat(entry["effective"]) - dt.date.fromisoformat(entry["announced"])).days
    if given >= days:
        return []
    return [
        (
            ("releases", index, "effective"),
            f"version {entry['version']} is significant and was announced {given} days ahead; {days} are required. "
            "Record the approval under short_notice (reason, approved_by)",
        )
    ]


def _release(entry: dict, root: Path) -> Release:
    short = entry.get("short_notice")
    return Release(
        version=entry["version"],
        announced=dt.date.fromisoformat(entry["announced"]),
        effective=dt.date.fromisoformat(entry["effective"]),
        significant=bool(entry.get("significant", False)),
        files={k: FrozenFile(v["path"], v["sha256"]) for k, v in entry["files"].items()},
        reclassifications=tuple(
            Reclassification(r["change"], r["class"], r["reason"], r["approved_by"]) for r in entry.get("reclassifications", ())
        ),
        short_notice=(short["reason"], short["approved_by"]) if short else None,
        root=root,
        urls=tuple(entry.get("urls", ())),
        standard_wording=tuple(
            Change(w["change"], "changed", "standard_wording", w["class"], w.get("explanation", {}), w.get("old", {}), w.get("new", {}))
            for w in entry.get("standard_wording", ())
        ),
    )


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_frozen(root: Path, relative: str) -> bytes:
    """A frozen file's bytes: a plain file inside the content folder (no link anywhere on its way),
    read up to FROZEN_LIMIT. Raises ReadError or OSError."""
    return read_bounded(root / relative, FROZEN_LIMIT, root=root)


def verify(releases: Iterable[Release]) -> list[Problem]:
    """A problem for every frozen file that is missing or whose bytes differ from the recorded SHA-256."""
    problems = []
    for release in releases:
        for frozen in release.files.values():
            path = release.root / frozen.path
            try:
                data = read_frozen(release.root, frozen.path)
            except FileNotFoundError:
                problems.append(Problem(display_path(path), 1, 1, "", f"version {release.version}: frozen file is missing"))
                continue
            except (ReadError, OSError) as exc:
                reason = str(exc) if isinstance(exc, ReadError) else f"cannot be read ({exc.strerror or exc})"
                problems.append(Problem(display_path(path), 1, 1, "", f"version {release.version}: frozen file {reason}"))
                continue
            if hashlib.sha256(data).hexdigest() != frozen.sha256:
                problems.append(
                    Problem(display_path(path), 1, 1, "", f"version {release.version} was published and must not change, but this file differs from its recorded SHA-256; restore it (git checkout) and release a new version instead")
                )
    return problems


def load_verified_log(root: Path, *, latest_only: bool = False) -> ReleaseLog:
    """The log, refused if a frozen file changed: of every version, or (for a diff) of the latest."""
    log = load_log(root)
    problems = verify(log.releases[-1:] if latest_only else log.releases)
    if problems:
        raise ContentError(problems)
    return log


# -- making a release -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReleasePlan:
    """What `release` would do; computed before anything is written."""

    paths: ContentPaths
    data: dict  # the validated content as plain data
    notice: Notice
    version: int
    announced: dt.date
    effective: dt.date
    changes: Diff
    notice_days: int
    recovered: tuple[str, ...] = ()  # folders an interrupted release had left, removed by this one

    @property
    def significant(self) -> bool:
        return bool(self.changes.significant)

    after: dt.date | None = None  # the latest version's effective date; the next must take effect later

    @property
    def earliest_effective(self) -> dt.date:
        """The first day this release may take effect: after the notice period when significant, and
        after every version already announced (the latest takes effect last)."""
        earliest = self.announced + dt.timedelta(days=self.notice_days) if self.significant else self.announced
        return max(earliest, self.after + dt.timedelta(days=1)) if self.after else earliest

    def standard_wording_entry(self) -> list[dict]:
        """The standard-wording changes as the log records them: which section, its class, and the
        sentences before and after in each language."""
        return [
            {"change": c.key, "class": c.cls, "explanation": dict(c.explanation), "old": dict(c.old), "new": dict(c.new)}
            for c in self.changes.standard_wording
        ]


def plan_release(
    path: Path,
    *,
    effective: dt.date,
    announced: dt.date,
    reclassifications: tuple[Reclassification, ...] = (),
    short_notice: tuple[str, str] | None = None,
) -> ReleasePlan:
    """Check that a release may be made; raise ReleaseError (nothing written) when it may not."""
    from .render import Stamp, render_notice  # imported here: reading the log (check) renders nothing

    from .review import release_changes

    paths, document = load_document(path)
    notice = build_notice(document.data)
    log = load_verified_log(paths.root)
    latest = log.latest
    version = (latest.version if latest else 0) + 1
    # Content changes and standard-wording changes (the published text against the same content
    # rendered today): a release may consist of standard wording alone, and records it.
    changes = release_changes(latest, notice, reclassifications)
    known_keys = {c.key for c in changes.changes}
    for r in reclassifications:
        if r.change not in known_keys:
            raise ReleaseError(f"--reclassify {r.change}: no such change; the changes are: {', '.join(sorted(known_keys)) or 'none'}")
    if latest and not changes and all(render_notice(notice, lang, Stamp()) == render_notice(latest.notice, lang, Stamp()) for lang in notice.languages):
        raise ReleaseError(f"nothing changed since version {latest.version}: there is nothing to release")
    if announced > effective:
        raise ReleaseError(f"the announcement date {announced} is after the effective date {effective}")
    if latest and effective <= latest.effective:
        raise ReleaseError(
            f"the effective date {effective} must be after version {latest.version}'s ({latest.effective}); "
            f"the earliest effective date is {max(latest.effective + dt.timedelta(days=1), announced + dt.timedelta(days=notice.changes.notice_days) if changes.significant else announced)}"
        )
    release_plan = ReleasePlan(paths, document.data, notice, version, announced, effective, changes, notice.changes.notice_days, after=latest.effective if latest else None)
    if latest and release_plan.significant and effective < release_plan.earliest_effective and not short_notice:
        raise ReleaseError(
            f"version {version} has {len(changes.significant)} significant change(s) and must be announced at least "
            f"{notice.changes.notice_days} days before it takes effect: the earliest effective date is "
            f"{release_plan.earliest_effective}; or give --short-notice-reason and --approved-by"
        )
    return release_plan


def make_release(
    path: Path,
    *,
    effective: dt.date,
    announced: dt.date,
    reclassifications: tuple[Reclassification, ...] = (),
    short_notice: tuple[str, str] | None = None,
) -> ReleasePlan:
    """Freeze the current content as the next version. All or nothing, one at a time.

    The commit point is the log entry: a version exists when, and only when, releases.yaml lists it.
    Until then everything is written in a staging folder, flushed to disk and renamed to releases/N;
    the log is then replaced atomically. A crash at any moment leaves the old log (and at worst a
    folder without an entry, which `check` reports and the next release removes) or the new one.
    """
    from .content import locate_content
    from .render import Stamp, render_notice

    root = locate_content(path).root
    with locked(root, "release"):
        recovered = recover(root)
        release_plan = plan_release(
            path, effective=effective, announced=announced, reclassifications=reclassifications, short_notice=short_notice
        )
        paths, notice = release_plan.paths, release_plan.notice
        version = release_plan.version
        releases_dir = paths.root / RELEASES_DIR
        releases_dir.mkdir(mode=0o777, exist_ok=True)
        source = read_bounded(paths.notice, MAX_BYTES, root=paths.root)
        staging = Path(tempfile.mkdtemp(prefix=f".{version}.staging-", dir=releases_dir))
        final = releases_dir / str(version)
        try:
            os.chmod(staging, dir_mode())
            write_bytes(staging / "notice.yaml", frozen_source(source))
            write_text(staging / "notice.json", json.dumps(release_plan.data, ensure_ascii=False, indent=1) + "\n")
            stamp = Stamp(version, effective, announced)
            for lang in notice.languages:
                write_text(staging / f"{lang}.md", render_notice(notice, lang, stamp))
            files = {"source": "notice.yaml", "data": "notice.json", **{lang: f"{lang}.md" for lang in notice.languages}}
            entry = {
                "version": version,
                "announced": announced.isoformat(),
                "effective": effective.isoformat(),
                "significant": release_plan.significant,
                "files": {
                    key: {"path": f"{RELEASES_DIR}/{version}/{name}", "sha256": sha256(staging / name)} for key, name in files.items()
                },
            }
            if reclassifications:
                entry["reclassifications"] = [
                    {"change": r.change, "class": r.cls, "reason": r.reason, "approved_by": r.approved_by} for r in reclassifications
                ]
            if release_plan.changes.standard_wording:
                entry["standard_wording"] = release_plan.standard_wording_entry()
            if short_notice:
                entry["short_notice"] = {"reason": short_notice[0], "approved_by": short_notice[1]}
            entry["urls"] = published_urls(version, notice.languages)
            sync_tree(staging)
            staging.rename(final)
            try:
                _append_to_log(paths.root / RELEASES_FILE, entry)  # the commit point
            except BaseException:
                shutil.rmtree(final, ignore_errors=True)
                raise
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return dataclasses.replace(release_plan, recovered=recovered) if recovered else release_plan


#: What a release writes into releases/N/: a folder holding only these was left by an interrupted release.
_RELEASE_FILES = re.compile(r"^(notice\.yaml|notice\.json|[a-z]{2,3}\.md)$")


def interrupted(root: Path, log: ReleaseLog | None = None) -> list[Path]:
    """Folders under releases/ that no log entry names: left by a release that was interrupted
    before its commit point (or put there by hand). Named by number; never a released version.
    `log` is the log already read, if the caller has it (at 100 versions reading it costs 0.1 s)."""
    folder = root / RELEASES_DIR
    if not folder.is_dir():
        return []
    try:
        releases = (log or load_log(root)).releases
    except NoticeError:
        return []  # an unreadable log is reported by itself; nothing is judged against it
    logged = {Path(f.path).parts[1] for r in releases for f in r.files.values() if len(Path(f.path).parts) > 2}
    return sorted(
        (p for p in folder.iterdir() if not p.name.startswith(".") and p.name not in logged),
        key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0, p.name),
    )


def interrupted_problems(root: Path, log: ReleaseLog | None = None) -> list[Problem]:
    """For `check`: each folder without a log entry, with the fix."""
    return [
        Problem(
            display_path(p), 1, 1, "",
            f"{display_path(p)}/ has no entry in {RELEASES_FILE}, so it is not a released version (a release was interrupted, "
            f"or it was added by hand): `privacy-notice release` removes a folder an interrupted release left; otherwise delete it",
        )
        for p in interrupted(root, log)
    ]


def link_problems(root: Path) -> list[Problem]:
    """For `check`: a symlink anywhere in the content folder would publish whatever it points to."""
    return [
        Problem(display_path(p), 1, 1, "", "is a symbolic link; everything in the content folder must be a plain file or folder: copy the file in instead")
        for p in find_links(root)
    ]


def recover(root: Path) -> tuple[str, ...]:
    """Remove what an interrupted release left (staging folders, temporary log copies, and release
    folders without a log entry that hold only what a release writes); refuse anything else.
    Called with the release lock held. Returns what was removed, as the user would name it."""
    removed = []
    folder = root / RELEASES_DIR
    for leftover in [*root.glob(f".{RELEASES_FILE}.*"), *(folder.glob(".*.staging-*") if folder.is_dir() else [])]:
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
    for orphan in interrupted(root):
        ours = (
            orphan.is_dir()
            and not orphan.is_symlink()
            and orphan.name.isdigit()
            and all(_RELEASE_FILES.match(f.name) and f.is_file() and not f.is_symlink() for f in orphan.iterdir())
        )
        if not ours:
            raise ReleaseError(
                f"{display_path(orphan)} is in {display_path(folder)}/ but not in {RELEASES_FILE}, and holds more than a release "
                f"writes: it is not a released version; move it out of {display_path(folder)}/ (or delete it), then release again"
            )
        shutil.rmtree(orphan)
        removed.append(f"{display_path(orphan)}/")
    return tuple(removed)


def published_urls(version: int, languages: tuple[str, ...]) -> list[str]:
    """The site paths a release publishes (see pages.py for the layout); recorded so no build drops one."""
    urls = ["", f"versions/{version}.json", f"versions/{version}.jsonld"]
    for lang in languages:
        urls += [f"{lang}/", f"{lang}/versions/", f"{lang}/changelog/", f"{lang}/feed.xml", f"{lang}/versions/{version}/", f"{lang}/versions/{version}/changes/"]
    return urls


def missing_urls(log: ReleaseLog, site_dir: Path) -> list[str]:
    """Published paths that a built site no longer serves (each release lists the paths it served, so
    most are listed many times: each is looked up once)."""
    urls = dict.fromkeys(url for release in log.releases for url in release.urls)
    base = str(site_dir)
    missing = []
    for url in urls:
        path = os.path.join(base, url, "index.html") if url == "" or url.endswith("/") else os.path.join(base, url)
        if not os.path.isfile(path):
            missing.append(f"/{url}")
    return missing


_MODELINE = re.compile(rb"^(#\s*yaml-language-server:\s*\$schema=)(\S+)")


def frozen_source(source: bytes) -> bytes:
    """The working copy as frozen under releases/N/: byte for byte, except that a relative editor
    modeline gains two `../`, so it still finds the schema from two folders further down."""
    match = _MODELINE.match(source)
    if not match or b"://" in match.group(2) or match.group(2).startswith(b"/"):
        return source
    return match.group(1) + b"../../" + source[len(match.group(1)) :]


def log_header(root: Path) -> str:
    """LOG_HEADER, with the modeline pointing where the notice's own modeline points (the release log
    sits beside notice.yaml), so it resolves in the company's repository as it does in this one."""
    try:
        first = read_bounded(root / "notice.yaml", MAX_BYTES, root=root).decode("utf-8").split("\n", 1)[0]
    except (OSError, NoticeError, UnicodeDecodeError):
        return LOG_HEADER
    match = re.match(r"#\s*yaml-language-server:\s*\$schema=(\S+)notice\.schema\.json\s*$", first)
    if not match:
        return LOG_HEADER
    return LOG_HEADER.replace("../schema/", match.group(1), 1)


def _append_to_log(path: Path, entry: dict) -> None:
    """Add an entry with ruamel round-trip (comments and key order kept) and replace the file atomically."""
    yaml = yaml_loader()
    if path.exists():
        text = read_bounded(path, LOG_LIMIT, root=path.parent).decode("utf-8")
    else:
        text = log_header(path.parent) + "releases: []\n"
    data = yaml.load(text)
    releases = data.get("releases")
    if releases is None or len(releases) == 0:
        from ruamel.yaml.comments import CommentedSeq

        releases = CommentedSeq()
        data["releases"] = releases
    releases.append(entry)
    write_atomically(path, lambda f: yaml.dump(data, f))
