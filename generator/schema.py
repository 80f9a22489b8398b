"""JSON Schema validation with messages a person who edits YAML can act on."""

from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from .document import Document
from .errors import Problem

NOTICE_SCHEMA = "notice.schema.json"
RELEASES_SCHEMA = "releases.schema.json"


def schema_dir() -> Path:
    """schema/ ships inside the wheel as generator/schema; in a checkout it is the top-level schema/."""
    here = Path(__file__).resolve().parent
    bundled = here / "schema"
    return bundled if bundled.is_dir() else here.parent / "schema"


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))


def ecma_pattern(pattern: str) -> str:
    """A JSON Schema (ECMA-262) pattern as a Python one with the same meaning: ECMA's `$` matches only
    at the very end, Python's also before a final newline, which let "916752342\\n" pass "^[0-9]{9}$"."""
    out, i, in_class = [], 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if ch == "[":
            in_class = True
        elif ch == "]":
            in_class = False
        elif ch == "$" and not in_class:
            ch = r"\Z"
        out.append(ch)
        i += 1
    return "".join(out)


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(ecma_pattern(pattern))


def _pattern(validator, pattern: str, instance: Any, schema: dict):
    if validator.is_type(instance, "string") and not _compiled(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@lru_cache(maxsize=None)
def _validator(name: str) -> Draft202012Validator:
    return _Validator(load_schema(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


def is_valid(data: Any, schema_name: str) -> bool:
    return _validator(schema_name).is_valid(data)


def validate(document: Document, schema_name: str) -> list[Problem]:
    """Every schema violation in `document`, one Problem each, located at the offending key or value."""
    errors = list(_validator(schema_name).iter_errors(document.data))
    # A value of the wrong type fails its value checks too (`controller: yes` is no boolean and not
    # true), and an address that is no e-mail misses the pattern as well: say each problem once.
    wrong_type = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    bad_format = {tuple(e.absolute_path) for e in errors if e.validator == "format"}
    problems = []
    for error in errors:
        path = tuple(error.absolute_path)
        if (path in wrong_type and error.validator != "type") or (path in bad_format and error.validator == "pattern"):
            continue
        problems.extend(_problems(document, error))
    return problems


def _problems(document: Document, error: ValidationError) -> list[Problem]:
    path = tuple(error.absolute_path)
    kind = error.validator
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(error.schema.get("properties", {}))
        out = []
        for key in error.instance:
            if key in allowed:
                continue
            out.append(document.problem(path + (key,), _unknown(key, allowed), at="key"))
        return out
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        problem = document.problem(path, f"required field '{missing}' is missing")
        field = problem.field + ("." if problem.field else "") + missing
        return [Problem(problem.file, problem.line, problem.column, field, problem.message)]
    if kind == "anyOf" and error.schema.get("anyOf") and all("required" in s for s in error.schema["anyOf"]):
        names = " or ".join(f"'{s['required'][0]}'" for s in error.schema["anyOf"])
        return [document.problem(path, f"give {names}")]
    if kind == "anyOf" and error.context:
        # Shapes told apart by type (one rule id or a list of rules; one safeguard or one per country):
        # when the value has the type of exactly one shape, that shape's own problems say what to fix.
        branches: dict[int, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        fitting = [subs for subs in branches.values() if not any(s.validator == "type" and not s.relative_path for s in subs)]
        if len(fitting) == 1:
            return [p for sub in fitting[0] for p in _problems(document, sub)]
        if not fitting:  # the value has none of the shapes' types: name them all
            wanted = [_message(s).split(", got ")[0].removeprefix("expected ") for subs in branches.values() for s in subs if s.validator == "type" and not s.relative_path]
            return [document.problem(path, f"expected {' or '.join(dict.fromkeys(wanted))}, got {_describe(error.instance)}")]
    return [document.problem(path, _message(error))]


def _unknown(key: str, allowed: list[str]) -> str:
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    hint = f"; did you mean '{close[0]}'?" if close else f"; allowed here: {', '.join(allowed)}"
    if set(allowed) == {"nb", "en"} and " " in key:
        hint += " (a comma inside {nb: ..., en: ...} splits the text: put the text in quotes)"
    return f"unknown field '{key}'{hint}"


_TYPE_NAMES = {
    "object": "a mapping of fields",
    "array": "a list",
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _message(error: ValidationError) -> str:
    kind, schema, value = error.validator, error.schema, error.instance
    if kind == "type":
        expected = schema.get("type")
        names = [expected] if isinstance(expected, str) else list(expected or [])
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        if names == ["object"] and "nb" in schema.get("properties", {}):
            wanted = "text in each language, e.g. {nb: ..., en: ...}"
        return f"expected {wanted}, got {_describe(value)}"
    if kind == "enum":
        options = [str(o) for o in schema["enum"]]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"{_describe(value)} is not allowed; choose one of: {', '.join(options)}{hint}"
    if kind == "const":
        return f"must be {_describe(schema['const'])}"
    if kind == "format":
        if schema.get("format") == "date":
            return f"{_describe(value)} is not a valid date; write it as YYYY-MM-DD, e.g. 2025-01-31"
        return f"{_describe(value)} is not a valid {schema.get('format')}"
    if kind == "pattern":
        return f"{_describe(value)} is not valid: {schema.get('description', 'does not match ' + schema['pattern'])}"
    if kind == "minItems":
        return "must not be empty" if schema["minItems"] == 1 else f"needs at least {schema['minItems']} items"
    if kind in ("minLength", "minProperties"):
        return "must not be empty"
    if kind == "maxLength":
        return f"is longer than {schema['maxLength']} characters"
    if kind == "uniqueItems":
        return "lists the same item twice"
    if kind in ("minimum", "maximum"):
        bound = schema[kind]
        return f"{_describe(value)} is {'below' if kind == 'minimum' else 'above'} the {kind} {bound}"
    if kind == "propertyNames":
        return f"{error.message}"
    return error.message
