"""Helpers for build tests: build a fixture site with the real CLI and read the HTML it wrote."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "privacy-notice")


def mkdocs_yml(folder: Path, *, site_url: str = "https://example.org/privacy/", content: str = "content") -> Path:
    """A fixture site's mkdocs.yml: the repository's own, pointed at the fixture's content (the plugin
    brings the theme overrides)."""
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("docs_dir: content/pages", f"docs_dir: {content}/pages")
    config = config.replace("content: content", f"content: {content}")
    lines = [line for line in config.splitlines() if not line.startswith("site_url:")]
    lines.insert(0, f"site_url: {site_url}")
    path = folder / "mkdocs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build(config: Path, *, today: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    if today:
        import datetime as dt

        env["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.fromisoformat(today + "T12:00:00+00:00").timestamp()))
    result = subprocess.run([CLI, "build", "-f", str(config)], capture_output=True, text=True, env=env, cwd=config.parent)
    if check and result.returncode != 0:
        raise AssertionError(f"build failed:\n{result.stderr}")
    return result


@dataclass
class Html(HTMLParser):
    """The parts of a page tests look at: elements with attributes, and the visible text."""

    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)
    _skip: int = 0

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())]

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.elements if "id" in a}


def page(site: Path, path: str) -> Html:
    parser = Html()
    parser.feed((site / path).read_text(encoding="utf-8"))
    return parser


def third_party_references(site: Path, own_host: str = "example.org") -> list[str]:
    """Every src/href of a script, style, font, image or frame that points to another host."""
    found = []
    for file in site.rglob("*.html"):
        for tag, attrs in page(site, str(file.relative_to(site))).elements:
            refs = []
            if tag in ("script", "img", "iframe", "source", "video", "audio", "embed"):
                refs.append(attrs.get("src", ""))
            if tag == "link" and attrs.get("rel") not in ("alternate", "canonical"):
                refs.append(attrs.get("href", ""))
            if tag == "object":
                refs.append(attrs.get("data", ""))
            for ref in refs:
                host = urlparse(ref).netloc
                if host and host != own_host:
                    found.append(f"{file.relative_to(site)}: <{tag}> {ref}")
    for file in site.rglob("*.css"):
        text = file.read_text(encoding="utf-8", errors="replace")
        for marker in ("@import url(http", "url(https://", "url(http://", "fonts.googleapis", "fonts.gstatic"):
            if marker in text:
                found.append(f"{file.relative_to(site)}: {marker}")
    return found
