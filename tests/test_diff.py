"""The change classification: one test per rule of LEGAL-REFERENCE.md §2, in both directions."""

from __future__ import annotations

import pytest

from generator.diff import Reclassification, diff
from tests import factories as f


def changes(old: dict, new: dict):
    return diff(f.notice(old), f.notice(new)).changes


def only(old: dict, new: dict):
    found = changes(old, new)
    assert len(found) == 1, [(c.key, c.rule) for c in found]
    return found[0]


def test_identical_versions_have_no_changes():
    assert not diff(f.notice(), f.notice())


def test_new_purpose_is_significant_and_removing_it_is_minor():
    base = f.data()
    more = f.data()
    more["purposes"].append(
        {
            "id": "newsletter",
            "name": {"nb": "Nyhetsbrev", "en": "Newsletter"},
            "description": {"nb": "Vi sender nyheter.", "en": "We send news."},
            "legal_basis": "consent",
            "data_subjects": ["customers"],
            "categories": ["contact"],
            "retention": "three_years",
        }
    )
    added = only(base, more)
    assert (added.key, added.kind, added.rule, added.cls) == ("purposes.newsletter", "added", "purpose_added", "significant")
    assert "Nyhetsbrev" in added.explanation["nb"] and "Newsletter" in added.explanation["en"]
    removed = only(more, base)
    assert (removed.kind, removed.cls) == ("removed", "minor")


def test_purpose_description_change_is_significant_but_name_change_is_minor():
    new = f.data()
    new["purposes"][0]["description"] = {"nb": "Vi bruker spørsmålene til å lage reklame.", "en": "We use questions to make adverts."}
    assert only(f.data(), new).rule == "purpose_changed"
    assert only(f.data(), new).significant
    renamed = f.data()
    renamed["purposes"][0]["name"] = {"nb": "Kundestøtte", "en": "Customer support"}
    assert (only(f.data(), renamed).rule, only(f.data(), renamed).cls) == ("wording", "minor")


def test_legal_basis_change_is_significant_in_both_directions():
    new = f.data()
    new["purposes"][0]["legal_basis"] = "consent"
    change = only(f.data(), new)
    assert (change.rule, change.cls) == ("legal_basis_changed", "significant")
    assert "Avtale" in change.old["nb"] and "Samtykke" in change.new["nb"]
    assert only(new, f.data()).significant


def test_controller_identity_change_is_significant_but_phone_change_is_minor():
    new = f.data()
    new["organisation"]["name"] = "Fjelltopp Holding AS"
    assert (only(f.data(), new).rule, only(f.data(), new).cls) == ("controller_identity", "significant")
    phone = f.data()
    phone["organisation"]["phone"] = "+47 99 88 77 66"
    assert only(f.data(), phone).cls == "minor"


def test_rights_contact_change_is_significant():
    new = f.data()
    new["rights"]["contact"]["email"] = "rettigheter@fjelltopp.no"
    change = only(f.data(), new)
    assert (change.rule, change.cls) == ("rights_contact", "significant")
    assert "rettigheter@fjelltopp.no" in change.explanation["en"]


def test_dpo_appointed_or_changed_is_significant():
    new = f.data()
    new["organisation"]["dpo"] = {"name": "Personvernhjelp AS", "email": "dpo@personvernhjelp.no"}
    assert (only(f.data(), new).rule, only(f.data(), new).cls) == ("dpo_changed", "significant")


def test_new_recipient_is_significant_and_fewer_recipients_is_minor():
    new = f.data()
    new["recipients"].append({"id": "regnskap", "name": "Regnskapshuset AS", "kind": "processor", "service": {"nb": "regnskap", "en": "accounting"}, "locations": ["NO"]})
    new["purposes"][1]["recipients"] = ["regnskap"]
    found = {c.rule: c for c in changes(f.data(), new)}
    assert found["recipient_added"].significant
    assert all(c.cls == "minor" for c in changes(new, f.data()))


def test_new_recipient_outside_the_eea_is_a_new_recipient_and_a_new_transfer_told_once():
    new = f.data()
    new["recipients"].append(
        {"id": "mailchimp", "name": "Intuit Mailchimp", "kind": "processor", "service": {"nb": "nyhetsbrev", "en": "newsletters"}, "locations": ["US"], "transfer": {"safeguard": "scc"}}
    )
    change = only(f.data(), new)
    assert (change.key, change.rule, change.cls) == ("recipients.mailchimp", "recipient_added_abroad", "significant")
    assert "Ny mottaker: Intuit Mailchimp" in change.explanation["nb"] and "USA" in change.explanation["nb"]
    assert "New recipient: Intuit Mailchimp" in change.explanation["en"] and "outside the EU/EEA (the United States)" in change.explanation["en"]


def test_new_third_country_location_is_significant_but_new_eea_location_is_minor():
    us = f.data()
    us["recipients"][0]["locations"] = ["IE", "US", "IN"]
    assert (only(f.data(), us).rule, only(f.data(), us).cls) == ("transfer_added", "significant")
    eea = f.data()
    eea["recipients"][0]["locations"] = ["IE", "US", "SE"]
    assert only(f.data(), eea).cls == "minor"


def test_changed_transfer_safeguard_is_significant():
    new = f.data()
    new["recipients"][0]["transfer"] = {"safeguard": "scc", "details": f.BASE["recipients"][0]["transfer"]["details"]}
    change = only(f.data(), new)
    assert (change.rule, change.cls) == ("safeguard_changed", "significant")
    without_details = f.data()
    without_details["recipients"][0]["transfer"] = {"safeguard": "adequacy"}
    change = only(f.data(), without_details)
    assert (change.key, change.rule, change.cls) == ("recipients.m365.transfer.US.details", "wording", "minor")


def test_recipient_changing_role_is_a_new_recipient_category():
    new = f.data()
    new["recipients"][0]["kind"] = "third_party"
    assert (only(f.data(), new).rule, only(f.data(), new).cls) == ("recipient_category_changed", "significant")


def test_new_data_category_is_significant_and_special_category_has_its_own_rule():
    new = f.data()
    new["data_categories"].append({"id": "union", "name": {"nb": "fagforeningsmedlemskap", "en": "trade-union membership"}, "special_category": True})
    assert (only(f.data(), new).rule, only(f.data(), new).cls) == ("special_category_added", "significant")
    plain = f.data()
    plain["data_categories"].append({"id": "ip", "name": {"nb": "IP-adresse", "en": "IP address"}})
    assert (only(f.data(), plain).rule, only(f.data(), plain).cls) == ("category_added", "significant")
    assert only(plain, f.data()).cls == "minor"


def test_purpose_using_more_data_is_significant_and_less_is_minor():
    new = f.data()
    new["purposes"][0]["categories"] = ["contact", "invoices"]
    assert (only(f.data(), new).rule, only(f.data(), new).cls) == ("purpose_data_added", "significant")
    fewer = only(new, f.data())
    assert (fewer.key, fewer.cls) == ("purposes.customer_service.categories", "minor")


def test_longer_retention_is_significant_and_shorter_is_minor():
    longer = f.data()
    longer["retention"][0]["period"] = "P5Y"
    change = only(f.data(), longer)
    assert (change.rule, change.cls) == ("retention_longer", "significant")
    assert change.old["nb"].startswith("3 år") and change.new["en"].startswith("5 years")
    shorter = only(longer, f.data())
    assert (shorter.rule, shorter.cls) == ("retention_shorter", "minor")


def test_retention_compares_mixed_units():
    months = f.data()
    months["retention"][0]["period"] = "P30M"  # 2.5 years < 3 years
    assert only(f.data(), months).rule == "retention_shorter"


def test_automated_decision_introduced_is_significant_and_removed_is_minor():
    new = f.data(
        automated_decisions=[
            {
                "id": "credit",
                "name": {"nb": "Kredittvurdering", "en": "Credit check"},
                "logic": {"nb": "poengmodell", "en": "a scoring model"},
                "significance": {"nb": "faktura eller forskudd", "en": "invoice or prepayment"},
                "consequences": {"nb": "du kan be om manuell vurdering", "en": "you may ask for a human review"},
            }
        ]
    )
    assert (only(f.data(), new).rule, only(f.data(), new).cls) == ("automated_added", "significant")
    assert only(new, f.data()).cls == "minor"


def test_new_source_is_significant():
    new = f.data()
    new["sources"].append({"id": "brreg", "kind": "public_register", "name": {"nb": "Enhetsregisteret", "en": "the Central Coordinating Register"}, "categories": ["contact"], "publicly_accessible": True})
    assert (only(f.data(), new).rule, only(f.data(), new).cls) == ("source_added", "significant")
    assert only(new, f.data()).cls == "minor"


def test_new_cookie_needing_consent_is_significant_but_a_necessary_one_is_minor():
    ga = f.data()
    ga["cookies"].append({"name": "_ga", "provider": "Google", "party": "third", "purpose": {"nb": "statistikk", "en": "statistics"}, "category": "statistics", "duration": "P2Y"})
    assert (only(f.data(), ga).rule, only(f.data(), ga).cls) == ("cookie_consent_added", "significant")
    necessary = f.data()
    necessary["cookies"].append({"name": "csrf", "provider": "Fjelltopp", "party": "first", "purpose": {"nb": "sikkerhet", "en": "security"}, "category": "necessary", "duration": "session"})
    assert only(f.data(), necessary).cls == "minor"


def test_one_language_changed_is_flagged_as_translation_drift():
    new = f.data()
    new["purposes"][0]["name"] = {"nb": "Kundestøtte", "en": "Customer service"}
    change = only(f.data(), new)
    assert change.drift == ("nb",)
    both = f.data()
    both["purposes"][0]["name"] = {"nb": "Kundestøtte", "en": "Customer support"}
    assert only(f.data(), both).drift == ()


def test_typo_fix_in_both_languages_is_minor_wording():
    new = f.data()
    new["recipients"][0]["service"] = {"nb": "e-post og dokumenter.", "en": "e-mail and documents."}
    change = only(f.data(), new)
    assert (change.rule, change.cls) == ("wording", "minor")


def test_new_sub_processor_is_significant_for_a_processor():
    base = f.data()
    base["organisation"]["roles"]["processor"] = {"description": {"nb": "drift", "en": "hosting"}, "sub_processors": []}
    new = f.data()
    new["organisation"]["roles"]["processor"] = {"description": {"nb": "drift", "en": "hosting"}, "sub_processors": ["m365"]}
    change = only(base, new)
    assert (change.rule, change.cls) == ("sub_processor_added", "significant")


@pytest.mark.parametrize("cls", ["minor", "significant"])
def test_reclassification_overrides_the_rule_and_is_recorded(cls):
    new = f.data()
    new["retention"][0]["period"] = "P5Y" if cls == "minor" else "P1Y"
    decision = Reclassification("retention.three_years.period", cls, "agreed with customers", "Kari Jus")
    found = diff(f.notice(f.data()), f.notice(new), [decision]).changes
    assert len(found) == 1
    assert found[0].cls == cls and found[0].reclassified == decision


def test_a_new_recipient_used_by_a_purpose_is_reported_once():
    new = f.data()
    new["recipients"].append({"id": "regnskap", "name": "Regnskapshuset AS", "kind": "processor", "service": {"nb": "regnskap", "en": "accounting"}, "locations": ["NO"]})
    new["purposes"][1]["recipients"] = ["regnskap"]
    assert [c.key for c in changes(f.data(), new)] == ["recipients.regnskap"]


def test_an_existing_recipient_newly_used_by_a_purpose_is_significant():
    new = f.data()
    new["purposes"][1]["recipients"] = ["m365"]
    change = only(f.data(), new)
    assert (change.key, change.rule, change.cls) == ("purposes.bookkeeping.recipients", "recipient_added", "significant")


# -- identity of parties, calendar retention, one-language edits (issue 12) --------------------------


def test_a_recipient_renamed_under_the_same_id_is_a_new_party():
    new = f.data()
    new["recipients"][0]["name"] = "Nordpost Hosting AS"
    change = only(f.data(), new)
    assert (change.key, change.rule, change.cls) == ("recipients.m365.name", "party_identity", "significant")
    assert "Nordpost Hosting AS" in change.explanation["en"] and "Microsoft Ireland Operations Ltd" in change.explanation["nb"]


def test_a_joint_controller_with_another_name_or_org_number_is_a_new_party():
    base = f.data()
    base["organisation"]["roles"]["joint_controllers"] = [
        {"id": "partner", "name": "Tallverket AS", "org_number": "931 582 046", "arrangement": {"nb": "webinarer", "en": "webinars"}}
    ]
    for field, value in (("name", "Annen Partner AS"), ("org_number", "974 760 673")):
        new = f.data(organisation=base["organisation"])
        new["organisation"]["roles"]["joint_controllers"][0][field] = value
        change = only(base, new)
        assert (change.key, change.rule, change.cls) == (f"organisation.roles.joint_controllers.partner.{field}", "party_identity", "significant")


def test_a_new_dpo_or_eu_representative_is_significant():
    base = f.data()
    base["organisation"]["dpo"] = {"name": "Personvernhjelp AS", "email": "dpo@personvernhjelp.no"}
    base["organisation"]["eu_representative"] = {"name": "Rep GmbH", "address": {"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin", "country": "DE"}}
    dpo = f.data(organisation=base["organisation"])
    dpo["organisation"]["dpo"]["name"] = "Annet Ombud AS"
    assert (only(base, dpo).rule, only(base, dpo).cls) == ("dpo_changed", "significant")
    rep = f.data(organisation=base["organisation"])
    rep["organisation"]["eu_representative"]["name"] = "Other Rep SARL"
    assert (only(base, rep).key, only(base, rep).rule, only(base, rep).cls) == ("organisation.eu_representative.name", "representative_changed", "significant")
    address = f.data(organisation=base["organisation"])
    address["organisation"]["eu_representative"]["address"]["street"] = "Hauptstraße 2"
    assert (only(base, address).key, only(base, address).cls) == ("organisation.eu_representative.address.street", "minor")


def test_a_cookie_with_another_provider_or_going_third_party_is_significant():
    provider = f.data()
    provider["cookies"][0]["provider"] = "Annonsenett AS"
    assert (only(f.data(), provider).key, only(f.data(), provider).rule) == ("cookies.session_id.provider", "party_identity")
    third = f.data()
    third["cookies"][0]["party"] = "third"
    assert only(f.data(), third).significant
    assert not only(third, f.data()).significant


def test_requirement_and_public_source_are_compared():
    voluntary = f.data()
    voluntary["purposes"][0]["requirement"]["kind"] = "voluntary"
    assert (only(f.data(), voluntary).key, only(f.data(), voluntary).rule) == ("purposes.customer_service.requirement.kind", "requirement_changed")
    public = f.data()
    public["sources"][0]["publicly_accessible"] = True
    assert (only(f.data(), public).key, only(f.data(), public).rule) == ("sources.you.publicly_accessible", "source_changed")


@pytest.mark.parametrize(("old", "new"), [("P5Y", "P60M"), ("P1Y", "P12M"), ("P2W", "P14D"), ("P1Y6M", "P18M")])
def test_the_same_period_written_another_way_is_no_change(old, new):
    a, b = f.data(), f.data()
    a["retention"][0]["period"], b["retention"][0]["period"] = old, new
    assert changes(a, b) == () and changes(b, a) == ()


@pytest.mark.parametrize(("old", "new", "rule"), [("P5Y", "P61M", "retention_longer"), ("P60M", "P4Y11M27D", "retention_shorter"), ("P60M", "P4Y11M30D", "detail_changed"), ("P1M", "P32D", "retention_longer"), ("P1M", "P30D", "detail_changed")])
def test_periods_are_compared_by_the_calendar(old, new, rule):
    a, b = f.data(), f.data()
    a["retention"][0]["period"], b["retention"][0]["period"] = old, new
    assert only(a, b).rule == rule


def test_a_criterion_replaced_by_a_period_is_its_own_rule_both_ways():
    criterion = f.data()
    criterion["retention"][0].pop("period")
    criterion["retention"][0]["criterion"] = {"nb": "så lenge kundeforholdet varer", "en": "as long as you are a customer"}
    change = only(criterion, f.data())
    assert (change.key, change.rule, change.cls) == ("retention.three_years.period", "retention_period_or_criterion", "significant")
    assert only(f.data(), criterion).rule == "retention_period_or_criterion"


def test_a_typo_fixed_in_one_language_is_minor_translation_drift():
    new = f.data()
    new["purposes"][0]["description"] = {"nb": "Vi svarer på spørsmål fra kundene.", "en": "We answer customers' questions."}
    change = only(f.data(), new)
    assert (change.rule, change.cls, change.drift) == ("translation_drift", "minor", ("nb",))
    both = f.data()
    both["purposes"][0]["description"] = {"nb": "Vi bruker spørsmålene til reklame.", "en": "We use questions for adverts."}
    assert (only(f.data(), both).rule, only(f.data(), both).cls) == ("purpose_changed", "significant")


def test_a_purpose_pointing_at_another_rule_with_the_same_period_is_no_change():
    new = f.data()
    new["retention"].append({"id": "sixty_months", "period": "P60M", "from": "end_of_financial_year", "legal_reference": f.BASE["retention"][1]["legal_reference"]})
    new["purposes"][1]["retention"] = "sixty_months"
    assert changes(f.data(), new) == ()
