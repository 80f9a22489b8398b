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
