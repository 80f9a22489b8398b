"""Side-by-side benchmarks: each pair runs alternately, back to back; medians of whole-process wall
time and peak memory (RSS of the child, from wait4), reported as ratios.

    python bench/run.py --versions 10 100 300 --runs 5

Each pair reports wall time, CPU time (user + system, from wait4) and peak memory.

a. build: `mkdocs build` with our plugin over N versions x 2 languages, against `mkdocs build` of the
   same pages written out by `privacy-notice pages` (Markdown with the same front matter), without the plugin;
b. `privacy-notice check` against `check-jsonschema --schemafile schema/notice.schema.json`;
c. `privacy-notice diff` against the same check-jsonschema run.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/privacy-notice-bench"))
sys.path.insert(0, str(REPO))


def environment() -> dict[str, str]:
    """The children's environment. Without PYTHONDONTWRITEBYTECODE: pip compiles an installed
    package's bytecode, and a checkout's first run writes it, so a user's process never compiles our
    modules from source; with it set (as on some machines) each process spent about 70 ms doing so."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return dict(env, NO_MKDOCS_2_WARNING="1", SOURCE_DATE_EPOCH="1900000000")


def run(cmd: list[str], cwd: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KiB) and CPU seconds (user + system) of one whole process."""
    env = environment()
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {proc.stderr.read().decode()[-2000:]}")
    return wall, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


def pair(a: list[str], b: list[str], cwd: Path, runs: int) -> dict:
    """Alternate A and B, after one warm-up each; medians."""
    run(a, cwd), run(b, cwd)
    times = {"a": [], "b": []}
    memory = {"a": [], "b": []}
    cpu = {"a": [], "b": []}
    for _ in range(runs):
        for key, cmd in (("a", a), ("b", b)):
            wall, rss, seconds = run(cmd, cwd)
            times[key].append(wall)
            memory[key].append(rss)
            cpu[key].append(seconds)
    med = {k: statistics.median(v) for k, v in times.items()}
    mem = {k: statistics.median(v) for k, v in memory.items()}
    cp = {k: statistics.median(v) for k, v in cpu.items()}
    return {"a": med["a"], "b": med["b"], "ratio": med["a"] / med["b"], "mem_a": mem["a"] / 1024, "mem_b": mem["b"] / 1024,
            "cpu_a": cp["a"], "cpu_b": cp["b"], "cpu_ratio": cp["a"] / cp["b"], "mem_ratio": mem["a"] / mem["b"]}


def site(versions: int, steady: bool = False) -> Path:
    folder = WORK / f"v{versions}{'-steady' if steady else ''}"
    if not (folder / "content/releases.yaml").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, str(REPO / "bench/synth.py"), str(folder), "--versions", str(versions), *(["--steady"] if steady else [])], check=True)
    return folder


def plain_copy(folder: Path) -> Path:
    """The same pages, pre-rendered to Markdown files, with a config without our plugin.

    Written by a separate process: Linux keeps a process's peak RSS across fork and exec, so a
    bench process grown by this work would inflate every measured child's peak memory."""
    subprocess.run([sys.executable, __file__, "--prepare-plain", str(folder)], check=True)
    return folder / "plain"


def _prepare_plain(folder: Path) -> Path:
    """`privacy-notice pages` (the engine exit): the files the plugin hands MkDocs, front matter and all,
    so the baseline's pages are the same, including which ones the search index leaves out."""
    out = folder / "plain"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    env = dict(os.environ, SOURCE_DATE_EPOCH="1900000000")
    subprocess.run([str(BIN / "privacy-notice"), "pages", str(out / "docs"), "-f", str(folder / "mkdocs.yml")], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL)
    yml = (folder / "mkdocs.yml").read_text(encoding="utf-8")
    yml = yml.replace("docs_dir: content/pages", "docs_dir: docs")
    yml = yml.replace("  - privacy-notice:\n      content: content\n", "")
    yml += "not_in_nav: |\n  /**\n"  # like the plugin's pages: out of the nav, which would otherwise grow with every page
    (out / "mkdocs.yml").write_text(yml, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, nargs="+", default=[10, 100, 300])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-build", action="store_true", help="only measure check and diff")
    parser.add_argument("--steady", action="store_true", help="content whose releases add nothing, so the notice keeps its size (isolates the cost per version)")
    parser.add_argument("--prepare-plain", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.prepare_plain:
        _prepare_plain(args.prepare_plain)
        return
    mkdocs, pn, cj = str(BIN / "mkdocs"), str(BIN / "privacy-notice"), str(BIN / "check-jsonschema")
    rows = []
    builds = {}
    print("| measurement | ours | baseline | ours (s) | baseline (s) | wall ratio | ours CPU (s) | baseline CPU (s) | CPU ratio | ours peak MiB | baseline peak MiB | memory ratio |", flush=True)
    print("|---|---|---|---|---|---|---|---|---|---|---|---|", flush=True)

    def report(name, a, b, r):
        rows.append((name, a, b, r))
        print(f"| {name} | `{a}` | `{b}` | {r['a']:.2f} | {r['b']:.2f} | **{r['ratio']:.2f}×** | {r['cpu_a']:.2f} | {r['cpu_b']:.2f} | **{r['cpu_ratio']:.2f}×** | {r['mem_a']:.0f} | {r['mem_b']:.0f} | {r['mem_ratio']:.2f}× |", flush=True)

    for n in [] if args.skip_build else args.versions:
        folder = site(n, args.steady)
        plain = plain_copy(folder)
        r = pair([mkdocs, "build", "-q", "-f", "mkdocs.yml", "-d", str(WORK / "out-plugin")], [mkdocs, "build", "-q", "-f", str(plain / "mkdocs.yml"), "-d", str(WORK / "out-plain")], folder, args.runs)
        builds[n] = r
        r["markdown_bytes"] = sum(p.stat().st_size for p in (plain / "docs").rglob("*.md"))
        report(f"a. build, {n} versions × 2 languages", "mkdocs build + plugin", "mkdocs build, same pages (privacy-notice pages)", r)
    folder = site(args.versions[0], args.steady)
    schema = str(REPO / "schema/notice.schema.json")
    notice = str(folder / "content/notice.yaml")
    report("b. check", "privacy-notice check content", "check-jsonschema --schemafile …", pair([pn, "check", "content"], [cj, "--schemafile", schema, notice], folder, args.runs))
    report("c. diff vs previous version", "privacy-notice diff", "check-jsonschema --schemafile …", pair([pn, "diff"], [cj, "--schemafile", schema, notice], folder, args.runs))
    if len(builds) > 1:
        ns = sorted(builds)
        for small, large in zip(ns, ns[1:]):
            grow = builds[large]["markdown_bytes"] / builds[small]["markdown_bytes"]
            print(f"\nbuild time {large} vs {small} versions: ours {builds[large]['a'] / builds[small]['a']:.2f}×, plain {builds[large]['b'] / builds[small]['b']:.2f}×"
                  f" (versions {large / small:.2f}×, Markdown of all pages {grow:.2f}×)")


if __name__ == "__main__":
    main()
