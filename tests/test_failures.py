"""Nothing lost, nothing leaked: outputs only where outputs belong, one writer at a time, ordinary
permissions, and every failure (bad options and environment, links, devices, read-only folders, full
disks, broken pipes) a one-line message with earlier output and data untouched."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from generator.releases import load_verified_log
from tests import factories as f
from tests.site import mkdocs_yml

CLI = str(Path(sys.executable).parent / "privacy-notice")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")
ONE_LINE = re.compile(r"^privacy-notice: [^\n]+\n$")
LOCATED = re.compile(r"^\S+:\d+:\d+: [^\n]+$")


def change(content: Path) -> None:
    """A significant change to release: a longer retention period."""
    d = f.data()
    d["retention"][0]["period"] = "P5Y"
    f.write_content(content, d)


def snapshot(folder: Path) -> dict[str, str]:
    """Every file below `folder` (links as their target) with its SHA-256: to prove nothing changed."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            out[str(p.relative_to(folder))] = "-> " + os.readlink(p)
        elif p.is_file():
            out[str(p.relative_to(folder))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def run(*args: str, cwd: Path, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True, env=env or ENV, timeout=120, **kwargs)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with content (one release) and mkdocs.yml, built once."""
    f.write_content(tmp_path / "content")
    mkdocs_yml(tmp_path)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    run("release", "--effective", "2025-01-01", "--announced", "2024-12-01", cwd=tmp_path).check_returncode()
    return tmp_path


# -- 1. outputs only where outputs belong ----------------------------------------------------------


@pytest.mark.parametrize("target", ["content", ".", ".git", "mkdocs.yml", "content/releases", "content/pages", "{abs}/content", "{abs}", "link_to_content", "foreign", "a_file"])
def test_build_refuses_a_target_that_is_not_a_place_for_output(project, target):
    (project / "foreign").mkdir()
    (project / "foreign" / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    (project / "a_file").write_text("keep\n", encoding="utf-8")
    os.symlink(project / "content", project / "link_to_content")
    before = snapshot(project)
    result = run("build", "-d", target.format(abs=project), cwd=project)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert ONE_LINE.match(result.stderr), result.stderr
    assert snapshot(project) == before


def test_build_marks_its_folder_and_replaces_only_that(project):
    run("build", "-d", "public", cwd=project).check_returncode()
    assert (project / "public/.privacy-notice-output").is_file() and (project / "public/index.html").is_file()
    (project / "public/stale.html").write_text("old\n", encoding="utf-8")
    run("build", "-d", "public", cwd=project).check_returncode()
    assert not (project / "public/stale.html").exists()  # the folder is ours: replaced whole


def test_records_dir_that_is_the_content_folder_is_refused_before_anything_is_written(project):
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("privacy-notice:\n", "privacy-notice:\n      records_dir: content\n", 1), encoding="utf-8")
    assert "records_dir: content" in config.read_text(encoding="utf-8")
    before = snapshot(project)
    result = run("build", cwd=project)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "records folder content is or contains the content folder" in result.stderr
    assert snapshot(project) == before


def test_plain_mkdocs_build_into_a_foreign_folder_is_refused(project):
    (project / "foreign").mkdir()
    (project / "foreign" / "keep.txt").write_text("keep\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-d", "foreign"], cwd=project, capture_output=True, text=True, env=ENV)
    assert result.returncode != 0 and "not made by privacy-notice" in result.stderr
    assert (project / "foreign" / "keep.txt").read_text(encoding="utf-8") == "keep\n"


# -- 6. ordinary permissions ------------------------------------------------------------------------


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_written_files_and_folders_get_ordinary_permissions_subject_to_umask(tmp_path, umask):
    f.write_content(tmp_path / "content")
    mkdocs_yml(tmp_path)

    def set_umask():
        os.umask(umask)

    run("release", "--effective", "2025-01-01", "--announced", "2024-12-01", cwd=tmp_path, preexec_fn=set_umask).check_returncode()
    run("build", cwd=tmp_path, preexec_fn=set_umask).check_returncode()
    checked = 0
    for folder in ("site", "records", "content/releases"):
        for p in [tmp_path / folder, *(tmp_path / folder).rglob("*")]:
            mode = stat.S_IMODE(p.stat().st_mode)
            assert mode == (0o777 if p.is_dir() else 0o666) & ~umask, (str(p), oct(mode))
            checked += 1
    assert stat.S_IMODE((tmp_path / "content/releases.yaml").stat().st_mode) == 0o666 & ~umask
    assert checked > 20


# -- 2. one writer at a time --------------------------------------------------------------------


def test_a_second_release_while_one_runs_refuses_in_one_line(project):
    change(project / "content")
    fd = os.open(project / "content", os.O_RDONLY)  # what a running release holds
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        before = snapshot(project)
        result = run("release", "--effective", "2025-06-01", "--announced", "2025-05-01", "--short-notice-reason", "x", "--approved-by", "y", cwd=project)
    finally:
        os.close(fd)
    assert result.returncode == 1 and "another privacy-notice release is running" in result.stderr
    assert ONE_LINE.match(result.stderr), result.stderr
    assert snapshot(project) == before


def test_two_releases_started_together_one_wins_the_other_refuses_in_one_line(project):
    change(project / "content")
    args = [CLI, "release", "--effective", "2025-06-01", "--announced", "2025-05-01", "--short-notice-reason", "x", "--approved-by", "y"]
    procs = [subprocess.Popen(args, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV) for _ in range(2)]
    results = [(p.wait(60), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert sorted(code for code, _ in results) == [0, 1], results
    loser = next(err for code, err in results if code == 1)
    assert "Traceback" not in loser and ONE_LINE.match(loser), loser
    assert ("another privacy-notice release is running" in loser) or ("nothing changed since version 2" in loser)
    assert len(load_verified_log(project / "content").releases) == 2


# -- 3. frozen files are plain files inside the content folder --------------------------------


def _retarget(project: Path, name: str, target: str) -> None:
    """Replace a frozen file with a link and record the link target's checksum, as a pull request can."""
    frozen = project / "content/releases/1" / name
    frozen.unlink()
    os.symlink(target, frozen)
    log = project / "content/releases.yaml"
    text = log.read_text(encoding="utf-8")
    if os.path.isfile(target) and os.path.getsize(target) < 1 << 20:
        digest = hashlib.sha256(Path(target).read_bytes()).hexdigest()
        text = re.sub(rf"(path: releases/1/{re.escape(name)}\n\s+sha256: )\w+", rf"\g<1>{digest}", text)
    log.write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name,target", [("en.md", "/etc/hostname"), ("notice.json", "/dev/zero"), ("nb.md", "/dev/urandom")])
def test_a_frozen_file_replaced_by_a_link_is_refused_located(project, name, target):
    if not os.path.exists(target):
        pytest.skip(f"{target} does not exist here")
    _retarget(project, name, target)
    for command in (["check"], ["build"]):
        result = run(*command, cwd=project, preexec_fn=_limit_memory)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-1500:]
        assert f"releases/1/{name}" in result.stderr and "symbolic link" in result.stderr, result.stderr[-1500:]


def _limit_memory():
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def test_a_link_anywhere_in_the_content_folder_is_reported_by_check(project):
    os.symlink("/etc", project / "content/pages/etc")
    result = run("check", cwd=project)
    assert result.returncode == 1
    assert re.search(r"^content/pages/etc:1:1: is a symbolic link", result.stderr, re.M), result.stderr


@pytest.mark.parametrize("base", ["/dev/zero", "link"])
def test_diff_base_file_is_read_bounded_and_without_links(project, base):
    if base == "link":
        os.symlink(project / "content/notice.yaml", project / "base.yaml")
        base = "base.yaml"
    result = run("diff", "--base", base, cwd=project, preexec_fn=_limit_memory)
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stderr[-1500:]
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# -- 6. every failure one line, earlier data intact ------------------------------------------------


@pytest.mark.parametrize(
    "command,value",
    [(["diff"], v) for v in ("yesterday", "1e9", "99999999999999999999", "-99999999999999", " ", "")]
    + [(["build"], "yesterday"), (["release", "--effective", "2031-01-01"], "1e9"), (["check"], "99999999999999999999")],
)
def test_an_invalid_source_date_epoch_is_one_line(project, command, value):
    before = snapshot(project)
    result = run(*command, cwd=project, env=dict(ENV, SOURCE_DATE_EPOCH=value))
    assert (result.returncode, result.stdout) == (2, ""), result.stderr[-1500:]
    assert ONE_LINE.match(result.stderr) and "SOURCE_DATE_EPOCH" in result.stderr, result.stderr
    assert snapshot(project) == before


def test_releases_yaml_that_is_a_folder_is_a_located_error(project):
    log = project / "content/releases.yaml"
    log.unlink()
    log.mkdir()
    for command in (["check"], ["release", "--effective", "2031-01-01"], ["diff"]):
        result = run(*command, cwd=project)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "content/releases.yaml:1:1: file is a folder, not a file" in result.stderr


def test_a_lone_surrogate_is_refused_by_check_release_and_diff(project):
    notice = project / "content/notice.yaml"
    text = notice.read_text(encoding="utf-8")
    first_name = re.search(r"^  name: (.*)$", text, re.M)
    notice.write_text(text[: first_name.start(1)] + '"Fjordlys \\udc80"' + text[first_name.end(1) :], encoding="utf-8")
    before = snapshot(project)
    for command in (["check"], ["release", "--effective", "2031-01-01"], ["diff"]):
        result = run(*command, cwd=project)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert "lone UTF-16 surrogate" in result.stderr
    assert snapshot(project) == before


def test_release_piped_into_head_completes_without_a_traceback(project):
    change(project / "content")
    result = subprocess.run(
        f"{CLI} release --effective 2025-06-01 --announced 2025-05-01 --short-notice-reason x --approved-by y | head -c 1",
        shell=True, cwd=project, capture_output=True, text=True, env=ENV,
    )
    assert "Traceback" not in result.stderr and "Exception" not in result.stderr, result.stderr
    assert "version: 2" in (project / "content/releases.yaml").read_text(encoding="utf-8")


def test_diff_piped_into_head_stops_quietly(project):
    result = subprocess.run(f"{CLI} diff --base content/releases/1/notice.yaml --format markdown | head -c 1", shell=True, cwd=project, capture_output=True, text=True, env=ENV)
    assert result.stderr == ""


@pytest.mark.parametrize("option", [["--reason", "ok\x1b[2K"], ["--approved-by", "  "], ["--approved-by", "A\nB"]])
def test_recorded_command_line_values_are_checked_like_content(project, option):
    change(project / "content")
    before = snapshot(project)
    extra = ["--reason", "fine"] if option[0] != "--reason" else ["--approved-by", "Kari"]
    result = run("release", "--effective", "2025-06-01", "--reclassify", "languages.default=minor", *option, *extra, cwd=project)
    assert result.returncode == 2 and ONE_LINE.match(result.stderr), result.stderr
    assert snapshot(project) == before


# -- 7. read-only folders and full disks, on a small tmpfs where root can mount one ------------------


def _mount_tmpfs(folder: Path, size: str) -> None:
    folder.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a small tmpfs needs root (the full-disk and read-only tests run in CI as root)")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


@pytest.fixture
def small_disk(tmp_path: Path):
    """A project on a 3 MB tmpfs, released once and built once; unmounted afterwards."""
    disk = tmp_path / "disk"
    _mount_tmpfs(disk, "3m")
    try:
        f.write_content(disk / "content")
        mkdocs_yml(disk)
        run("release", "--effective", "2025-01-01", "--announced", "2024-12-01", cwd=disk).check_returncode()
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path, leave: int) -> None:
    """Fill the disk up to `leave` bytes."""
    free = shutil.disk_usage(disk).free
    with open(disk / "ballast", "wb") as out:
        try:
            out.write(b"\0" * max(0, free - leave))
        except OSError:
            pass


def test_a_release_on_a_full_disk_is_one_line_and_changes_nothing(small_disk):
    change(small_disk / "content")
    _fill(small_disk, 4096)
    before = snapshot(small_disk / "content")
    result = run("release", "--effective", "2025-06-01", "--announced", "2025-05-01", "--short-notice-reason", "x", "--approved-by", "y", cwd=small_disk)
    assert result.returncode == 1 and ONE_LINE.match(result.stderr), result.stderr
    assert "the disk is full" in result.stderr
    assert snapshot(small_disk / "content") == before
    (small_disk / "ballast").unlink()
    run("release", "--effective", "2025-06-01", "--announced", "2025-05-01", "--short-notice-reason", "x", "--approved-by", "y", cwd=small_disk).check_returncode()


def test_a_build_on_a_full_disk_is_one_line_and_keeps_the_old_site(small_disk):
    run("build", cwd=small_disk).check_returncode()
    site_before = snapshot(small_disk / "site")
    _fill(small_disk, 8192)
    result = run("build", cwd=small_disk)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "the disk is full" in result.stderr
    assert snapshot(small_disk / "site") == site_before
    assert not [p for p in small_disk.iterdir() if p.name.startswith(".site.")]


def test_a_full_temporary_folder_is_one_line_and_writes_no_site(small_disk, tmp_path):
    # A build writes its pages to a folder under TMPDIR for MkDocs to read (files.Scratch). Python
    # passes over a TMPDIR where it cannot write a test file, so this one has a few KiB left: enough
    # for that, not for the pages.
    scratch = tmp_path / "tmp"
    _mount_tmpfs(scratch, "256k")
    try:
        _fill(scratch, 8192)
        result = run("build", cwd=small_disk, env={**ENV, "TMPDIR": str(scratch)})
        assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
        assert "the disk is full" in result.stderr and "TMPDIR" in result.stderr, result.stderr
        assert not (small_disk / "site").exists() and not [p for p in small_disk.iterdir() if p.name.startswith(".site.")]
        assert [p.name for p in scratch.iterdir()] == ["ballast"]  # nothing left behind
    finally:
        subprocess.run(["umount", "-l", str(scratch)], check=False)


def test_a_read_only_content_folder_is_one_line(small_disk):
    change(small_disk / "content")
    before = snapshot(small_disk / "content")
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = run("release", "--effective", "2025-06-01", "--announced", "2025-05-01", "--short-notice-reason", "x", "--approved-by", "y", cwd=small_disk)
    assert result.returncode == 1 and ONE_LINE.match(result.stderr), result.stderr
    assert "read-only" in result.stderr
    build = run("build", cwd=small_disk)
    assert build.returncode == 1 and "Traceback" not in build.stderr and "read-only" in build.stderr, build.stderr
    assert snapshot(small_disk / "content") == before


def test_output_written_before_the_marker_existed_is_still_ours(tmp_path):
    from generator.files import OutputError, guard_output
    from generator.records import README

    site, records, other = tmp_path / "site", tmp_path / "records", tmp_path / "other"
    for folder in (site, records, other):
        folder.mkdir()
    (site / "index.html").write_text("<p>old</p>", encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(b"")
    (records / "README.md").write_text(README, encoding="utf-8")
    (other / "index.html").write_text("<p>someone's</p>", encoding="utf-8")
    guard_output(site, project=tmp_path, protected={})
    guard_output(records, project=tmp_path, protected={})
    with pytest.raises(OutputError, match="not empty and was not made by privacy-notice"):
        guard_output(other, project=tmp_path, protected={})
