"""Rendered coverage: for every item of the Art. 13/14 checklist, when the content has it, the rendered
notice states it in both languages."""

from __future__ import annotations

import re

import markdown
import pytest

from generator.clauses import clause, label
from generator.completeness import CHECKLIST
from generator.render import render_notice
from tests import factories as f


def text(d, lang):
    html = markdown.markdown(render_notice(f.notice(d), lang), extensions=["tables", "attr_list"])
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def fragment(ident, lang):
    pieces = re.split(r"\$[a-z_]+|\*\*|\n", clause(ident, lang))
    return " ".join(max(pieces, key=len).split()[:6])


def with_(**changes):
    def edit(d):
        for path, value in changes.items():
            node = d
            *parents, last = path.split("__")
            for p in parents:
                node = node[int(p)] if p.isdigit() else node[p]
            node[last] = value
        return d

    return edit


REP = {"name": "Nordic Rep Ltd", "address": {"street": "1 Dame St", "postal_code": "D02", "city": "Dublin", "country": "IE"}}
DECISION = [{"id": "credit", "name": {"nb": "Kredittvurdering", "en": "Credit check"}, "logic": {"nb": "poengmodell", "en": "a scoring model"},
             "significance": {"nb": "faktura eller forskudd", "en": "invoice or prepayment"}, "consequences": {"nb": "manuell vurdering", "en": "human review"}}]
BRREG = {"id": "brreg", "kind": "public_register", "name": {"nb": "Enhetsregisteret", "en": "the Central Coordinating Register"}, "categories": ["contact"], "publicly_accessible": True}

# id -> (edit of the base content, what each language must state)
CASES = {
    "art13_1_a_controller_identity": (None, lambda l: ["Fjelltopp Regnskap AS", "923 609 016"]),
    "art13_1_a_controller_contact": (None, lambda l: ["post@fjelltopp.no", "+47 22 33 44 55"]),
    "art13_1_a_representative": (with_(organisation__eu_representative=REP), lambda l: ["Nordic Rep Ltd", "Dublin"]),
    "art13_1_b_dpo_contact": (with_(organisation__dpo={"name": "Personvernhjelp AS", "email": "dpo@personvernhjelp.no"}), lambda l: ["Personvernhjelp AS", "dpo@personvernhjelp.no"]),
    "art13_1_c_purposes": (None, lambda l: [{"nb": "Kundeservice", "en": "Customer service"}[l], {"nb": "Regnskap", "en": "Bookkeeping"}[l]]),
    "art13_1_c_legal_basis": (None, lambda l: [label("basis_contract", l), label("basis_legal_obligation", l)]),
    "art13_1_d_legitimate_interests": (
        with_(purposes__0__legal_basis="legitimate_interests", purposes__0__legitimate_interest={"nb": "å drive god kundeservice", "en": "running good customer service"}),
        lambda l: [{"nb": "å drive god kundeservice", "en": "running good customer service"}[l], label("legitimate_interest", l)],
    ),
    "art14_1_d_data_categories": (None, lambda l: [{"nb": "kontaktopplysninger", "en": "contact details"}[l], {"nb": "fakturaopplysninger", "en": "invoice data"}[l]]),
    "art13_1_e_recipients": (None, lambda l: ["Microsoft Ireland Operations Ltd", label("kind_processor", l)]),
    "art13_1_f_transfer": (None, lambda l: [label("heading_transfers", l), label("safeguard_adequacy", l), fragment("transfer_copy", l)]),
    "art13_2_a_retention": (None, lambda l: [{"nb": "3 år etter siste kontakt", "en": "3 years after the last contact"}[l]]),
    "art13_2_b_right_access": (None, lambda l: [label("right_access", l), fragment("right_access", l)]),
    "art13_2_b_right_rectification": (None, lambda l: [label("right_rectification", l), fragment("right_rectification", l)]),
    "art13_2_b_right_erasure": (None, lambda l: [label("right_erasure", l), fragment("right_erasure", l)]),
    "art13_2_b_right_restriction": (None, lambda l: [label("right_restriction", l), fragment("right_restriction", l)]),
    "art13_2_b_right_portability": (None, lambda l: [label("right_portability", l), fragment("right_portability", l)]),
    "art13_2_b_right_object": (None, lambda l: [label("heading_right_object", l), fragment("right_object", l)]),
    "art13_2_c_withdraw_consent": (with_(purposes__0__legal_basis="consent"), lambda l: [label("right_withdraw_consent", l), fragment("right_withdraw_consent", l)]),
    "art13_2_d_complaint_sa": (None, lambda l: ["Datatilsynet", "postkasse@datatilsynet.no", "+47 22 39 69 00"]),
    "art13_2_e_provision_requirement": (None, lambda l: [label("provision", l), {"nb": "Da kan vi ikke hjelpe deg.", "en": "Then we cannot help you."}[l]]),
    "art13_2_f_automated_decisions": (with_(automated_decisions=DECISION), lambda l: [{"nb": "poengmodell", "en": "a scoring model"}[l], {"nb": "manuell vurdering", "en": "human review"}[l]]),
    "art14_2_f_source": (lambda d: d["sources"].append(BRREG) or d, lambda l: [{"nb": "Enhetsregisteret", "en": "Central Coordinating Register"}[l], label("col_publicly_accessible", l)]),
    "art13_3_further_processing": (None, lambda l: [label("heading_changes", l), fragment("changes", l)]),
}


def test_every_checklist_item_has_a_coverage_case():
    assert set(CASES) == set(CHECKLIST)


@pytest.mark.parametrize("item", sorted(CASES))
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_rendered_notice_states_the_item(item, lang):
    edit, expected = CASES[item]
    d = f.data()
    if edit:
        d = edit(d)
    rendered = text(d, lang)
    for phrase in expected(lang):
        assert " ".join(phrase.split()) in rendered, (item, lang, phrase)


def test_no_automated_decisions_is_stated_as_none():
    for lang in ("nb", "en"):
        assert fragment("automated_none", lang) in text(f.data(), lang)
