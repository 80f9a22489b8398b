"""Checks the schema cannot express: ids that must exist, translations, and GDPR rules between fields.

Runs on the plain data even when the schema found problems, so that one run reports everything;
every lookup therefore tolerates wrong types.
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Callable, Iterator

from .document import Document, FieldPath
from .errors import Problem
from .model import EEA
from .words import period_parts

#: Collections whose items have a stable id, and the field holding it.
COLLECTIONS = {
    "data_subjects": "id",
    "data_categories": "id",
    "sources": "id",
    "purposes": "id",
    "recipients": "id",
    "retention": "id",
    "cookies": "name",
    "automated_decisions": "id",
    "sections": "id",
}

#: (where the reference is, which collection it must name)
REFERENCES = [
    (("sources", "*", "categories", "*"), "data_categories"),
    (("purposes", "*", "data_subjects", "*"), "data_subjects"),
    (("purposes", "*", "categories", "*"), "data_categories"),
    (("purposes", "*", "recipients", "*"), "recipients"),
    (("purposes", "*", "retention"), "retention"),  # one rule, by id
    (("purposes", "*", "retention", "*", "rule"), "retention"),  # rules with conditions
    (("sources", "*", "purposes", "*"), "purposes"),
    (("data_categories", "*", "data_subjects", "*"), "data_subjects"),
    (("cookies", "*", "recipient"), "recipients"),
    (("organisation", "roles", "processor", "sub_processors", "*"), "recipients"),
    (("organisation", "roles", "joint_controllers", "*", "purposes", "*"), "purposes"),
]

LANGUAGE_KEYS = {"nb", "en"}


def check(document: Document, clause_ids: Callable[[], frozenset[str]]) -> list[Problem]:
    """Every consistency problem in a notice document."""
    data = document.data
    problems: list[Problem] = []
    languages = _languages(data)
    problems += _language_settings(document)
    problems += _translations(document, languages)
    ids = {}
    for collection, key in COLLECTIONS.items():
        found, dupes = _ids(document, collection, key)
        ids[collection] = found
        problems += dupes
    for pattern, target in REFERENCES:
        for field, value in _walk(data, pattern, ()):
            if isinstance(value, str) and value not in ids[target]:
                problems.append(document.problem(field, _dangling(value, target, ids[target])))
    problems += _purpose_rules(document, ids)
    problems += every_string(document)
    problems += _transfer_countries(document)
    problems += _category_subjects(document)
    problems += _source_purposes(document)
    problems += _org_numbers(document)
    clauses = data.get("clauses")
    if isinstance(clauses, dict) and clauses:
        known = clause_ids()
        for name in clauses:
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else "; see docs/clauses.md for the clause ids"
                problems.append(document.problem(("clauses", name), f"unknown clause '{name}'{hint}", at="key"))
    return problems


def _languages(data: Any) -> list[str]:
    langs = data.get("languages", {}).get("available") if isinstance(data.get("languages"), dict) else None
    if isinstance(langs, list) and all(isinstance(x, str) for x in langs) and langs:
        return [x for x in langs if x in LANGUAGE_KEYS]
    return ["nb", "en"]


def _language_settings(document: Document) -> list[Problem]:
    settings = document.data.get("languages")
    if not isinstance(settings, dict):
        return []
    available, default = settings.get("available"), settings.get("default")
    # a default that is no supported language at all is the schema's to report
    if isinstance(available, list) and isinstance(default, str) and default in LANGUAGE_KEYS and default not in available:
        return [document.problem(("languages", "default"), f"'{default}' is not among the available languages ({', '.join(map(str, available))})")]
    return []


def text_maps(node: Any, field: FieldPath = ()) -> Iterator[tuple[FieldPath, dict]]:
    """Every text given per language ({nb: ..., en: ...}) in the data, with its field path."""
    if isinstance(node, dict):
        if node and set(node) <= LANGUAGE_KEYS:
            yield field, node
            return
        for key, value in node.items():
            yield from text_maps(value, field + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from text_maps(value, field + (i,))


def _translations(document: Document, languages: list[str]) -> list[Problem]:
    """A text given in some languages must be given in all of them."""
    return [
        document.problem(field, f"missing translation: no '{lang}' text")
        for field, texts in text_maps(document.data)
        for lang in languages
        if lang not in texts
    ]


def _ids(document: Document, collection: str, key: str) -> tuple[set[str], list[Problem]]:
    items = document.data.get(collection)
    found: set[str] = set()
    problems = []
    if not isinstance(items, list):
        return found, problems
    for i, item in enumerate(items):
        ident = item.get(key) if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in found:
            problems.append(document.problem((collection, i, key), f"duplicate {key} '{ident}': each must be unique in {collection}"))
        found.add(ident)
    return found, problems


def _walk(node: Any, pattern: tuple[str, ...], field: FieldPath) -> Iterator[tuple[FieldPath, Any]]:
    if not pattern:
        yield field, node
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from _walk(item, rest, field + (i,))
    elif isinstance(node, dict) and head in node:
        yield from _walk(node[head], rest, field + (head,))


def _dangling(value: str, target: str, known: set[str]) -> str:
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else (f"; known: {', '.join(sorted(known))}" if known else "")
    return f"unknown id '{value}': no such entry in {target}{hint}"


def _purpose_rules(document: Document, ids: dict[str, set[str]]) -> list[Problem]:
    data = document.data
    declared = data.get("data_categories")
    special = {
        c.get("id")
        for c in (declared if isinstance(declared, list) else [])
        if isinstance(c, dict) and c.get("special_category") is True and isinstance(c.get("id"), str)
    }
    problems = []
    purposes = data.get("purposes")
    if not isinstance(purposes, list):
        return problems
    for i, purpose in enumerate(purposes):
        if not isinstance(purpose, dict):
            continue
        if purpose.get("legal_basis") == "legitimate_interests" and not purpose.get("legitimate_interest"):
            problems.append(
                document.problem(
                    ("purposes", i, "legal_basis"),
                    "legitimate_interests needs the interest itself: add 'legitimate_interest' with the text in each language",
                )
            )
        requirement = purpose.get("requirement")
        if isinstance(requirement, dict) and requirement.get("kind") != "observed" and "consequence" not in requirement:
            problems.append(
                document.problem(
                    ("purposes", i, "requirement"),
                    "missing required field 'consequence': say what happens if the person does not give the data "
                    "(only kind 'observed', data recorded automatically, needs none)",
                )
            )
        uses = purpose.get("retention")
        if isinstance(uses, list) and len(uses) > 1:
            for j, use in enumerate(uses):
                if isinstance(use, dict) and not use.get("condition"):
                    problems.append(
                        document.problem(
                            ("purposes", i, "retention", j),
                            "with more than one retention rule, each needs the condition it applies under: add 'condition' with the text in each language",
                        )
                    )
        categories = purpose.get("categories") if isinstance(purpose.get("categories"), list) else []
        used_special = [c for c in categories if isinstance(c, str) and c in special]
        if used_special and not purpose.get("art9_basis"):
            problems.append(
                document.problem(
                    ("purposes", i, "categories"),
                    f"uses the special category '{used_special[0]}' (GDPR Art. 9) but gives no 'art9_basis'",
                )
            )
    return problems


def _transfer_countries(document: Document) -> list[Problem]:
    """A safeguard given per destination must name the recipient's own third countries, each once."""
    problems = []
    recipients = document.data.get("recipients")
    for i, r in enumerate(recipients if isinstance(recipients, list) else []):
        if not isinstance(r, dict) or not isinstance(r.get("transfer"), list):
            continue
        locations = r.get("locations") if isinstance(r.get("locations"), list) else []
        seen: set[str] = set()
        for j, safeguard in enumerate(r["transfer"]):
            countries = safeguard.get("countries") if isinstance(safeguard, dict) else None
            for k, country in enumerate(countries if isinstance(countries, list) else []):
                field = ("recipients", i, "transfer", j, "countries", k)
                if not isinstance(country, str):
                    continue
                if country in EEA:
                    problems.append(document.problem(field, f"'{country}' is in the EU/EEA: no transfer safeguard is needed there; remove it"))
                elif country not in locations:
                    problems.append(document.problem(field, f"'{country}' is not among this recipient's locations ({', '.join(map(str, locations))}): add it there or remove it here"))
                elif country in seen:
                    problems.append(document.problem(field, f"'{country}' already has a safeguard above: give each country one"))
                seen.add(country)
    return problems


def _category_subjects(document: Document) -> list[Problem]:
    """A category said to be about some groups must be used by a purpose that concerns each of them."""
    problems = []
    data = document.data
    categories, purposes = data.get("data_categories"), data.get("purposes")
    if not isinstance(categories, list) or not isinstance(purposes, list):
        return problems
    for i, category in enumerate(categories):
        if not isinstance(category, dict) or not isinstance(category.get("data_subjects"), list):
            continue
        concerned = {
            s
            for p in purposes
            if isinstance(p, dict) and isinstance(p.get("categories"), list) and category.get("id") in p["categories"]
            for s in (p.get("data_subjects") if isinstance(p.get("data_subjects"), list) else [])
            if isinstance(s, str)
        }
        for j, subject in enumerate(category["data_subjects"]):
            if isinstance(subject, str) and subject not in concerned:
                problems.append(
                    document.problem(
                        ("data_categories", i, "data_subjects", j),
                        f"no purpose that uses '{category.get('id')}' concerns '{subject}': add '{subject}' to such a purpose's data_subjects, or remove it here",
                    )
                )
    return problems


def _source_purposes(document: Document) -> list[Problem]:
    """A source said to feed a purpose must supply some of the data that purpose uses."""
    problems = []
    sources, purposes = document.data.get("sources"), document.data.get("purposes")
    if not isinstance(sources, list) or not isinstance(purposes, list):
        return problems
    uses = {
        p["id"]: [c for c in p["categories"] if isinstance(c, str)]
        for p in purposes
        if isinstance(p, dict) and isinstance(p.get("id"), str) and isinstance(p.get("categories"), list)
    }
    for i, source in enumerate(sources):
        if not isinstance(source, dict) or not isinstance(source.get("purposes"), list) or not isinstance(source.get("categories"), list):
            continue
        for j, ident in enumerate(source["purposes"]):
            if isinstance(ident, str) and ident in uses and not set(uses[ident]) & {c for c in source["categories"] if isinstance(c, str)}:
                problems.append(
                    document.problem(
                        ("sources", i, "purposes", j),
                        f"purpose '{ident}' uses none of this source's categories ({', '.join(map(str, source['categories']))}): "
                        "add the category to the purpose, or remove the purpose here",
                    )
                )
    return problems


def _org_numbers(document: Document) -> list[Problem]:
    """Norwegian organisation numbers carry a modulus-11 check digit: catch typos."""
    problems = []
    org = document.data.get("organisation")
    if not isinstance(org, dict):
        return problems
    candidates: list[tuple[FieldPath, Any]] = [(("organisation", "org_number"), org.get("org_number"))]
    roles = org.get("roles")
    if isinstance(roles, dict):
        candidates += list(_walk(roles, ("joint_controllers", "*", "org_number"), ("organisation", "roles")))
    for field, value in candidates:
        if isinstance(value, str):
            digits = value.replace(" ", "")
            if len(digits) == 9 and digits.isascii() and digits.isdigit() and not valid_org_number(digits):
                problems.append(document.problem(field, f"'{value}' is not a valid organisation number (its check digit is wrong)"))
    return problems


def valid_org_number(digits: str) -> bool:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    remainder = sum(int(d) * w for d, w in zip(digits[:8], weights)) % 11
    check = 0 if remainder == 0 else 11 - remainder
    return check != 10 and check == int(digits[8])


# -- every string of the document -------------------------------------------------------------

#: Characters no text may hold: C0 controls (newline only where a text may have several lines), DEL,
#: C1 controls, lone surrogates (not encodable: a release would fail half-way), the noncharacters
#: U+FFFE/U+FFFF, and bidirectional embeddings, overrides and isolates, which reorder what a reader
#: sees ("Trojan Source"), so that a name reads differently from what it is.
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_INVISIBLE = re.compile("[\\s\u200b\u200c\u200d\u2060\ufeff]")
#: Where a country is named: checked against ISO 3166-1 alpha-2, whatever the schema's structure.
COUNTRY_KEYS = {"country", "countries", "locations", "third_countries"}
#: Common codes that are not ISO 3166-1, and the code meant.
COUNTRY_HINTS = {"UK": "GB", "EL": "GR", "EN": "GB"}
#: Art. 12(3): one month, extendable by two further months where necessary.
MAX_RESPONSE_DAYS = 92
#: No retention, cookie lifetime or other period in a notice is longer than this.
MAX_DURATION_YEARS = 100


def describe(ch: str) -> str:
    return f"U+{ord(ch):04X}"


def text_problem(value: str, *, multiline: bool) -> str | None:
    """Why `value` cannot be a text from content, or None. Used for the notice and for command-line
    values that are recorded (--reason, --approved-by)."""
    bad = _FORBIDDEN.search(value)
    if bad is None and not multiline and "\n" in value:
        return "a line break is not allowed here: write it on one line"
    if bad is not None:
        ch = bad.group()
        if "\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069":
            kind = "a bidirectional override character"
        elif "\ud800" <= ch <= "\udfff":
            kind = "a broken character, a lone UTF-16 surrogate,"
        elif ch == "\t":
            kind = "a tab character"
        else:
            kind = "an invisible control character"
        return f"holds {kind} ({describe(ch)}) at position {bad.start() + 1}: delete it"
    if value and not _INVISIBLE.sub("", value):
        return "is only spaces or invisible characters: write the text, or remove the field"
    return None


def every_string(document: Document) -> list[Problem]:
    """Every key and string value of the document, wherever the schema puts it: no control or bidi
    characters, no whitespace-only texts; line breaks only in texts given per language; countries
    from ISO 3166-1; durations within bounds."""
    problems: list[Problem] = []

    def visit(node: Any, field: FieldPath, in_text: bool, key: str | None) -> None:
        if isinstance(node, dict):
            text = bool(node) and set(node) <= LANGUAGE_KEYS
            for k, value in node.items():
                why = text_problem(k, multiline=False) if isinstance(k, str) else None
                if why:
                    problems.append(document.problem(field + (k,), f"this key {why}", at="key"))
                    continue
                visit(value, field + (k,), text, k)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, field + (i,), False, key)
        elif isinstance(node, str):
            why = text_problem(node, multiline=in_text)
            if why is None and in_text and node == "":
                why = "is empty: write the text in this language"
            if why is None and key in COUNTRY_KEYS:
                why = _country_problem(node)
            if why is None:
                why = _duration_problem(node, key)
            if why:
                problems.append(document.problem(field, why))

    visit(document.data, (), False, None)
    return problems


def _country_problem(code: str) -> str | None:
    from .words import iso_countries

    if code in iso_countries() or not re.fullmatch("[A-Z]{2}", code):
        return None  # a code of the wrong shape is the schema's to report
    hint = COUNTRY_HINTS.get(code)
    return f"'{code}' is not an ISO 3166-1 country code" + (f"; did you mean '{hint}'?" if hint else "")


def _duration_problem(value: str, key: str | None) -> str | None:
    parts = period_parts(value)
    if parts is None:
        return None
    years, months, weeks, days = parts
    total_days = years * 365.25 + months * 30.44 + weeks * 7 + days
    if key == "response_time" and total_days > MAX_RESPONSE_DAYS:
        return f"'{value}' is longer than GDPR Art. 12(3) allows: at most three months (one month, extendable by two), e.g. P1M"
    if total_days > MAX_DURATION_YEARS * 365.25:
        return f"'{value}' is longer than {MAX_DURATION_YEARS} years: check the number (e.g. P10Y for ten years)"
    return None
