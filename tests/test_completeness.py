"""The Art. 13/14 checklist and the lint for known traps: each finding firing, and not firing."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.check import check_all
from generator.releases import make_release
from tests import factories as f


def findings(tmp_path, d, **kw):
    folder = f.write_content(tmp_path / "content", d)
    return check_all(folder, **kw)


def ids(problems):
    return {p.message[1 : p.message.index(",")] for p in problems if p.message.startswith("[")}


def test_the_base_notice_is_complete(tmp_path):
    assert findings(tmp_path, f.data()) == []


def test_missing_legal_basis_names_the_checklist_item_and_field(tmp_path):
    d = f.data()
    del d["purposes"][0]["legal_basis"]
    [problem] = [p for p in findings(tmp_path, d) if "legal_basis" in p.field]
    assert problem.field == "purposes[customer_service].legal_basis"
    assert "[art13_1_c_legal_basis, GDPR Art. 13(1)(c)]" in problem.message and problem.severity == "error"


def test_dpo_without_contact_details(tmp_path):
    d = f.data()
    d["organisation"]["dpo"] = {"name": "Personvernhjelp AS"}
    [problem] = findings(tmp_path, d)
    assert "art13_1_b_dpo_contact" in problem.message and "organisation.dpo.email" in problem.message
    assert problem.severity == "warning" and problem.field == "organisation.dpo"
    d["organisation"]["dpo"]["email"] = "dpo@personvernhjelp.no"
    assert findings(tmp_path, d) == []


def test_us_processor_without_a_safeguard(tmp_path):
    d = f.data()
    del d["recipients"][0]["transfer"]
    [problem] = findings(tmp_path, d)
    assert "art13_1_f_transfer" in problem.message and "recipients[m365].transfer.safeguard" in problem.message
    assert "US" in problem.message


def test_warnings_become_errors_with_strict(tmp_path):
    d = f.data()
    del d["recipients"][0]["transfer"]
    assert [p.severity for p in findings(tmp_path, d, strict=True)] == ["error"]


def test_controller_outside_the_eea_needs_a_representative(tmp_path):
    d = f.data()
    d["organisation"]["address"]["country"] = "US"
    assert ids(findings(tmp_path, d)) == {"art13_1_a_representative"}
    d["organisation"]["eu_representative"] = {"name": "Rep Ltd", "address": {"street": "1 Main St", "postal_code": "D01", "city": "Dublin", "country": "IE"}}
    assert findings(tmp_path, d) == []


def test_data_collected_from_the_person_needs_the_provision_requirement(tmp_path):
    d = f.data()
    del d["purposes"][0]["requirement"]
    [problem] = findings(tmp_path, d)
    assert "art13_2_e_provision_requirement" in problem.message and "source `you`" in problem.message
    assert "purposes[customer_service].requirement" in problem.message


def test_automated_decisions_must_be_stated_even_when_none(tmp_path):
    d = f.data()
    del d["automated_decisions"]
    [problem] = findings(tmp_path, d)
    assert "art13_2_f_automated_decisions" in problem.message and problem.severity == "error"


def test_indirect_source_must_say_whether_it_is_public(tmp_path):
    d = f.data()
    d["sources"].append({"id": "brreg", "kind": "public_register", "name": {"nb": "Enhetsregisteret", "en": "the business register"}, "categories": ["contact"]})
    assert ids(findings(tmp_path, d)) == {"art14_2_f_source"}
    d["sources"][-1]["publicly_accessible"] = True
    assert findings(tmp_path, d) == []


def test_new_purpose_since_the_last_release_must_be_announced_first(tmp_path):
    folder = f.write_content(tmp_path / "content")
    make_release(folder, effective=dt.date(2025, 1, 1), announced=dt.date(2024, 12, 1))
    d = f.data()
    d["purposes"].append({**d["purposes"][0], "id": "surveys", "name": {"nb": "Undersøkelser", "en": "Surveys"}})
    f.write_content(folder, d)
    assert ids(check_all(folder)) == {"art13_3_further_processing"}


@pytest.mark.parametrize(
    "text",
    [
        "Please check this page regularly for changes.",
        "We encourage you to review our privacy notice periodically.",
        "Vi anbefaler at du sjekker denne siden jevnlig.",
    ],
)
def test_check_this_page_regularly_is_an_error(tmp_path, text):
    d = f.data()
    d["purposes"][0]["description"]["en" if text[0] != "V" else "nb"] = text
    [problem] = findings(tmp_path, d)
    assert "lint_check_regularly" in problem.message and problem.severity == "error"


def test_announcing_changes_actively_is_not_flagged(tmp_path):
    d = f.data()
    d["purposes"][0]["description"]["en"] = "We check your order regularly and tell you about changes by e-mail."
    assert findings(tmp_path, d) == []


@pytest.mark.parametrize(("lang", "text", "fires"), [
    ("en", "We never store data outside the EU.", True),
    ("en", "We never store data outside the EU/EEA.", False),
    ("nb", "Vi lagrer aldri data utenfor EU.", True),
    ("nb", "Vi lagrer aldri data utenfor EU/EØS.", False),
])
def test_outside_the_eu_where_eea_is_meant(tmp_path, lang, text, fires):
    d = f.data()
    d["purposes"][0]["description"][lang] = text
    assert ("lint_outside_eu" in ids(findings(tmp_path, d))) is fires


def test_bookkeeping_retention_of_ten_years_cites_the_old_rule(tmp_path):
    d = f.data()
    d["retention"][1]["period"] = "P10Y"
    [problem] = findings(tmp_path, d)
    assert "lint_bookkeeping_10_years" in problem.message and "5 years" in problem.message
    other = f.data()
    other["retention"][0]["period"] = "P10Y"  # not an accounting rule
    assert findings(tmp_path, other) == []


def test_marketing_email_to_individuals_needs_consent_or_the_customer_exception(tmp_path):
    d = f.data(marketing={"electronic": True, "to_individuals": True, "opt_out": {"nb": "Lenke i hver e-post.", "en": "A link in every e-mail."}})
    assert ids(findings(tmp_path, d)) == {"lint_marketing_without_basis"}
    d["marketing"]["basis"] = ["existing_customer"]
    assert findings(tmp_path, d) == []


def test_check_command_strict_and_json_report(tmp_path):
    import json
    import subprocess
    import sys
    from pathlib import Path

    cli = str(Path(sys.executable).parent / "privacy-notice")
    d = f.data()
    d["organisation"]["dpo"] = {"name": "Personvernhjelp AS"}
    folder = f.write_content(tmp_path / "content", d)
    plain = subprocess.run([cli, "check", str(folder)], capture_output=True, text=True)
    assert plain.returncode == 0 and "warning" in plain.stderr and "art13_1_b_dpo_contact" in plain.stderr
    strict = subprocess.run([cli, "check", "--strict", str(folder)], capture_output=True, text=True)
    assert strict.returncode == 1
    report = subprocess.run([cli, "check", "--format", "json", str(folder)], capture_output=True, text=True)
    data = json.loads(report.stdout)
    assert data["valid"] is True
    [finding] = data["findings"]
    assert finding["id"] == "art13_1_b_dpo_contact" and finding["article"] == "Art. 13(1)(b)" and finding["severity"] == "warning"
    assert finding["field"] == "organisation.dpo" and finding["line"] > 1


# -- what a reviewing lawyer flags first: each lint fires on a minimal case, and not on a close lawful one ----

def only(tmp_path, d, **kw):
    """The ids of every finding for notice data `d`."""
    return ids(findings(tmp_path, d, **kw))


def test_a_missing_transfer_safeguard_is_an_error_naming_the_country(tmp_path):
    d = f.data()
    d["recipients"][0]["transfer"] = [{"countries": ["US"], "safeguard": "adequacy"}]
    d["recipients"][0]["locations"] = ["IE", "US", "IN"]
    [problem] = findings(tmp_path, d)
    assert "art13_1_f_transfer" in problem.message and problem.severity == "error"
    assert "processes data in IN" in problem.message and "countries: [IN]" in problem.message
    d["recipients"][0]["transfer"].append({"countries": ["IN"], "safeguard": "scc"})
    assert findings(tmp_path, d) == []


@pytest.mark.parametrize(("lang", "text", "fires"), [
    ("en", "By accepting this notice you consent to the processing of your data.", True),
    ("en", "By using our website, you agree to this processing.", True),
    ("nb", "Ved å akseptere denne erklæringen samtykker du til behandlingen.", True),
    ("nb", "Ved å bruke nettsiden godtar du at vi behandler opplysningene.", True),
    ("en", "We ask for your consent with an unticked box when you sign up.", False),
    ("nb", "Du kan samtykke til nyhetsbrevet ved å krysse av i skjemaet.", False),
])
def test_consent_by_accepting_the_notice(tmp_path, lang, text, fires):
    d = f.data()
    d["purposes"][0]["description"][lang] = text
    found = findings(tmp_path, d)
    assert ("lint_consent_by_accepting" in ids(found)) is fires
    if fires:
        assert all(p.severity == "error" for p in found) and "separate, clear affirmative act" in found[0].message


def test_consent_as_the_basis_for_delivering_the_service(tmp_path):
    d = f.data()
    d["purposes"][0]["legal_basis"] = "consent"  # customer_service, whose data is contractual
    [problem] = findings(tmp_path, d)
    assert "lint_consent_for_service" in problem.message and problem.severity == "error" and "legal_basis: contract" in problem.message
    d["purposes"][0]["requirement"]["kind"] = "voluntary"  # an extra the person may refuse: lawful on consent
    assert findings(tmp_path, d) == []
    d["purposes"][0]["name"] = {"nb": "Levering av bestillingen", "en": "Delivery of your order"}
    [problem] = findings(tmp_path, d)
    assert "lint_consent_for_delivery" in problem.message and problem.severity == "warning"
    d["purposes"][0]["name"] = {"nb": "Nyhetsbrev", "en": "Newsletter"}
    assert findings(tmp_path, d) == []


def test_art_49_derogation_for_a_routine_processor(tmp_path):
    d = f.data()
    d["recipients"][0]["transfer"] = {"safeguard": "derogation"}
    [problem] = findings(tmp_path, d)
    assert "lint_derogation_for_processor" in problem.message and problem.severity == "error"
    assert "Art. 49" in problem.message and "safeguard: scc" in problem.message
    d["recipients"][0]["kind"] = "third_party"  # e.g. a foreign court, occasionally
    assert findings(tmp_path, d) == []


@pytest.mark.parametrize(("period", "fires"), [("P3Y", True), ("P4Y11M", True), ("P3Y6M", False), ("P42M", False), ("P5Y", False), ("P7Y", False)])
def test_accounting_retention_under_five_years(tmp_path, period, fires):
    d = f.data()
    d["retention"][1]["period"] = period  # cites bokføringsloven § 13
    assert ("lint_accounting_too_short" in only(tmp_path, d)) is fires
    other = f.data()
    other["retention"][0]["period"] = period  # not an accounting rule
    assert "lint_accounting_too_short" not in only(tmp_path, other)


@pytest.mark.parametrize(("text", "fires"), [
    ({"nb": "Så lenge det er nødvendig", "en": "As long as necessary"}, True),
    ({"nb": "Så lenge vi anser det som hensiktsmessig", "en": "As long as we consider appropriate"}, True),
    ({"nb": "Til saken er avsluttet", "en": "Until the case is closed"}, False),
    ({"nb": "Så lenge kundeforholdet varer", "en": "As long as the customer relationship lasts"}, False),
])
def test_as_long_as_necessary_is_no_retention_period(tmp_path, text, fires):
    d = f.data()
    d["retention"][0] = {"id": "three_years", "criterion": text, "from": "collection"}
    found = findings(tmp_path, d)
    assert ("lint_vague_retention" in ids(found)) is fires
    if fires:
        assert found[0].severity == "error" and "give a period" in found[0].message
    d["retention"][0]["period"] = "P3Y"  # a period with it: the criterion explains, it does not replace
    assert "lint_vague_retention" not in only(tmp_path, d)


@pytest.mark.parametrize(("name", "fires"), [
    ({"nb": "fagforeningsmedlemskap", "en": "trade-union membership"}, True),
    ({"nb": "helseopplysninger", "en": "health data"}, True),
    ({"nb": "sykemeldinger", "en": "sick leave records"}, True),
    ({"nb": "kontaktopplysninger", "en": "contact details"}, False),
])
def test_obvious_special_category_not_marked(tmp_path, name, fires):
    d = f.data()
    d["data_categories"][0]["name"] = name
    assert ("lint_special_category_unmarked" in only(tmp_path, d)) is fires
    if fires:  # marked, with an Art. 9 basis: nothing to say
        d["data_categories"][0]["special_category"] = True
        d["purposes"][0]["art9_basis"] = "explicit_consent"
        assert "lint_special_category_unmarked" not in only(tmp_path, d)


def test_national_identity_number_needs_a_stated_need(tmp_path):
    d = f.data()
    d["data_categories"][0]["examples"] = {"nb": "navn, fødselsnummer", "en": "name, national identity number"}
    [problem] = findings(tmp_path, d)
    assert "lint_national_id_without_need" in problem.message and "personopplysningsloven § 12" in problem.message
    d["data_categories"][0]["need"] = {"nb": "for å identifisere deg sikkert overfor banken", "en": "to identify you securely to the bank"}
    assert findings(tmp_path, d) == []
    statutory = f.data()  # required by a law the purpose cites: the law is the need
    statutory["data_categories"][1]["examples"] = {"nb": "fødselsnummer", "en": "national identity number"}
    assert findings(tmp_path, statutory) == []


MARKETING = {"electronic": True, "to_individuals": True, "basis": ["consent"], "opt_out": {"nb": "Klikk på avmeldingslenken i hver e-post.", "en": "Click the unsubscribe link in every e-mail."}}


def test_objection_to_marketing_only_in_writing(tmp_path):
    d = f.data(marketing=MARKETING)
    assert findings(tmp_path, d) == []
    d["marketing"]["opt_out"] = {"nb": "Send oss et skriftlig varsel.", "en": "Send us notice in writing."}
    [problem] = findings(tmp_path, d)
    assert "lint_objection_in_writing" in problem.message and problem.field == "marketing.opt_out"
    elsewhere = f.data()
    elsewhere["purposes"][0]["description"]["en"] = "You can object to this processing only in writing."
    assert only(tmp_path, elsewhere) == {"lint_objection_in_writing"}


@pytest.mark.parametrize(("text", "fires"), [
    ("Send a copy of your passport with every request.", True),
    ("Legg ved kopi av legitimasjon når du sender en forespørsel.", True),
    ("If we are in doubt about who you are, we may ask for a copy of your ID.", False),
])
def test_identity_documents_for_every_request(tmp_path, text, fires):
    d = f.data()
    d["purposes"][0]["description"]["nb" if text.startswith("Legg") else "en"] = text
    assert ("lint_id_document_for_every_request" in only(tmp_path, d)) is fires


@pytest.mark.parametrize(("time", "fires"), [("P1M", False), ("P30D", False), ("P4W", False), ("P5W", True), ("P2M", True), ("P1M1D", True)])
def test_response_time_beyond_article_12_3(tmp_path, time, fires):
    d = f.data()
    d["rights"]["response_time"] = time
    found = findings(tmp_path, d)
    assert ("lint_response_time" in ids(found)) is fires
    if fires:
        assert found[0].severity == "error" and found[0].field == "rights.response_time"


def test_every_lint_has_an_id_a_source_and_what_to_write_instead():
    from generator.completeness import LINTS

    for lint in LINTS.values():
        assert lint.id.startswith("lint_") and lint.source and lint.severity in ("error", "warning")
        assert ":" in lint.message or "use " in lint.message, lint.id  # says what to do, not only what is wrong


def test_docs_list_every_lint_as_the_check_reports_it():
    from pathlib import Path

    from generator.completeness import lints_table

    docs = (Path(__file__).parent.parent / "docs" / "checks.md").read_text(encoding="utf-8")
    assert lints_table() in docs, "regenerate the table in docs/checks.md: python -m generator.completeness"


@pytest.mark.parametrize("folder", ["content", "examples/lanopro", "examples/lvero", "examples/personvernerklaering"])
def test_the_shipped_content_trips_none_of_the_new_lints(folder):
    from pathlib import Path

    from generator.completeness import LINTS

    older = {"lint_check_regularly", "lint_outside_eu", "lint_bookkeeping_10_years", "lint_marketing_without_basis"}
    root = Path(__file__).parent.parent
    assert ids(check_all(root / folder)) & (set(LINTS) - older) == set()


def test_our_own_clause_library_trips_none_of_the_lints(tmp_path):
    """Every standard clause, given as a company's own wording, is clean: the lints and the library agree."""
    from generator.clauses import read_library

    d = f.data()
    d["clauses"] = {k: v for k, v in read_library("clauses.yaml").items() if "$" not in v["nb"] + v["en"]}
    assert len(d["clauses"]) > 30
    assert findings(tmp_path, d) == []
