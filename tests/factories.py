"""Notice data for tests that compare or render variants: a small, valid notice as plain data.

Tests copy it, change one fact, and build the model, so each test states exactly what differs.
"""

from __future__ import annotations

import copy
import sys
import json
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from generator.model import Notice, build_notice

BASE: dict[str, Any] = {
    "languages": {"available": ["nb", "en"], "default": "nb"},
    "organisation": {
        "name": "Fjelltopp Regnskap AS",
        "org_number": "923 609 016",
        "address": {"street": "Holtegata 16A", "postal_code": "0259", "city": "Oslo"},
        "email": "post@fjelltopp.no",
        "phone": "+47 22 33 44 55",
        "website": "https://fjelltopp.no",
        "contact": {"name": "Karina Kvern", "role": {"nb": "daglig leder", "en": "CEO"}},
        "roles": {"controller": True},
    },
    "data_subjects": [
        {"id": "customers", "name": {"nb": "kunder", "en": "customers"}},
        {"id": "visitors", "name": {"nb": "besøkende på nettsiden", "en": "website visitors"}},
    ],
    "data_categories": [
        {"id": "contact", "name": {"nb": "kontaktopplysninger", "en": "contact details"}, "examples": {"nb": "navn, e-post", "en": "name, e-mail"}},
        {"id": "invoices", "name": {"nb": "fakturaopplysninger", "en": "invoice data"}},
    ],
    "sources": [{"id": "you", "kind": "data_subject", "name": {"nb": "deg", "en": "you"}, "categories": ["contact", "invoices"]}],
    "purposes": [
        {
            "id": "customer_service",
            "name": {"nb": "Kundeservice", "en": "Customer service"},
            "description": {"nb": "Vi svarer på spørsmål fra kunder.", "en": "We answer customers' questions."},
            "legal_basis": "contract",
            "data_subjects": ["customers"],
            "categories": ["contact"],
            "recipients": ["m365"],
            "retention": "three_years",
            "requirement": {"kind": "contractual", "consequence": {"nb": "Da kan vi ikke hjelpe deg.", "en": "Then we cannot help you."}},
        },
        {
            "id": "bookkeeping",
            "name": {"nb": "Regnskap", "en": "Bookkeeping"},
            "description": {"nb": "Vi oppbevarer bilag.", "en": "We keep accounting records."},
            "legal_basis": "legal_obligation",
            "legal_reference": {"nb": "bokføringsloven § 13", "en": "the Bookkeeping Act section 13"},
            "data_subjects": ["customers"],
            "categories": ["invoices"],
            "recipients": [],
            "retention": "bookkeeping",
            "requirement": {"kind": "statutory", "consequence": {"nb": "Uten dem kan vi ikke selge til deg.", "en": "Without them we cannot sell to you."}},
        },
    ],
    "recipients": [
        {
            "id": "m365",
            "name": "Microsoft Ireland Operations Ltd",
            "kind": "processor",
            "service": {"nb": "e-post og dokumenter", "en": "e-mail and documents"},
            "locations": ["IE", "US"],
            "transfer": {"safeguard": "adequacy", "details": {"nb": "EU–US Data Privacy Framework", "en": "EU–US Data Privacy Framework"}},
        }
    ],
    "retention": [
        {"id": "three_years", "period": "P3Y", "from": "last_contact"},
        {"id": "bookkeeping", "period": "P5Y", "from": "end_of_financial_year", "legal_reference": {"nb": "bokføringsloven § 13", "en": "Bookkeeping Act s. 13"}},
    ],
    "cookies": [
        {"name": "session_id", "provider": "Fjelltopp", "party": "first", "purpose": {"nb": "holder deg innlogget", "en": "keeps you signed in"}, "category": "necessary", "duration": "session"}
    ],
    "rights": {"contact": {"email": "personvern@fjelltopp.no"}},
    "automated_decisions": [],
}


def data(**changes: Any) -> dict[str, Any]:
    """A deep copy of BASE; keyword arguments replace top-level keys."""
    out = copy.deepcopy(BASE)
    out.update(copy.deepcopy(changes))
    return out


def notice(d: dict[str, Any] | None = None) -> Notice:
    return build_notice(d if d is not None else data())


def write_content(folder: Path, d: dict[str, Any] | None = None) -> Path:
    """Write a content folder with notice.yaml (with the editor modeline) and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pages").mkdir(exist_ok=True)
    yaml = YAML()
    yaml.width = sys.maxsize  # ruamel folds long lines at a space and loses a double space there
    with (folder / "notice.yaml").open("w", encoding="utf-8") as f:
        f.write("# yaml-language-server: $schema=../schema/notice.schema.json\n")
        # A JSON round trip unshares nested objects, which YAML would otherwise write as aliases.
        yaml.dump(json.loads(json.dumps(d if d is not None else data())), f)
    return folder
