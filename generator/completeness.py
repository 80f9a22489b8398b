"""Is everything the GDPR requires in the notice? The Art. 13/14 checklist, and lint for known traps.

A notice can match the schema and still be unlawful because an item of Art. 13/14 is missing, or say
something the guidelines call unfair. Each finding names the checklist id (LEGAL-REFERENCE.md §1),
the article, why it applies to this content, and the YAML field that would satisfy it. Items that
always apply are errors; conditional ones are warnings (`check --strict` makes them errors).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .consistency import text_maps
from .document import Document, FieldPath
from .errors import Problem
from .model import EEA, Notice

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
        return CHECKLIST[self.id][0] if self.id in CHECKLIST else LINTS.get(self.id, "")


LINTS = {
    "lint_bookkeeping_10_years": "bokføringsloven § 13",
    "lint_outside_eu": "GDPR Chapter V; Norway is in the EEA",
    "lint_check_regularly": "WP260 rev.01 para 33",
    "lint_marketing_without_basis": "markedsføringsloven § 15",
}


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
            f"a data protection officer ({org.dpo.name}) is named but cannot be reached: add organisation.dpo.email or organisation.dpo.phone",
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
        if r.transfer is None:
            i = _index(document, "recipients", r.id)
            yield Finding(
                "art13_1_f_transfer",
                ("recipients", i, "locations"),
                f"recipient `{r.id}` processes data in {', '.join(r.third_countries)}, outside the EU/EEA, so the safeguard must be stated: "
                f"add recipients[{r.id}].transfer.safeguard (adequacy, scc, bcr or derogation)",
                "warning",
            )
    direct_categories = {c for s in n.sources if s.from_data_subject for c in s.categories}
    for purpose in n.purposes:
        collected = [c for c in purpose.categories if c in direct_categories]
        if collected and purpose.requirement is None:
            i = _index(document, "purposes", purpose.id)
            source = next(s.id for s in n.sources if s.from_data_subject and collected[0] in s.categories)
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


_OUTSIDE_EU = [
    re.compile(r"\boutside (?:of )?the (?:EU|European Union)\b(?!\s*(?:/|or|and)\s*(?:the\s*)?(?:EEA|European Economic Area))", re.I),
    re.compile(r"\butenfor (?:EU|Den europeiske union)\b(?!\s*(?:/|og|eller)\s*EØS)", re.I),
]
_CHECK_REGULARLY = [
    re.compile(r"\b(?:check|review|visit|consult|read)\b[^.]{0,40}\b(?:page|notice|policy|statement)\b[^.]{0,30}\b(?:regularly|periodically|frequently|from time to time|often)\b", re.I),
    re.compile(r"\b(?:regularly|periodically)\s+(?:check|review|visit)\b", re.I),
    re.compile(r"\b(?:sjekk|sjekke|sjekker|les|lese|leser|besøk|besøke|besøker|gå gjennom|går gjennom)\b[^.]{0,40}\b(?:siden|erklæringen|personvernerklæringen|policyen)\b[^.]{0,30}\b(?:jevnlig|regelmessig|med jevne mellomrom|fra tid til annen)\b", re.I),
    re.compile(r"\b(?:jevnlig|regelmessig)\s+(?:sjekke|sjekk|sjekker|lese|leser|besøke|besøker)\b", re.I),
]


def _texts(data) -> Iterator[tuple[FieldPath, str, str]]:
    """Every text in the document: (field, language, text)."""
    for field, texts in text_maps(data):
        for lang, text in texts.items():
            if isinstance(text, str):
                yield field + (lang,), lang, text


def _lint(n: Notice, document: Document) -> Iterator[Finding]:
    for field, lang, text in _texts(document.data):
        for pattern in _CHECK_REGULARLY:
            if pattern.search(text):
                yield Finding(
                    "lint_check_regularly",
                    field,
                    "asks readers to check the notice for changes themselves, which the transparency guidelines call unfair: "
                    "say instead how significant changes are announced (the `changes` section does)",
                    "error",
                )
                break
        for pattern in _OUTSIDE_EU:
            if pattern.search(text):
                yield Finding(
                    "lint_outside_eu",
                    field,
                    "says “outside the EU” where “outside the EU/EEA” is meant: Norway, Iceland and Liechtenstein are in the EEA "
                    "(write “outside the EU/EEA” / “utenfor EU/EØS”)",
                    "warning",
                )
                break
    for i, rule in enumerate(n.retention):
        reference = " ".join(rule.legal_reference.values.values()).lower() if rule.legal_reference else ""
        years = re.match(r"^P(\d+)Y", rule.period or "")
        if years and int(years.group(1)) >= 10 and re.search(r"bokføring|regnskap|bookkeeping|accounting", reference):
            yield Finding(
                "lint_bookkeeping_10_years",
                ("retention", i, "period"),
                f"{rule.period} for accounting records is the rule before 2014; bokføringsloven § 13 now requires 5 years after the end "
                "of the financial year for primary documentation: use P5Y with from: end_of_financial_year, unless a 10-year case applies",
                "warning",
            )
    m = n.marketing
    if m and m.electronic and m.to_individuals and not m.basis:
        yield Finding(
            "lint_marketing_without_basis",
            ("marketing", "electronic"),
            "electronic marketing to individuals needs prior consent or the existing-customer exception (markedsføringsloven § 15): "
            "add marketing.basis: [consent] and/or [existing_customer]",
            "warning",
        )
