"""The model stage: typed, immutable objects built from the validated notice, with the documented defaults."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from generator.content import load_notice
from generator.errors import ContentError
from generator.model import DATATILSYNET, EEA, Notice, Recipient, RetentionUse, Text
from tests.notice_text import MINIMAL


@pytest.fixture(scope="module")
def notice() -> Notice:
    return load_notice(MINIMAL)


def test_the_fixture_builds_a_notice(notice):
    assert isinstance(notice, Notice)
    assert notice.languages == ("nb", "en") and notice.default_language == "nb"
    assert notice.organisation.name == "Fjordlys Regnskap AS"
    assert notice.organisation.org_number == "916 752 342"
    assert [p.id for p in notice.purposes] == ["customer_service"]


@pytest.mark.parametrize(
    "target, attribute",
    [
        (lambda n: n, "purposes"),
        (lambda n: n.organisation, "name"),
        (lambda n: n.organisation.address, "city"),
        (lambda n: n.purposes[0], "legal_basis"),
        (lambda n: n.recipients[0], "locations"),
        (lambda n: n.retention[0], "period"),
        (lambda n: n.cookies[0], "consent_required"),
        (lambda n: n.rights, "response_time"),
        (lambda n: n.authority, "email"),
        (lambda n: n.purposes[0].name, "values"),
    ],
)
def test_every_object_is_frozen(notice, target, attribute):
    obj = target(notice)
    assert dataclasses.is_dataclass(obj)
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(obj, attribute, "changed")


def test_collections_and_texts_cannot_be_changed_in_place(notice):
    assert isinstance(notice.purposes, tuple) and isinstance(notice.purposes[0].categories, tuple)
    assert isinstance(notice.recipients[0].locations, tuple)
    with pytest.raises(TypeError):
        notice.purposes[0].name.values["nb"] = "endret"  # type: ignore[index]
    with pytest.raises(TypeError):
        notice.by_id["purposes"]["x"] = notice.purposes[0]  # type: ignore[index]
    with pytest.raises(TypeError):
        notice.clauses["intro"] = notice.purposes[0].name  # type: ignore[index]


def test_texts_are_given_per_language(notice):
    purpose = notice.purposes[0]
    assert purpose.name("nb") == "Kundeservice" and purpose.name("en") == "Customer service"
    assert notice.organisation.contact.role("en") == "managing director"
    assert purpose.requirement.consequence("nb") == "Uten dem kan vi ikke svare deg."
    assert purpose.name == Text({"nb": "Kundeservice", "en": "Customer service"})
    with pytest.raises(KeyError):
        purpose.name("de")


def test_lookups_by_id(notice):
    assert notice.recipient("mail_host").name == "Nordpost Hosting AS"
    assert notice.category("contact_details").name("en") == "contact details"
    assert notice.subject("customers").name("nb") == "kunder"
    assert notice.retention_rule("three_years").period == "P3Y"
    assert notice.by_id["purposes"]["customer_service"] is notice.purposes[0]
    with pytest.raises(KeyError):
        notice.recipient("nobody")


def test_references_are_kept_as_ids_in_file_order(notice):
    purpose = notice.purposes[0]
    assert (purpose.data_subjects, purpose.categories, purpose.recipients, purpose.retention) == (
        ("customers",),
        ("contact_details",),
        ("mail_host",),
        (RetentionUse("three_years"),),
    )
    assert notice.sources[0].from_data_subject and notice.indirect_sources == ()


def test_defaults_when_the_notice_leaves_them_out(notice):
    assert notice.authority == DATATILSYNET and notice.authority.name("nb") == "Datatilsynet"
    assert notice.changes.notice_days == 30 and notice.changes.channels == ("email",)
    assert notice.rights.response_time == "P1M"
    assert notice.organisation.address.country == "NO"
    assert notice.cookies[0].technology == "cookie"
    assert notice.organisation.dpo is None and notice.organisation.processor is None and notice.marketing is None
    assert notice.sections == () and notice.automated_decisions == () and notice.security_measures == ()


def test_given_values_override_the_defaults(write_notice):
    path = write_notice(
        ("    email: personvern@fjordlys.example\n", "    email: personvern@fjordlys.example\n  response_time: P14D\n"),
        ("  channels: [email]\n", "  channels: [email, website_banner]\n  notice_days: 45\n"),
        (
            "automated_decisions: []\n",
            "automated_decisions: []\n"
            "supervisory_authority:\n"
            "  name: {nb: Datatilsynet i Sverige, en: the Swedish Authority for Privacy Protection}\n"
            "  email: imy@imy.se\n"
            "  website: https://www.imy.se\n",
        ),
    )
    notice = load_notice(path)
    assert notice.rights.response_time == "P14D"
    assert notice.changes.notice_days == 45 and notice.changes.channels == ("email", "website_banner")
    assert notice.authority.email == "imy@imy.se" and notice.authority.address is None
    assert notice.authority.name("en") == "the Swedish Authority for Privacy Protection"


def test_processor_role_gives_customers_30_days_by_default(write_notice):
    path = write_notice(
        (
            "    controller: true\n",
            "    controller: true\n"
            "    processor:\n"
            "      description: {nb: Vi fører regnskap for kundene våre., en: We keep our customers' accounts.}\n"
            "      sub_processors: [mail_host]\n",
        )
    )
    processor = load_notice(path).organisation.processor
    assert processor.notice_days == 30 and processor.sub_processors == ("mail_host",) and processor.objection is None


@pytest.mark.parametrize(
    "category, given, expected",
    [
        ("necessary", None, False),
        ("statistics", None, True),
        ("marketing", None, True),
        ("preferences", None, True),
        ("statistics", "false", False),
        ("necessary", "true", True),
    ],
)
def test_consent_required_defaults_from_the_cookie_category(write_notice, category, given, expected):
    replacement = f"    category: {category}\n" + (f"    consent_required: {given}\n" if given else "")
    path = write_notice(("    category: necessary\n", replacement))
    assert load_notice(path).cookies[0].consent_required is expected


def test_uses_consent_follows_cookies_and_purposes(write_notice, notice):
    assert not notice.uses_consent
    assert load_notice(write_notice(("    category: necessary\n", "    category: statistics\n"))).uses_consent


@pytest.mark.parametrize(
    "locations, third",
    [
        (["NO", "US"], ("US",)),
        (["NO", "SE", "IS", "LI", "DE"], ()),
        (["CH", "GB", "IE"], ("CH", "GB")),  # adequacy decisions do not make a country part of the EEA
        (["IN"], ("IN",)),
    ],
)
def test_third_countries_exclude_the_eea(notice, locations, third):
    recipient = dataclasses.replace(notice.recipients[0], locations=tuple(locations))
    assert recipient.third_countries == third


def test_the_eea_is_the_eu_plus_iceland_liechtenstein_and_norway():
    assert len(EEA) == 30 and {"NO", "IS", "LI"} <= EEA and "GB" not in EEA and "CH" not in EEA


def test_transfers_list_recipients_outside_the_eea(notice):
    assert [r.id for r in notice.transfers] == ["mail_host"]
    [transfer] = notice.recipients[0].transfers
    assert transfer.safeguard == "scc" and transfer.countries == notice.recipients[0].third_countries
    assert isinstance(notice.recipients[0], Recipient)


def test_the_model_is_only_built_from_valid_content(write_notice):
    path = write_notice(("rights:\n  contact:\n    email: personvern@fjordlys.example\n", ""))
    with pytest.raises(ContentError) as caught:
        load_notice(path)
    assert [p.field for p in caught.value.problems] == ["rights"]


def test_equal_content_gives_equal_notices(notice):
    assert load_notice(MINIMAL) == notice
    assert hash(notice.purposes[0].name) == hash(load_notice(MINIMAL).purposes[0].name)


# -- old shapes: released versions are frozen in the shape of their day and must read as the new model ------

ROOT = Path(__file__).parent.parent


def shipped_releases():
    from generator.releases import load_log

    return load_log(ROOT / "content").releases


@pytest.mark.parametrize("release", shipped_releases(), ids=lambda r: f"v{r.version}")
def test_every_shipped_release_reads_as_the_new_model(release):
    """The frozen data of each release (old shape) builds a complete model and renders in both languages."""
    from generator.render import render_notice

    notice = release.notice
    rules = {r.id for r in notice.retention}
    for purpose in notice.purposes:
        assert purpose.retention and all(isinstance(u, RetentionUse) and u.rule in rules for u in purpose.retention)
    for recipient in notice.recipients:
        assert recipient.title(notice.default_language)
        assert recipient.unprotected_countries == ()  # each old single safeguard covers all its third countries
    for lang in release.languages:
        assert render_notice(notice, lang).startswith("# ")


@pytest.mark.parametrize("release", shipped_releases(), ids=lambda r: f"v{r.version}")
def test_frozen_release_files_are_untouched(release):
    """Reading in the new model changes nothing on disk: every frozen file still has its recorded checksum."""
    import hashlib

    for frozen in release.files.values():
        assert hashlib.sha256((release.root / frozen.path).read_bytes()).hexdigest() == frozen.sha256


@pytest.mark.parametrize("folder", ["content", "examples/lanopro", "examples/lvero", "examples/personvernerklaering"])
def test_the_shipped_content_and_examples_build(folder):
    notice = load_notice(ROOT / folder)
    assert notice.purposes and all(p.retention for p in notice.purposes)


def test_old_and_new_shapes_of_the_same_facts_give_the_same_model():
    from tests import factories as f

    old = f.data()  # a retention id, one safeguard for every third country, names as plain strings
    new = f.data()
    new["purposes"][0]["retention"] = [{"rule": "three_years"}]
    new["recipients"][0]["transfer"] = [{"countries": ["US"], **old["recipients"][0]["transfer"]}]
    new["organisation"]["contact"]["name"] = {"nb": "Karina Kvern", "en": "Karina Kvern"}
    assert f.notice(old) == f.notice(new)


def test_a_release_in_the_old_shape_diffs_cleanly_against_the_same_facts_in_the_new_shape():
    """Migrating content/ to the new shapes is no change a reader would see, so the change log stays empty."""
    from generator.diff import diff
    from tests import factories as f

    old = f.data()
    new = f.data()
    new["purposes"][0]["retention"] = [{"rule": "three_years"}]
    new["recipients"][0]["transfer"] = [{"countries": ["US"], **old["recipients"][0]["transfer"]}]
    assert not diff(f.notice(old), f.notice(new)).changes

