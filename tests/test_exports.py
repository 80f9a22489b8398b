"""One source, several documents: DPV JSON-LD and the Art. 30 record of processing activities."""

from __future__ import annotations

import csv
import io
import json

from generator.exports import LEGAL_BASES, jsonld_text, ropa_csv, ropa_markdown
from tests import factories as f


def graph(d=None):
    doc = json.loads(jsonld_text(f.notice(d), base="https://example.org/privacy/versions/1.jsonld", version=1))
    return doc, {node["@id"].split("#")[1]: node for node in doc["@graph"]}


def test_jsonld_names_a_dpv_legal_basis_for_every_purpose():
    doc, nodes = graph()
    assert doc["@context"]["dpv"] == "https://w3id.org/dpv#"
    processes = [n for n in doc["@graph"] if n["@type"] == "dpv:Process"]
    assert len(processes) == len(f.BASE["purposes"])
    for process, purpose in zip(processes, f.BASE["purposes"]):
        bases = {b["@id"] for b in process["dpv:hasLegalBasis"]}
        assert LEGAL_BASES[purpose["legal_basis"]][0] in bases
        assert any(b.startswith("dpv:") for b in bases) and any(b.startswith("eu-gdpr:A6-1-") for b in bases)


def test_jsonld_has_labels_in_both_languages_and_links_categories_recipients_and_retention():
    doc, nodes = graph()
    service = nodes["purpose-customer_service"]
    labels = {l["@language"]: l["@value"] for l in service["dpv:hasPurpose"]["skos:prefLabel"]}
    assert labels == {"nb": "Kundeservice", "en": "Customer service"}
    assert service["dpv:hasPersonalData"] == [{"@id": nodes["data-contact"]["@id"]}]
    assert service["dpv:hasRecipient"] == [{"@id": nodes["recipient-m365"]["@id"]}]
    assert service["dpv:hasStorageCondition"]["rdf:value"] == "P3Y"
    transfer = nodes["transfer-m365"]
    assert transfer["dpv:hasLocation"] == [{"@id": "loc:US"}]
    assert transfer["dpv:hasLegalBasis"] == [{"@id": "eu-gdpr:A45-3"}]


def test_special_category_and_art9_basis_in_jsonld():
    d = f.data()
    d["data_categories"].append({"id": "health", "name": {"nb": "helse", "en": "health"}, "special_category": True})
    d["purposes"][0]["categories"].append("health")
    d["purposes"][0]["art9_basis"] = "explicit_consent"
    _, nodes = graph(d)
    assert nodes["data-health"]["@type"] == "dpv:SpecialCategoryPersonalData"
    assert {"@id": "eu-gdpr:A9-2-a"} in nodes["purpose-customer_service"]["dpv:hasLegalBasis"]


def test_record_of_processing_has_one_row_per_purpose_in_each_language():
    for lang, purpose, period in (("nb", "Kundeservice", "3 år etter siste kontakt"), ("en", "Customer service", "3 years after the last contact")):
        rows = list(csv.DictReader(io.StringIO(ropa_csv(f.notice(), lang))))
        assert len(rows) == 2
        first = rows[0]
        assert purpose in first.values() and period in first.values()
        assert any("Microsoft Ireland Operations Ltd" in v for v in first.values())
    md = ropa_markdown(f.notice(), "en", 3)
    assert md.startswith("# Record of processing activities – Fjelltopp Regnskap AS")
    assert "Version 3" in md and md.count("\n| ") == 3  # header + 2 purposes
