"""The typed, immutable notice. Built once from validated data; nothing after this reads raw dicts.

Old shapes stay readable, because released versions are frozen in the shape of their day: a purpose's
single retention id, one transfer safeguard for all of a recipient's third countries, and names as plain
strings are still valid input, and `build_notice` turns them into the same model as their newer forms
(a list of retention rules with conditions, safeguards per destination, names per language).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any, Mapping

#: EU member states plus Iceland, Liechtenstein and Norway: processing here is no transfer.
EEA = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO".split()
)

LANGUAGES = ("nb", "en")


@dataclass(frozen=True)
class Text:
    """A text in each of the notice's languages."""

    values: Mapping[str, str]

    def __call__(self, lang: str) -> str:
        return self.values[lang]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and dict(self.values) == dict(other.values)

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.values.items())))


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str
    country: str = "NO"


@dataclass(frozen=True)
class Contact:
    name: Text | None  # None: the contact is a function, given by `role`
    role: Text
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class Dpo:
    name: Text | None  # None: reached through a function mailbox or phone
    email: str | None
    phone: str | None


@dataclass(frozen=True)
class Representative:
    name: str
    address: Address
    email: str | None


@dataclass(frozen=True)
class ProcessorRole:
    description: Text
    sub_processors: tuple[str, ...]
    notice_days: int
    objection: Text | None


@dataclass(frozen=True)
class JointController:
    id: str
    name: Text
    org_number: str | None
    arrangement: Text
    purposes: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    name: str
    org_number: str
    address: Address
    email: str
    phone: str | None
    website: str | None
    contact: Contact
    dpo: Dpo | None
    eu_representative: Representative | None
    processor: ProcessorRole | None
    joint_controllers: tuple[JointController, ...]
    logo: str | None = None  # an image in the content folder, for the site's header


@dataclass(frozen=True)
class DataSubject:
    id: str
    name: Text
    description: Text | None


@dataclass(frozen=True)
class DataCategory:
    id: str
    name: Text
    examples: Text | None
    special: bool
    data_subjects: tuple[str, ...] = ()  # empty: everyone the purposes using it concern
    need: Text | None = None


@dataclass(frozen=True)
class Source:
    id: str
    kind: str
    name: Text
    categories: tuple[str, ...]
    publicly_accessible: bool
    purposes: tuple[str, ...] = ()  # empty: every purpose that uses its categories

    @property
    def from_data_subject(self) -> bool:
        return self.kind == "data_subject"

    def feeds(self, purpose: "Purpose") -> bool:
        """Does this source supply data for `purpose`?"""
        if self.purposes:
            return purpose.id in self.purposes
        return any(c in purpose.categories for c in self.categories)


@dataclass(frozen=True)
class Requirement:
    kind: str
    consequence: Text | None  # None only for kind "observed"


@dataclass(frozen=True)
class RetentionUse:
    """One retention rule of a purpose, and the condition under which it applies (None: always)."""

    rule: str
    condition: Text | None = None


@dataclass(frozen=True)
class Purpose:
    id: str
    name: Text
    description: Text
    legal_basis: str
    legitimate_interest: Text | None
    legal_reference: Text | None
    art9_basis: str | None
    data_subjects: tuple[str, ...]
    categories: tuple[str, ...]
    recipients: tuple[str, ...]
    retention: tuple[RetentionUse, ...]
    requirement: Requirement | None


@dataclass(frozen=True)
class Transfer:
    countries: tuple[str, ...]  # the third countries this safeguard covers
    safeguard: str
    details: Text | None
    copy: Text | None


@dataclass(frozen=True)
class Recipient:
    id: str
    name: str | None  # None: a category of recipients, given by `category`
    kind: str
    category: Text | None
    service: Text
    locations: tuple[str, ...]
    transfers: tuple[Transfer, ...]

    @property
    def title(self) -> Text:
        """What readers call the recipient: its name, or its category when it has none."""
        if self.name is None:
            assert self.category is not None  # the schema requires one of them
            return self.category
        return Text(MappingProxyType({lang: self.name for lang in LANGUAGES}))

    @property
    def third_countries(self) -> tuple[str, ...]:
        """Locations outside the EU/EEA, where Chapter V of the GDPR applies."""
        return tuple(c for c in self.locations if c not in EEA)

    def safeguard_for(self, country: str) -> Transfer | None:
        return next((t for t in self.transfers if country in t.countries), None)

    @property
    def unprotected_countries(self) -> tuple[str, ...]:
        """Third countries no safeguard covers: Art. 13(1)(f) is not met for them."""
        return tuple(c for c in self.third_countries if self.safeguard_for(c) is None)


@dataclass(frozen=True)
class Retention:
    id: str
    period: str | None  # ISO 8601 duration
    criterion: Text | None
    start: str
    legal_reference: Text | None


@dataclass(frozen=True)
class Cookie:
    name: str
    provider: str
    party: str
    purpose: Text
    category: str
    duration: str  # "session" or ISO 8601 duration
    technology: str
    recipient: str | None
    consent_required: bool


@dataclass(frozen=True)
class Marketing:
    electronic: bool
    to_individuals: bool
    basis: tuple[str, ...]
    description: Text | None
    opt_out: Text


@dataclass(frozen=True)
class AutomatedDecision:
    id: str
    name: Text
    logic: Text
    significance: Text
    consequences: Text


@dataclass(frozen=True)
class RightsContact:
    email: str
    phone: str | None
    form: str | None


@dataclass(frozen=True)
class Rights:
    contact: RightsContact
    response_time: str


@dataclass(frozen=True)
class Changes:
    channels: tuple[str, ...]
    notice_days: int


@dataclass(frozen=True)
class Authority:
    name: Text
    address: Address | None
    email: str
    phone: str | None
    website: str


DATATILSYNET = Authority(
    name=Text(MappingProxyType({"nb": "Datatilsynet", "en": "the Norwegian Data Protection Authority (Datatilsynet)"})),
    address=Address("Postboks 458 Sentrum", "0105", "Oslo", "NO"),
    email="postkasse@datatilsynet.no",
    phone="+47 22 39 69 00",
    website="https://www.datatilsynet.no",
)


@dataclass(frozen=True)
class Section:
    id: str
    title: Text
    body: Text
    after: str


@dataclass(frozen=True)
class Notice:
    """Everything a privacy notice states, in the languages it is published in."""

    languages: tuple[str, ...]
    default_language: str
    organisation: Organisation
    data_subjects: tuple[DataSubject, ...]
    data_categories: tuple[DataCategory, ...]
    sources: tuple[Source, ...]
    purposes: tuple[Purpose, ...]
    recipients: tuple[Recipient, ...]
    retention: tuple[Retention, ...]
    cookies: tuple[Cookie, ...]
    security_measures: tuple[Text, ...]
    marketing: Marketing | None
    automated_decisions: tuple[AutomatedDecision, ...]
    rights: Rights
    changes: Changes
    authority: Authority
    sections: tuple[Section, ...]
    clauses: Mapping[str, Text] = field(default_factory=lambda: MappingProxyType({}))

    @cached_property
    def by_id(self) -> Mapping[str, Mapping[str, Any]]:
        """Lookup tables: notice.by_id['recipients']['microsoft_365']."""
        return MappingProxyType(
            {
                "data_subjects": MappingProxyType({s.id: s for s in self.data_subjects}),
                "data_categories": MappingProxyType({c.id: c for c in self.data_categories}),
                "sources": MappingProxyType({s.id: s for s in self.sources}),
                "purposes": MappingProxyType({p.id: p for p in self.purposes}),
                "recipients": MappingProxyType({r.id: r for r in self.recipients}),
                "retention": MappingProxyType({r.id: r for r in self.retention}),
            }
        )

    def category(self, ident: str) -> DataCategory:
        return self.by_id["data_categories"][ident]

    def subject(self, ident: str) -> DataSubject:
        return self.by_id["data_subjects"][ident]

    def recipient(self, ident: str) -> Recipient:
        return self.by_id["recipients"][ident]

    def retention_rule(self, ident: str) -> Retention:
        return self.by_id["retention"][ident]

    def subjects_of(self, category: DataCategory) -> tuple[str, ...]:
        """Ids of the data subjects a category is about: as declared, else everyone its purposes concern."""
        if category.data_subjects:
            return category.data_subjects
        return tuple(dict.fromkeys(s for p in self.purposes if category.id in p.categories for s in p.data_subjects))

    @property
    def transfers(self) -> tuple[Recipient, ...]:
        return tuple(r for r in self.recipients if r.third_countries)

    @property
    def uses_consent(self) -> bool:
        return any(p.legal_basis == "consent" or p.art9_basis == "explicit_consent" for p in self.purposes) or any(
            c.consent_required for c in self.cookies
        )

    @property
    def indirect_sources(self) -> tuple[Source, ...]:
        """Sources other than the person themselves (GDPR Art. 14)."""
        return tuple(s for s in self.sources if not s.from_data_subject)


def build_notice(data: Mapping[str, Any]) -> Notice:
    """Turn validated plain data into the typed model. Assumes schema and consistency checks passed."""
    langs = tuple(data["languages"]["available"])
    org = data["organisation"]
    roles = org["roles"]
    processor = roles.get("processor")
    changes = data.get("changes", {})
    return Notice(
        languages=langs,
        default_language=data["languages"]["default"],
        organisation=Organisation(
            name=org["name"],
            org_number=org["org_number"],
            address=_address(org["address"]),
            email=org["email"],
            phone=org.get("phone"),
            website=org.get("website"),
            logo=org.get("logo"),
            contact=Contact(
                name=_opt_name(org["contact"].get("name")),
                role=_text(org["contact"]["role"]),
                email=org["contact"].get("email"),
                phone=org["contact"].get("phone"),
            ),
            dpo=Dpo(_opt_name(org["dpo"].get("name")), org["dpo"].get("email"), org["dpo"].get("phone")) if org.get("dpo") else None,
            eu_representative=(
                Representative(
                    org["eu_representative"]["name"],
                    _address(org["eu_representative"]["address"]),
                    org["eu_representative"].get("email"),
                )
                if org.get("eu_representative")
                else None
            ),
            processor=(
                ProcessorRole(
                    description=_text(processor["description"]),
                    sub_processors=tuple(processor["sub_processors"]),
                    notice_days=processor.get("notice_days", 30),
                    objection=_opt_text(processor.get("objection")),
                )
                if processor
                else None
            ),
            joint_controllers=tuple(
                JointController(
                    id=j["id"],
                    name=_name(j["name"]),
                    org_number=j.get("org_number"),
                    arrangement=_text(j["arrangement"]),
                    purposes=tuple(j.get("purposes", ())),
                )
                for j in roles.get("joint_controllers", ())
            ),
        ),
        data_subjects=tuple(
            DataSubject(s["id"], _text(s["name"]), _opt_text(s.get("description"))) for s in data["data_subjects"]
        ),
        data_categories=tuple(
            DataCategory(
                c["id"],
                _text(c["name"]),
                _opt_text(c.get("examples")),
                bool(c.get("special_category")),
                tuple(c.get("data_subjects", ())),
                _opt_text(c.get("need")),
            )
            for c in data["data_categories"]
        ),
        sources=tuple(
            Source(
                s["id"], s["kind"], _text(s["name"]), tuple(s["categories"]), bool(s.get("publicly_accessible")), tuple(s.get("purposes", ()))
            )
            for s in data["sources"]
        ),
        purposes=tuple(
            Purpose(
                id=p["id"],
                name=_text(p["name"]),
                description=_text(p["description"]),
                legal_basis=p["legal_basis"],
                legitimate_interest=_opt_text(p.get("legitimate_interest")),
                legal_reference=_opt_text(p.get("legal_reference")),
                art9_basis=p.get("art9_basis"),
                data_subjects=tuple(p["data_subjects"]),
                categories=tuple(p["categories"]),
                recipients=tuple(p.get("recipients", ())),
                retention=_retention_uses(p["retention"]),
                requirement=(
                    Requirement(p["requirement"]["kind"], _opt_text(p["requirement"].get("consequence")))
                    if p.get("requirement")
                    else None
                ),
            )
            for p in data["purposes"]
        ),
        recipients=tuple(
            Recipient(
                id=r["id"],
                name=r.get("name"),
                kind=r["kind"],
                category=_opt_text(r.get("category")),
                service=_text(r["service"]),
                locations=tuple(r["locations"]),
                transfers=_transfers(r.get("transfer"), r["locations"]),
            )
            for r in data["recipients"]
        ),
        retention=tuple(
            Retention(
                id=r["id"],
                period=r.get("period"),
                criterion=_opt_text(r.get("criterion")),
                start=r["from"],
                legal_reference=_opt_text(r.get("legal_reference")),
            )
            for r in data["retention"]
        ),
        cookies=tuple(
            Cookie(
                name=c["name"],
                provider=c["provider"],
                party=c["party"],
                purpose=_text(c["purpose"]),
                category=c["category"],
                duration=c["duration"],
                technology=c.get("technology", "cookie"),
                recipient=c.get("recipient"),
                consent_required=c.get("consent_required", c["category"] != "necessary"),
            )
            for c in data.get("cookies", ())
        ),
        security_measures=tuple(_text(m) for m in data.get("security", {}).get("measures", ())),
        marketing=(
            Marketing(
                electronic=data["marketing"]["electronic"],
                to_individuals=data["marketing"].get("to_individuals", False),
                basis=tuple(data["marketing"].get("basis", ())),
                description=_opt_text(data["marketing"].get("description")),
                opt_out=_text(data["marketing"]["opt_out"]),
            )
            if data.get("marketing")
            else None
        ),
        automated_decisions=tuple(
            AutomatedDecision(a["id"], _text(a["name"]), _text(a["logic"]), _text(a["significance"]), _text(a["consequences"]))
            for a in data.get("automated_decisions", ())
        ),
        rights=Rights(
            contact=RightsContact(
                email=data["rights"]["contact"]["email"],
                phone=data["rights"]["contact"].get("phone"),
                form=data["rights"]["contact"].get("form"),
            ),
            response_time=data["rights"].get("response_time", "P1M"),
        ),
        changes=Changes(channels=tuple(changes.get("channels", ("email",))), notice_days=changes.get("notice_days", 30)),
        authority=_authority(data.get("supervisory_authority")),
        sections=tuple(
            Section(s["id"], _text(s["title"]), _text(s["body"]), s["after"]) for s in data.get("sections", ())
        ),
        clauses=MappingProxyType({k: _text(v) for k, v in data.get("clauses", {}).items()}),
    )


def _text(value: Mapping[str, str]) -> Text:
    return Text(MappingProxyType(dict(value)))


def _opt_text(value: Mapping[str, str] | None) -> Text | None:
    return _text(value) if value else None


def _name(value: str | Mapping[str, str]) -> Text:
    """A party's name: a plain string is the same in every language; a text is a function or a group."""
    if isinstance(value, str):
        return Text(MappingProxyType({lang: value for lang in LANGUAGES}))
    return _text(value)


def _opt_name(value: str | Mapping[str, str] | None) -> Text | None:
    return _name(value) if value else None


def _retention_uses(value: str | list[Mapping[str, Any]]) -> tuple[RetentionUse, ...]:
    """A purpose's retention: one rule id (the shape before conditional rules), or rules with conditions."""
    if isinstance(value, str):
        return (RetentionUse(value),)
    return tuple(RetentionUse(u["rule"], _opt_text(u.get("condition"))) for u in value)


def _transfers(value: Mapping[str, Any] | list[Mapping[str, Any]] | None, locations: list[str]) -> tuple[Transfer, ...]:
    """Safeguards per destination. One safeguard without countries (the older shape) covers every third country."""
    if not value:
        return ()
    if isinstance(value, Mapping):
        value = [{**value, "countries": [c for c in locations if c not in EEA]}]
    return tuple(
        Transfer(tuple(t["countries"]), t["safeguard"], _opt_text(t.get("details")), _opt_text(t.get("copy"))) for t in value
    )


def _address(value: Mapping[str, str]) -> Address:
    return Address(value["street"], value["postal_code"], value["city"], value.get("country", "NO"))


def _authority(value: Mapping[str, Any] | None) -> Authority:
    if not value:
        return DATATILSYNET
    return Authority(
        name=_text(value["name"]),
        address=_address(value["address"]) if value.get("address") else None,
        email=value["email"],
        phone=value.get("phone"),
        website=value["website"],
    )
