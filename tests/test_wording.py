"""The words a reader sees, in both languages: none of the sentences a lawyer flagged, and the
classes of problem behind them (repeated basis paragraphs, ambiguous lists, lower-case table cells, ...)
fixed for any content, not only the shipped one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.clauses import clause
from generator.content import load_notice
from generator.render import render_notice
from generator.words import listing
from tests import factories as f

ROOT = Path(__file__).resolve().parent.parent
NOTICES = [ROOT / "content"] + sorted(p.parent for p in (ROOT / "examples").glob("*/notice.yaml"))
LANGS = ("nb", "en")

#: Sentences quoted in issue 16 as wrong; none may appear in any rendered notice.
FLAGGED = [
    "regnes fra:", "counted from:", "fra opplysningene ble samlet inn", "from when the data was collected)",
    "Varselet kommer via", "The notice comes by",
    "for eksempel å sende deg et tilbud", "such as sending you a quote",
    "senest innen", "Ireland and United States", ") (",
    "kommet til at den veier tyngst", "concluded that it prevails",
    "tungtveiende grunner", "no compelling grounds",
]


@pytest.fixture(scope="module", params=NOTICES, ids=lambda p: p.parent.name if p.name == "notice.yaml" else p.name)
def rendered(request):
    notice = load_notice(request.param)
    return {lang: render_notice(notice, lang) for lang in notice.languages}


def test_no_flagged_sentence_in_any_shipped_notice(rendered):
    for lang, text in rendered.items():
        for sentence in FLAGGED:
            assert sentence not in text, (lang, sentence)


def test_each_legal_basis_is_explained_once(rendered):
    for lang, text in rendered.items():
        for ident in ("basis_consent", "basis_contract", "basis_legal_obligation", "basis_legitimate_interests"):
            body = " ".join(clause(ident, lang).split())
            assert text.count(body) <= 1, (lang, ident)


def table_cells(text: str) -> list[str]:
    cells = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells += [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    return cells


def test_every_table_cell_starts_in_sentence_case(rendered):
    for lang, text in rendered.items():
        for cell in table_cells(text):
            first = cell.split(" ", 1)[0]
            if cell[:1].isalpha() and not any(ch.isupper() for ch in first[1:]):
                assert not cell[0].islower(), (lang, cell)


def test_intro_names_the_company_and_then_speaks_as_we():
    nb = render_notice(f.notice(), "nb")
    en = render_notice(f.notice(), "en")
    assert "Denne personvernerklæringen gjelder for Fjelltopp Regnskap AS. Her forteller vi" in nb
    assert "This privacy notice is from Fjelltopp Regnskap AS. In it we explain" in en


def test_a_basis_used_by_several_purposes_is_explained_once_with_their_names():
    d = f.data()
    for p in d["purposes"]:
        p["legal_basis"] = "legitimate_interests"
        p["legitimate_interest"] = {"nb": "å drive virksomheten", "en": "running the business"}
    for lang, used in (("nb", "Brukes for"), ("en", "Used for")):
        text = render_notice(f.notice(d), lang)
        body = " ".join(clause("basis_legitimate_interests", lang).split())
        assert text.count(body) == 1
        names = {"nb": ("Kundeservice", "Regnskap"), "en": ("Customer service", "Bookkeeping")}[lang]
        assert f"{used}: [{names[0]}](#purpose-customer-service) {'og' if lang == 'nb' else 'and'} [{names[1]}](#purpose-bookkeeping)." in text
        assert text.count("](#basis-legitimate-interests)") == 2  # each purpose links to the one explanation


def test_lists_whose_items_hold_og_stay_unambiguous():
    d = f.data()
    d["data_categories"] = [
        {"id": "contact", "name": {"nb": "navn og kontaktopplysninger", "en": "name and contact details"}},
        {"id": "invoices", "name": {"nb": "personnummer", "en": "national identity number"}},
        {"id": "ip", "name": {"nb": "IP-adresse og informasjonskapsler", "en": "IP address and cookies"}},
    ]
    d["purposes"][0]["categories"] = ["contact", "invoices", "ip"]
    d["sources"][0]["categories"] = ["contact", "invoices", "ip"]
    nb, en = (render_notice(f.notice(d), lang) for lang in LANGS)
    assert "navn og kontaktopplysninger, personnummer og IP-adresse og informasjonskapsler" not in nb
    assert "navn og kontaktopplysninger; personnummer; og IP-adresse og informasjonskapsler" in nb
    assert "name and contact details; national identity number; and IP address and cookies" in en


def test_recipient_with_a_parenthesis_in_its_name_and_a_category():
    d = f.data()
    d["recipients"][0].update(name="Amazon Web Services (AWS)", category={"nb": "skytjenester", "en": "cloud services"})
    nb, en = (render_notice(f.notice(d), lang) for lang in LANGS)
    assert "| Skytjenester: Amazon Web Services \\(AWS\\) |" in nb and "\\(AWS\\) (skytjenester)" not in nb
    assert "| Cloud services: Amazon Web Services \\(AWS\\) |" in en


def test_publicly_accessible_is_not_asked_of_data_you_give_yourself():
    nb = render_notice(f.notice(), "nb")
    assert "| Deg | Fra deg | Kontaktopplysninger og fakturaopplysninger | – |" in nb


def test_retention_by_criterion_says_when_it_starts_in_a_sentence():
    d = f.data()
    d["retention"][0] = {"id": "three_years", "criterion": {"nb": "Til kravet er foreldet, normalt etter tre år", "en": "Until the claim is time-barred, normally after three years"}, "from": "end_of_contract"}
    nb, en = (render_notice(f.notice(d), lang) for lang in LANGS)
    assert "Til kravet er foreldet, normalt etter tre år. Tiden regnes fra da avtalen ble avsluttet." in nb
    assert "Until the claim is time-barred, normally after three years. The period runs from the end of the contract." in en


def test_answer_time_in_words_with_the_two_month_extension():
    nb, en = (render_notice(f.notice(), lang) for lang in LANGS)
    assert "senest én måned etter at vi har fått henvendelsen" in nb and "forlenge fristen med inntil to måneder" in nb
    assert "at the latest one month after we receive your request" in en and "by up to two further months" in en


def test_objection_uses_the_regulations_words_for_compelling_grounds():
    nb, en = (render_notice(f.notice(), lang) for lang in LANGS)
    assert "tvingende berettigede grunner for behandlingen som går foran dine interesser, rettigheter og friheter" in nb
    assert "compelling legitimate grounds for the processing that override your interests, rights and freedoms" in en


def test_how_to_exercise_your_rights_has_its_own_heading_after_withdrawing_consent():
    d = f.data()
    d["purposes"][0]["legal_basis"] = "consent"
    for lang in LANGS:
        text = render_notice(f.notice(d), lang)
        withdraw, how = text.index("{#right-withdraw-consent}"), text.index("{#rights-how}")
        assert withdraw < how < text.index(" ".join(clause("rights_how", lang, rights_email="x").split()[:4]))


def test_how_changes_are_announced_reads_as_a_sentence():
    d = f.data()
    d["changes"] = {"channels": ["email", "website_banner"], "notice_days": 30}
    nb, en = (render_notice(f.notice(d), lang) for lang in LANGS)
    assert "Vi gir deg beskjed på e-post og med en melding på nettsiden vår minst 30 dager før endringen trer i kraft." in nb
    assert "We tell you by e-mail and with a message on our website at least 30 days before the change takes effect." in en


def test_a_criterion_that_counts_no_time_has_no_start_sentence():
    d = f.data()
    d["retention"][0] = {"id": "three_years", "criterion": {"nb": "Til du melder deg av", "en": "Until you unsubscribe"}, "from": "consent_withdrawn"}
    nb, en = (render_notice(f.notice(d), lang) for lang in LANGS)
    assert "| Kundeservice | Til du melder deg av. | – |" in nb and "Tiden regnes fra" not in nb
    assert "| Customer service | Until you unsubscribe. | – |" in en and "The period runs from" not in en


def _split(text: str, word: str) -> list[str]:
    """How a reader splits a list back into its items, reading the separators listing() chose."""
    if "; " in text:
        *head, last = text.split("; ")
        return head + [last.removeprefix(f"{word} ")]
    if f", {word} " in text:
        before, last = text.rsplit(f", {word} ", 1)
        return before.split(", ") + [last]
    head, _, last = text.rpartition(f" {word} ")
    return (head.split(", ") if head else []) + [last]


_WORDS = st.sampled_from(["navn", "CV", "søknad", "IP-adresse", "og", "e-post", "kontakt,", "data"])
_ITEMS = st.lists(st.lists(_WORDS, min_size=1, max_size=4).map(" ".join), min_size=2, max_size=5).filter(
    lambda items: all(not i.startswith("og") and not i.endswith((" og", ",")) and i != "og" for i in items)
)


@given(_ITEMS)
def test_every_list_can_be_split_back_into_its_items(items):
    assert _split(listing(items, "nb"), "og") == items
