"""The rendered notice: legal reading order, both languages, local forms, escaping, overrides."""

from __future__ import annotations

import datetime as dt
import re

import markdown
import pytest

from generator.clauses import clause
from generator.render import SECTION_ORDER, Stamp, anchor, render_notice, render_subprocessors
from generator.safety import LinkPolicy
from tests import factories as f

LANGS = ("nb", "en")


def fragment(ident: str, lang: str) -> str:
    """A piece of a library clause that placeholders do not touch, to find it in rendered text."""
    return max(clause(ident, lang).split("$"), key=len).strip().split("\n")[0][:40]


def html(md: str) -> str:
    return markdown.markdown(md, extensions=["tables", "attr_list", "toc", LinkPolicy()])


def anchors(md: str) -> list[str]:
    return re.findall(r"\{#([a-z0-9-]+)\}", md)


@pytest.mark.parametrize("lang", LANGS)
def test_sections_come_in_legal_reading_order(lang):
    found = anchors(render_notice(f.notice(f.data(security={"measures": [{"nb": "Kryptering", "en": "Encryption"}]})), lang))
    order = [anchor(s) for s in SECTION_ORDER if anchor(s) in found]
    assert [a for a in found if a in order] == order
    assert order[0] == "controller" and order[-1] == "contact"


def test_both_languages_have_the_same_anchors_and_their_own_words():
    nb, en = (render_notice(f.notice(), lang) for lang in LANGS)
    assert anchors(nb) == anchors(en)
    assert "## Dine rettigheter {#rights}" in nb and "## Your rights {#rights}" in en


def test_header_shows_version_and_effective_date_in_local_form():
    stamp = Stamp(3, dt.date(2023, 1, 12), dt.date(2022, 12, 1))
    assert "**Versjon 3** · Gjelder fra 12. januar 2023 · Kunngjort 1. desember 2022" in render_notice(f.notice(), "nb", stamp)
    assert "**Version 3** · Effective from 12 January 2023 · Announced 1 December 2022" in render_notice(f.notice(), "en", stamp)
    assert "Utkast" in render_notice(f.notice(), "nb")


def test_retention_in_words_with_its_starting_event():
    d = f.data()
    d["retention"][0]["period"] = "P1Y6M"
    nb, en = (render_notice(f.notice(d), lang) for lang in LANGS)
    assert "1 år og 6 måneder etter siste kontakt" in nb
    assert "1 year and 6 months after the last contact" in en


def test_one_table_row_per_recipient_with_location_and_safeguard():
    d = f.data()
    d["recipients"].append({"id": "regnskap", "name": "Regnskapshuset AS", "kind": "processor", "service": {"nb": "regnskap", "en": "accounting"}, "locations": ["NO"]})
    en = render_notice(f.notice(d), "en")
    table = en[en.index("{#recipients}") : en.index("{#transfers}")]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 3  # header + 2
    assert "| Microsoft Ireland Operations Ltd | Processor | E-mail and documents | Ireland and the United States | Adequacy decision |" in rows
    assert "Not needed (within the EU/EEA)" in rows[2]


def test_transfers_outside_the_eea_are_listed_with_their_safeguard():
    nb = render_notice(f.notice(), "nb")
    section = nb[nb.index("{#transfers}") :]
    assert "**Microsoft Ireland Operations Ltd** (USA): Beslutning om tilstrekkelig beskyttelsesnivå" in section
    assert fragment("safeguard_adequacy", "nb") in section


def test_no_transfer_says_so():
    d = f.data()
    d["recipients"][0]["locations"] = ["IE"]
    del d["recipients"][0]["transfer"]
    en = render_notice(f.notice(d), "en")
    assert fragment("transfers_none", "en") in en


def test_the_right_to_object_is_shown_separately_and_highlighted():
    en = html(render_notice(f.notice(), "en"))
    assert re.search(r'<h3 id="right-object">[^<]*Your right to object', en)
    assert 'class="notice-highlight"' in en


def test_withdrawing_consent_appears_only_when_a_purpose_uses_consent():
    assert "{#right-withdraw-consent}" not in render_notice(f.notice(), "en")
    d = f.data()
    d["purposes"][0]["legal_basis"] = "consent"
    assert "{#right-withdraw-consent}" in render_notice(f.notice(d), "en")


def test_legitimate_interest_and_special_category_are_stated():
    d = f.data()
    d["purposes"][0].update(legal_basis="legitimate_interests", legitimate_interest={"nb": "å forbedre tjenesten", "en": "improving the service"})
    d["data_categories"].append({"id": "union", "name": {"nb": "fagforeningsmedlemskap", "en": "trade-union membership"}, "special_category": True})
    d["purposes"][0]["categories"].append("union")
    d["purposes"][0]["art9_basis"] = "explicit_consent"
    en = render_notice(f.notice(d), "en")
    assert "**Our legitimate interest:** improving the service" in en
    assert "Explicit consent (Art. 9(2)(a))" in en
    assert "| Trade-union membership (special category) |" in en


def test_company_clause_override_replaces_the_library_text_in_each_language():
    d = f.data(clauses={"contact": {"nb": "Ring oss på $email.", "en": "Call us at $email."}})
    nb, en = (render_notice(f.notice(d), lang) for lang in LANGS)
    assert "Ring oss på [post@fjelltopp.no](mailto:post@fjelltopp.no)." in nb
    assert "Call us at [post@fjelltopp.no](mailto:post@fjelltopp.no)." in en
    assert fragment("contact", "en") not in en


def test_free_sections_follow_the_section_they_name():
    d = f.data(sections=[{"id": "joint", "title": {"nb": "Samarbeid", "en": "Cooperation"}, "body": {"nb": "Vi **samarbeider**.", "en": "We **cooperate**."}, "after": "controller"}])
    found = anchors(render_notice(f.notice(d), "en"))
    assert found.index("joint") == found.index("controller") + 1 or found[found.index("joint") - 1].startswith(("processor", "joint"))
    assert "<strong>cooperate</strong>" in html(render_notice(f.notice(d), "en"))


def test_one_cookie_row_each_with_duration_in_words():
    en = render_notice(f.notice(), "en")
    assert "| `session_id` | Fjelltopp | First party (us) | Keeps you signed in | Necessary | Until the browser closes | No |" in en


@pytest.mark.parametrize(
    ("text", "forbidden"),
    [
        ("<script>alert(1)</script>", "<script>"),
        ('<img src=x onerror="alert(1)">', "<img"),
        ("[click](javascript:alert(1))", 'href="javascript:'),
        ("[click](JaVaScRiPt&#58;alert(1))", ">click</a>"),
        ("![tracker](https://tracker.example/p.gif)", 'src="https://tracker'),
        ("{: onclick=alert(1)}", "<h1 onclick="),
        ("<div>raw block</div>", "<div>raw"),
    ],
)
def test_hostile_text_in_yaml_is_inert(text, forbidden):
    d = f.data()
    d["purposes"][0]["description"]["en"] = text
    d["organisation"]["name"] = "Evil " + text
    out = html(render_notice(f.notice(d), "en"))
    assert forbidden not in out
    assert not re.search(r"<[a-z0-9]+[^>]*\son[a-z]+=", out)  # no event-handler attribute anywhere
    assert "Evil" in out  # the text is shown, not dropped


def test_links_in_company_markdown_keep_safe_schemes():
    d = f.data()
    d["purposes"][0]["description"]["en"] = "See [our terms](https://fjelltopp.no/terms) or [mail](mailto:a@b.no)."
    out = html(render_notice(f.notice(d), "en"))
    assert '<a href="https://fjelltopp.no/terms">our terms</a>' in out and 'href="mailto:a@b.no"' in out


def test_subprocessor_page_lists_each_with_service_location_and_safeguard():
    d = f.data()
    d["organisation"]["roles"]["processor"] = {"description": {"nb": "Vi drifter kundenes systemer.", "en": "We run our customers' systems."}, "sub_processors": ["m365"], "notice_days": 45}
    nb, en = (render_subprocessors(f.notice(d), lang) for lang in LANGS)
    assert "| Microsoft Ireland Operations Ltd | E-mail and documents | Ireland and the United States | Adequacy decision |" in en
    assert "45" in nb and "45" in en
    assert nb.startswith("# Underdatabehandlere") and en.startswith("# Sub-processors")


def test_dpo_without_contact_details_is_named_without_a_broken_sentence():
    d = f.data()
    d["organisation"]["dpo"] = {"name": "Personvernhjelpen AS"}
    en = render_notice(f.notice(d), "en")
    assert "Data protection officer: Personvernhjelpen AS" in en
    assert ": ." not in en
    d["organisation"]["dpo"]["email"] = "dpo@personvernhjelpen.no"
    assert "[dpo@personvernhjelpen.no](mailto:dpo@personvernhjelpen.no)" in render_notice(f.notice(d), "en")


def test_rights_contact_phone_and_form_are_shown():
    d = f.data()
    d["rights"]["contact"].update(phone="+47 55 30 40 50", form="https://fjelltopp.no/personvern/skjema")
    en = render_notice(f.notice(d), "en")
    rights = en[en.index("{#rights}") : en.index("{#complaints}")]
    assert "[\\+47 55 30 40 50](tel:+4755304050)" in rights
    assert "Request form: [fjelltopp.no/personvern/skjema](https://fjelltopp.no/personvern/skjema)" in rights


def test_marketing_with_consent_and_the_customer_exception_does_not_contradict_itself():
    m = {"electronic": True, "to_individuals": True, "opt_out": {"nb": "Lenke i hver e-post.", "en": "A link in every e-mail."}}
    both = render_notice(f.notice(f.data(marketing={**m, "basis": ["consent", "existing_customer"]})), "en")
    assert fragment("marketing_consent_or_customer", "en") in both and fragment("marketing_existing_customer", "en") in both
    alone = clause("marketing_consent", "en").strip()
    assert alone not in both
    assert alone in render_notice(f.notice(f.data(marketing={**m, "basis": ["consent"]})), "en")
