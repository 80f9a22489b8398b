"""The clause library and labels: complete in both languages, and read the same by both parsers."""

from __future__ import annotations

import re

import pytest

from generator.clauses import read_library

PLACEHOLDERS = {"controller", "org_number", "email", "rights_email", "response_time", "authority", "authority_contact",
                "notice_days", "channels", "subprocessor_notice_days", "dpo_name", "dpo_contact", "representative", "effective",
                "version", "langs", "who", "reason",
                "low", "high", "until", "name", "service", "where", "announced"}  # the last line: summary.py and pages.py
#: The customer e-mail's sentences (notify_*) fill these from the two versions of the notice.
NOTIFY_PLACEHOLDERS = {"service", "where", "safeguard", "purposes", "countries", "new", "old", "description", "basis", "interest",
                       "items", "opt_out", "examples", "purpose", "significance", "arrangement", "number"}


@pytest.mark.parametrize("name", ["clauses.yaml", "labels.yaml"])
def test_fast_reading_equals_the_careful_yaml_1_2_reading(name):
    assert read_library(name) == read_library(name, careful=True)


@pytest.mark.parametrize("name", ["clauses.yaml", "labels.yaml"])
def test_every_entry_has_both_languages_and_known_placeholders(name):
    for key, value in read_library(name).items():
        assert isinstance(key, str) and set(value) == {"nb", "en"}, key
        for text in value.values():
            allowed = PLACEHOLDERS | NOTIFY_PLACEHOLDERS if key.startswith("notify_") else PLACEHOLDERS
            assert set(re.findall(r"\$([a-z_]+)", text.replace("$$", ""))) <= allowed, (key, text)


def test_no_wording_the_guidelines_call_unfair():
    for value in read_library("clauses.yaml").values():
        assert not re.search(r"regularly|jevnlig|outside the EU(?!/EEA)|utenfor EU(?!/EØS)", value["en"] + value["nb"])
