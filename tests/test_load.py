"""The document stage: YAML text in, plain data and positions out, or one located problem."""

from __future__ import annotations

import json

import pytest

from generator.content import read_inside
from generator.document import MAX_BYTES, MAX_DEPTH, read_document
from generator.errors import ContentError
from tests.notice_text import minimal_text as _minimal_text
from tests.notice_text import replace_once, where


def problem_lines(path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_document(path)
    return [str(p) for p in caught.value.problems]


def test_reads_the_fixture_into_plain_data(write_notice):
    document = read_document(write_notice())
    assert document.name == "content/notice.yaml"
    assert document.data["organisation"]["address"]["postal_code"] == "5013"
    assert document.data["languages"]["available"] == ["nb", "en"]
    assert document.data["automated_decisions"] == []
    # plain types only: later stages and the JSON freeze must not see ruamel's subclasses
    assert json.loads(json.dumps(document.data)) == document.data
    for value in (document.data["organisation"]["name"], document.data["organisation"]["org_number"]):
        assert type(value) is str
    assert type(document.data["organisation"]["roles"]["controller"]) is bool
    assert type(document.data["organisation"]) is dict and type(document.data["purposes"]) is list


@pytest.mark.parametrize("word", ["no", "yes", "on", "off", "No", "NO", "y", "n"])
def test_yaml_1_2_keeps_norwegian_no_and_friends_as_text(write_notice, word):
    path = write_notice(("  default: nb", f"  default: {word}"))
    assert read_document(path).data["languages"]["default"] == word


def test_true_and_false_are_still_booleans_and_numbers_numbers(write_notice):
    path = write_notice(("automated_decisions: []\n", "automated_decisions: []\nx: [true, false, 30, 1.5, null, 010]\n"))
    assert read_document(path).data["x"] == [True, False, 30, 1.5, None, 10]


@pytest.mark.parametrize("date", ["2024-02-30", "2024-01-31", "2024-1-1"])
def test_dates_stay_as_written_for_the_format_checker(write_notice, date):
    path = write_notice(("automated_decisions: []\n", f"automated_decisions: []\nwhen: {date}\n"))
    assert read_document(path).data["when"] == date


def test_positions_are_1_based_and_point_at_the_value_or_the_key(write_notice):
    path = write_notice()
    text = path.read_text()
    document = read_document(path)

    def at(field, **kw):
        problem = document.problem(field, "m", **kw)
        return problem.line, problem.column

    assert at(("languages",), at="key") == (3, 1)  # lines 1-2 are comments
    assert at(("organisation", "address", "city")) == where(text, "    city: Bergen", "Bergen")
    assert at(("organisation", "address", "city"), at="key") == where(text, "    city: Bergen", "city")
    assert at(("purposes", 0, "legal_basis")) == where(text, "legal_basis: contract", "contract")
    assert at(("languages", "available", 1)) == where(text, "[nb, en]", "en")
    assert at(("purposes", 0)) == where(text, "id: customer_service")
    assert at(("organisation", "org_number")) == where(text, '"916 752 342"')


def test_an_absent_field_is_located_at_its_nearest_ancestor(write_notice):
    path = write_notice()
    document = read_document(path)
    problem = document.problem(("organisation", "dpo", "email"), "m")
    assert (problem.line, problem.column) == where(path.read_text(), "  name: Fjordlys", "name")  # organisation's fields
    assert problem.field == "organisation.dpo.email"


def test_an_empty_value_is_located_at_its_key_not_at_the_next_line(write_notice):
    path = write_notice(("    city: Bergen", "    city:"))
    document = read_document(path)
    problem = document.problem(("organisation", "address", "city"), "m")
    assert (problem.line, problem.column) == where(path.read_text(), "    city:\n", "city")


def test_a_key_that_is_not_text_is_still_located(write_notice):
    path = write_notice(("changes:\n  channels: [email]\n", "changes:\n  channels: [email]\n  14: x\n"))
    document = read_document(path)
    problem = document.problem(("changes", "14"), "m", at="key")
    assert (problem.line, problem.column) == where(path.read_text(), "  14: x", "14")


def test_list_items_are_named_by_their_id_or_name_in_field_paths(write_notice):
    path = write_notice(("  - id: customers\n", "  - name: {nb: a, en: b}\n  - id: customers\n"))
    document = read_document(path)
    assert document.problem(("purposes", 0, "legal_basis"), "m").field == "purposes[customer_service].legal_basis"
    assert document.problem(("cookies", 0, "duration"), "m").field == "cookies[session].duration"
    assert document.problem(("data_subjects", 0, "name"), "m").field == "data_subjects[0].name"


def test_an_anchor_alone_is_harmless(write_notice):
    path = write_notice(("  email: post@fjordlys.example", "  email: &mail post@fjordlys.example"))
    assert read_document(path).data["organisation"]["email"] == "post@fjordlys.example"


def test_scalar_aliases_are_refused_where_they_are_written(write_notice):
    path = write_notice(
        ("  email: post@fjordlys.example", "  email: &mail post@fjordlys.example"),
        ("    email: personvern@fjordlys.example", "    email: *mail"),
    )
    line, column = where(path.read_text(), "*mail")
    assert problem_lines(path) == [f"content/notice.yaml:{line}:{column}: YAML aliases (*name) are not supported: write the value out in full"]


def test_mapping_aliases_and_merge_keys_are_refused(write_notice, minimal_text):
    text = replace_once(minimal_text, "    role:\n", "    role: &role\n")
    alias = "YAML aliases (*name) are not supported: write the value out in full"
    merge = "YAML merge keys (<<) are not supported: write the fields out in full"
    for usage, at, message in (("    name: *role\n", "*role", alias), ("    name:\n      <<: *role\n", "<<", merge)):
        edited = replace_once(text, "    name:\n      nb: Kundeservice\n      en: Customer service\n", usage)
        path = write_notice(text=edited)
        line, column = where(edited, usage, at)
        assert problem_lines(path) == [f"content/notice.yaml:{line}:{column}: {message}"]


@pytest.mark.parametrize("value", ["{nb: x, en: y}", "5", "[a, b]", "", "{<<: {a: 1}}"])
def test_merge_keys_of_any_value_are_refused_like_aliases(write_notice, value):
    usage = f"    name:\n      <<: {value}\n      nb: Kundeservice\n      en: Customer service\n"
    edited = replace_once(_minimal_text(), "    name:\n      nb: Kundeservice\n      en: Customer service\n", usage)
    path = write_notice(text=edited)
    line, column = where(edited, usage, "<<")
    assert problem_lines(path) == [f"content/notice.yaml:{line}:{column}: YAML merge keys (<<) are not supported: write the fields out in full"]


def test_billion_laughs_is_refused_at_the_first_alias(write_notice):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = write_notice(text="\n".join(lines) + "\n")
    assert problem_lines(path) == ["content/notice.yaml:2:8: YAML aliases (*name) are not supported: write the value out in full"]


def test_markdown_emphasis_at_the_start_of_a_value_is_explained(write_notice):
    path = write_notice(("      en: managing director", "      en: *managing* director"))
    line, column = where(path.read_text(), "*managing*")
    assert problem_lines(path) == [
        f"content/notice.yaml:{line}:{column}: a value starting with '*' is read as a YAML alias: put the text in quotes"
    ]


def test_file_over_the_size_limit_is_refused_before_parsing(write_notice):
    path = write_notice(text="a: b\n")
    with path.open("r+b") as f:
        f.truncate(MAX_BYTES + 1)  # sparse: zeros that would be a syntax error if parsed
    assert problem_lines(path) == ["content/notice.yaml:1:1: file is larger than 2 MB, the most this file may hold"]


def test_non_utf8_is_located_in_characters_as_editors_count(write_notice, minimal_text):
    # "på" before the bad byte is two bytes in UTF-8 but one column in an editor
    raw = minimal_text.encode("utf-8").replace("spørsmål".encode(), "spørsmål".encode("latin-1"))
    path = write_notice(text=raw)
    line, column = where(minimal_text, "spørsmål", "ø")
    assert problem_lines(path) == [f"content/notice.yaml:{line}:{column}: file is not UTF-8 text; save it with UTF-8 encoding"]


def test_utf16_is_not_utf8(write_notice):
    path = write_notice(text="a: b\n".encode("utf-16"))
    assert problem_lines(path) == ["content/notice.yaml:1:1: file is not UTF-8 text; save it with UTF-8 encoding"]


def test_a_utf8_byte_order_mark_is_accepted(write_notice, minimal_text):
    path = write_notice(text=b"\xef\xbb\xbf" + minimal_text.encode("utf-8"))
    assert read_document(path).data["languages"]["default"] == "nb"


def test_control_characters_are_located(write_notice):
    path = write_notice(("    city: Bergen", "    city: Ber\x07gen"))
    line, column = where(path.read_text(), "\x07")
    assert problem_lines(path) == [f"content/notice.yaml:{line}:{column}: invisible control character (U+0007): delete it"]


@pytest.mark.parametrize(
    "text",
    ["", "\n\n   \n", "# only a comment\n", "# yaml-language-server: $schema=../schema/notice.schema.json\n\n  # indented comment\n", "---\n", "---\n...\n"],
    ids=["empty", "blank-lines", "comment", "comments", "document-marker", "empty-document"],
)
def test_an_empty_file_is_one_clear_problem(write_notice, text):
    assert problem_lines(write_notice(text=text)) == ["content/notice.yaml:1:1: file is empty"]


@pytest.mark.parametrize("text", ["- languages\n- organisation\n", "just some text\n", "42\n"], ids=["list", "text", "number"])
def test_the_top_level_must_be_a_mapping(write_notice, text):
    assert problem_lines(write_notice(text=text)) == [
        "content/notice.yaml:1:1: the file must be a mapping of fields (key: value), not a single value or a list"
    ]


def test_a_folder_where_the_file_should_be_is_reported_not_raised(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notice.yaml").mkdir()
    [line] = problem_lines(tmp_path / "notice.yaml")
    assert line == "notice.yaml:1:1: file is a folder, not a file"


def test_nesting_up_to_the_limit_is_accepted(write_notice):
    path = write_notice(text="a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert read_document(path).data["a"] is not None


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 1_000, 100_000])
def test_deep_nesting_is_refused_at_the_first_level_too_deep_without_recursion_error(write_notice, depth):
    text = "a: " + "[" * depth + "]" * depth + "\n"
    path = write_notice(text=text)
    column = len("a: ") + MAX_DEPTH + 1  # the (MAX_DEPTH + 1)th bracket
    assert problem_lines(path) == [f"content/notice.yaml:1:{column}: nesting is too deep (more than {MAX_DEPTH} levels)"]


def test_deep_block_nesting_is_refused_too(write_notice):
    text = "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v: 1\n"
    [line] = problem_lines(write_notice(text=text))
    assert line.endswith(f"nesting is too deep (more than {MAX_DEPTH} levels)")
    assert int(line.split(":")[1]) <= MAX_DEPTH + 2  # located where the limit is crossed, not at the end


def test_duplicate_keys_are_refused_at_the_second_one(write_notice):
    path = write_notice(("    city: Bergen\n", "    city: Bergen\n    street: Nygata 1\n"))
    line, column = where(path.read_text(), "    street: Nygata 1", "street")
    assert problem_lines(path) == [f'content/notice.yaml:{line}:{column}: duplicate key "street": each key may appear only once in a mapping']


# Syntax errors: ruamel's wording ("expected <block end>, but found '<scalar>'") is replaced by
# plain words, located where the mistake is.
SYNTAX = [
    pytest.param(
        ("    city: Bergen", "     city: Bergen"),
        ("     city: Bergen", "city"),
        "YAML syntax error: this line is indented differently from the lines before it: keys of one mapping start in the same column",
        id="indented-too-far",
    ),
    pytest.param(
        ("  email: post@fjordlys.example", " email: post@fjordlys.example"),
        (" email: post@fjordlys.example", "email"),
        "YAML syntax error: this line is indented differently from the lines before it: keys of one mapping start in the same column",
        id="indented-too-little",
    ),
    pytest.param(
        ("  name: Fjordlys Regnskap AS", "  name: Fjordlys: Regnskap AS"),
        ("Fjordlys: Regnskap", ":"),
        "YAML syntax error: a second ':' in this value: put text that contains ': ' in quotes",
        id="colon-in-value",
    ),
    pytest.param(
        ("  website: https://fjordlys.example", "  website https://fjordlys.example"),
        ("  website https", "website"),
        "YAML syntax error: a key without ':' (write key: value)",
        id="missing-colon",
    ),
    pytest.param(
        ("  available: [nb, en]", "  available: [nb, en"),
        ("[nb, en\n", "["),
        "YAML syntax error: this [list] is not closed with ']'",
        id="unclosed-list",
    ),
    pytest.param(
        ("automated_decisions: []", 'automated_decisions: "[]'),
        ('"[]', '"'),
        "YAML syntax error: this quote is not closed",
        id="unclosed-quote-at-end",
    ),
    pytest.param(
        ("      en: managing director", '      en: "managing" director'),
        ('"managing" director', "director"),
        "YAML syntax error: unexpected text: check that every quote is closed and that nothing follows a closing quote",
        id="text-after-quote",
    ),
    pytest.param(
        ("    name: Ingrid Haugen", "    name: @ingrid"),
        ("@ingrid", "@"),
        "YAML syntax error: a value cannot start with '@': put the value in quotes",
        id="reserved-character",
    ),
    pytest.param(
        ("      en: managing director", '      en: "C:\\dokumenter"'),
        ("\\dokumenter", "dokumenter"),  # ruamel points just after the backslash
        "YAML syntax error: '\\d' is no escape in \"double quotes\": use 'single quotes', or write \\\\ for a backslash",
        id="backslash-in-double-quotes",
    ),
    pytest.param(
        ("  default: nb", "\tdefault: nb"),
        ("\tdefault", "\t"),
        "tab character: indent with spaces, not tabs",
        id="tab-indentation",
    ),
]


@pytest.mark.parametrize("edit, anchor, message", SYNTAX)
def test_syntax_errors_are_located_and_in_plain_words(write_notice, edit, anchor, message):
    path = write_notice(edit)
    line, column = where(path.read_text(), *anchor)
    assert problem_lines(path) == [f"content/notice.yaml:{line}:{column}: {message}"]
    assert "<" not in message  # no parser tokens like <block end>


def test_a_second_document_in_the_file_is_a_syntax_error(write_notice, minimal_text):
    path = write_notice(text=minimal_text + "---\nextra: 1\n")
    line = minimal_text.count("\n") + 1
    [problem] = problem_lines(path)
    assert problem.startswith(f"content/notice.yaml:{line}:1: YAML syntax error: ")


@pytest.mark.parametrize(
    "value",
    ["!Viktig melding", "!!str managing director", "!!binary aGVsbG8=", "!!python/object:os.system ls"],
)
def test_yaml_tags_in_content_are_refused_so_no_text_is_silently_lost(write_notice, value):
    path = write_notice(("      en: managing director", f"      en: {value}"))
    line, column = where(path.read_text(), value)
    with pytest.raises(ContentError) as caught:
        read_inside(path, path.parent)
    assert [str(p) for p in caught.value.problems] == [
        f"content/notice.yaml:{line}:{column}: a value starting with '!' is read as a YAML tag: put the text in quotes"
    ]


def test_other_yaml_such_as_mkdocs_config_may_use_tags(tmp_path):
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_url: https://example.org/\nmarkdown_extensions:\n  - emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n")
    assert read_document(config).data["site_url"] == "https://example.org/"
