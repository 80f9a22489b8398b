"""The shapes real notices need, as a reader sees them in both languages: recipients given as a category,
retention rules with their conditions, names of functions and groups, data recorded automatically,
sources per purpose, and a transfer safeguard per destination country."""

from __future__ import annotations

import pytest

from generator.clauses import clause, label
from generator.render import render_notice
from generator.words import country, duration, sentence_case
from tests import factories as f

LANGS = ("nb", "en")


def fragment(ident: str, lang: str) -> str:
    """A piece of a library clause that placeholders do not touch: the tests follow the library's wording."""
    return max(clause(ident, lang).split("$"), key=len).strip().split("\n")[0][:40]


def text(d, lang):
    return render_notice(f.notice(d), lang)


def purpose_block(md: str, heading: str) -> str:
    """The lines under a purpose's heading, up to the next heading."""
    start = md.index(f"### {heading}")
    end = md.find("\n#", start + 1)
    return md[start : end if end > 0 else None]


AUDITOR = {"id": "auditor", "kind": "third_party", "category": {"nb": "revisoren vår", "en": "our auditor"},
           "service": {"nb": "Reviderer årsregnskapet.", "en": "Audits our annual accounts."}, "locations": ["NO"]}


@pytest.mark.parametrize("lang", LANGS)
def test_a_recipient_given_as_a_category_is_named_by_it_everywhere(lang):
    d = f.data()
    d["recipients"].append(AUDITOR)
    d["purposes"][1]["recipients"] = ["auditor"]
    md = text(d, lang)
    category = AUDITOR["category"][lang]
    assert f"| {sentence_case(category)} |" in md  # the recipients table (sentence case in every cell)
    assert category in purpose_block(md, d["purposes"][1]["name"][lang])
    assert "None" not in md and "()" not in md


CONDITIONAL = [
    {"rule": "bookkeeping", "condition": {"nb": "For fakturaer og bilag", "en": "For invoices and vouchers"}},
    {"rule": "three_years", "condition": {"nb": "For resten", "en": "For everything else"}},
]


@pytest.mark.parametrize("lang", LANGS)
def test_several_retention_rules_each_show_their_condition(lang):
    d = f.data()
    d["purposes"][1]["retention"] = CONDITIONAL
    md = text(d, lang)
    first, second = duration("P5Y", lang), duration("P3Y", lang)
    block = purpose_block(md, d["purposes"][1]["name"][lang])
    assert f"{CONDITIONAL[0]['condition'][lang]}: {first}" in block
    assert f"{CONDITIONAL[1]['condition'][lang]}: {second}" in block
    row = next(line for line in md.splitlines() if line.startswith(f"| {d['purposes'][1]['name'][lang]} |"))
    assert CONDITIONAL[0]["condition"][lang] in row and CONDITIONAL[1]["condition"][lang] in row


def test_several_retention_rules_need_a_condition_each(tmp_path):
    from generator.check import check_all

    d = f.data()
    d["purposes"][1]["retention"] = [{"rule": "bookkeeping"}, {"rule": "three_years"}]
    problems = check_all(f.write_content(tmp_path / "content", d))
    assert [p.field for p in problems] == ["purposes[bookkeeping].retention[0]", "purposes[bookkeeping].retention[1]"]
    assert all("condition" in p.message and p.severity == "error" for p in problems)


@pytest.mark.parametrize("lang", LANGS)
def test_a_contact_given_as_a_function_is_not_called_a_person(lang):
    d = f.data()
    d["organisation"]["contact"] = {"role": {"nb": "kundeservice", "en": "customer service"}}
    md = text(d, lang)
    assert f"{label('contact_function', lang)}: {d['organisation']['contact']['role'][lang]}" in md
    assert label("contact_person", lang) not in md


@pytest.mark.parametrize("lang", LANGS)
def test_a_dpo_reached_through_a_function_mailbox(lang):
    d = f.data()
    d["organisation"]["dpo"] = {"email": "personvernombud@fjelltopp.no"}
    md = text(d, lang)
    assert "personvernombud@fjelltopp.no" in md
    assert fragment("dpo_unnamed", lang) in md
    assert ", ." not in md and ", $" not in md


@pytest.mark.parametrize("lang", LANGS)
def test_names_of_functions_and_groups_are_given_per_language(lang):
    d = f.data()
    d["organisation"]["dpo"] = {"name": {"nb": "personvernombudet i konsernet", "en": "the group's data protection officer"}, "email": "dpo@fjelltopp.no"}
    d["organisation"]["roles"]["joint_controllers"] = [
        {"id": "partners", "name": {"nb": "partnerne våre", "en": "our partners"},
         "arrangement": {"nb": "Vi deler ansvaret for arrangementene.", "en": "We share responsibility for the events."}}
    ]
    md = text(d, lang)
    assert d["organisation"]["dpo"]["name"][lang] in md
    assert f"**{d['organisation']['roles']['joint_controllers'][0]['name'][lang]}**" in md


@pytest.mark.parametrize("lang", LANGS)
def test_data_recorded_automatically_is_not_called_voluntary(lang):
    d = f.data()
    d["data_categories"].append({"id": "logs", "name": {"nb": "logger", "en": "logs"}})
    d["sources"].append({"id": "logging", "kind": "device", "name": {"nb": "tjenesten", "en": "the service"}, "categories": ["logs"], "publicly_accessible": False})
    d["purposes"].append({
        "id": "security", "name": {"nb": "Sikkerhet", "en": "Security"}, "description": {"nb": "Vi logger innlogginger.", "en": "We log sign-ins."},
        "legal_basis": "legitimate_interests", "legitimate_interest": {"nb": "Trygg drift.", "en": "Safe operation."},
        "data_subjects": ["customers"], "categories": ["logs"], "recipients": [], "retention": "three_years",
        "requirement": {"kind": "observed"},
    })
    block = purpose_block(text(d, lang), "Sikkerhet" if lang == "nb" else "Security")
    assert fragment("requirement_observed", lang) in block
    assert fragment("requirement_voluntary", lang) not in block


def test_sources_feed_only_the_purposes_they_name(tmp_path):
    """Data the person gives for customer service does not make bookkeeping ask whether giving it is required."""
    from generator.check import check_all

    d = f.data()
    del d["purposes"][1]["requirement"]
    assert any("art13_2_e_provision_requirement" in p.message for p in check_all(f.write_content(tmp_path / "a", d)))
    d["sources"][0]["purposes"] = ["customer_service"]
    assert check_all(f.write_content(tmp_path / "b", d)) == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_category_says_whom_it_is_about(lang):
    d = f.data()
    d["purposes"][1]["data_subjects"] = ["customers", "visitors"]
    row = lambda md: next(line for line in md.splitlines() if line.startswith(f"| {sentence_case(d['data_categories'][1]['name'][lang])} |"))  # noqa: E731
    visitors = d["data_subjects"][1]["name"][lang]
    assert visitors in row(text(d, lang))
    d["data_categories"][1]["data_subjects"] = ["customers"]
    assert visitors not in row(text(d, lang))


@pytest.mark.parametrize("lang", LANGS)
def test_a_safeguard_per_destination_country(lang):
    d = f.data()
    d["recipients"][0]["locations"] = ["IE", "US", "IN"]
    d["recipients"][0]["transfer"] = [
        {"countries": ["US"], "safeguard": "adequacy"},
        {"countries": ["IN"], "safeguard": "scc", "details": {"nb": "Modul 3.", "en": "Module 3."}},
    ]
    md = text(d, lang)
    us, india = country("US", lang), country("IN", lang)
    adequacy, scc = label("safeguard_adequacy", lang), label("safeguard_scc", lang)
    first, second = [line for line in md.splitlines() if line.startswith("- **Microsoft")]
    assert us in first and india not in first and adequacy in first
    assert india in second and us not in second and scc in second and {"nb": "Modul 3.", "en": "Module 3."}[lang] in second
    row = next(line for line in md.splitlines() if line.startswith("| Microsoft"))
    assert us in row and india in row and adequacy in row and scc in row  # the table says which basis goes where


@pytest.mark.parametrize("lang", LANGS)
def test_no_not_stated_under_a_clause_promising_a_basis(lang):
    d = f.data()
    del d["recipients"][0]["transfer"]
    md = text(d, lang)
    assert label("safeguard_missing", lang) not in md and {"nb": "Ikke oppgitt", "en": "Not stated"}[lang] not in md
    unstated = clause("transfers_intro_unstated", lang)
    promise = next(s.strip() for s in clause("transfers_intro", lang).replace("\n", " ").split(". ") if s.strip() and s.strip() not in unstated)
    assert promise not in md and unstated.strip().split("\n")[0] in md
    assert promise in text(f.data(), lang)  # with a safeguard, the promise is kept


def test_a_safeguard_for_a_country_the_recipient_does_not_use_is_refused(tmp_path):
    from generator.check import check_all

    d = f.data()
    d["recipients"][0]["transfer"] = [{"countries": ["US", "CN"], "safeguard": "scc"}, {"countries": ["IE"], "safeguard": "scc"}]
    fields = {p.field: p.message for p in check_all(f.write_content(tmp_path / "content", d))}
    assert "not among this recipient's locations" in fields["recipients[m365].transfer[0].countries[1]"]
    assert "in the EU/EEA" in fields["recipients[m365].transfer[1].countries[0]"]


def test_a_recipient_needs_a_name_or_a_category(tmp_path):
    from generator.check import check_all

    d = f.data()
    del d["recipients"][0]["name"]
    problems = [p for p in check_all(f.write_content(tmp_path / "content", d)) if p.severity == "error"]
    assert problems and all(p.field.startswith("recipients[m365]") for p in problems)


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda d: d["recipients"][0].update(transfer=[{"safeguard": "scc"}]), "recipients[m365].transfer[0].countries", "required field 'countries'"),
    (lambda d: d["recipients"][0].update(transfer={"safeguard": "sccs"}), "recipients[m365].transfer.safeguard", "did you mean 'scc'"),
    (lambda d: d["purposes"][0].update(retention=[{"rule": "three_years", "conditon": {"nb": "x", "en": "y"}}]), "purposes[customer_service].retention[0].conditon", "did you mean 'condition'"),
    (lambda d: d["purposes"][0].update(retention={"rule": "three_years"}), "purposes[customer_service].retention", "expected text or a list, got a mapping"),
    (lambda d: d["recipients"][0].update(transfer="scc"), "recipients[m365].transfer", "expected a mapping of fields or a list"),
])
def test_either_shape_is_checked_as_strictly_as_one(tmp_path, change, field, words):
    """A field that takes two shapes names the problem inside the shape the value has, not 'not valid under any'."""
    from generator.check import check_all

    d = f.data()
    change(d)
    [problem] = [p for p in check_all(f.write_content(tmp_path / "content", d)) if p.severity == "error"]
    assert problem.field == field and words in problem.message


# -- the change log reads the new structures as a reviewer and a customer need them ---------------------------

def changes(old, new):
    from generator.diff import diff

    return diff(f.notice(old), f.notice(new)).changes


def test_a_new_recipient_given_as_a_category_is_announced_by_its_category():
    old = f.data()
    new = f.data()
    new["recipients"].append(AUDITOR)
    [change] = changes(old, new)
    assert change.significant and change.rule == "recipient_added"
    assert "revisoren vår" in change.explanation["nb"] and "our auditor" in change.explanation["en"]


def test_a_further_retention_rule_under_a_new_condition_is_significant():
    old = f.data()
    new = f.data()
    new["purposes"][0]["retention"] = [
        {"rule": "three_years", "condition": {"nb": "Som kunde", "en": "As a customer"}},
        {"rule": "bookkeeping", "condition": {"nb": "For fakturaer", "en": "For invoices"}},
    ]
    found = changes(old, new)
    longer = [c for c in found if c.rule == "retention_longer"]
    assert longer and longer[0].significant
    for lang in LANGS:
        assert f"{new['purposes'][0]['retention'][1]['condition'][lang]}: {duration('P5Y', lang)}" in longer[0].explanation[lang]


def test_a_changed_safeguard_names_the_destination_it_concerns():
    old = f.data()
    old["recipients"][0]["locations"] = ["IE", "US", "IN"]
    old["recipients"][0]["transfer"] = [{"countries": ["US", "IN"], "safeguard": "scc"}]
    new = f.data()
    new["recipients"][0]["locations"] = ["IE", "US", "IN"]
    new["recipients"][0]["transfer"] = [{"countries": ["US"], "safeguard": "adequacy"}, {"countries": ["IN"], "safeguard": "scc"}]
    [change] = changes(old, new)
    assert change.rule == "safeguard_changed" and change.key == "recipients.m365.transfer.US"
    for lang in LANGS:
        assert country("US", lang) in change.explanation[lang] and country("IN", lang) not in change.explanation[lang]


def test_a_source_that_starts_feeding_another_purpose_is_a_new_source_for_it():
    old = f.data()
    old["sources"][0]["purposes"] = ["customer_service"]
    new = f.data()
    new["sources"][0]["purposes"] = ["customer_service", "bookkeeping"]
    [change] = changes(old, new)
    assert change.rule == "source_added" and change.significant and "Regnskap" in change.explanation["nb"] + str(change.new)


def test_a_category_cannot_be_about_a_group_no_purpose_using_it_concerns(tmp_path):
    from generator.check import check_all

    d = f.data()
    d["data_categories"][1]["data_subjects"] = ["visitors"]  # invoices are used only by bookkeeping, about customers
    [problem] = check_all(f.write_content(tmp_path / "content", d))
    assert problem.field == "data_categories[invoices].data_subjects[0]" and "no purpose that uses 'invoices' concerns 'visitors'" in problem.message


def test_a_source_cannot_feed_a_purpose_that_uses_none_of_its_data(tmp_path):
    from generator.check import check_all

    d = f.data()
    d["sources"].append({"id": "brreg", "kind": "public_register", "name": {"nb": "Enhetsregisteret", "en": "the business register"},
                         "categories": ["invoices"], "publicly_accessible": True, "purposes": ["customer_service"]})
    [problem] = check_all(f.write_content(tmp_path / "content", d))
    assert problem.field == "sources[brreg].purposes[0]" and "uses none of this source's categories" in problem.message


@pytest.mark.parametrize("lang", LANGS)
def test_the_need_for_a_national_identity_number_is_shown_with_the_category(lang):
    d = f.data()
    d["data_categories"][0]["examples"] = {"nb": "navn og fødselsnummer", "en": "name and national identity number"}
    d["data_categories"][0]["need"] = {"nb": "for å identifisere deg sikkert overfor banken", "en": "to identify you securely to the bank"}
    row = next(line for line in text(d, lang).splitlines() if line.startswith(f"| {sentence_case(d['data_categories'][0]['name'][lang])} |"))
    assert f"{label('category_need', lang)}: {d['data_categories'][0]['need'][lang]}" in row


@pytest.mark.parametrize(("text", "forbidden"), [
    ("<script>alert(1)</script>", "<script>"),
    ('<img src=x onerror="alert(1)">', "<img"),
    ("[click](javascript:alert(1))", 'href="javascript:'),
    ("a | zq", "<td>zq"),  # a table pipe must not open a cell
])
def test_hostile_text_in_the_new_fields_is_inert(text, forbidden):
    import re

    import markdown

    from generator.safety import LinkPolicy

    d = f.data()
    hostile = {"nb": "Ond " + text, "en": "Evil " + text}
    d["organisation"]["contact"] = {"role": hostile}
    d["organisation"]["dpo"] = {"name": hostile, "email": "dpo@fjelltopp.no"}
    d["recipients"].append({**AUDITOR, "category": hostile})
    d["data_categories"][0]["need"] = hostile
    d["purposes"][1]["recipients"] = ["auditor"]
    d["purposes"][1]["retention"] = [{"rule": "bookkeeping", "condition": hostile}, {"rule": "three_years", "condition": hostile}]
    for lang in LANGS:
        out = markdown.markdown(text_md := render_notice(f.notice(d), lang), extensions=["tables", "attr_list", "toc", LinkPolicy()])
        assert forbidden not in out
        assert not re.search(r"<[a-z0-9]+[^>]*\son[a-z]+=", out)
        assert text_md.count(hostile[lang].split(" ")[0]) >= 6  # shown in every place, not dropped
