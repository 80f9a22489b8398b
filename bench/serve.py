"""Save -> visible under a real `mkdocs serve`: the time from writing content/notice.yaml to the
served draft page showing the new text, for several history sizes side by side.

    python bench/serve.py --versions 10 30 100 --saves 7

One `mkdocs serve` per size runs on a free localhost port, all started before measuring (the first
build renders everything). Saves then go round-robin, one size at a time, so load from other
processes on the machine hits every size alike. Each save replaces the rights contact's e-mail
address with a new one and polls the draft page (every 10 ms) until the new address is in it.
Reported: median, minimum and maximum seconds per size, and each size's median against the first.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import BIN, environment, site  # noqa: E402  (the same synthesised content as the build benchmark)

MARK = "personvern@bench.example"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


class Served:
    def __init__(self, folder: Path):
        self.folder = folder
        self.notice = folder / "content/notice.yaml"
        self.original = self.notice.read_text(encoding="utf-8")
        assert MARK in self.original, f"{self.notice}: no {MARK} to change"
        port = free_port()
        mount = urlsplit(next(line.split(":", 1)[1].strip() for line in (folder / "mkdocs.yml").read_text().splitlines() if line.startswith("site_url:"))).path
        self.draft = f"http://127.0.0.1:{port}{mount}en/draft/"
        env = environment()
        self.log = open(folder / "serve.log", "w")
        self.process = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=folder, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.saves = 0

    def ready(self, timeout: float = 900) -> None:
        end = time.monotonic() + timeout
        while MARK not in fetch(self.draft):
            if self.process.poll() is not None or time.monotonic() > end:
                raise SystemExit(f"mkdocs serve in {self.folder} did not come up; see {self.log.name}")
            time.sleep(0.2)

    def cpu(self) -> float:
        """CPU seconds (user + system) the serve process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def save(self) -> tuple[float, float]:
        """Wall seconds from the write to the served draft showing the new text, and CPU seconds used."""
        self.saves += 1
        new = f"personvern-{self.saves}@bench.example"
        cpu = self.cpu()
        start = time.perf_counter()
        self.notice.write_text(self.original.replace(MARK, new), encoding="utf-8")
        while new not in fetch(self.draft):
            if time.perf_counter() - start > 120:
                raise SystemExit(f"{self.folder}: the save did not show within 120 s; see {self.log.name}")
            time.sleep(0.025)
        return time.perf_counter() - start, self.cpu() - cpu

    def stop(self) -> None:
        # Ctrl-C, as a user stops it: MkDocs then removes its temporary site and the plugin its kept copies.
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.notice.write_text(self.original, encoding="utf-8")
        self.log.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--versions", type=int, nargs="+", default=[10, 30, 100])
    parser.add_argument("--saves", type=int, default=7)
    parser.add_argument("--steady", action="store_true", help="content whose notice keeps its size as versions grow")
    parser.add_argument("--settle", type=float, default=1.0, help="seconds to wait after each save, so the next one starts on a quiet server")
    args = parser.parse_args()
    servers = {n: Served(site(n, args.steady)) for n in args.versions}
    try:
        for server in servers.values():
            server.ready()
        times: dict[int, list[float]] = {n: [] for n in servers}
        cpus: dict[int, list[float]] = {n: [] for n in servers}
        for n, server in servers.items():  # one warm-up save each: the first save after start builds the cache's first use
            server.save()
            time.sleep(args.settle)
        for _ in range(args.saves):
            for n, server in servers.items():
                wall, cpu = server.save()
                times[n].append(wall)
                cpus[n].append(cpu)
                time.sleep(args.settle)
    finally:
        for server in servers.values():
            server.stop()
    first = statistics.median(times[args.versions[0]])
    first_cpu = statistics.median(cpus[args.versions[0]])
    print(f"| released versions | save → visible, median (s) | min (s) | max (s) | vs {args.versions[0]} versions | CPU per save, median (s) | vs {args.versions[0]} versions |")
    print("|---|---|---|---|---|---|---|")
    for n, values in times.items():
        med, cpu = statistics.median(values), statistics.median(cpus[n])
        print(f"| {n} | {med:.2f} | {min(values):.2f} | {max(values):.2f} | **{med / first:.2f}×** | {cpu:.2f} | **{cpu / first_cpu:.2f}×** |")
    print(f"\n{args.saves} saves per size, round-robin; load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
