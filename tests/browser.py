"""Helpers for browser tests: Debian's Chromium driven by Playwright, a local server, axe-core, screenshots.

Nothing here downloads a browser: Playwright drives the system's `chromium` (Debian package) through
`executable_path`. Without it the browser tests skip, saying what to install, except under CI=true,
where they fail so that CI can never pass by silently skipping them.
"""

from __future__ import annotations

import io
import os
import posixpath
import shutil
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.site import REPO

PREFIX = "/privacy-notice/"  # served like a GitHub project page: https://OWNER.github.io/REPO/
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# WCAG 2.2 levels A and AA (with the 2.0 and 2.1 criteria it includes), the bar the site promises.
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
INSTALL_HINT = (
    "install Debian's chromium (`sudo apt-get install chromium`) and the test extra "
    "(`.venv/bin/pip install -e '.[test]'`, which brings playwright and axe-playwright-python)"
)


def chromium_path() -> str | None:
    """The system Chromium: $CHROMIUM if set, else /usr/bin/chromium, else `chromium` on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def unavailable(reason: str) -> None:
    """Skip with a reason naming what to install; under CI=true fail instead."""
    message = f"browser tests not run: {reason}; {INSTALL_HINT}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: .ci/run should have installed it)", pytrace=False)
    pytest.skip(message)


def launch(playwright):
    """Headless system Chromium with the flags that keep it off the network."""
    executable = chromium_path()
    if executable is None:
        unavailable("no Chromium at /usr/bin/chromium (or $CHROMIUM)")
    return playwright.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)


class _Handler(SimpleHTTPRequestHandler):
    """Serves the site under PREFIX; like GitHub Pages, any missing path gets 404.html with status 404."""

    def __init__(self, *args, **kwargs):
        server = args[2]
        super().__init__(*args, directory=str(server.root), **kwargs)

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(PREFIX):
            return str(Path(self.directory) / ".no-such-file")
        rel = posixpath.normpath(path[len(PREFIX) :]).lstrip("/")
        if rel.startswith(".."):
            return str(Path(self.directory) / ".no-such-file")
        return str(Path(self.directory) / rel) + ("/" if path.endswith("/") else "")

    def send_head(self):
        target = Path(self.translate_path(self.path))
        if target.is_file() or (target.is_dir() and (target / "index.html").is_file()):
            return super().send_head()
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        pass


class SiteServer:
    """A threaded HTTP server on 127.0.0.1 with a free port, started before the site exists.

    The port is known first so the site can be built with `site_url` = `url` (as on GitHub Pages,
    where site_url is the project page's full URL); `root` is set to the built site afterwards.
    """

    def __init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.root = Path(".")
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}{PREFIX}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def serve(self, root: Path) -> "SiteServer":
        self.httpd.root = root
        self._thread.start()
        return self

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@dataclass
class Traffic:
    """Every request a browser context made; requests to other hosts are recorded and aborted."""

    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # local responses with status >= 400, or no response

    def attach(self, context) -> "Traffic":
        context.route("**/*", self._route)
        context.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        context.on("requestfailed", lambda r: is_local(r.url) and self.failed.append(f"{r.failure} {r.url}"))
        return self

    def _route(self, route) -> None:
        url = route.request.url
        self.requests.append(url)
        if is_local(url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    @property
    def foreign(self) -> list[str]:
        return [u for u in self.requests if not is_local(u)]

    def clear(self) -> None:
        self.requests.clear()
        self.failed.clear()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "about", "blob"):
        return True
    return parts.hostname in LOCAL_HOSTS


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA violations on the page as loaded."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]})
    return results.response["violations"]


def describe(violations: list[dict]) -> str:
    """One line per failing element: rule, impact, selector, and axe's own explanation."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            lines.append(f"{v['id']} ({v['impact']}): {' '.join(map(str, node['target']))}: {node.get('failureSummary', '').splitlines()[-1].strip()}")
    return "\n".join(lines)


#: Every element whose visible box (clipped by its scrolling or clipping ancestors) reaches past the
#: viewport's right edge: what makes a phone scroll sideways or cuts text off.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === "hidden") continue;
    let right = r.right, left = r.left;
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX !== "visible" || s.clipPath !== "none") {
        const c = a.getBoundingClientRect();
        right = Math.min(right, c.right); left = Math.max(left, c.left);
      }
    }
    if (right > left && right > width + 1) out.push(`${e.tagName.toLowerCase()}.${e.className} ${Math.round(right)}px: ${(e.textContent || "").trim().slice(0, 40)}`);
  }
  return out;
}"""


#: Every visible region that scrolls sideways (a table in Material's scroll wrapper, a code block).
SIDEWAYS = """() => [...document.querySelectorAll("body *")].filter(e => {
  const s = getComputedStyle(e);
  return ["auto", "scroll"].includes(s.overflowX) && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1;
}).map(e => `${e.tagName.toLowerCase()}.${e.className}: ${(e.textContent || "").trim().slice(0, 40)}`)"""


def overflowing(page) -> list[str]:
    """Elements reaching past the viewport, and regions a reader would have to scroll sideways."""
    return page.evaluate(OVERFLOWING) + page.evaluate(SIDEWAYS)


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, timeout=60_000)  # a loaded CI machine is slow with tall pages
    return path
