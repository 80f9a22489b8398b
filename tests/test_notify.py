"""The customer notice e-mail, read as its reader reads it: subject, why you get it, the changes in
plain words grouped by what they mean, the date, the links, in Markdown, plain text and HTML, both languages."""

from __future__ import annotations

import datetime as dt
import html.parser
import re
import subprocess
import sys
from pathlib import Path

import markdown
import pytest

from generator.diff import RULES, SIGNIFICANT
from generator.notify import notifications
from generator.releases import load_log, make_release
from tests import factories as f

D = dt.date
CLI = str(Path(sys.executable).parent / "privacy-notice")
SITE = "https://example.org/privacy"

POSTBIRD = {
    "id": "postbird",
    "name": "Postbird Inc.",
    "kind": "processor",
    "category": {"nb": "leverandør av nyhetsbrev", "en": "newsletter provider"},
    "service": {"nb": "Sender nyhetsbrevet vårt.", "en": "Sends our newsletter."},
    "locations": ["US"],
    "transfer": {"safeguard": "scc"},
}


def release_pair(tmp_path: Path, mutate, *, effective=D(2025, 6, 1)):
    """Version 1 from the base notice, version 2 after `mutate`; the log."""
    content = f.write_content(tmp_path / "content")
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    d = f.data()
    mutate(d)
    f.write_content(content, d)
    make_release(content, effective=effective, announced=D(2025, 4, 1))
    return content, load_log(content)


def processor_and_longer_retention(d):
    d["recipients"].append(POSTBIRD)
    d["purposes"][0]["recipients"].append("postbird")
    d["retention"][0]["period"] = "P5Y"


def flat(text: str) -> str:
    """Plain text as one line: the e-mail wraps at 72 characters, a reader reads through the breaks."""
    return " ".join(text.split())


def visible(md: str) -> str:
    """What a reader sees of a Markdown body: rendered, tags dropped, whitespace collapsed."""
    rendered = markdown.markdown(md)
    return " ".join(re.sub(r"<[^>]+>", " ", rendered).replace("&amp;", "&").split())


@pytest.fixture
def sent(tmp_path):
    _, log = release_pair(tmp_path, processor_and_longer_retention)
    return {n.lang: n for n in notifications(log, log.latest, SITE, sent=D(2025, 4, 2))}


def test_a_new_processor_and_longer_retention_read_as_a_letter_in_bokmal(sent):
    nb = sent["nb"]
    assert nb.subject == "Endringer i personvernerklæringen til Fjelltopp Regnskap AS fra 1. juni 2025"
    text = nb.text
    assert max(len(line) for line in text.splitlines() if "://" not in line) <= 72
    text = flat(text)
    assert nb.text.startswith("Hei,\n\n") and text.startswith("Hei, Du får denne e-posten fordi Fjelltopp Regnskap AS behandler personopplysninger om deg")
    assert "Den nye personvernerklæringen gjelder fra 1. juni 2025." in text
    assert "\nNye mottakere av opplysningene dine\n" in nb.text
    assert "* Postbird Inc. – leverandør av nyhetsbrev: Sender nyhetsbrevet vårt. Opplysningene behandles i USA. Får opplysninger til: «Kundeservice». Grunnlaget for overføringen ut av EU/EØS er standard personvernbestemmelser (SCC)." in text
    assert "\nHvor lenge vi lagrer opplysningene\n" in nb.text
    assert "* Kundeservice: Vi lagrer opplysningene i 5 år etter siste kontakt, i stedet for 3 år etter siste kontakt." in text
    assert nb.text.rstrip().endswith("Med vennlig hilsen\nFjelltopp Regnskap AS")


def test_the_same_letter_in_english(sent):
    en = sent["en"]
    assert en.subject == "Changes to the privacy notice of Fjelltopp Regnskap AS from 1 June 2025"
    assert "You are receiving this e-mail because Fjelltopp Regnskap AS processes personal data about you" in flat(en.text)
    assert "* Postbird Inc. – newsletter provider: Sends our newsletter. The data is processed in the United States. Receives data for: “Customer service”. The transfer outside the EU/EEA relies on standard contractual clauses (SCCs)." in flat(en.text)
    assert "* Customer service: We keep the data for 5 years after the last contact instead of 3 years after the last contact." in flat(en.text)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_no_rule_ids_enums_arrows_or_article_numbers_reach_the_reader(sent, lang):
    n = sent[lang]
    for body in (n.text, visible(n.markdown), n.html):
        assert "→" not in body and "->" not in body
        assert not re.search(r"\b(recipient_added|retention_longer|scc|processor|three_years|customer_service)\b", body)
        assert not re.search(r"\b(art\.|artikkel|Article|Art\.)\s*\d", body)
        assert "check whether" not in body and "se om betydningen" not in body


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_changes_and_links_are_separate_and_link_the_new_and_the_current_version(sent, lang):
    n = sent[lang]
    md = n.markdown
    changes_list, after = md.split("### ", 1)[1], md
    assert f"{SITE}/{lang}/versions/2/" in md and f"{SITE}/{lang}/versions/1/" in md
    link_lines = [line for line in after.splitlines() if SITE in line]
    assert all(not line.startswith("- ") for line in link_lines)  # links are not items of the change list
    assert changes_list
    assert f'href="{SITE}/{lang}/versions/2/"' in n.html and f"{SITE}/{lang}/versions/1/" in n.text


def test_the_current_version_link_is_to_the_version_in_force_on_the_day_it_is_sent(tmp_path):
    content, log = release_pair(tmp_path, processor_and_longer_retention)
    d = f.data()
    processor_and_longer_retention(d)
    d["retention"][1]["period"] = "P10Y"
    f.write_content(content, d)
    make_release(content, effective=D(2025, 9, 1), announced=D(2025, 7, 1))
    log = load_log(content)
    # Sent 2 July 2025: version 2 is in force (from 1 June), version 3 is not yet.
    en = next(n for n in notifications(log, log.latest, SITE, sent=D(2025, 7, 2)) if n.lang == "en")
    assert f"{SITE}/en/versions/2/" in en.text and f"{SITE}/en/versions/1/" not in en.text
    # Sent before version 2 took effect, version 1 is the one in force.
    en = next(n for n in notifications(log, log.latest, SITE, sent=D(2025, 5, 1)) if n.lang == "en")
    assert f"{SITE}/en/versions/1/" in en.text and f"{SITE}/en/versions/2/" not in en.text


def test_a_vague_period_made_concrete_is_not_called_longer(tmp_path):
    base = f.data()
    base["retention"][0] = {"id": "three_years", "criterion": {"nb": "Så lenge kundeforholdet varer", "en": "While you are a customer"}, "from": "last_contact"}

    content = f.write_content(tmp_path / "content", base)
    make_release(content, effective=D(2025, 1, 1), announced=D(2024, 12, 1))
    d = f.data()
    f.write_content(content, d)
    make_release(content, effective=D(2025, 6, 1), announced=D(2025, 4, 1))
    log = load_log(content)
    found = {n.lang: n for n in notifications(log, log.latest, SITE, sent=D(2025, 4, 2))}
    assert "Vi har satt en fast lagringstid: 3 år etter siste kontakt. Før stod det: «Så lenge kundeforholdet varer." in flat(found["nb"].text)
    assert "We have set a fixed retention period: 3 years after the last contact." in flat(found["en"].text)
    assert "longer" not in found["en"].text.lower() and "lengre" not in found["nb"].text.lower()


def test_new_purpose_new_data_and_new_rights_channel_are_grouped_by_meaning(tmp_path):
    def mutate(d):
        d["data_categories"].append({"id": "union", "name": {"nb": "fagforeningsmedlemskap", "en": "trade-union membership"}, "special_category": True})
        d["purposes"].append({
            "id": "newsletter", "name": {"nb": "Nyhetsbrev", "en": "Newsletter"},
            "description": {"nb": "Vi sender nyheter om regnskap.", "en": "We send news about accounting."},
            "legal_basis": "legitimate_interests", "legitimate_interest": {"nb": "Å holde kontakten.", "en": "Keeping in touch."},
            "data_subjects": ["customers"], "categories": ["contact", "union"], "art9_basis": "explicit_consent",
            "recipients": [], "retention": "three_years",
        })
        d["rights"]["contact"]["email"] = "rettigheter@fjelltopp.no"

    _, log = release_pair(tmp_path, mutate)
    nb = next(n for n in notifications(log, log.latest, SITE, sent=D(2025, 4, 2)) if n.lang == "nb").text
    groups = [line for line in nb.splitlines() if line in ("Nye og endrede formål", "Nye opplysninger vi behandler", "Slik bruker du rettighetene dine")]
    assert groups == ["Nye og endrede formål", "Nye opplysninger vi behandler", "Slik bruker du rettighetene dine"]
    nb = flat(nb)
    assert "* Nyhetsbrev: Vi sender nyheter om regnskap. Vi gjør dette på grunnlag av en berettiget interesse vi har. Du kan protestere mot dette." in nb
    assert "* Fagforeningsmedlemskap: Brukes til: «Nyhetsbrev». Dette er en særlig kategori personopplysninger" in nb
    assert "rettigheter@fjelltopp.no" in nb


def test_hostile_names_cannot_add_headers_or_markup(tmp_path, monkeypatch):
    evil = "Evil AS\r\nBcc: all@example.org <script>alert(1)</script> [x](javascript:alert(1))"
    # check refuses line breaks in names now; a version released before it did is read as frozen, unchecked
    monkeypatch.setattr("generator.consistency.every_string", lambda document: [])

    def mutate(d):
        d["organisation"]["name"] = evil
        d["recipients"].append(dict(POSTBIRD, name=evil))
        d["purposes"][0]["recipients"].append("postbird")

    _, log = release_pair(tmp_path, mutate)
    for n in notifications(log, log.latest, SITE, sent=D(2025, 4, 2)):
        assert "\n" not in n.subject and "\r" not in n.subject
        assert "<script>" not in n.html and "<script>" not in markdown.markdown(n.markdown)
        assert 'href="javascript' not in markdown.markdown(n.markdown) and not any("javascript" in h for h in re.findall(r'href="([^"]*)"', n.html))
        assert "\r" not in n.text and "\nBcc:" not in n.text
        parser = html.parser.HTMLParser()
        parser.feed(n.html)  # well-formed enough to parse
        assert "Evil AS" in n.text


def test_every_significant_rule_has_words_for_the_reader():
    """A new significant rule without a sentence here would reach customers as "other changes"."""
    told = {
        "purpose_added", "purpose_changed", "purpose_data_added", "legal_basis_changed", "controller_identity", "rights_contact",
        "dpo_changed", "recipient_added", "recipient_category_changed", "sub_processor_added", "joint_controller_added",
        "transfer_added", "safeguard_changed", "category_added", "special_category_added", "retention_longer",
        "retention_start_changed", "automated_added", "source_added", "cookie_consent_added", "marketing_added",
        "party_identity", "recipient_added_abroad", "representative_changed", "retention_period_or_criterion",
        "requirement_changed", "source_changed",
    }
    assert {rule for rule, (cls, *_) in RULES.items() if cls == SIGNIFICANT} <= told


def test_notify_command_writes_each_format(tmp_path):
    content, _ = release_pair(tmp_path, processor_and_longer_retention)
    for fmt, marker in (("markdown", "### "), ("text", "* Postbird Inc."), ("html", "<!DOCTYPE html>")):
        out = subprocess.run([CLI, "notify", "--content", str(content), "--site-url", SITE, "--format", fmt, "--lang", "en", "--sent", "2025-04-02"],
                             capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert out.stdout.startswith("Subject: Changes to the privacy notice of Fjelltopp Regnskap AS from 1 June 2025\n\n")
        assert marker in out.stdout and "=== nb ===" not in out.stdout


def test_notify_without_a_site_address_says_how_to_give_one(tmp_path):
    content, _ = release_pair(tmp_path, processor_and_longer_retention)
    out = subprocess.run([CLI, "notify", "--content", str(content)], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 2 and "--site-url" in out.stderr and "Traceback" not in out.stderr


def _set(path: str, value):
    def edit(d):
        node = d
        *parents, last = path.split(".")
        for p in parents:
            node = node[int(p)] if p.isdigit() else node[p]
        node[last] = value

    return edit


def _append(path: str, value):
    def edit(d):
        node = d
        for p in path.split("."):
            node = node[int(p)] if p.isdigit() else node[p]
        node.append(value)

    return edit


DECISION = {"id": "credit", "name": {"nb": "Kredittsjekk", "en": "Credit check"}, "logic": {"nb": "poeng", "en": "a score"},
            "significance": {"nb": "avgjør om du kan betale mot faktura", "en": "decides whether you can pay by invoice"},
            "consequences": {"nb": "forskudd", "en": "prepayment"}}
COOKIE = {"name": "_ga", "provider": "Google", "party": "third", "purpose": {"nb": "teller besøk", "en": "counts visits"}, "category": "statistics", "duration": "P2Y", "consent_required": True}
MARKETING = {"electronic": True, "to_individuals": True, "basis": ["consent"], "opt_out": {"nb": "Klikk «Meld deg av».", "en": "Click “Unsubscribe”."}}

#: One significant change each, and what the bokmål reader is told (group heading, then the item).
CASES = {
    "recipient_new_purpose": (_append("purposes.1.recipients", "m365"), "Nye mottakere av opplysningene dine", "* Microsoft Ireland Operations Ltd: Får nå også opplysninger til: «Regnskap»."),
    "transfer_to_a_new_country": (_set("recipients.0.locations", ["IE", "US", "IN"]), "Opplysninger som sendes ut av EU/EØS", "* Microsoft Ireland Operations Ltd: Behandler nå også opplysninger i India."),
    "safeguard_changed": (_set("recipients.0.transfer", {"safeguard": "scc"}), "Opplysninger som sendes ut av EU/EØS", "bygger nå på standard personvernbestemmelser (SCC), ikke lenger på beslutning om tilstrekkelig beskyttelsesnivå."),
    "purpose_changed": (_set("purposes.0.description", {"nb": "Vi svarer på spørsmål og lager statistikk", "en": "We answer questions and make statistics"}), "Nye og endrede formål", "* Kundeservice: Vi har endret beskrivelsen. Nå står det: «Vi svarer på spørsmål og lager statistikk.»"),
    "legal_basis_changed": (_set("purposes.0.legal_basis", "consent"), "Nye og endrede formål", "* Kundeservice: Vi bygger nå på samtykket ditt, ikke lenger på avtalen med deg."),
    "category_added": (_append("data_categories", {"id": "health", "name": {"nb": "helseopplysninger", "en": "health data"}, "special_category": True}), "Nye opplysninger vi behandler", "* Helseopplysninger: Dette er en særlig kategori personopplysninger, som loven gir et sterkere vern."),
    "source_added": (_append("sources", {"id": "brreg", "kind": "public_register", "name": {"nb": "Enhetsregisteret", "en": "the register"}, "categories": ["contact"], "publicly_accessible": True}), "Nye kilder til opplysninger", "* Enhetsregisteret: Herfra får vi: kontaktopplysninger."),
    "retention_start_changed": (_set("retention.0.from", "end_of_contract"), "Hvor lenge vi lagrer opplysningene", "* Kundeservice: Lagringstiden regnes nå fra et annet tidspunkt: 3 år etter at avtalen er avsluttet (før: 3 år etter siste kontakt)."),
    "cookie_added": (_append("cookies", COOKIE), "Informasjonskapsler", "* _ga (Google): Teller besøk. Vi bruker den bare hvis du sier ja."),
    "automated_added": (_set("automated_decisions", [DECISION]), "Automatiserte avgjørelser", "* Kredittsjekk: Et system tar nå denne avgjørelsen uten at et menneske vurderer saken. Avgjør om du kan betale mot faktura."),
    "marketing_added": (_set("marketing", MARKETING), "Markedsføring", "* Vi sender nå markedsføring på e-post eller lignende. Du kan når som helst reservere deg: Klikk «Meld deg av»."),
    "controller_identity": (_set("organisation.name", "Fjelltopp Rådgivning AS"), "Hvem som er ansvarlig", "* Virksomheten som er ansvarlig for opplysningene dine, er nå Fjelltopp Rådgivning AS (organisasjonsnummer 923 609 016). Før var det Fjelltopp Regnskap AS."),
    "dpo_appointed": (_set("organisation.dpo", {"name": "Personvernhjelp AS", "email": "dpo@personvernhjelp.no"}), "Slik bruker du rettighetene dine", "* Personvernombudet vårt er nå Personvernhjelp AS, dpo@personvernhjelp.no."),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_kind_of_change_is_told_in_plain_words_in_its_group(tmp_path, case):
    mutate, heading, item = CASES[case]
    _, log = release_pair(tmp_path, mutate)
    found = {n.lang: n for n in notifications(log, log.latest, SITE, sent=D(2025, 4, 2))}
    assert set(found) == {"nb", "en"}
    nb = found["nb"].text
    assert f"\n{heading}\n" in nb, nb
    assert item in flat(nb), nb
    for n in found.values():
        assert "→" not in n.text and "Andre endringer" not in n.text and "Other changes" not in n.text
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", n.text.replace("_ga", "")), n.text  # no ids or enum values


def test_a_recipient_given_as_a_category_and_a_conditional_retention_rule_are_told(tmp_path):
    def mutate(d):
        d["recipients"].append({"id": "auditor", "kind": "third_party", "category": {"nb": "revisoren vår", "en": "our auditor"},
                                "service": {"nb": "Reviderer årsregnskapet.", "en": "Audits our annual accounts."}, "locations": ["NO"]})
        d["purposes"][1]["recipients"] = ["auditor"]
        d["retention"].append({"id": "ten_years", "period": "P10Y", "from": "end_of_contract"})
        d["purposes"][0]["retention"] = [
            {"rule": "three_years", "condition": {"nb": "Ellers", "en": "Otherwise"}},
            {"rule": "ten_years", "condition": {"nb": "Blir det en tvist", "en": "If there is a dispute"}},
        ]

    _, log = release_pair(tmp_path, mutate)
    found = {n.lang: flat(n.text) for n in notifications(log, log.latest, SITE, sent=D(2025, 4, 2))}
    assert "* Revisoren vår: Reviderer årsregnskapet. Opplysningene behandles i Norge. Får opplysninger til: «Regnskap». Mottakeren er selv ansvarlig" in found["nb"]
    assert ("* Kundeservice: Nye regler for lagringstiden. Ellers: 3 år etter siste kontakt. Blir det en tvist: 10 år etter at avtalen er avsluttet."
            " Før: 3 år etter siste kontakt.") in found["nb"]
    assert found["nb"].count("* Kundeservice:") == 1
    assert "* Our auditor: Audits our annual accounts." in found["en"]


def test_notify_refuses_a_language_the_version_is_not_published_in(tmp_path):
    content, _ = release_pair(tmp_path, processor_and_longer_retention)
    out = subprocess.run([CLI, "notify", "--content", str(content), "--site-url", SITE, "--lang", "de"], capture_output=True, text=True)
    assert out.returncode == 2 and "--lang de" in out.stderr and "nb, en" in out.stderr and out.stdout == ""
