"""Validation: each bad input is a small edit of the minimal notice, and the test states the exact line
the user reads, `file:line:column: field: message`, with the position computed from the edited text.
"""

from __future__ import annotations

import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.check import check_all
from generator.content import check_content, load_notice
from generator.document import read_document
from generator.errors import ContentError
from tests.notice_text import MINIMAL, replace_once, where

FILE = "content/notice.yaml"
LINE = re.compile(r"^content/(notice|releases)\.yaml:[1-9][0-9]*:[1-9][0-9]*: \S.*$")


def expect(text: str, anchor: str, at: str | None, field: str, message: str) -> str:
    line, column = where(text, anchor, at)
    return f"{FILE}:{line}:{column}: {field + ': ' if field else ''}{message}"


def problems(path) -> list[str]:
    return [str(p) for p in check_content(path.parent)]


LI_MESSAGE = "legitimate_interests needs the interest itself: add 'legitimate_interest' with the text in each language"
DATE_HINT = "write it as YYYY-MM-DD, e.g. 2025-01-31"

# (edits of the fixture, [(anchor, at, field, message)]): anchor is a fragment of the edited text that
# occurs once; the problem is expected at `at` inside it (at its start when None).
CASES = [
    pytest.param(
        [("  available: [nb, en]", "  available: [nb, en")],
        [("[nb, en\n", "[", "", "YAML syntax error: this [list] is not closed with ']'")],
        id="syntax-error",
    ),
    pytest.param(
        [("    city: Bergen", "\t  city: Bergen")],
        [("\t  city", "\t", "", "tab character: indent with spaces, not tabs")],
        id="tab-indentation",
    ),
    pytest.param(
        [("  default: nb\n", "  default: nb\n  default: en\n")],
        [("  default: en", "default", "", 'duplicate key "default": each key may appear only once in a mapping')],
        id="duplicate-key",
    ),
    pytest.param(
        [("    controller: true", "    controller: yes")],
        [("controller: yes", "yes", "organisation.roles.controller", "expected true or false, got 'yes'")],
        id="wrong-type-yes-is-text-in-yaml-1.2",
    ),
    pytest.param(
        [('    postal_code: "5013"', "    postal_code: 5013")],
        [("postal_code: 5013", "5013", "organisation.address.postal_code", "expected text, got the number 5013")],
        id="wrong-type-unquoted-postal-code",
    ),
    pytest.param(
        [("    categories: [contact_details]\n    recipients", "    categories: contact_details\n    recipients")],
        [("categories: contact_details", "contact_details", "purposes[customer_service].categories", "expected a list, got 'contact_details'")],
        id="wrong-type-text-for-list",
    ),
    pytest.param(
        [("    name:\n      nb: Kundeservice\n      en: Customer service\n", "    name: Kundeservice\n")],
        [
            (
                "    name: Kundeservice",
                "Kundeservice",
                "purposes[customer_service].name",
                "expected text in each language, e.g. {nb: ..., en: ...}, got 'Kundeservice'",
            )
        ],
        id="wrong-type-text-without-languages",
    ),
    pytest.param(
        [("    city: Bergen", "    city:")],
        [("    city:\n", "city", "organisation.address.city", "expected text, got nothing (empty value)")],
        id="empty-value-located-at-its-key",
    ),
    pytest.param(
        [("  website: https://fjordlys.example", "  webside: https://fjordlys.example")],
        [("webside:", None, "organisation.webside", "unknown field 'webside'; did you mean 'website'?")],
        id="unknown-key-did-you-mean",
    ),
    pytest.param(
        [("changes:", "chanegs:")],
        [("chanegs:", None, "chanegs", "unknown field 'chanegs'; did you mean 'changes'?")],
        id="unknown-top-level-key-did-you-mean",
    ),
    pytest.param(
        [("    period: P3Y\n", "    period: P3Y\n    comment: three years\n")],
        [("    comment:", "comment", "retention[three_years].comment", "unknown field 'comment'; allowed here: criterion, from, id, legal_reference, period")],
        id="unknown-key-lists-the-allowed-ones",
    ),
    pytest.param(
        [("      en: managing director", "      en: managing director\n      nn: dagleg leiar")],
        [("      nn:", "nn", "organisation.contact.role.nn", "unknown field 'nn'; allowed here: en, nb")],
        id="unknown-language",
    ),
    pytest.param(
        [("legal_basis: contract", "legal_basis: contrakt")],
        [
            (
                "legal_basis: contrakt",
                "contrakt",
                "purposes[customer_service].legal_basis",
                "'contrakt' is not allowed; choose one of: consent, contract, legal_obligation, vital_interests, public_task, "
                "legitimate_interests; did you mean 'contract'?",
            )
        ],
        id="unknown-enum-value-did-you-mean",
    ),
    pytest.param(
        [("    kind: processor", "    kind: supplier")],
        [("kind: supplier", "supplier", "recipients[mail_host].kind", "'supplier' is not allowed; choose one of: processor, third_party, joint_controller")],
        id="unknown-enum-value-without-close-match",
    ),
    pytest.param(
        [("    from: last_contact\n", "")],
        [("  - id: three_years", "id", "retention[three_years].from", "required field 'from' is missing")],
        id="missing-required-field",
    ),
    pytest.param(
        [("rights:\n  contact:\n    email: personvern@fjordlys.example\n", "")],
        [("languages:", None, "rights", "required field 'rights' is missing")],
        id="missing-required-section",
    ),
    pytest.param(
        [("    period: P3Y\n", "")],
        [("  - id: three_years", "id", "retention[three_years]", "give 'period' or 'criterion'")],
        id="retention-without-period-or-criterion",
    ),
    pytest.param(
        [("      en: managing director\n", "")],
        [("      nb: daglig leder", "nb", "organisation.contact.role", "missing translation: no 'en' text")],
        id="missing-translation",
    ),
    pytest.param(
        [("retention: three_years", "retention: three_year")],
        [
            (
                "retention: three_year",
                "three_year",
                "purposes[customer_service].retention",
                "unknown id 'three_year': no such entry in retention; did you mean 'three_years'?",
            )
        ],
        id="dangling-id-did-you-mean",
    ),
    pytest.param(
        [("recipients: [mail_host]", "recipients: [mailchimp]")],
        [("[mailchimp]", "mailchimp", "purposes[customer_service].recipients[0]", "unknown id 'mailchimp': no such entry in recipients; known: mail_host")],
        id="dangling-id-lists-the-known-ones",
    ),
    pytest.param(
        [("data_categories:\n", "data_categories:\n  - id: contact_details\n    name: {nb: e-post, en: e-mail}\n")],
        [
            (
                "- id: contact_details\n    name:\n",
                "contact_details",
                "data_categories[contact_details].id",
                "duplicate id 'contact_details': each must be unique in data_categories",
            )
        ],
        id="duplicate-id",
    ),
    pytest.param(
        [("    period: P3Y", "    period: 3 years")],
        [
            (
                "period: 3 years",
                "3 years",
                "retention[three_years].period",
                "'3 years' is not valid: How long, as an ISO 8601 duration: P5Y (5 years), P3Y, P6M (6 months), P30D.",
            )
        ],
        id="invalid-iso-duration",
    ),
    pytest.param(
        [("    duration: session", "    duration: P2X")],
        [("duration: P2X", "P2X", "cookies[session].duration", "'P2X' is not valid: \"session\" or an ISO 8601 duration such as P2Y or P30D.")],
        id="invalid-cookie-duration",
    ),
    pytest.param(
        [("  email: post@fjordlys.example", "  email: post.fjordlys.example")],
        [("email: post.fjordlys.example", "post.", "organisation.email", "'post.fjordlys.example' is not a valid email")],
        id="bad-email-reported-once",
    ),
    pytest.param(
        [("    email: personvern@fjordlys.example", "    email: personvern@fjordlys")],
        [("email: personvern@fjordlys\n", "personvern", "rights.contact.email", "'personvern@fjordlys' is not valid: An e-mail address.")],
        id="email-without-domain",
    ),
    pytest.param(
        [('"916 752 342"', '"916 752 343"')],
        [('"916 752 343"', None, "organisation.org_number", "'916 752 343' is not a valid organisation number (its check digit is wrong)")],
        id="org-number-check-digit",
    ),
    pytest.param(
        [('"916 752 342"', '"916 752 34"')],
        [
            (
                '"916 752 34"',
                None,
                "organisation.org_number",
                "'916 752 34' is not valid: Organisation number (organisasjonsnummer): nine digits, spaces allowed, e.g. \"923 609 016\".",
            )
        ],
        id="org-number-too-short",
    ),
    pytest.param(
        [("  website: https://fjordlys.example", "  phone: 55 12 34 56\n  website: https://fjordlys.example")],
        [("phone: 55 12 34 56", "55", "organisation.phone", "'55 12 34 56' is not valid: A phone number with country code, e.g. \"+47 22 39 69 00\".")],
        id="phone-without-country-code",
    ),
    pytest.param(
        [("legal_basis: contract", "legal_basis: legitimate_interests")],
        [("legal_basis: legitimate_interests", "legitimate_interests", "purposes[customer_service].legal_basis", LI_MESSAGE)],
        id="legitimate-interests-without-the-interest",
    ),
    pytest.param(
        [("      en: contact details\n", "      en: contact details\n    special_category: true\n")],
        [
            (
                "    categories: [contact_details]\n    recipients",
                "[",
                "purposes[customer_service].categories",
                "uses the special category 'contact_details' (GDPR Art. 9) but gives no 'art9_basis'",
            )
        ],
        id="special-category-without-art9-basis",
    ),
    pytest.param(
        [("  available: [nb, en]", "  available: [en]")],
        [("  default: nb", "nb", "languages.default", "'nb' is not among the available languages (en)")],
        id="default-language-not-available",
    ),
    pytest.param(
        [("  default: nb", "  default: no")],
        [("  default: no", "no", "languages.default", "'no' is not allowed; choose one of: nb, en")],
        id="norwegian-no-is-a-string-and-reported-once",
    ),
    pytest.param(
        [("    data_subjects: [customers]", "    data_subjects: []")],
        [("    data_subjects: []", "[", "purposes[customer_service].data_subjects", "must not be empty")],
        id="empty-list",
    ),
    pytest.param(
        [("  - id: customer_service", "  - id: Customer Service")],
        [
            (
                "id: Customer Service",
                "Customer",
                "purposes[Customer Service].id",
                "'Customer Service' is not valid: A stable identifier: lower case letters, digits and underscores, starting with a letter. "
                "Keep it when the wording changes; the change log follows it.",
            )
        ],
        id="id-with-spaces",
    ),
    pytest.param(
        [("automated_decisions: []\n", "automated_decisions: []\nclauses:\n  rigth_access: {nb: a, en: b}\n")],
        [("  rigth_access", "rigth", "clauses.rigth_access", "unknown clause 'rigth_access'; did you mean 'right_access'?")],
        id="unknown-clause-did-you-mean",
    ),
    pytest.param(
        [("      en: contact details\n", "      en: contact details\n    special_category: true\n"), ("  - id: contact_details", "  - id: [contact_details]")],
        [
            ("id: [contact_details]", "[", "data_categories[0].id", "expected text, got a list"),
            ("    categories: [contact_details]\npurposes", "contact_details", "sources[from_you].categories[0]", "unknown id 'contact_details': no such entry in data_categories"),
            (
                "    categories: [contact_details]\n    recipients",
                "contact_details",
                "purposes[customer_service].categories[0]",
                "unknown id 'contact_details': no such entry in data_categories",
            ),
        ],
        id="a-list-as-the-id-of-a-special-category-does-not-crash",
    ),
    pytest.param(
        [("    categories: [contact_details]\n    recipients", "    categories: [{contact_details: true}]\n    recipients")],
        [("[{contact_details: true}]", "{", "purposes[customer_service].categories[0]", "expected text, got a mapping")],
        id="a-mapping-in-a-list-of-ids-does-not-crash",
    ),
    pytest.param(
        [("data_categories:\n  - id: contact_details\n    name:\n      nb: kontaktopplysninger\n      en: contact details\n", "data_categories: 3\n")],
        [
            ("data_categories: 3", "3", "data_categories", "expected a list, got the number 3"),
            ("    categories: [contact_details]\npurposes", "contact_details", "sources[from_you].categories[0]", "unknown id 'contact_details': no such entry in data_categories"),
            (
                "    categories: [contact_details]\n    recipients",
                "contact_details",
                "purposes[customer_service].categories[0]",
                "unknown id 'contact_details': no such entry in data_categories",
            ),
        ],
        id="a-number-where-a-list-is-expected-does-not-crash",
    ),
    pytest.param(
        [("      en: managing director", "      en: !Viktig managing director")],
        [("!Viktig", None, "", "a value starting with '!' is read as a YAML tag: put the text in quotes")],
        id="yaml-tag-would-eat-text",
    ),
]


@pytest.mark.parametrize("edits, expected", CASES)
def test_bad_input_gives_the_exact_line(write_notice, edits, expected):
    path = write_notice(*edits)
    text = path.read_text(encoding="utf-8")
    assert problems(path) == [expect(text, *e) for e in expected]


def test_there_are_at_least_25_bad_input_cases():
    assert len(CASES) >= 25


def test_the_fixture_itself_is_valid(write_notice):
    assert problems(write_notice()) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("", "content/notice.yaml:1:1: file is empty", id="empty-file"),
        pytest.param("# nothing yet\n", "content/notice.yaml:1:1: file is empty", id="comment-only"),
        pytest.param(b"languages:\n  default: n\xf8\n", "content/notice.yaml:2:13: file is not UTF-8 text; save it with UTF-8 encoding", id="latin-1"),
        pytest.param("- nb\n- en\n", "content/notice.yaml:1:1: the file must be a mapping of fields (key: value), not a single value or a list", id="list"),
    ],
)
def test_whole_file_problems(write_notice, text, expected):
    assert problems(write_notice(text=text)) == [expected]


def test_several_problems_are_reported_at_once_in_file_order(write_notice):
    # edits listed out of file order, mixing schema and consistency problems
    path = write_notice(
        ("    period: P3Y", "    period: 3Y"),
        ("legal_basis: contract", "legal_basis: legitimate_interests"),
        ("  website: https", "  webzite: https"),
        ("      en: contact details\n", ""),
        ("recipients: [mail_host]", "recipients: [mail_hots]"),
    )
    text = path.read_text()
    assert problems(path) == [
        expect(text, "webzite:", None, "organisation.webzite", "unknown field 'webzite'; did you mean 'website'?"),
        expect(text, "      nb: kontaktopplysninger", "nb", "data_categories[contact_details].name", "missing translation: no 'en' text"),
        expect(text, "legal_basis: legitimate_interests", "legitimate_interests", "purposes[customer_service].legal_basis", LI_MESSAGE),
        expect(
            text,
            "[mail_hots]",
            "mail_hots",
            "purposes[customer_service].recipients[0]",
            "unknown id 'mail_hots': no such entry in recipients; did you mean 'mail_host'?",
        ),
        expect(
            text,
            "period: 3Y",
            "3Y",
            "retention[three_years].period",
            "'3Y' is not valid: How long, as an ISO 8601 duration: P5Y (5 years), P3Y, P6M (6 months), P30D.",
        ),
    ]


def test_load_notice_raises_one_content_error_with_every_problem(write_notice):
    path = write_notice(("legal_basis: contract", "legal_basis: contrakt"), ('"916 752 342"', '"916 752 343"'))
    with pytest.raises(ContentError) as caught:
        load_notice(path.parent)
    assert [p.field for p in caught.value.problems] == ["organisation.org_number", "purposes[customer_service].legal_basis"]
    assert str(caught.value).splitlines() == [str(p) for p in caught.value.problems]


RELEASES = """\
# yaml-language-server: $schema=../schema/releases.schema.json
releases:
  - version: 1
    announced: 2024-02-01
    effective: 2024-03-01
    files:
      source:
        path: releases/1/notice.yaml
        sha256: {sha}
""".format(sha="ab" * 32)


@pytest.mark.parametrize("bad", ["2024-02-30", "2023-02-29", "2024-13-01", "01.03.2024", "2024-3-1"])
def test_invalid_date_in_the_release_log(write_notice, bad):
    path = write_notice()
    log = replace_once(RELEASES, "effective: 2024-03-01", f"effective: {bad}")
    (path.parent / "releases.yaml").write_text(log, encoding="utf-8")
    line, column = where(log, f"effective: {bad}", bad)
    message = f"'{bad}' is not a valid date; {DATE_HINT}"
    assert problems(path) == [f"content/releases.yaml:{line}:{column}: releases[1].effective: {message}"]


def test_a_leap_day_is_a_valid_date(write_notice):
    path = write_notice()
    (path.parent / "releases.yaml").write_text(replace_once(RELEASES, "2024-02-01", "2024-02-29"), encoding="utf-8")
    assert problems(path) == []


def test_problems_in_both_files_are_reported_together(write_notice):
    path = write_notice(("legal_basis: contract", "legal_basis: contrakt"))
    (path.parent / "releases.yaml").write_text(replace_once(RELEASES, "  - version: 1\n", "  - version: 1\n    verison: 2\n"), encoding="utf-8")
    found = problems(path)
    assert [line.split(":")[0] for line in found] == ["content/notice.yaml", "content/releases.yaml"]
    assert found[1].endswith("releases[1].verison: unknown field 'verison'; did you mean 'version'?")


def test_a_symlink_pointing_outside_the_content_folder_is_refused(write_notice, tmp_path, minimal_text):
    path = write_notice()
    outside = tmp_path / "elsewhere" / "notice.yaml"
    outside.parent.mkdir()
    outside.write_text(minimal_text, encoding="utf-8")
    path.unlink()
    os.symlink(outside, path)
    assert problems(path) == [f"content/notice.yaml:1:1: is a link to {outside.resolve()}, outside content/; copy the file in instead"]


def test_a_symlink_inside_the_content_folder_is_refused_too(write_notice, minimal_text):
    """No symlinks anywhere under content/: a link a pull request adds would publish what it points to."""
    path = write_notice()
    real = path.parent / "drafts" / "notice.yaml"
    real.parent.mkdir()
    path.rename(real)
    os.symlink(real, path)
    assert problems(path) == ["content/notice.yaml:1:1: file is a symbolic link; content files must be plain files: copy the file in instead"]


# Any value replaced by any other kind of value, or removed: check reports problems, never raises.
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from(["", "x", "no", "nb", "P1M", "customers", "contact_details", "mail_host", "2024-02-30", "special_category"]),
    st.lists(st.sampled_from(["x", "nb", "customers"]), max_size=2),
    st.dictionaries(st.sampled_from(["nb", "en", "id", "name", "x"]), st.sampled_from(["x", "customers"]), max_size=2),
    st.just([{}]),
    st.just([[]]),
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


_BASE = read_document(MINIMAL).data
_ALL_PATHS = [p for p in _paths(_BASE) if p]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(_ALL_PATHS), value=_VALUES, delete=st.booleans())
def test_any_wrong_value_is_reported_never_raised(write_notice, path, value, delete):
    data = json.loads(json.dumps(_BASE))
    parent = data
    for item in path[:-1]:
        parent = parent[item]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    # JSON is YAML 1.2: the same data, written differently. check_all also builds the model and runs the
    # completeness checks whenever the notice is valid, so those stages are exercised too.
    path = write_notice(text=json.dumps(data, indent=1, ensure_ascii=False))
    for problem in check_all(path.parent):
        assert LINE.match(str(problem)), problem


def test_a_comma_splitting_an_inline_text_gets_a_hint(tmp_path):
    from tests import factories as f
    from generator.check import check_all

    folder = f.write_content(tmp_path / "content")
    path = folder / "notice.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("name:\n    nb: kunder\n    en: customers", "name: {nb: kunder, og andre, en: customers}"), encoding="utf-8")
    [problem] = [p for p in check_all(folder) if "og andre" in p.message]
    assert "put the text in quotes" in problem.message
