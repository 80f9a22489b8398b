"""In Chromium: a clause override holding script renders as text, a frozen release that holds raw
HTML (as releases made before escaping can) runs none of it, and Material's own page chrome, whose
scripts the sanitiser never touches, still works."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from generator.releases import make_release
from tests import factories as f
from tests.browser import SiteServer, Traffic, chromium_path, launch, screenshot, unavailable
from tests.site import build, mkdocs_yml

pytestmark = pytest.mark.build
OVERRIDE = '<img src=x onerror="window.pwned=1"> <script>window.pwned=2</script> [click](javascript:window.pwned=3)'
FROZEN_HTML = '\n\n<script>window.pwned=4</script><img src=x onerror="window.pwned=5"><p onclick="window.pwned=6">old</p>\n'


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    if chromium_path() is None:
        unavailable("no Chromium at /usr/bin/chromium (or $CHROMIUM)")
    server = SiteServer()
    root = tmp_path_factory.mktemp("inert")
    d = f.data()
    content = f.write_content(root / "content", d)
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    # version 1 as a release made before escaping would have frozen it: raw HTML in its text
    frozen = content / "releases/1/en.md"
    old = frozen.read_bytes()
    frozen.write_bytes(old + FROZEN_HTML.encode())
    log = content / "releases.yaml"
    log.write_text(log.read_text(encoding="utf-8").replace(hashlib.sha256(old).hexdigest(), hashlib.sha256(frozen.read_bytes()).hexdigest()), encoding="utf-8")
    d["clauses"] = {"intro": {"nb": OVERRIDE, "en": OVERRIDE}}
    d["retention"][0]["period"] = "P5Y"
    f.write_content(content, d)
    make_release(content, effective=dt.date(2025, 6, 1), announced=dt.date(2025, 4, 1))
    build(mkdocs_yml(root, site_url=server.url), today="2026-01-01")
    server.serve(root / "site")
    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield server, browser
        browser.close()
    server.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_clause_override_with_script_renders_as_text_and_material_still_works(site, width):
    server, browser = site
    context = browser.new_context(viewport={"width": width, "height": 900})
    traffic = Traffic().attach(context)
    page = context.new_page()
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(server.url + "en/", wait_until="networkidle")
    page.click("article >> text=click")  # the javascript: link is plain text now: clicking runs nothing
    assert page.evaluate("window.pwned") is None
    assert '<img src=x onerror="window.pwned=1"> <script>window.pwned=2</script>' in page.inner_text("article")
    assert page.locator("article img, article script").count() == 0
    # Material's own scripts ran: its observable is defined and the search and language switch are wired
    assert page.evaluate("typeof window.document$") == "object"
    assert page.locator("[data-md-component=search]").count() == 1
    assert page.locator(".md-select a[hreflang=nb]").count() >= 1
    assert (dialogs, errors, traffic.foreign) == ([], [], [])
    screenshot(page, f"inert-override-{width}")
    context.close()


def test_raw_html_frozen_in_an_old_release_runs_nothing(site):
    server, browser = site
    context = browser.new_context()
    page = context.new_page()
    page.goto(server.url + "en/versions/1/", wait_until="networkidle")
    page.click("text=old")
    assert page.evaluate("window.pwned") is None
    assert page.locator("article script, article img, article [onclick]").count() == 0
    assert re.search(r"\bold\b", page.inner_text("article"))
    context.close()
