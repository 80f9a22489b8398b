"""The broken-input corpus: over 50 ways a notice goes wrong, each run through the real command.

Every case must give: exit 1, one line per problem naming file:line:column, no traceback, nothing
written, and it must stay within bounds: at most 2 s of CPU time (user + system, which unlike wall
time does not depend on what else the machine is doing) and 512 MiB of address space (RLIMIT_AS),
the bound we state for hostile input.
"""

from __future__ import annotations

import hashlib
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).parent / "privacy-notice")
VALID = (Path(__file__).parent / "fixtures/minimal/notice.yaml").read_text(encoding="utf-8")
MEMORY_LIMIT = 512 * 1024 * 1024
CPU_SECONDS = 2.0
LINE = re.compile(r"^\S.*:\d+:\d+: .+$")
#: What a terminal would act on rather than show: C0 controls but the newline, DEL, C1, bidi controls.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def sub(old: str, new: str, count: int = 1):
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)

    return edit


def append(extra: str):
    return lambda text: text + extra


def whole(content: str | bytes):
    return lambda text: content


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))

CASES = {
    "syntax_unclosed_flow": sub("available: [nb, en]", "available: [nb, en"),
    "syntax_unclosed_quote": sub('org_number: "916 752 342"', 'org_number: "916 752 342'),
    "syntax_bad_indent": sub("  default: nb", "   default: nb"),
    "syntax_second_document": append("---\nlanguages: {}\n"),
    "tab_indentation": sub("  default: nb", "\tdefault: nb"),
    "tab_after_bom": lambda t: "\ufeff" + t.replace("  default: nb", "\tdefault: nb"),
    "duplicate_top_key": append("rights:\n  contact:\n    email: a@b.example\n"),
    "duplicate_nested_key": sub("    city: Bergen", "    city: Bergen\n    city: Oslo"),
    "wrong_type_name_list": sub("  name: Fjordlys Regnskap AS", "  name: [Fjordlys]"),
    "wrong_type_basis_number": sub("legal_basis: contract", "legal_basis: 6"),
    "wrong_type_text_plain": sub("      nb: kunder\n      en: customers", "      kunder"),
    "wrong_type_controller_yes": sub("controller: true", "controller: yes"),
    "null_required_text": sub("    description:\n      nb: Vi svarer på spørsmål fra kundene våre.\n      en: We answer our customers' questions.", "    description:"),
    "unknown_top_key": append("cookie_banner: true\n"),
    "unknown_nested_key": sub("  email: post@fjordlys.example", "  emial: post@fjordlys.example"),
    "unknown_language_key": sub("      en: customers", "      de: Kunden"),
    "missing_translation_en": sub("      nb: kunder\n      en: customers", "      nb: kunder"),
    "missing_translation_nb": sub("      nb: Kundeservice\n", ""),
    "missing_required_org_email": sub("  email: post@fjordlys.example\n", ""),
    "missing_required_purposes": lambda t: re.sub(r"purposes:\n(?:  .*\n|    .*\n)+", "", t),
    "dangling_category": sub("    categories: [contact_details]\n    recipients", "    categories: [contact_detail]\n    recipients"),
    "dangling_recipient": sub("recipients: [mail_host]", "recipients: [mailhost]"),
    "dangling_retention": sub("retention: three_years", "retention: 3_years"),
    "dangling_subject": sub("data_subjects: [customers]", "data_subjects: [clients]"),
    "duplicate_retention_id": sub("    from: last_contact", "    from: last_contact\n  - id: three_years\n    period: P1Y\n    from: collection"),
    "duplicate_cookie_name": sub("cookies:\n", "cookies:\n  - name: session\n    provider: X\n    party: first\n    purpose: {nb: x, en: x}\n    category: necessary\n    duration: session\n"),
    "invalid_duration_words": sub("period: P3Y", "period: 3 years"),
    "invalid_duration_empty_p": sub("period: P3Y", "period: P"),
    "invalid_duration_time_part": sub("period: P3Y", "period: PT3H"),
    "invalid_cookie_duration": sub("duration: session", "duration: forever"),
    "retention_without_period_or_criterion": sub("    period: P3Y\n", ""),
    "bad_email": sub("email: post@fjordlys.example", "email: post(at)fjordlys"),
    "bad_url_javascript": sub("website: https://fjordlys.example", "website: javascript:alert(1)"),
    "bad_phone": sub("  website: https://fjordlys.example", "  website: https://fjordlys.example\n  phone: 22 33 44 55"),
    "org_number_check_digit": sub('"916 752 342"', '"916 752 343"'),
    "org_number_letters": sub('"916 752 342"', '"916 75A 342"'),
    "enum_typo_legal_basis": sub("legal_basis: contract", "legal_basis: contrakt"),
    "enum_typo_cookie_category": sub("category: necessary", "category: neccessary"),
    "enum_typo_safeguard": sub("safeguard: scc", "safeguard: sccs"),
    "country_lowercase": sub("locations: [NO, US]", "locations: [no, us]"),
    "id_uppercase": sub("- id: customers", "- id: Customers"),
    "id_with_space": sub("- id: three_years", "- id: three years"),
    "legitimate_interests_without_interest": sub("legal_basis: contract", "legal_basis: legitimate_interests"),
    "special_category_without_art9": sub("      en: contact details", "      en: contact details\n    special_category: true"),
    "default_language_not_available": sub("  available: [nb, en]", "  available: [en]"),
    "languages_empty": sub("  available: [nb, en]", "  available: []"),
    "language_not_supported": sub("  available: [nb, en]", "  available: [nb, de]"),
    "empty_file": whole(""),
    "comment_only_file": whole("# nothing here yet\n"),
    "top_level_list": whole("- languages\n- organisation\n"),
    "top_level_scalar": whole("just some text\n"),
    "non_utf8_latin1": whole("languages:\n  available: [nb, en]\n  default: nb\norganisation:\n  name: Fj\xf8rd AS\n".encode("latin-1")),
    "utf16": whole(VALID.encode("utf-16")),
    "control_character": sub("Strandgaten 12", "Strandgaten\x07 12"),
    "python_tag": sub("  name: Fjordlys Regnskap AS", "  name: !!python/object/apply:os.system [ls]"),
    "alias_to_mapping": sub("    role:\n      nb: daglig leder\n      en: managing director", "    role: &r\n      nb: daglig leder\n      en: managing director\n  x_role: *r"),
    "merge_key_alias": sub("    role:\n      nb: daglig leder\n      en: managing director", "    role: &r\n      nb: daglig leder\n      en: managing director\n    title:\n      <<: *r"),
    "billion_laughs": whole(LAUGHS),
    "deep_flow_nesting": whole("a: " + "[" * 5000 + "]" * 5000 + "\n"),
    "deep_block_nesting": whole("".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n"),
    "line_of_3_mb": sub("Strandgaten 12", "S" * 3_000_000),
    "file_50_mb": whole(b"# " + b"x" * (50 * 1024 * 1024) + b"\n"),
    # hostile text: every string of the notice is checked, wherever it is
    "org_number_trailing_newline": sub('"916 752 342"', '"916 752 343\\n"'),
    "id_trailing_newline": sub("- id: customers", '- id: "customers\\n"'),
    "name_with_newline_bcc": sub("  name: Fjordlys Regnskap AS", '  name: "Fjordlys Regnskap AS\\nBcc: all@example.test"'),
    "name_with_escape_sequence": sub("  name: Fjordlys Regnskap AS", '  name: "Fjordlys\\e[2K\\rvalid"'),
    "id_with_escape_sequence": sub("- id: three_years\n", '- id: "three_years\\e[1A\\e[2K"\n'),
    "name_with_c1_control": sub("  name: Fjordlys Regnskap AS", '  name: "Fjordlys\\x9b2J"'),
    "name_with_bidi_override": sub("  name: Fjordlys Regnskap AS", "  name: Fjordlys \u202eSA sgnskaR"),
    "name_with_bidi_isolate": sub("    name: Nordpost Hosting AS", "    name: Nordpost \u2067Hosting AS"),
    "name_with_tab": sub("  name: Fjordlys Regnskap AS", '  name: "Fjordlys\\tRegnskap AS"'),
    "lone_surrogate_escaped": sub("  name: Fjordlys Regnskap AS", '  name: "Fjordlys \\udc80"'),
    "noncharacter": sub("  name: Fjordlys Regnskap AS", '  name: "Fjordlys \\uffff"'),
    "key_with_control_character": append('clauses:\n  "intro\\e[2K": {nb: x, en: y}\n'),
    "translation_only_spaces": sub("      en: customers", '      en: "   "'),
    "translation_only_zero_width": sub("      en: customers", '      en: "\\u200b\\u2060"'),
    "translation_empty": sub("      en: customers", '      en: ""'),
    "name_only_spaces": sub("  name: Fjordlys Regnskap AS", '  name: "  "'),
    "country_xx": sub("locations: [NO, US]", "locations: [NO, XX]"),
    "country_uk": sub("locations: [NO, US]", "locations: [NO, UK]"),
    "response_time_9999_months": sub("  contact:\n    email: personvern@fjordlys.example", "  response_time: P9999M\n  contact:\n    email: personvern@fjordlys.example"),
    "response_time_four_months": sub("  contact:\n    email: personvern@fjordlys.example", "  response_time: P4M\n  contact:\n    email: personvern@fjordlys.example"),
    "retention_10e22_years": sub("period: P3Y", "period: P10000000000000000000000Y"),
    "cookie_duration_1000_years": sub("duration: session", "duration: P1000Y"),
    "merge_key_inline_bad_value": sub("    role:\n      nb: daglig leder", "    role:\n      <<: 5\n      nb: daglig leder"),
    "merge_key_inline_mapping": sub("    role:\n      nb: daglig leder", "    role:\n      <<: {nb: x}\n      nb: daglig leder"),
    "unicode_digits_org_number": sub('"916 752 342"', '"９１６ ７５２ ３４２"'),
}


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = subprocess.run([CLI, *args], cwd=cwd, capture_output=True, text=True, timeout=60, preexec_fn=limit_memory)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return result, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def test_the_corpus_has_at_least_fifty_cases():
    assert len(CASES) >= 50


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_gives_located_one_line_errors_exit_1_and_writes_nothing(case, tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    broken = CASES[case](VALID)
    path = content / "notice.yaml"
    path.write_bytes(broken if isinstance(broken, bytes) else broken.encode("utf-8", "surrogatepass"))
    before = snapshot(tmp_path)
    result, cpu = run(["check", "content"], tmp_path)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert not CONTROL.search(result.stdout + result.stderr), "output holds control characters: " + repr(result.stderr[-500:])
    lines = [line for line in result.stderr.splitlines() if not line.endswith("found.")]
    assert lines and all(LINE.match(line) for line in lines), result.stderr[-2000:]
    assert all(line.startswith("content/notice.yaml:") for line in lines), lines
    assert snapshot(tmp_path) == before
    assert cpu < CPU_SECONDS, f"{case}: {cpu:.2f} s of CPU"


def test_a_symlink_out_of_the_content_folder_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(VALID, encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    os.symlink(outside, content / "notice.yaml")
    result, _ = run(["check", "content"], tmp_path)
    assert result.returncode == 1 and "outside content/" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("case", ["syntax_unclosed_flow", "billion_laughs", "dangling_recipient", "file_50_mb"])
def test_a_failed_build_or_release_leaves_earlier_output_and_data_untouched(case, tmp_path):
    from tests.site import mkdocs_yml

    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    (content / "notice.yaml").write_text(VALID, encoding="utf-8")
    config = mkdocs_yml(tmp_path)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    subprocess.run([CLI, "build", "-f", str(config)], cwd=tmp_path, check=True, capture_output=True, env=env)
    broken = CASES[case](VALID)
    (content / "notice.yaml").write_bytes(broken if isinstance(broken, bytes) else broken.encode("utf-8"))
    before = snapshot(tmp_path)
    build = subprocess.run([CLI, "build", "-f", str(config)], cwd=tmp_path, capture_output=True, text=True, env=env)
    release = subprocess.run([CLI, "release", "--content", "content", "--effective", "2030-01-01"], cwd=tmp_path, capture_output=True, text=True)
    for result in (build, release):
        assert result.returncode == 1 and "Traceback" not in result.stderr
    assert snapshot(tmp_path) == before
