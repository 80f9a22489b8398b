"""The schema files themselves: valid 2020-12 schemas, documented field by field, closed to unknown keys.

Editors complete and explain fields from these files (the `yaml-language-server` modeline), so a
property without a description is a field a user gets no help with, and an object without
`additionalProperties: false` is a place where a misspelt key is silently ignored.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from generator.releases import LOG_HEADER
from tests.notice_text import MINIMAL

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ["notice.schema.json", "releases.schema.json"]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def load(name: str) -> dict[str, Any]:
    return json.loads((ROOT / "schema" / name).read_text(encoding="utf-8"))


#: keywords whose value maps names to schemas, and keywords whose value is data, not a schema
NAMED_SCHEMAS = ("properties", "$defs", "patternProperties", "dependentSchemas")
DATA = ("enum", "const", "required", "examples", "default")


def subschemas(node: Any, pointer: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object in `node` (a schema, or a list of schemas), with its JSON pointer."""
    if isinstance(node, list):
        for i, value in enumerate(node):
            yield from subschemas(value, f"{pointer}/{i}")
        return
    if not isinstance(node, dict):
        return
    yield pointer, node
    for key, value in node.items():
        if key in DATA:
            continue
        if key in NAMED_SCHEMAS and isinstance(value, dict):
            for name, schema in value.items():
                yield from subschemas(schema, f"{pointer}/{key}/{name}")
        else:
            yield from subschemas(value, f"{pointer}/{key}")


def undocumented(schema: dict[str, Any]) -> list[str]:
    """Pointers of properties that have no description."""
    return [
        f"{pointer}/properties/{name}"
        for pointer, node in subschemas(schema)
        if isinstance(node.get("properties"), dict)
        for name, prop in node["properties"].items()
        if not (isinstance(prop, dict) and isinstance(prop.get("description"), str) and prop["description"].strip())
    ]


def open_objects(schema: dict[str, Any]) -> list[str]:
    """Pointers of object schemas that accept keys they do not declare."""
    out = []
    for pointer, node in subschemas(schema):
        is_object = node.get("type") == "object" or "properties" in node
        if not is_object:
            continue
        extra = node.get("additionalProperties", True)
        if extra is not False and not isinstance(extra, dict):  # a schema there (e.g. clauses) is a deliberate map
            out.append(pointer)
    return out


@pytest.mark.parametrize("name", SCHEMAS)
def test_schema_is_valid_against_the_2020_12_metaschema(name):
    schema = load(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_metaschema_check_rejects_a_broken_schema():
    # the check above is not vacuous: a wrong keyword value fails it
    with pytest.raises(SchemaError):
        Draft202012Validator.check_schema({"type": "object", "properties": {"a": {"type": "text"}}})


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_property_has_a_description(name):
    assert undocumented(load(name)) == []


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_object_refuses_unknown_keys(name):
    assert open_objects(load(name)) == []


def test_the_structure_checks_find_what_they_look_for():
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "a": {"description": "documented", "type": "object", "properties": {"b": {"type": "string"}}},
            "m": {"description": "a map", "type": "object", "additionalProperties": {"type": "string"}},
        },
    }
    assert undocumented(schema) == ["#/properties/a/properties/b"]
    assert open_objects(schema) == ["#/properties/a"]


@pytest.mark.parametrize("name", SCHEMAS)
def test_every_local_ref_resolves(name):
    schema = load(name)
    for pointer, node in subschemas(schema):
        ref = node.get("$ref")
        if isinstance(ref, str):
            assert ref.startswith("#/"), f"{pointer}: only local references are expected, got {ref}"
            target: Any = schema
            for part in ref[2:].split("/"):
                assert isinstance(target, dict) and part in target, f"{pointer}: $ref {ref} does not resolve"
                target = target[part]


def test_defs_are_described_too():
    for name in SCHEMAS:
        for key, definition in load(name).get("$defs", {}).items():
            assert definition.get("description"), f"{name}: $defs/{key} has no description"


def test_clauses_is_the_one_open_map_and_its_values_are_texts():
    clauses = load("notice.schema.json")["properties"]["clauses"]
    assert clauses["additionalProperties"] == {"$ref": "#/$defs/text"}
    assert clauses["propertyNames"] == {"$ref": "#/$defs/id"}


def test_minimal_fixture_passes_an_independent_validator_with_editor_regexes():
    """check-jsonschema evaluates patterns as ECMAScript regexes, as the editors' YAML extension does."""
    tool = Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(tool), "--schemafile", str(ROOT / "schema" / "notice.schema.json"), str(MINIMAL)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def modeline_target(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"{path}: the first line is not a yaml-language-server modeline: {first!r}"
    return (path.parent / match.group(1)).resolve()


def notice_files() -> list[Path]:
    """The fixture, plus the project's own content and examples where present."""
    found = [MINIMAL, *sorted(ROOT.glob("examples/*/notice.yaml"))]
    if (ROOT / "content" / "notice.yaml").exists():
        found.append(ROOT / "content" / "notice.yaml")
    return found


@pytest.mark.parametrize("path", notice_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_content_files_start_with_a_modeline_pointing_at_the_schema(path):
    assert modeline_target(path) == (ROOT / "schema" / "notice.schema.json").resolve()


def test_the_release_log_header_points_at_the_releases_schema():
    content = ROOT / "content"  # the log is written as content/releases.yaml
    first = LOG_HEADER.splitlines()[0]
    match = MODELINE.match(first)
    assert match, first
    assert (content / match.group(1)).resolve() == (ROOT / "schema" / "releases.schema.json").resolve()


def test_editor_settings_map_the_schemas_that_exist():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = settings["yaml.schemas"]
    assert {Path(p).name for p in mapped} == set(SCHEMAS)
    for schema_path in mapped:
        assert (ROOT / schema_path).is_file(), schema_path
