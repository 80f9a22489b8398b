"""The clause library: our standard wording of a notice, in bokmål and English.

The texts live in library/clauses.yaml (paragraphs a company may override) and library/labels.yaml
(headings, table headers and names of legal terms), side by side per language so a reviewer sees
both at once. Clauses are Markdown with $placeholders filled from the notice.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from string import Template
from types import MappingProxyType
from typing import Mapping

from .document import read_document
from .model import Text
from .safety import escape_markdown

LIBRARY = Path(__file__).resolve().parent / "library"


@lru_cache(maxsize=None)
def _load(name: str) -> Mapping[str, Mapping[str, str]]:
    """The library is ours and fixed, so it is read with libyaml, which is many times faster than
    ruamel.yaml; tests/test_library.py checks that both readings agree (no YAML 1.1 surprises)."""
    data = read_library(name)
    return MappingProxyType({key: MappingProxyType(dict(value)) for key, value in data.items()})


def reload() -> None:
    """Forget the library read so far, so that a preview (`mkdocs serve`) shows an edited library file."""
    _load.cache_clear()


def read_library(name: str, *, careful: bool = False) -> dict:
    path = LIBRARY / name
    if not careful:
        try:
            import yaml as pyyaml

            return pyyaml.load(path.read_text(encoding="utf-8"), Loader=pyyaml.CSafeLoader)  # noqa: S506
        except (ImportError, AttributeError):
            pass
    return read_document(path).data


def clause_ids() -> frozenset[str]:
    """The ids a company may override under `clauses:` in its content."""
    return frozenset(_load("clauses.yaml"))


def clause(ident: str, lang: str, overrides: Mapping[str, Text] | None = None, **values: str) -> str:
    """The text of clause `ident` in `lang`, the company's own wording first, with $placeholders filled.

    `values` must already be escaped for Markdown: they come from the company's YAML.
    """
    own = overrides.get(ident) if overrides else None
    # the company's own wording is content like any other: Markdown allowed, raw HTML made text
    text = escape_markdown(own(lang)) if own is not None else _load("clauses.yaml")[ident][lang]
    return Template(text.strip()).safe_substitute(values)


def label(ident: str, lang: str) -> str:
    """A short fixed string: a heading, a table header, the name of a legal term."""
    return _load("labels.yaml")[ident][lang]

