"""A release or a build killed at any moment leaves the old state or the new one, never a third.

A real `privacy-notice release` (and `build`) subprocess is SIGKILLed at random moments, 30 times
each, on a history long enough that a release takes about a second. After every kill the release
log must verify and hold either the versions it held before or one more; a folder an interrupted
release left is not a version (the log entry is the commit point) and the next release removes it.
site/ must be byte for byte one of the two complete sites.
"""

from __future__ import annotations

import copy
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from generator.releases import LOG_HEADER, load_verified_log
from tests.site import mkdocs_yml

REPO = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "privacy-notice")
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1767225600")  # 2026-01-01
KILLS = 30
VERSIONS = 60


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def long_history(out: Path, versions: int) -> Path:
    """bench/synth.py's realistic notice with two real releases, then version 2 repeated up to
    `versions` (copied folder, its own log entry): a log as long as years of releases, made in seconds."""
    subprocess.run([sys.executable, str(REPO / "bench/synth.py"), str(out), "--versions", "2", "--purposes", "20", "--recipients", "15", "--cookies", "10"],
                   check=True, capture_output=True, env=ENV)
    content = out / "content"
    log = yaml.safe_load((content / "releases.yaml").read_text(encoding="utf-8"))
    template = log["releases"][-1]
    effective = template["effective"]
    import datetime as dt

    day = dt.date.fromisoformat(effective)
    for version in range(3, versions + 1):
        shutil.copytree(content / "releases/2", content / f"releases/{version}")
        entry = copy.deepcopy(template)
        day += dt.timedelta(days=41)
        entry.update(version=version, announced=(day - dt.timedelta(days=40)).isoformat(), effective=day.isoformat(), significant=False)
        entry.pop("short_notice", None)
        entry.pop("reclassifications", None)
        for frozen in entry["files"].values():
            frozen["path"] = frozen["path"].replace("releases/2/", f"releases/{version}/")
        entry["urls"] = [u.replace("/2/", f"/{version}/").replace("versions/2.", f"versions/{version}.") for u in entry["urls"]]
        log["releases"].append(entry)
    (content / "releases.yaml").write_text(LOG_HEADER + yaml.safe_dump(log, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert len(load_verified_log(content).releases) == versions
    return content


def change(content: Path, step: int) -> None:
    """A significant change: a retention period the history never had."""
    notice = content / "notice.yaml"
    text = notice.read_text(encoding="utf-8")
    start = text.index("period: P", text.index("retention:"))
    end = text.index("\n", start)
    notice.write_text(text[:start] + f"period: P{step % 90 + 1}Y{step}D" + text[end:], encoding="utf-8")


def release(content: Path, effective: str) -> subprocess.Popen:
    args = [CLI, "release", "--content", str(content), "--effective", effective, "--announced", "2026-01-01", "--short-notice-reason", "test", "--approved-by", "test"]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV)


def test_a_release_killed_at_any_moment_leaves_the_old_or_the_new_log(tmp_path):
    content = long_history(tmp_path / "history", VERSIONS)
    rng = random.Random(13)
    versions = VERSIONS
    day = 0

    def next_effective() -> str:
        nonlocal day
        day += 1
        return f"2030-{1 + day // 28:02d}-{1 + day % 28:02d}"

    change(content, 0)
    started = time.monotonic()
    first = release(content, next_effective())
    assert first.wait(120) == 0, first.stderr.read()
    first.stderr.close()
    duration = time.monotonic() - started  # an uninterrupted release on this history, on this machine
    versions += 1
    outcomes = {"old": 0, "new": 0}
    streak_old = 0
    for attempt in range(1, KILLS + 1):
        change(content, attempt)
        process = release(content, next_effective())
        time.sleep(rng.uniform(0.05, 1.2) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(60)
        error = process.stderr.read().decode()
        process.stderr.close()
        assert "Traceback" not in error, error
        assert process.returncode in (0, -signal.SIGKILL), error  # killed, or done before the kill: never refused
        log = load_verified_log(content)  # raises if any frozen file is missing or differs
        assert len(log.releases) in (versions, versions + 1), (attempt, len(log.releases))
        logged = {str(v) for v in range(1, len(log.releases) + 1)}
        strays = [p.name for p in (content / "releases").iterdir() if p.name not in logged]
        # nothing else: at most the staging or the renamed folder of the version that was not committed
        assert all(name.startswith(".") or name == str(len(log.releases) + 1) for name in strays), strays
        if len(log.releases) == versions + 1:
            outcomes["new"] += 1
            versions += 1
            streak_old = 0
        else:
            outcomes["old"] += 1
            day -= 1  # the date was not used
            streak_old += 1
            if streak_old >= 4:  # the machine got slower than the first release: widen the window
                duration *= 1.5
                streak_old = 0
    assert outcomes["old"] and outcomes["new"], outcomes  # the kills did land before and after the commit point
    change(content, KILLS + 1)
    last = release(content, next_effective())  # recovers whatever the last kill left
    assert last.wait(120) == 0, last.stderr.read()
    last.stderr.close()
    assert len(load_verified_log(content).releases) == versions + 1
    assert sorted(p.name for p in (content / "releases").iterdir()) == sorted(str(v) for v in range(1, versions + 2))
    assert not list(content.glob(".releases.yaml.*"))


def test_a_build_killed_at_any_moment_leaves_the_old_or_the_new_site(tmp_path):
    from tests import factories as f

    mkdocs_yml(tmp_path)
    notice = tmp_path / "content/notice.yaml"
    texts = {}
    for key, period in (("a", "P3Y"), ("b", "P4Y")):  # before the first release the site shows the working copy
        d = f.data()
        d["retention"][0]["period"] = period
        f.write_content(tmp_path / "content", d)
        texts[key] = notice.read_text(encoding="utf-8")
    sites = {}
    started = time.monotonic()
    for key in ("b", "a"):  # each complete site, built without interruption; the last one stays in site/
        notice.write_text(texts[key], encoding="utf-8")
        subprocess.run([CLI, "build"], cwd=tmp_path, check=True, capture_output=True, env=ENV)
        sites[key] = snapshot(tmp_path / "site")
    duration = (time.monotonic() - started) / 2
    assert sites["a"] != sites["b"]
    rng = random.Random(13)
    current = "a"
    outcomes = {"old": 0, "new": 0}
    streak_old = 0
    for _ in range(KILLS):
        target = "b" if current == "a" else "a"
        notice.write_text(texts[target], encoding="utf-8")
        process = subprocess.Popen([CLI, "build"], cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        time.sleep(rng.uniform(0.05, 1.2) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait(60)
        found = snapshot(tmp_path / "site")
        assert found in (sites[current], sites[target]), "site/ is neither the old nor the new site"
        if found == sites[target]:
            outcomes["new"] += 1
            current, streak_old = target, 0
        else:
            outcomes["old"] += 1
            streak_old += 1
            if streak_old >= 4:  # the machine got slower than the first builds: widen the window
                duration *= 1.5
                streak_old = 0
    assert outcomes["old"] and outcomes["new"], outcomes
    subprocess.run([CLI, "build"], cwd=tmp_path, check=True, capture_output=True, env=ENV)
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")]  # left-overs of killed builds removed
