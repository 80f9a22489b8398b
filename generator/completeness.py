"""Is everything the GDPR requires in the notice? The Art. 13/14 checklist, and lint for known traps.

A notice can match the schema and still be unlawful because an item of Art. 13/14 is missing, or say
something the guidelines call unfair. Each finding names the checklist id (LEGAL-REFERENCE.md §1),
the article, why it applies to this content, and the YAML field that would satisfy it. Items that
always apply are errors; conditional ones are warnings (`check --strict` makes them errors), except a
transfer without a safeguard, an error because the page would name a transfer without its basis.

The lints (what a reviewing lawyer flags first, LEGAL-REFERENCE.md §7) are one table, `LINTS`: id, source,
severity, what to write instead, and a detector. `check` reports from it and docs/checks.md is generated
from it, so the two cannot disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

from .consistency import text_maps
from .document import Document, FieldPath
from .errors import Problem
from .model import EEA, DataCategory, Notice, Retention
from .words import period_parts

#: The checklist: id -> (article, condition in words, always required?)
CHECKLIST: dict[str, tuple[str, str, bool]] = {
    "art13_1_a_controller_identity": ("Art. 13(1)(a)", "always", True),
    "art13_1_a_controller_contact": ("Art. 13(1)(a)", "always", True),
    "art13_1_a_representative": ("Art. 13(1)(a), Art. 27", "controller outside the EEA", False),
    "art13_1_b_dpo_contact": ("Art. 13(1)(b)", "where a DPO exists", False),
    "art13_1_c_purposes": ("Art. 13(1)(c)", "always", True),
    "art13_1_c_legal_basis": ("Art. 13(1)(c)", "always", True),
    "art13_1_d_legitimate_interests": ("Art. 13(1)(d)", "purpose based on Art. 6(1)(f)", False),
    "art14_1_d_data_categories": ("Art. 14(1)(d)", "data not from the person", False),
    "art13_1_e_recipients": ("Art. 13(1)(e)", "always", True),
    "art13_1_f_transfer": ("Art. 13(1)(f)", "where transfers happen", False),
    "art13_2_a_retention": ("Art. 13(2)(a)", "always", True),
    "art13_2_b_right_access": ("Art. 13(2)(b), Art. 15", "always", True),
    "art13_2_b_right_rectification": ("Art. 13(2)(b), Art. 16", "always", True),
    "art13_2_b_right_erasure": ("Art. 13(2)(b), Art. 17", "always", True),
    "art13_2_b_right_restriction": ("Art. 13(2)(b), Art. 18", "always", True),
    "art13_2_b_right_portability": ("Art. 13(2)(b), Art. 20", "always", True),
    "art13_2_b_right_object": ("Art. 13(2)(b), Art. 21", "always", True),
    "art13_2_c_withdraw_consent": ("Art. 13(2)(c)", "a purpose based on consent", False),
    "art13_2_d_complaint_sa": ("Art. 13(2)(d)", "always", True),
    "art13_2_e_provision_requirement": ("Art. 13(2)(e)", "data collected from the person", False),
    "art13_2_f_automated_decisions": ("Art. 13(2)(f)", "always", True),
    "art14_2_f_source": ("Art. 14(2)(f)", "data not from the person", False),
    "art13_3_further_processing": ("Art. 13(3)", "on change", False),
}

#: Where the schema's own `required` covers a checklist item: (path pattern, missing field) -> id.
REQUIRED_BY_CHECKLIST: dict[tuple[str, str], str] = {
    ("organisation", "name"): "art13_1_a_controller_identity",
    ("organisation", "org_number"): "art13_1_a_controller_identity",
    ("organisation", "email"): "art13_1_a_controller_contact",
    ("organisation", "address"): "art13_1_a_controller_contact",
    ("", "purposes"): "art13_1_c_purposes",
    ("purposes", "legal_basis"): "art13_1_c_legal_basis",
    ("purposes", "retention"): "art13_2_a_retention",
    ("", "recipients"): "art13_1_e_recipients",
    ("", "retention"): "art13_2_a_retention",
    ("", "rights"): "art13_2_b_right_access",
    ("rights", "contact"): "art13_2_b_right_access",
    ("", "data_categories"): "art14_1_d_data_categories",
    ("", "sources"): "art14_2_f_source",
}


@dataclass(frozen=True)
class Finding:
    id: str  # checklist id, or lint_* for the traps
    field: FieldPath
    message: str  # why it applies and what to fill
    severity: str  # error | warning
    at: str = "value"

    @property
    def article(self) -> str:
        return CHECKLIST[self.id][0] if self.id in CHECKLIST else LINTS[self.id].source




def annotate(problem: Problem) -> Problem:
    """Add the checklist id to a schema 'required field missing' problem that is a checklist item."""
    if "required field" not in problem.message:
        return problem
    parts = re.sub(r"\[[^\]]*\]", "", problem.field).split(".")
    missing, parent = parts[-1], (parts[-2] if len(parts) > 1 else "")
    ident = REQUIRED_BY_CHECKLIST.get((parent, missing))
    if not ident:
        return problem
    article = CHECKLIST[ident][0]
    return Problem(problem.file, problem.line, problem.column, problem.field, f"{problem.message} [{ident}, GDPR {article}]", problem.severity)


def findings(notice: Notice, document: Document, *, new_purposes: tuple[str, ...] = ()) -> list[Finding]:
    """Every checklist gap and trap in a valid notice. `new_purposes`: ids added since the last release."""
    return list(_checklist(notice, document, new_purposes)) + list(_lint(notice, document))


def as_problems(found: list[Finding], document: Document, *, strict: bool = False) -> list[Problem]:
    out = []
    for f in found:
        severity = "error" if strict else f.severity
        prefix = f"[{f.id}, {'GDPR ' if f.id in CHECKLIST else ''}{f.article}] "
        out.append(document.problem(f.field, prefix + f.message, at=f.at, severity=severity))
    return out


def _index(document: Document, collection: str, ident: str, key: str = "id") -> int | None:
    items = document.data.get(collection) or []
    return next((i for i, item in enumerate(items) if isinstance(item, dict) and item.get(key) == ident), None)


def _checklist(n: Notice, document: Document, new_purposes: tuple[str, ...]) -> Iterator[Finding]:
    org = n.organisation
    if org.address.country not in EEA and org.eu_representative is None:
        yield Finding(
            "art13_1_a_representative",
            ("organisation", "address"),
            f"the controller's address is in {org.address.country}, outside the EEA, so readers need the EU/EEA "
            "representative: add organisation.eu_representative",
            "warning",
        )
    if org.dpo and not (org.dpo.email or org.dpo.phone):
        yield Finding(
            "art13_1_b_dpo_contact",
            ("organisation", "dpo"),
            f"a data protection officer ({org.dpo.name('en') if org.dpo.name else 'unnamed'}) is named but cannot be reached: add organisation.dpo.email or organisation.dpo.phone",
            "warning",
        )
    for purpose in n.purposes:
        if purpose.legal_basis == "legitimate_interests" and not purpose.legitimate_interest:
            i = _index(document, "purposes", purpose.id)
            yield Finding(
                "art13_1_d_legitimate_interests",
                ("purposes", i, "legal_basis"),
                f"purpose `{purpose.id}` is based on legitimate interests, so the interest must be stated: add purposes[{purpose.id}].legitimate_interest",
                "warning",
            )
    for r in n.transfers:
        if r.unprotected_countries:  # an error: the page would name a transfer without its basis
            i = _index(document, "recipients", r.id)
            where = (
                f"recipients[{r.id}].transfer.safeguard"
                if not r.transfers
                else f"recipients[{r.id}].transfer (a list entry with countries: [{', '.join(r.unprotected_countries)}])"
            )
            yield Finding(
                "art13_1_f_transfer",
                ("recipients", i, "locations"),
                f"recipient `{r.id}` processes data in {', '.join(r.unprotected_countries)}, outside the EU/EEA, and no safeguard is given for it, "
                f"so the notice cannot say on what basis the data goes there: add {where} (adequacy, scc, bcr or derogation)",
                "error",
            )
    for purpose in n.purposes:
        direct = [s for s in n.sources if s.from_data_subject and s.feeds(purpose)]
        collected = [c for c in purpose.categories if any(c in s.categories for s in direct)]
        if collected and purpose.requirement is None:
            i = _index(document, "purposes", purpose.id)
            source = next(s.id for s in direct if collected[0] in s.categories)
            yield Finding(
                "art13_2_e_provision_requirement",
                ("purposes", i, "id"),
                f"purpose `{purpose.id}` uses `{collected[0]}`, collected from the person (source `{source}`), so say whether giving it is "
                f"required and what happens if not: add purposes[{purpose.id}].requirement",
                "warning",
            )
    if "automated_decisions" not in document.data:
        yield Finding(
            "art13_2_f_automated_decisions",
            (),
            "the notice must state whether automated decisions or profiling take place: add `automated_decisions: []` if there are none, "
            "or list each with its logic, significance and consequences",
            "error",
        )
    for source in n.indirect_sources:
        i = _index(document, "sources", source.id)
        raw = (document.data.get("sources") or [{}])[i] if i is not None else {}
        if "publicly_accessible" not in raw:
            yield Finding(
                "art14_2_f_source",
                ("sources", i, "kind"),
                f"source `{source.id}` is not the person, so readers must learn whether it is publicly accessible: add sources[{source.id}].publicly_accessible",
                "warning",
            )
    for ident in new_purposes:
        i = _index(document, "purposes", ident)
        yield Finding(
            "art13_3_further_processing",
            ("purposes", i, "id"),
            f"purpose `{ident}` is new since the last release: release and announce it before the processing starts",
            "warning",
        )


# -- lint: what a reviewing lawyer flags first (LEGAL-REFERENCE.md §7) -------------------------
#
# One table, read by `check` (the findings) and by docs/checks.md (generated from it, and tested to match):
# each lint's id, the source it rests on, its severity, and what to write instead. A detector yields where
# the problem is and what exactly it found; the message after it is the same for every finding.

Detector = Callable[[Notice, Document], Iterator[tuple[FieldPath, str]]]


@dataclass(frozen=True)
class Lint:
    id: str
    source: str  # the article, law section or guideline it rests on
    severity: str  # error | warning (`check --strict` makes warnings errors)
    message: str  # what is wrong in general, and what to write instead
    detect: Detector


def _texts(data) -> Iterator[tuple[FieldPath, str, str]]:
    """Every text in the document: (field, language, text)."""
    for field, texts in text_maps(data):
        for lang, text in texts.items():
            if isinstance(text, str):
                yield field + (lang,), lang, text


def _wording(*patterns: str, unless: str | None = None, only: Callable[[FieldPath], bool] | None = None) -> Detector:
    """A detector for wording anywhere in the notice's texts (descriptions, sections, own clauses...)."""
    compiled = [re.compile(p, re.I) for p in patterns]
    exempt = re.compile(unless, re.I) if unless else None

    def detect(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
        for field, _lang, text in _texts(document.data):
            if only and not only(field):
                continue
            for pattern in compiled:
                found = pattern.search(text)
                if found and not (exempt and exempt.search(text)):
                    yield field, f"“{' '.join(found.group(0).split())}”"
                    break

    return detect


def _years(period: str | None) -> float | None:
    """An ISO 8601 duration in years (months as 1/12, weeks and days by 365.25), for comparisons."""
    parts = period_parts(period)
    if parts is None:
        return None
    y, mo, w, d = parts
    return y + mo / 12 + (w * 7 + d) / 365.25


_ACCOUNTING = re.compile(r"bokføring|regnskap|bookkeeping|accounting", re.I)


def _accounting_rules(n: Notice) -> Iterator[tuple[int, Retention]]:
    """Retention rules that cite accounting law, themselves or through a purpose that uses them."""
    citing_purposes = {u.rule for p in n.purposes if p.legal_reference and _ACCOUNTING.search(" ".join(p.legal_reference.values.values())) for u in p.retention}
    for i, rule in enumerate(n.retention):
        cited = " ".join(rule.legal_reference.values.values()) if rule.legal_reference else ""
        if _ACCOUNTING.search(cited) or rule.id in citing_purposes:
            yield i, rule


def _bookkeeping_10_years(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    for i, rule in _accounting_rules(n):
        years = _years(rule.period)
        if years is not None and years >= 10:
            yield ("retention", i, "period"), f"retention rule `{rule.id}` keeps accounting records {rule.period}"


def _accounting_too_short(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    for i, rule in _accounting_rules(n):
        years = _years(rule.period)
        if years is not None and years < 5 and abs(years - 3.5) > 1e-9:  # 3 years 6 months: § 13 second paragraph
            yield ("retention", i, "period"), f"retention rule `{rule.id}` cites accounting rules but keeps the data only {rule.period}"


_VAGUE_RETENTION = [
    re.compile(r"\bas long as (?:it is |is |we (?:consider|deem|find|think) (?:it )?|(?:we|you) )?(?:necessary|needed|need|required|appropriate|relevant|reasonable|useful)\b", re.I),
    re.compile(r"\bså lenge (?:det er |vi (?:anser|mener|finner|synes) (?:det )?(?:som )?|det anses (?:som )?|vi )?(?:nødvendig|påkrevd|hensiktsmessig|relevant|rimelig|nyttig|trenger|har behov|behov)", re.I),
]


def _vague_retention(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    for i, rule in enumerate(n.retention):
        if rule.period or not rule.criterion:
            continue
        for lang, text in rule.criterion.values.items():
            found = next((m for p in _VAGUE_RETENTION if (m := p.search(text))), None)
            if found:
                yield ("retention", i, "criterion", lang), f"retention rule `{rule.id}` says only “{found.group(0)}”"
                break


_ART9_WORDS = re.compile(
    r"\b(?:fagforening|fagforbund|helse|diagnose|sykdom|sykemeld|sykmeld|religi|livssyn|politisk|etnisk|rase\b|biometri|genetisk|"
    r"seksuell legning|seksuell orientering|seksualliv|fingeravtrykk|ansiktsgjenkjenning|"
    r"trade[- ]union|union membership|health|diagnos|medical|sick leave|sickness|religio|philosophical belief|political opinion|ethnic|racial|"
    r"biometric|genetic|sexual orientation|sex life|fingerprint|facial recognition)",
    re.I,
)


def _categories_mentioning(n: Notice, pattern: re.Pattern) -> Iterator[tuple[int, DataCategory, re.Match]]:
    """Each data category whose name or examples, in any language (where its nature shows), match."""
    for i, category in enumerate(n.data_categories):
        words = " ".join([*category.name.values.values(), *(category.examples.values.values() if category.examples else ())])
        if found := pattern.search(words):
            yield i, category, found


def _special_unmarked(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    for i, category, found in _categories_mentioning(n, _ART9_WORDS):
        if not category.special:
            yield ("data_categories", i, "name"), f"data category `{category.id}` mentions “{found.group(0)}” but is not marked as a special category"


_NATIONAL_ID = re.compile(
    r"\b(?:fødselsnummer|fødselsnr|personnummer|d-nummer|national identity number|national id number|national identification number|"
    r"personal identity number|social security number)",
    re.I,
)


def _national_id_without_need(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    for i, category, found in _categories_mentioning(n, _NATIONAL_ID):
        if category.need:
            continue
        users = [p for p in n.purposes if category.id in p.categories]
        if users and all(p.legal_basis == "legal_obligation" and p.legal_reference for p in users):
            continue  # a law that requires it is the stated need (e.g. a-meldingen for employees)
        yield ("data_categories", i, "name"), f"data category `{category.id}` includes “{found.group(0)}” without saying why it is needed"


_WRITING = r"(?:in writing|written request|written notice|by letter|by post|skriftlig|per brev|pr\. brev|med brev|brev til)"
_OBJECTING = r"(?:object|objection|opt[- ]?out|unsubscribe|withdraw|reserv\w*|protest\w*|avmeld\w*|melde deg av|motsette|trekke tilbake)"


def _objection_in_writing(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    m = n.marketing
    if m and re.search(r"\b" + _WRITING, " ".join(m.opt_out.values.values()), re.I):
        yield ("marketing", "opt_out"), "the way to stop marketing asks for something in writing"
    only = r"(?:only|solely|must be|has to be|kun|bare|utelukkende|må (?:skje|sendes|være))"
    yield from _wording(
        rf"\b{_OBJECTING}\b[^.]{{0,80}}\b{only}\b[^.]{{0,30}}\b{_WRITING}",
        rf"\b{only}\b[^.]{{0,30}}\b{_WRITING}[^.]{{0,80}}\b{_OBJECTING}",
        only=lambda field: field[:2] != ("marketing", "opt_out"),
    )(n, document)


def _response_time(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    parts = period_parts(n.rights.response_time)
    if parts and not parts[0]:  # a response time in years is the schema's to refuse
        _, months, weeks, days = parts
        if months * 31 + weeks * 7 + days > 31:
            yield ("rights", "response_time"), f"response_time {n.rights.response_time} is longer than one month"


def _consent_for_service(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    for i, p in enumerate(n.purposes):
        if p.legal_basis == "consent" and p.requirement and p.requirement.kind in ("contractual", "contract_precondition"):
            yield ("purposes", i, "legal_basis"), f"purpose `{p.id}` is based on consent, yet the data is required for the contract ({p.requirement.kind})"


_DELIVERY = re.compile(
    r"\b(?:levere|levering|leveranse|bestilling|ordre|kundeforhold|avtalen|delivery|deliver|provision of (?:the |our )?services?|orders?|"
    r"customer relationship|your account|the contract)\b",
    re.I,
)


def _consent_for_delivery_wording(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    for i, p in enumerate(n.purposes):
        if p.legal_basis != "consent" or (p.requirement and p.requirement.kind in ("contractual", "contract_precondition")):
            continue  # the structural case is lint_consent_for_service
        found = next((m for text in p.name.values.values() if (m := _DELIVERY.search(text))), None)
        if found:
            yield ("purposes", i, "legal_basis"), f"purpose `{p.id}` is named for delivering the service (“{found.group(0)}”) and is based on consent"


def _derogation_for_processor(n: Notice, document: Document) -> Iterator[tuple[FieldPath, str]]:
    for i, r in enumerate(n.recipients):
        routine = [t for t in r.transfers if t.safeguard == "derogation"]
        if routine and r.kind == "processor":
            yield ("recipients", i, "transfer"), f"processor `{r.id}` receives data in {', '.join(c for t in routine for c in t.countries)} on an Art. 49 derogation"


LINTS: dict[str, Lint] = {
    lint.id: lint
    for lint in (
        Lint(
            "lint_check_regularly",
            "WP260 rev.01 para 33",
            "error",
            "asks readers to check the notice for changes themselves, which the transparency guidelines call unfair: "
            "say instead how significant changes are announced (the `changes` section does)",
            _wording(
                r"\b(?:check|review|visit|consult|read)\b[^.]{0,40}\b(?:page|notice|policy|statement)\b[^.]{0,30}\b(?:regularly|periodically|frequently|from time to time|often)\b",
                r"\b(?:regularly|periodically)\s+(?:check|review|visit)\b",
                r"\b(?:sjekk|sjekke|sjekker|les|lese|leser|besøk|besøke|besøker|gå gjennom|går gjennom)\b[^.]{0,40}\b(?:siden|erklæringen|personvernerklæringen|policyen)\b[^.]{0,30}\b(?:jevnlig|regelmessig|med jevne mellomrom|fra tid til annen)\b",
                r"\b(?:jevnlig|regelmessig)\s+(?:sjekke|sjekk|sjekker|lese|leser|besøke|besøker)\b",
            ),
        ),
        Lint(
            "lint_outside_eu",
            "GDPR Chapter V; Norway is in the EEA",
            "warning",
            "says “outside the EU” where “outside the EU/EEA” is meant: Norway, Iceland and Liechtenstein are in the EEA "
            "(write “outside the EU/EEA” / “utenfor EU/EØS”)",
            _wording(
                r"\boutside (?:of )?the (?:EU|European Union)\b(?!\s*(?:/|or|and)\s*(?:the\s*)?(?:EEA|European Economic Area))",
                r"\butenfor (?:EU|Den europeiske union)\b(?!\s*(?:/|og|eller)\s*EØS)",
            ),
        ),
        Lint(
            "lint_consent_by_accepting",
            "GDPR Art. 4(11) and Art. 7(2)",
            "error",
            "treats reading or accepting the notice, or using the service, as consent; a notice informs, it does not ask, and consent "
            "needs a separate, clear affirmative act: remove the sentence, and ask for consent where it is the basis, at the point of "
            "collection (e.g. an unticked box for the newsletter)",
            _wording(
                r"\bby (?:accepting|agreeing to|reading|using|continuing to use|visiting|submitting|registering)\b[^.]{0,80}\byou (?:hereby |thereby )?(?:consent|agree|accept|give (?:us )?(?:your )?consent)",
                r"\b(?:use|using) of (?:our|this|the) [^.]{0,40}\bconstitutes? (?:your )?(?:consent|acceptance)",
                r"\bved å (?:akseptere|godta|godkjenne|lese|bruke|benytte|besøke|fortsette|registrere)\b[^.]{0,80}\b(?:samtykker du|godtar du|aksepterer du|gir du (?:oss )?(?:ditt )?samtykke)",
                r"\bsamtykker du (?:til|i) (?:denne |vår |våre )?(?:personvernerklæring|erklæring|vilkår|behandlingen)",
            ),
        ),
        Lint(
            "lint_consent_for_service",
            "GDPR Art. 6(1)(b) and Art. 7(4); EDPB Guidelines 05/2020 on consent",
            "error",
            "consent is not the basis for delivering what the person signed up for: consent made a condition of the service is not "
            "freely given, and it can be withdrawn at any time. Use legal_basis: contract for what the contract needs, and keep consent "
            "for extras the person can refuse without losing the service",
            _consent_for_service,
        ),
        Lint(
            "lint_consent_for_delivery",
            "GDPR Art. 6(1)(b) and Art. 7(4); EDPB Guidelines 05/2020 on consent",
            "warning",
            "the purpose's name says it delivers what the person signed up for, yet its basis is consent: if the contract needs "
            "it, use legal_basis: contract; if it is an extra the person can refuse without losing the service, rename the "
            "purpose so the name says so",
            _consent_for_delivery_wording,
        ),
        Lint(
            "lint_derogation_for_processor",
            "GDPR Art. 49; EDPB Guidelines 2/2018 on derogations",
            "error",
            "Art. 49 derogations are exceptions for occasional transfers, not for a processor that receives data routinely (hosting, "
            "support, payments): use the processor's standard contractual clauses (safeguard: scc), an adequacy decision (adequacy) "
            "or binding corporate rules (bcr)",
            _derogation_for_processor,
        ),
        Lint(
            "lint_bookkeeping_10_years",
            "bokføringsloven § 13",
            "warning",
            "10 years for accounting records is the rule before 2014; bokføringsloven § 13 now requires 5 years after the end of the "
            "financial year for primary documentation: use P5Y with from: end_of_financial_year, unless a 10-year case applies",
            _bookkeeping_10_years,
        ),
        Lint(
            "lint_accounting_too_short",
            "bokføringsloven § 13",
            "warning",
            "accounting rules require primary documentation to be kept 5 years after the end of the financial year (3 years and 6 "
            "months only for some other documentation), so a shorter period that cites them contradicts itself: use P5Y with "
            "from: end_of_financial_year, or P3Y6M for the documentation § 13 second paragraph covers",
            _accounting_too_short,
        ),
        Lint(
            "lint_vague_retention",
            "GDPR Art. 13(2)(a); WP260 rev.01; Datatilsynet on «så lenge det er nødvendig»",
            "error",
            "“as long as necessary” (or “as we consider appropriate”) alone does not tell the reader how long: give a period, or the "
            "criterion with the event that ends it, e.g. {nb: til saken er avsluttet, en: until the case is closed}, or a period "
            "such as P3Y with its start event",
            _vague_retention,
        ),
        Lint(
            "lint_special_category_unmarked",
            "GDPR Art. 9(1)",
            "warning",
            "the category looks like a special category (health, trade-union membership, religion, political opinions, ethnic origin, "
            "biometric or genetic data, sex life or sexual orientation): set special_category: true and give the purposes using it "
            "an art9_basis, usually explicit_consent; or rename it if it is not such data",
            _special_unmarked,
        ),
        Lint(
            "lint_national_id_without_need",
            "personopplysningsloven § 12",
            "warning",
            "a national identity number (fødselsnummer) may be used only where secure identification is objectively needed and the "
            "method is necessary for it: say why in the category's `need`, e.g. {nb: for å identifisere deg sikkert overfor "
            "banken, en: to identify you securely to the bank}, or stop collecting it",
            _national_id_without_need,
        ),
        Lint(
            "lint_objection_in_writing",
            "GDPR Art. 12(2) and Art. 21(2)–(3); markedsføringsloven § 15",
            "warning",
            "objecting to direct marketing is free and possible at any time, and rights must be easy to exercise, so asking for it "
            "in writing is a barrier: offer the unsubscribe link in every message, a reply, or an e-mail to the rights address",
            _objection_in_writing,
        ),
        Lint(
            "lint_id_document_for_every_request",
            "GDPR Art. 12(6); EDPB Guidelines 01/2022 on the right of access",
            "warning",
            "asking for a copy of an identity document with every request is disproportionate: ask for more information only where "
            "there is reasonable doubt about who is asking, and say so, e.g. “if we are in doubt about who you are, we may ask you "
            "to confirm your identity” / «er vi i tvil om hvem du er, kan vi be deg bekrefte identiteten din»",
            _wording(
                r"\b(?:copy|copies|scan|photo|picture) of (?:your |a |an )?(?:valid )?(?:passport|ID|identity (?:card|document)|identification|photo ID|driving licen[cs]e|driver'?s licen[cs]e)\b",
                r"\b(?:kopi|bilde|skann\w*) av (?:gyldig |din |ditt )?(?:pass|legitimasjon|ID|id-kort|identitetskort|førerkort|bankkort)\b",
                unless=r"\b(?:doubt|uncertain|unsure|tvil|usikre?)\b",
            ),
        ),
        Lint(
            "lint_response_time",
            "GDPR Art. 12(3)",
            "error",
            "requests must be answered without undue delay and within one month; the two-month extension is for complex or many "
            "requests, case by case, with notice inside the first month, and the standard text explains it: use response_time: P1M "
            "or shorter",
            _response_time,
        ),
        Lint(
            "lint_marketing_without_basis",
            "markedsføringsloven § 15",
            "warning",
            "electronic marketing to individuals needs prior consent or the existing-customer exception: add marketing.basis: "
            "[consent] and/or [existing_customer]",
            lambda n, document: iter(
                [(("marketing", "electronic"), "the notice sends electronic marketing to individuals without a basis")]
                if n.marketing and n.marketing.electronic and n.marketing.to_individuals and not n.marketing.basis
                else []
            ),
        ),
    )
}


def _lint(n: Notice, document: Document) -> Iterator[Finding]:
    for lint in LINTS.values():
        for field, detail in lint.detect(n, document):
            yield Finding(lint.id, field, f"{detail}: {lint.message}", lint.severity)


def lints_table() -> str:
    """The lints as a Markdown table, for docs/checks.md (tests/test_completeness.py keeps the two equal)."""
    rows = ["| id | source | severity | what to write instead |", "|---|---|---|---|"]
    cell = lambda text: text.replace("|", "\\|")  # noqa: E731
    rows += [f"| `{x.id}` | {cell(x.source)} | {x.severity} | {cell(x.message)} |" for x in LINTS.values()]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":  # python -m generator.completeness > the table in docs/checks.md
    print(lints_table(), end="")
