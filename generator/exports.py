"""One source, other documents: the notice as W3C DPV JSON-LD, and the record of processing activities.

JSON-LD (public, per version): purposes, legal bases, data categories, recipients, transfers and
retention in the Data Privacy Vocabulary (https://w3id.org/dpv) with its GDPR extension, labelled
in every language of the notice.

Record of processing activities (GDPR Art. 30(1), internal): one row per purpose, as CSV and as
Markdown per language. It is written beside the site, never into it (see plugin.py): Art. 30 records
are for the organisation and the supervisory authority, not for the public website.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from .clauses import label
from .escape import csv_cell, json_text
from .model import Notice, RetentionUse, Text
from .words import country, duration, listing

CONTEXT = {
    "dpv": "https://w3id.org/dpv#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "loc": "https://w3id.org/dpv/loc#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}

LEGAL_BASES = {
    "consent": ("dpv:Consent", "eu-gdpr:A6-1-a"),
    "contract": ("dpv:Contract", "eu-gdpr:A6-1-b"),
    "legal_obligation": ("dpv:LegalObligation", "eu-gdpr:A6-1-c"),
    "vital_interests": ("dpv:VitalInterest", "eu-gdpr:A6-1-d"),
    "public_task": ("dpv:PublicInterest", "eu-gdpr:A6-1-e"),
    "legitimate_interests": ("dpv:LegitimateInterest", "eu-gdpr:A6-1-f"),
}
ART9 = {
    "explicit_consent": "eu-gdpr:A9-2-a",
    "employment_law": "eu-gdpr:A9-2-b",
    "vital_interests": "eu-gdpr:A9-2-c",
    "non_profit_members": "eu-gdpr:A9-2-d",
    "made_public": "eu-gdpr:A9-2-e",
    "legal_claims": "eu-gdpr:A9-2-f",
    "substantial_public_interest": "eu-gdpr:A9-2-g",
    "health_care": "eu-gdpr:A9-2-h",
    "public_health": "eu-gdpr:A9-2-i",
    "archiving_research": "eu-gdpr:A9-2-j",
}
SAFEGUARDS = {"adequacy": "eu-gdpr:A45-3", "scc": "eu-gdpr:A46-2-c", "bcr": "eu-gdpr:A47", "derogation": "eu-gdpr:A49-1"}
RECIPIENT_TYPES = {"processor": "dpv:DataProcessor", "third_party": "dpv:ThirdParty", "joint_controller": "dpv:JointDataControllers"}


def _labels(text: Text | dict[str, str] | None) -> list[dict[str, str]]:
    values = text.values if isinstance(text, Text) else (text or {})
    return [{"@value": v, "@language": k} for k, v in values.items()]


def jsonld(notice: Notice, *, base: str, version: int | None = None) -> dict[str, Any]:
    """The notice as a JSON-LD graph in DPV terms; `base` makes the ids absolute (e.g. the JSON's URL)."""
    org = notice.organisation
    langs = notice.languages
    controller = {"@id": f"{base}#controller", "@type": "dpv:DataController", "dpv:hasName": org.name, "dct:identifier": org.org_number}
    categories = {
        c.id: {
            "@id": f"{base}#data-{c.id}",
            "@type": "dpv:SpecialCategoryPersonalData" if c.special else "dpv:PersonalData",
            "skos:prefLabel": _labels(c.name),
        }
        for c in notice.data_categories
    }
    subjects = {s.id: {"@id": f"{base}#subject-{s.id}", "@type": "dpv:DataSubject", "skos:prefLabel": _labels(s.name)} for s in notice.data_subjects}
    recipients = {}
    for r in notice.recipients:
        recipients[r.id] = {
            "@id": f"{base}#recipient-{r.id}",
            "@type": RECIPIENT_TYPES[r.kind],
            **({"dpv:hasName": r.name} if r.name else {"skos:prefLabel": _labels(r.title)}),
            "dpv:hasLocation": [{"@id": f"loc:{c}"} for c in r.locations],
        }
    processes = []
    for p in notice.purposes:
        storages = []
        for use in p.retention:
            rule = notice.retention_rule(use.rule)
            storage: dict[str, Any] = {"@type": "dpv:StorageDuration"}
            if rule.period:
                storage["rdf:value"] = rule.period
            storage["skos:prefLabel"] = _labels({lang: _retention_words(notice, use, lang) for lang in langs})
            storages.append(storage)
        bases = list(LEGAL_BASES[p.legal_basis])
        if p.art9_basis:
            bases.append(ART9[p.art9_basis])
        processes.append(
            {
                "@id": f"{base}#purpose-{p.id}",
                "@type": "dpv:Process",
                "dpv:hasPurpose": {"@type": "dpv:Purpose", "skos:prefLabel": _labels(p.name), "dct:description": _labels(p.description)},
                "dpv:hasLegalBasis": [{"@id": b} for b in bases],
                "dpv:hasPersonalData": [{"@id": categories[c]["@id"]} for c in p.categories],
                "dpv:hasDataSubject": [{"@id": subjects[s]["@id"]} for s in p.data_subjects],
                "dpv:hasRecipient": [{"@id": recipients[r]["@id"]} for r in p.recipients],
                "dpv:hasDataController": {"@id": controller["@id"]},
                "dpv:hasStorageCondition": storages[0] if len(storages) == 1 else storages,
            }
        )
    transfers = [
        {
            "@id": f"{base}#transfer-{r.id}",
            "@type": "dpv:Transfer",
            "dpv:hasRecipient": {"@id": recipients[r.id]["@id"]},
            "dpv:hasLocation": [{"@id": f"loc:{c}"} for c in r.third_countries],
            "dpv:hasLegalBasis": [{"@id": SAFEGUARDS[s]} for s in dict.fromkeys(t.safeguard for t in r.transfers)],
        }
        for r in notice.transfers
    ]
    graph = [controller, *categories.values(), *subjects.values(), *recipients.values(), *processes, *transfers]
    doc: dict[str, Any] = {"@context": CONTEXT, "@id": base, "@graph": graph}
    if version is not None:
        doc["dct:hasVersion"] = str(version)
    return doc


def jsonld_text(notice: Notice, *, base: str, version: int | None = None) -> str:
    """Compact: json's C encoder only serves calls without indent, and the site has one file per version."""
    return json_text(jsonld(notice, base=base, version=version), compact=True) + "\n"


# -- record of processing activities (Art. 30(1)) ------------------------------------------

ROPA_COLUMNS = (
    ("purpose", "col_purposes"),
    ("legal_basis", "legal_basis"),
    ("data_subjects", "col_subjects"),
    ("categories", "col_category"),
    ("recipients", "col_recipient"),
    ("transfers", "heading_transfers"),
    ("retention", "col_period"),
)


def ropa_rows(notice: Notice, lang: str) -> list[dict[str, str]]:
    """Art. 30(1)(b)-(f): one row per purpose, in `lang`."""
    rows = []
    for p in notice.purposes:
        recipients = [notice.recipient(r) for r in p.recipients]
        transfers = [
            f"{r.title(lang)}: "
            + ", ".join(
                f"{country(c, lang)} ({label('safeguard_' + s.safeguard, lang) if (s := r.safeguard_for(c)) else label('safeguard_missing', lang)})"
                for c in r.third_countries
            )
            for r in recipients
            if r.third_countries
        ]
        rows.append(
            {
                "purpose": p.name(lang),
                "legal_basis": label(f"basis_{p.legal_basis}", lang) + (f"; {label('art9_' + p.art9_basis, lang)}" if p.art9_basis else ""),
                "data_subjects": listing([notice.subject(s).name(lang) for s in p.data_subjects], lang),
                "categories": listing([notice.category(c).name(lang) for c in p.categories], lang),
                "recipients": listing([r.title(lang) for r in recipients], lang),
                "transfers": "; ".join(transfers),
                "retention": "; ".join(_retention_words(notice, use, lang) for use in p.retention),
            }
        )
    return rows


def _retention_words(notice: Notice, use: RetentionUse, lang: str) -> str:
    """One retention rule of a purpose in plain words, led by the condition it applies under."""
    rule = notice.retention_rule(use.rule)
    words = (duration(rule.period, lang) if rule.period else rule.criterion(lang)) + " " + label(f"start_{rule.start}", lang)
    return f"{use.condition(lang)}: {words}" if use.condition else words


def ropa_csv(notice: Notice, lang: str) -> str:
    """The record as CSV; each cell through escape.csv_cell, so no cell opens as a formula."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[key for key, _ in ROPA_COLUMNS], lineterminator="\n")
    writer.writerow({key: csv_cell(label(header, lang)) for key, header in ROPA_COLUMNS})
    writer.writerows({key: csv_cell(value) for key, value in row.items()} for row in ropa_rows(notice, lang))
    return out.getvalue()


def ropa_markdown(notice: Notice, lang: str, version: int | None = None) -> str:
    from .safety import escape_text

    org = notice.organisation
    title = {"nb": "Protokoll over behandlingsaktiviteter", "en": "Record of processing activities"}[lang]
    lines = [
        f"# {title} – {escape_text(org.name)}",
        "",
        f"{label('org_number', lang)} {escape_text(org.org_number)} · {label('email', lang)}: {escape_text(org.email)}"
        + (f" · {label('version', lang)} {version}" if version else ""),
        "",
        "| " + " | ".join(label(h, lang) for _, h in ROPA_COLUMNS) + " |",
        "|" + "---|" * len(ROPA_COLUMNS),
    ]
    for row in ropa_rows(notice, lang):
        lines.append("| " + " | ".join(escape_text(row[key]) or "–" for key, _ in ROPA_COLUMNS) + " |")
    measures = [m(lang) for m in notice.security_measures]
    if measures:
        lines += ["", f"## {label('heading_security', lang)}", "", *[f"- {escape_text(m)}" for m in measures]]
    return "\n".join(lines) + "\n"
