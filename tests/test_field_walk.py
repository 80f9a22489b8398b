"""Every fact a reader sees is compared: driven by the schema, not by a list of fields.

For every leaf field of schema/notice.schema.json (texts, strings, numbers, booleans, enumerations,
lists of values), the test takes a carrier that has the field (content/ and examples/), or adds it
where none has, changes its value, and asserts that the semantic diff names the entity (by its id)
and the field. A field added to the schema is walked by this test without any change to it; the
diff has to compare it (it walks the model), and the model has to carry it.

Fields that are intentionally not compared are listed in NOT_COMPARED with the reason.
"""

from __future__ import annotations

import copy
import json
from typing import Any, Iterator

import pytest

from generator.diff import diff
from generator.document import read_document
from generator.model import EEA, build_notice
from tests.site import REPO

SCHEMA = json.loads((REPO / "schema/notice.schema.json").read_text(encoding="utf-8"))
CARRIERS = [REPO / "content/notice.yaml", *sorted((REPO / "examples").glob("*/notice.yaml"))]

#: Schema paths ("[]" for a list's items) that the diff does not compare, and why.
NOT_COMPARED = {  # noqa: the walk skips these on purpose
    "organisation.roles.controller": "always true (the schema's const): a notice is written by a controller; nothing to change",
    "languages.default": "which language the site opens in; no sentence of the notice changes",
}

#: Reference fields: which collection their ids point into (the consistency check knows the same).
REFERENCES = {
    "categories": "data_categories",
    "data_subjects": "data_subjects",
    "recipients": "recipients",
    "recipient": "recipients",
    "retention": "retention",
    "sub_processors": "recipients",
    "purposes": "purposes",
    "sources": "sources",
}

#: Where the report's key differs from the schema path (the entity is still named by its id).
REPORTED_AS = {
    "organisation.roles.processor.sub_processors": "sub_processors",
}
#: Fields compared per destination country: the report's key is recipients.ID.transfer.COUNTRY[.field].
PER_DESTINATION = "recipients.[].transfer"


def resolve(node: dict) -> dict:
    while "$ref" in node:
        target: Any = SCHEMA
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        rest = {k: v for k, v in node.items() if k != "$ref"}
        node = {**target, **rest}
    return node


def properties(node: dict) -> dict[str, dict]:
    """Every property an object may have, across anyOf/oneOf/allOf/if-then-else branches."""
    node = resolve(node)
    found = dict(node.get("properties", {}))
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(key, ()):
            found.update(properties(branch))
    for key in ("then", "else"):
        if key in node:
            found.update(properties(node[key]))
    return found


def items_of(node: dict) -> dict:
    """The item schema of a list, also when the list is one of a field's shapes (anyOf/oneOf)."""
    node = resolve(node)
    if "items" in node:
        return resolve(node["items"])
    return next(items_of(b) for b in node.get("anyOf", node.get("oneOf", ())) if resolve(b).get("type") == "array")


def is_text(node: dict) -> bool:
    return resolve(node).get("properties", {}).keys() >= {"nb", "en"} and "text" in json.dumps(node)


def leaves(node: dict, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict]]:
    """(path, schema) of every leaf field: a text, a scalar, or a list of scalars. A field that may be
    given in several shapes (anyOf/oneOf: a name as a string or per language, one safeguard or a list)
    is a leaf when one shape is a text or a scalar, else each shape is walked."""
    node = resolve(node)
    branches = [resolve(b) for b in node.get("anyOf", node.get("oneOf", ())) if not set(resolve(b)) <= {"required"}]
    if branches and not node.get("properties"):
        if any(is_text(b) or b.get("type") in ("string", "integer", "boolean") for b in branches):
            yield path, node
            return
        seen = set()
        for branch in branches:
            for found in leaves(branch, path):
                if found[0] not in seen:
                    seen.add(found[0])
                    yield found
        return
    if is_text(node) or (node.get("type") == "object" and "additionalProperties" in node and isinstance(node["additionalProperties"], dict)):
        yield path, node
        return
    props = properties(node)
    if props:
        for name, sub in props.items():
            yield from leaves(sub, path + (name,))
        return
    if node.get("type") == "array":
        items = resolve(node.get("items", {}))
        if properties(items) and not is_text(items):
            yield from leaves(items, path + ("[]",))
        else:
            yield path, node
        return
    yield path, node


#: Fields that identify an entity: changing one is a removal and an addition (tests/test_diff.py), not a change of a field.
IDENTITIES = {
    "id": "every entity's stable id",
    "cookies.[].name": "a cookie is known by its name (it has no id)",
}

FIELDS = [(".".join(p), n) for p, n in leaves(SCHEMA) if p[-1] not in IDENTITIES and ".".join(p) not in IDENTITIES and ".".join(p) not in NOT_COMPARED]


def test_the_walk_finds_the_schema_fields():
    names = {f for f, _ in FIELDS}
    assert {"recipients.[].name", "retention.[].period", "cookies.[].provider", "organisation.dpo.name", "purposes.[].requirement.kind"} <= names
    assert len(FIELDS) > 80


def carriers() -> list[dict]:
    return [read_document(path).data for path in CARRIERS]


CARRIED = carriers()


def locate(data: Any, path: tuple[str, ...]) -> tuple[list, int] | None:
    """The concrete location of `path` in `data` (keys and list indices) and how much of it exists."""

    def walk(value: Any, rest: tuple[str, ...], where: list) -> tuple[list, int]:
        if not rest:
            return where, 0
        head, tail = rest[0], rest[1:]
        if head == "[]":
            if not isinstance(value, list) or not value:
                return where, len(rest)
            best = (where + [0], len(rest) - 1) if tail else (where + [0], 0)
            for i, item in enumerate(value):
                found = walk(item, tail, where + [i])
                if found[1] == 0:
                    return found
                if found[1] < best[1]:
                    best = found
            return best
        if not isinstance(value, dict) or head not in value:
            return where, len(rest)
        return walk(value[head], tail, where + [head])

    return walk(data, path, [])


def get(data: Any, where: list) -> Any:
    for step in where:
        data = data[step]
    return data


def generate(node: dict, name: str, data: dict) -> Any:
    """A valid value for a missing field (required fields of an object included)."""
    node = resolve(node)
    if is_text(node):
        return {"nb": f"Ny tekst for {name}", "en": f"New text for {name}"}
    if "enum" in node:
        return node["enum"][-1]
    if "const" in node:
        return node["const"]
    kind = node.get("type")
    if kind == "object":
        out = {}
        for req in node.get("required", ()):
            out[req] = generate(properties(node)[req], req, data)
        if "id" in properties(node):
            out["id"] = f"generated_{name}"
        return out
    if kind == "array":
        items = resolve(node.get("items", {}))
        if name in REFERENCES:
            return [data[REFERENCES[name]][0]["id"]] if data.get(REFERENCES[name]) else []
        return [generate(items, name, data)] if node.get("minItems") else []
    if kind == "boolean":
        return True
    if kind == "integer":
        return node.get("minimum", 1) + 14
    if name in REFERENCES:
        return data[REFERENCES[name]][0]["id"]
    return sample_string(node, name, None)


def sample_string(node: dict, name: str, current: str | None) -> str:
    pattern = node.get("pattern", "")
    if name in ("period", "duration", "response_time") or pattern.startswith("^P") or "session" in pattern:
        return "P3W" if current != "P3W" else "P2W"
    if name == "org_number" or "[0-9]{3} ?[0-9]{3}" in pattern:
        return "974 760 673" if current != "974 760 673" else "923 609 016"
    if "email" in json.dumps(node) or name == "email":
        return "endret@example.no" if current != "endret@example.no" else "annen@example.no"
    if name == "phone" or "phone" in node.get("description", "").lower():
        return "+47 22 00 00 01" if current != "+47 22 00 00 01" else "+47 22 00 00 02"
    if name in ("website", "form") or "url" in json.dumps(node).lower() and "http" in json.dumps(node):
        return "https://example.no/endret" if current != "https://example.no/endret" else "https://example.no/annen"
    if name in ("country", "locations"):
        return "CH" if current != "CH" else "DK"
    if name == "postal_code":
        return "0150" if current != "0150" else "0151"
    return f"{current or name} Endret"


def mutate(node: dict, name: str, current: Any, data: dict) -> Any:
    """Another valid value for the field."""
    node = resolve(node)
    if current is None:
        return generate(node, name, data)
    if is_text(node):
        return {lang: f"{value} (endret)" if lang == "nb" else f"{value} (changed)" for lang, value in current.items()}
    if isinstance(current, dict):  # clauses: one more company wording
        return {**current, "intro": {"nb": "Vår egen innledning.", "en": "Our own introduction."}}
    if "enum" in node:
        return next(v for v in node["enum"] if v != current)
    if isinstance(current, bool):
        return not current
    if isinstance(current, int):
        return current + 1
    if isinstance(current, list):
        items = resolve(node.get("items", {}))
        if name in REFERENCES:
            extra = [e["id"] for e in data.get(REFERENCES[name], ()) if e["id"] not in current]
            return current + extra[:1] if extra else current[:-1]
        if name == "available":
            return [x for x in current if x != "en"] if "en" in current else current + ["en"]
        if "enum" in items:
            extra = [v for v in items["enum"] if v not in current]
            return current + extra[:1] if extra else current[:-1]
        if name == "locations":
            return current + ["CH" if "CH" not in current else "JP"]
        return current[:-1] if current else [mutate(items, name, None, data)]
    if name in REFERENCES:
        target = data[REFERENCES[name]]
        words = {e["id"]: (e.get("period"), json.dumps(e.get("criterion")), e.get("from")) for e in target} if name == "retention" else {}
        others = [e["id"] for e in target if e["id"] != current and (not words or words[e["id"]] != words.get(current))]
        if others:
            return others[0]
        data[REFERENCES[name]] = target + [dict(next(e for e in target if e["id"] == current), id="another_rule", period="P9Y")]
        return "another_rule"
    return sample_string(node, name, current)


def expected_key(data: dict, where: list, schema_path: str) -> str:
    """The schema path with list indices replaced by the entity's id (a cookie's name)."""
    parts, value = [], data
    for step in where:
        value = value[step]
        if isinstance(step, int):
            parts.append(str(value.get("id", value.get("name"))))
        else:
            parts.append(step)
    key = ".".join(parts)
    return REPORTED_AS.get(schema_path.replace(".[]", ""), key) if schema_path.replace(".[]", "") in REPORTED_AS else key


@pytest.mark.parametrize(("field", "node"), FIELDS, ids=[f for f, _ in FIELDS])
def test_every_reader_visible_field_is_compared(field, node):
    path = tuple(field.split("."))
    located = [(i, locate(d, path)) for i, d in enumerate(CARRIED)]
    index, (where, missing) = min(located, key=lambda x: x[1][1])
    data = copy.deepcopy(CARRIED[index])
    generated_at = None
    if missing:  # no carrier has the field: add it (and the objects above it)
        rest = path[len(path) - missing :]
        parent = get(data, where)
        schema_node = SCHEMA
        for step in path[: len(path) - missing]:
            schema_node = resolve(schema_node)
            schema_node = items_of(schema_node) if step == "[]" else properties(schema_node)[step]
        for step in rest:
            schema_node = resolve(schema_node)
            if step == "[]":
                if isinstance(parent, dict):  # the field is given in its single shape here: use the list shape
                    holder, slot = get(data, where[:-1]), where[-1]
                    item = dict(parent)
                    holder[slot] = parent = []
                    if "countries" in properties(items_of(schema_node)):
                        item["countries"] = [c for c in holder.get("locations", ()) if c not in EEA] or ["US"]
                else:
                    item = generate(items_of(schema_node), path[path.index("[]") - 1] if "[]" in path else "item", data)
                parent.append(item)
                where = where + [len(parent) - 1]
                generated_at = generated_at or list(where)
                parent, schema_node = item, items_of(schema_node)
                continue
            node_here = properties(schema_node)[step]
            if step is rest[-1] and step == path[-1] and rest.index(step) == len(rest) - 1:
                break
            if step not in parent:
                parent[step] = generate(node_here, step, data)
                generated_at = generated_at or where + [step]
            where = where + [step]
            parent, schema_node = parent[step], node_here
        where = where + [path[-1]]
    old_value = get(data, where[:-1]).get(where[-1]) if isinstance(get(data, where[:-1]), dict) else None
    before = copy.deepcopy(data)
    get(data, where[:-1])[where[-1]] = mutate(node, where[-1], old_value, data)
    if generated_at is not None:  # the old version has the added objects too, only this field differs
        before = copy.deepcopy(data)
        holder = get(before, where[:-1])
        if old_value is None:
            holder.pop(where[-1], None)
            if not holder.get(where[-1]) and generated_at == where:
                pass
        else:
            holder[where[-1]] = old_value
    old, new = build_notice(before), build_notice(data)
    changes = diff(old, new).changes
    want = expected_key(data, where, field)
    if field.startswith(PER_DESTINATION):
        want = want[: want.index(".transfer") + len(".transfer")]
    keys = [c.key for c in changes]
    assert any(k == want or k.startswith(want + ".") for k in keys), f"{field}: changed at {want} in {CARRIERS[index].relative_to(REPO)}; the report has {keys}"
