"""What readers do, in a real browser: headless Chromium (Debian's package) driven by Playwright.

The fixture site is built with the real `privacy-notice build` and served from 127.0.0.1 under a
project-pages prefix (/privacy-notice/), with `site_url` set to that address as on GitHub Pages.
Screenshots of each page type go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from generator.releases import make_release
from tests import factories as f
from tests.browser import SiteServer, Traffic, axe_violations, chromium_path, describe, launch, overflowing, screenshot, unavailable
from tests.site import build, mkdocs_yml

pytestmark = pytest.mark.build
TODAY = "2026-01-01"
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}  # a common phone's CSS viewport
WIDTHS = {"390": PHONE, "1280": VIEWPORT}
# Material's script asks for sitemap.xml below every <link rel=alternate hreflang> of a page; see
# test_no_page_asks_for_a_file_that_does_not_exist.
SITEMAP_PROBE = re.compile(r"404 \S+/sitemap\.xml")

# One page of each type the site has (path below the site's root URL).
PAGE_TYPES = {
    "chooser": "",
    "current-nb": "nb/",
    "current-en": "en/",
    "superseded": "en/versions/1/",
    "superseded-nb": "nb/versions/1/",
    "upcoming": "en/versions/3/",
    "versions": "en/versions/",
    "versions-nb": "nb/versions/",
    "changelog": "en/changelog/",
    "what-changed": "en/versions/2/changes/",
    "what-changed-nb": "nb/versions/2/changes/",
    "subprocessors": "nb/subprocessors/",
    "subprocessors-en": "en/subprocessors/",
    "not-found": "en/no-such-page/",
}


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the Python package playwright is not installed")
    if chromium_path() is None:
        unavailable("no Chromium at /usr/bin/chromium (or $CHROMIUM)")
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(browser, tmp_path_factory):
    """Three releases (v1 superseded, v2 in force on TODAY, v3 announced) of a controller that is also a processor."""
    server = SiteServer()
    root = tmp_path_factory.mktemp("browser")
    d = f.data()
    d["organisation"]["roles"]["processor"] = {
        "description": {"nb": "Vi fører regnskap for kundene våre.", "en": "We keep our customers' accounts."},
        "sub_processors": ["m365"],
    }
    # What phones find hardest: a long cookie name in a seven-column table, an objectable purpose.
    d["cookies"].append({"name": "_ga_1A2B3C4D5E_session_identifier", "provider": "Google Ireland Limited", "party": "third", "purpose": {"nb": "statistikk over bruken av nettsiden", "en": "statistics on how the site is used"}, "category": "statistics", "duration": "P1Y1M", "consent_required": True})
    d["purposes"].append({"id": "offers", "name": {"nb": "Tilbud til kunder", "en": "Offers to customers"}, "description": {"nb": "Vi sender tilbud til kundene våre.", "en": "We send offers to our customers."}, "legal_basis": "legitimate_interests", "legitimate_interest": {"nb": "å selge mer til kundene våre", "en": "selling more to our customers"}, "data_subjects": ["customers"], "categories": ["contact"], "recipients": [], "retention": "three_years"})
    content = f.write_content(root / "content", d)
    make_release(content, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    d["retention"][0]["period"] = "P5Y"
    d["recipients"].append({"id": "mailchimp", "name": "Intuit Mailchimp", "kind": "processor", "service": {"nb": "nyhetsbrev", "en": "newsletters"}, "locations": ["US"], "transfer": {"safeguard": "scc"}})
    d["purposes"][0]["recipients"].append("mailchimp")
    d["organisation"]["roles"]["processor"]["sub_processors"].append("mailchimp")
    f.write_content(content, d)
    make_release(content, effective=dt.date(2025, 6, 1), announced=dt.date(2025, 4, 1))
    d["recipients"][0]["service"] = {"nb": "e-post, kalender og dokumenter", "en": "e-mail, calendar and documents"}
    d["recipients"].append({"id": "postmark", "name": "Postmark Ltd", "kind": "processor", "service": {"nb": "e-postutsending", "en": "sending e-mail"}, "locations": ["US"], "transfer": {"safeguard": "scc"}})
    d["organisation"]["roles"]["processor"]["sub_processors"].append("postmark")
    f.write_content(content, d)
    make_release(content, effective=dt.date(2026, 3, 1), announced=dt.date(2025, 12, 15))
    build(mkdocs_yml(root, site_url=server.url), today=TODAY)
    server.serve(root / "site")
    yield server
    server.close()


def new_tab(browser, viewport):
    context = browser.new_context(viewport=viewport, locale="en-GB")
    traffic = Traffic().attach(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.traffic = traffic
    return context, page


@pytest.fixture(params=list(WIDTHS))
def any_width(browser, request):
    """A fresh page at a phone's width and at a desktop's."""
    context, page = new_tab(browser, WIDTHS[request.param])
    page.width = request.param
    yield page
    context.close()


@pytest.fixture
def phone(browser):
    context, page = new_tab(browser, PHONE)
    yield page
    context.close()


@pytest.fixture
def tab(browser):
    """A fresh browser context and page, with its traffic recorded."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    traffic = Traffic().attach(context)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.traffic = traffic
    yield page
    context.close()


def test_every_page_loads_all_it_needs_from_localhost_only(site, tab):
    pages = sorted(p.relative_to(site.httpd.root).as_posix() for p in site.httpd.root.rglob("*.html"))
    assert len(pages) >= 20, pages  # chooser, 404, and per language: current, sub-processors, versions, 3 versions, 3 diffs, change log
    foreign, failed = {}, {}
    for path in [*pages, "en/no-such-page/"]:
        tab.traffic.clear()
        response = tab.goto(site.url + path, wait_until="networkidle")
        assert response.status == (404 if path == "en/no-such-page/" else 200), path
        if tab.traffic.foreign:
            foreign[path] = tab.traffic.foreign
        broken = [
            r
            for r in tab.traffic.failed
            if not (path == "en/no-such-page/" and r == f"404 {site.url}{path}") and not SITEMAP_PROBE.fullmatch(r)
        ]
        if broken:
            failed[path] = broken
        # Material's stylesheet and script really applied: its header layout, and the observables its bundle exports.
        assert tab.locator("header.md-header").evaluate("e => getComputedStyle(e).position") == "sticky", path
        assert tab.evaluate("typeof document$ === 'object' && typeof location$ === 'object'"), path
    assert foreign == {}, "requests that left localhost"
    assert failed == {}, "assets or pages that did not load"


def test_no_page_asks_for_a_file_that_does_not_exist(site, tab):
    tab.goto(site.url + "nb/versions/1/", wait_until="networkidle")
    switch_language(tab, "en")
    tab.wait_for_load_state("networkidle")
    assert tab.traffic.failed == []
    assert site.url + "en/versions/1" not in tab.traffic.requests  # straight to en/versions/1/, no redirect


def test_a_request_to_another_host_would_be_caught(browser):
    context = browser.new_context()
    traffic = Traffic().attach(context)
    page = context.new_page()
    page.set_content('<img src="https://cdn.example.net/pixel.png" alt="">')
    page.wait_for_load_state("networkidle")
    context.close()
    assert traffic.foreign == ["https://cdn.example.net/pixel.png"]


def switch_language(page, lang: str) -> None:
    page.locator(".md-header .md-select > button").click()
    with page.expect_navigation():
        page.locator(f"a.md-select__link[hreflang={lang}]").click()


@pytest.mark.parametrize(
    "start, lang, landing, heading",
    [
        ("nb/versions/1/", "en", "en/versions/1/", "Version 1"),
        ("en/versions/2/changes/", "nb", "nb/versions/2/changes/", "Hva er endret i versjon 2"),
        ("en/changelog/", "nb", "nb/changelog/", "Endringslogg"),
    ],
)
def test_language_switch_lands_on_the_same_page(site, tab, start, lang, landing, heading):
    tab.goto(site.url + start)
    switch_language(tab, lang)
    assert tab.url == site.url + landing
    assert tab.evaluate("document.documentElement.lang") == lang
    assert heading in tab.locator("article").inner_text()


def test_old_version_banner_leads_to_the_current_version(site, tab):
    tab.goto(site.url + "en/versions/1/")
    banner = tab.locator(".notice-banner-superseded")
    assert banner.is_visible()
    # The record says from when until when it applied (dates typeset with non-breaking spaces).
    text = banner.inner_text().replace("\u00a0", " ")
    assert "In force from 1 January 2025 up to and including 31 May 2025." in text and "has been replaced" in text
    with tab.expect_navigation():
        banner.get_by_role("link").click()
    assert tab.url == site.url + "en/"
    stamp = tab.locator(".notice-stamp").first.inner_text().replace("\u00a0", " ")
    assert "Version 2" in stamp and "1 June 2025" in stamp
    assert tab.locator(".notice-banner-superseded").count() == 0


def test_change_log_and_what_changed(site, tab):
    tab.goto(site.url + "en/")
    with tab.expect_navigation():
        tab.locator(".notice-links").get_by_role("link", name="Change log").click()
    assert tab.url == site.url + "en/changelog/"
    versions = [re.match(r"Version \d+", h).group(0) for h in tab.locator("article h2").all_inner_texts()]
    assert versions == ["Version 3", "Version 2", "Version 1"]  # newest first
    assert "Intuit Mailchimp" in tab.locator("article").inner_text()

    with tab.expect_navigation():
        tab.locator("article a[href$='versions/2/changes/']").click()
    assert tab.url == site.url + "en/versions/2/changes/"
    assert tab.locator("article h1").inner_text().startswith("What changed in version 2")
    removed, added = tab.locator("article del", has_text="3").first, tab.locator("article ins", has_text="5").first
    assert removed.is_visible() and added.is_visible()
    # Removed words are struck through and added ones underlined, in colours a reader can tell apart.
    assert "line-through" in removed.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "underline" in added.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert removed.evaluate("e => getComputedStyle(e).color") != added.evaluate("e => getComputedStyle(e).color")


def test_print_preview_hides_navigation_and_shows_the_whole_notice(site, tab):
    tab.goto(site.url + "en/")
    navigation = [".md-header", ".md-sidebar", ".md-footer", ".notice-links"]
    assert [s for s in navigation if not tab.locator(s).first.is_visible()] == []  # on screen they are there
    headings = tab.locator("article h2, article h3")
    on_screen = [t.replace("¶", "").strip() for t in headings.all_inner_texts()]
    assert len(on_screen) >= 10

    tab.emulate_media(media="print")
    screenshot(tab, "print-current-en")
    assert [s for s in navigation if tab.locator(s).first.is_visible()] == [], "navigation visible in print"
    # Every section is there, down to the last, and the announcement of the next version with it.
    assert [t.strip() for t in headings.all_inner_texts()] == on_screen
    assert all(h.is_visible() for h in headings.all())
    assert tab.locator("article p").last.is_visible()
    assert tab.locator(".notice-banner").first.is_visible()
    # The text takes the paper's width instead of leaving room for the hidden sidebars ...
    assert tab.locator("article").bounding_box()["width"] > 0.85 * VIEWPORT["width"]
    # ... and no table is cut off at the right edge (on screen they scroll; paper cannot).
    tables = tab.locator("article table")
    assert tables.count() >= 4
    clipped = [t.inner_text()[:40] for t in tables.all() if t.evaluate("t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1 || t.parentElement.scrollWidth > t.parentElement.clientWidth + 1")]
    assert clipped == []
    # A legal copy says what it is and where it came from: version, dates, address ...
    footer = tab.locator(".notice-print-footer")
    assert footer.is_visible()
    assert footer.inner_text() == f"Version 2 · In force from 1 June 2025 · {site.url}en/"
    # ... and each link prints its full address, which paper cannot follow.
    link = tab.locator(".notice-banner a").first
    after = link.evaluate("a => getComputedStyle(a, '::after').content")
    assert after == f'" (" attr(data-print-href) ")"' or f"{site.url}en/versions/3/" in after
    assert link.get_attribute("data-print-href") == f"{site.url}en/versions/3/"
    assert tab.locator(".notice-toc").is_hidden()


@pytest.mark.parametrize("kind", PAGE_TYPES)
def test_each_page_type_fits_the_screen_and_meets_wcag_22_aa(site, any_width, kind):
    tab = any_width
    response = tab.goto(site.url + PAGE_TYPES[kind], wait_until="networkidle")
    assert response.status == (404 if kind == "not-found" else 200)
    screenshot(tab, f"{kind}-{tab.width}")
    assert tab.evaluate("document.documentElement.scrollWidth") <= tab.evaluate("document.documentElement.clientWidth")
    assert overflowing(tab) == [], "wider than the screen, or scrolling sideways"
    violations = axe_violations(tab)
    assert not violations, "axe-core, WCAG 2.2 A/AA:\n" + describe(violations)


@pytest.mark.parametrize("lang, heading, object_link", [("nb", "Kort fortalt", "protester mot behandlingen"), ("en", "In short", "object to the processing")])
def test_phone_first_screen_has_the_short_layer_and_the_way_to_object(site, phone, lang, heading, object_link):
    phone.goto(site.url + f"{lang}/", wait_until="networkidle")
    summary = phone.locator("#summary")
    assert summary.inner_text().replace("¶", "").strip() == heading
    link = phone.locator("#summary + ul").get_by_role("link", name=object_link)
    box = link.bounding_box()
    assert link.is_visible() and box["y"] + box["height"] <= PHONE["height"], "the right to object is below the first screen"
    assert phone.locator("#summary + ul").locator("a[href='#right-withdraw-consent']").is_visible()  # the site sets a consent cookie
    link.click()
    phone.wait_for_function("location.hash === '#right-object'")
    heading_box = phone.locator("#right-object").bounding_box()
    assert 0 <= heading_box["y"] < PHONE["height"] / 2  # the section came into view


def test_tables_become_labelled_cards_on_a_phone(site, phone):
    phone.goto(site.url + "en/", wait_until="networkidle")
    cookies = phone.locator("#cookies ~ .md-typeset__scrollwrap table, #cookies ~ table").first
    cell = cookies.locator("td[data-label='Needs consent']").first
    assert cell.is_visible()
    assert phone.evaluate("e => getComputedStyle(e, '::before').content", cell.element_handle()) == '"Needs consent"'
    name = cookies.locator("code", has_text="_ga_").first
    box, table = name.bounding_box(), cookies.bounding_box()
    assert box["x"] + box["width"] <= table["x"] + table["width"] + 1  # the long name wraps inside the card
    # Dates and "§ 13" do not break across lines.
    assert "1\u00a0June\u00a02025" in phone.locator(".notice-stamp").first.inner_text()


@pytest.mark.parametrize("width", [390, 800, 1280])
def test_table_of_contents_is_reachable_at_every_width(site, browser, width):
    context, page = new_tab(browser, {"width": width, "height": 844})
    page.goto(site.url + "en/", wait_until="networkidle")
    if width < 960:
        assert page.locator(".md-sidebar--secondary").is_hidden()
        toc = page.locator("nav.notice-toc")
        summary = toc.locator("summary")
        summary.focus()
        page.keyboard.press("Enter")  # keyboard only: open it, go to the first entry, follow it
        link = toc.get_by_role("link", name="Your rights", exact=True)
        assert link.is_visible()
        link.focus()
        page.keyboard.press("Enter")
    else:
        assert page.locator("nav.notice-toc").is_hidden()
        link = page.locator(".md-sidebar--secondary").get_by_role("link", name="Your rights", exact=True)
        assert link.is_visible()
        link.focus()
        page.keyboard.press("Enter")
    page.wait_for_function("location.hash === '#rights'")
    context.close()


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until `selector` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_language_switch_by_keyboard(site, any_width):
    tab = any_width
    tab.goto(site.url + "nb/versions/2/changes/", wait_until="networkidle")
    tab_to(tab, "a.md-select__link[hreflang=en]")
    assert tab.locator("a.md-select__link[hreflang=en]").is_visible()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url == site.url + "en/versions/2/changes/"


@pytest.mark.parametrize("lang, query, superseded", [("nb", "oppbevarer", "nb/versions/1/"), ("en", "accounting records", "en/versions/1/")])
def test_search_by_keyboard_finds_the_version_in_force_first(site, any_width, lang, query, superseded):
    tab = any_width
    tab.goto(site.url + f"{lang}/", wait_until="networkidle")
    tab_to(tab, "input.md-search__input")
    hrefs = search(tab, query, focus=False)
    assert hrefs[0] in (site.url + f"{lang}/", site.url + f"{lang}/#purposes")
    assert not [h for h in hrefs if h.startswith(site.url + superseded)]  # superseded versions are not searched
    assert not [h for h in hrefs if f"/{'en' if lang == 'nb' else 'nb'}/" in h]  # nor the other language
    screenshot(tab, f"search-{lang}-{tab.width}", full_page=False)  # what the reader sees: Material's open search
    tab.keyboard.press("ArrowDown")  # Material moves the focus into the results; Enter follows the first
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    assert tab.url.startswith(site.url + f"{lang}/")


def test_an_element_wider_than_the_screen_would_be_caught(browser):
    context, page = new_tab(browser, PHONE)
    page.set_content('<p>fits</p><table><tr><td style="white-space:nowrap">' + "wide " * 200 + '</td></tr></table><div style="overflow-x:auto"><pre>' + "x" * 500 + "</pre></div>")
    found = overflowing(page)
    context.close()
    assert any(line.startswith("td.") for line in found) and any(line.startswith("div.") for line in found)


def search(tab, query: str, *, focus: bool = True) -> list[str]:
    """Type a query once Material's search index is ready; the hrefs of the results as listed."""
    if focus:
        tab.locator("input.md-search__input").focus()
    ready = "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']"
    tab.wait_for_function(f"document.querySelector('.md-search-result__meta').textContent.trim() === {ready}")
    tab.keyboard.type(query, delay=20)
    tab.locator(".md-search-result__item > a").first.wait_for()
    tab.wait_for_timeout(300)
    return [a.get_attribute("href") for a in tab.locator(".md-search-result__item > a").all()]


@pytest.mark.parametrize("lang, other", [("nb", "en"), ("en", "nb")])
def test_search_keeps_to_the_page_language_for_words_both_languages_share(site, tab, lang, other):
    tab.goto(site.url + f"{lang}/", wait_until="networkidle")
    hrefs = search(tab, "Microsoft")
    assert hrefs[0] == site.url + f"{lang}/"
    assert not [h for h in hrefs if h.startswith(site.url + f"{other}/")]
    tab.goto(site.url + f"{lang}/versions/", wait_until="networkidle")
    hrefs = search(tab, "Postmark")  # only in the announced version 3: fewer than Material's first 10 results
    assert hrefs and not [h for h in hrefs if not h.startswith(site.url + f"{lang}/")]
    shown = tab.locator(".md-search-result__list > .md-search-result__item").count()
    assert tab.locator(".md-search-result__meta").inner_text() in (f"{shown} treff", f"{shown} matching documents")
    # On the language chooser, which belongs to no language, both languages are found.
    tab.goto(site.url, wait_until="networkidle")
    everywhere = search(tab, "Microsoft")
    assert [h for h in everywhere if h.startswith(site.url + f"{other}/")] and [h for h in everywhere if h.startswith(site.url + f"{lang}/")]
