"""What marketing sees in the editor: yaml-language-server (the engine of VS Code's YAML extension)
reads our JSON Schema through each file's own `# yaml-language-server: $schema=...` modeline and gives
completion, hover help and diagnostics, for the files `init` writes, this repository's content and a
frozen release. The schema is never fetched: the online schema store is off and modelines are relative.

Without node and npm the tests skip, saying so; under CI=true they fail instead (.ci/run installs the
server first), so CI cannot pass by silently skipping them."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from generator.cli import main
from generator.releases import make_release

from . import lsp

ROOT = lsp.ROOT
SCHEMA = json.loads((ROOT / "schema" / "notice.schema.json").read_text(encoding="utf-8"))
PURPOSE = SCHEMA["properties"]["purposes"]["items"]["properties"]
PURPOSE_TITLE = SCHEMA["properties"]["purposes"]["items"].get("title", "(a title for a purpose)")
PROPERTY = 10  # LSP CompletionItemKind.Property: a key the editor would insert
RELEASE_ENTRY = json.loads((ROOT / "schema" / "releases.schema.json").read_text(encoding="utf-8"))


def _unavailable(message: str):
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: .ci/run should have installed it)", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def server():
    if shutil.which("node") is None or shutil.which("npm") is None:
        _unavailable("node and npm are needed for the editor tests (apt-get install nodejs npm)")
    try:
        lsp.install()
    except (lsp.LSPError, subprocess.TimeoutExpired) as exc:
        pytest.fail(str(exc), pytrace=False)
    with lsp.Client(ROOT) as client:
        yield client


@pytest.fixture(scope="module")
def adopter(tmp_path_factory):
    """A company's repository as `init` writes it, with one release frozen by the tool."""
    folder = tmp_path_factory.mktemp("adopter")
    assert main(["init", str(folder), "--site-url", "https://example.org/privacy/"]) == 0
    make_release(folder / "content", effective=dt.date(2027, 1, 4), announced=dt.date(2026, 11, 1))
    return folder


NOTICES = {
    "init": lambda adopter: adopter / "content" / "notice.yaml",
    "repository": lambda adopter: ROOT / "content" / "notice.yaml",
    "frozen release": lambda adopter: adopter / "content" / "releases" / "1" / "notice.yaml",
}
_edits = itertools.count()


@pytest.fixture(params=list(NOTICES))
def notice(request, adopter) -> Path:
    return NOTICES[request.param](adopter)


def open_edited(server, path: Path, text: str) -> str:
    """Open `text` as an unsaved file beside `path`, so its relative modeline resolves the same way."""
    return server.open(path.with_name(f"edited-{next(_edits)}-{path.name}"), text)


def legal_basis_line(lines: list[str]) -> int:
    """The first purpose's `legal_basis:` line."""
    return next(i for i, line in enumerate(lines) if re.match(r"\s+legal_basis:\s", line))


def plain(markdown: str) -> str:
    """Hover and completion help is Markdown with `_` and the like escaped; read it as the user does."""
    return re.sub(r"\\(.)", r"\1", markdown)


def schema_problems(diagnostics: list[dict]) -> list[str]:
    return [f"{d['range']['start']['line'] + 1}: {d['message']}" for d in diagnostics]


# --- a valid file: nothing underlined -----------------------------------------------------------


def test_a_valid_notice_shows_no_problem(server, notice):
    diagnostics = server.wait_diagnostics(server.open(notice))
    assert schema_problems(diagnostics) == []


@pytest.mark.parametrize("where", ["init", "repository"])
def test_a_valid_release_log_shows_no_problem(server, adopter, where):
    log = (adopter if where == "init" else ROOT) / "content" / "releases.yaml"
    assert schema_problems(server.wait_diagnostics(server.open(log))) == []


# --- completion -----------------------------------------------------------------------------------


def test_completion_in_a_purpose_offers_its_keys_with_their_help(server, notice):
    lines = notice.read_text(encoding="utf-8").splitlines()
    at = legal_basis_line(lines)
    indent = len(lines[at]) - len(lines[at].lstrip())
    lines[at] = " " * indent  # the user deleted legal_basis and asks for completion on the empty line
    uri = open_edited(server, notice, "\n".join(lines) + "\n")
    offered = server.completion(uri, at, indent)
    items = {i["label"]: plain(lsp.documentation(i)) for i in offered if i.get("kind") == PROPERTY}
    assert "legal_basis" in items, sorted(items)
    # the "insert the required keys" entry is named after what it fills in, not the whole notice
    assert [i["label"] for i in offered if i.get("kind") != PROPERTY] == [PURPOSE_TITLE]
    for key, help_text in items.items():
        assert key in PURPOSE, f"completion offers {key!r}, which a purpose does not have"
        assert PURPOSE[key]["description"] in help_text, f"{key}: the schema's description is missing"
    assert "id" not in items and "name" not in items  # keys already written are not offered again


def test_completion_of_the_legal_basis_offers_the_allowed_values(server, notice):
    lines = notice.read_text(encoding="utf-8").splitlines()
    at = legal_basis_line(lines)
    lines[at] = lines[at].split(":")[0] + ": "
    uri = open_edited(server, notice, "\n".join(lines) + "\n")
    labels = [item["label"] for item in server.completion(uri, at, len(lines[at]))]
    assert sorted(labels) == sorted(PURPOSE["legal_basis"]["enum"])


# --- hover ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["id", "name", "legal_basis", "categories", "retention"])
def test_hover_on_a_key_explains_it(server, notice, key):
    lines = notice.read_text(encoding="utf-8").splitlines()
    purposes = lines.index("purposes:")
    at = next(i for i in range(purposes, len(lines)) if re.match(rf"\s+(- )?{key}:", lines[i]))
    uri = server.open(notice)
    text = plain(server.hover(uri, at, lines[at].index(key) + 1))
    own = [PURPOSE[key]] + [branch for branch in PURPOSE[key].get("anyOf", []) if "description" in branch]
    assert any(schema["description"] in text for schema in own), text
    assert SCHEMA["$defs"]["id"]["description"] not in text  # not the generic help of every id
    # the help comes from the schema the modeline names, on disk beside the content
    source = re.search(r"Source: \[[^\]]+\]\(([^)]+)\)", text)
    assert source and source.group(1).startswith("file://"), text


def test_hover_says_which_part_of_the_notice_a_key_belongs_to(server, notice):
    """The heading of the help names the part (Recipient, Cookie, ...), not the whole document."""
    lines = notice.read_text(encoding="utf-8").splitlines()
    uri = server.open(notice)
    seen = []
    for at, line in enumerate(lines[:-1]):
        top, child = re.match(r"(\w+):\s*$", line), re.match(r"  (- )?(\w+):", lines[at + 1])
        if not (top and child):
            continue
        schema = SCHEMA["properties"][top.group(1)]
        title = schema.get("items", schema)["title"]
        text = server.hover(uri, at + 1, lines[at + 1].index(child.group(2)) + 1)
        assert text.startswith(f"#### {title}\n"), (top.group(1), text)
        seen.append(top.group(1))
    assert {"organisation", "purposes", "retention"} <= set(seen)


def test_hover_on_a_release_entry_explains_the_effective_date(server, adopter):
    log = adopter / "content" / "releases.yaml"
    lines = log.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if re.match(r"\s+effective:", line))
    entry = RELEASE_ENTRY["properties"]["releases"]["items"]
    entry = RELEASE_ENTRY["$defs"][entry["$ref"].rsplit("/", 1)[1]] if "$ref" in entry else entry
    text = plain(server.hover(server.open(log), at, lines[at].index("effective") + 1))
    assert entry["properties"]["effective"]["description"] in text


# --- diagnostics ----------------------------------------------------------------------------------


def test_a_misspelt_legal_basis_is_underlined_on_its_line(server, notice):
    lines = notice.read_text(encoding="utf-8").splitlines()
    at = legal_basis_line(lines)
    lines[at] = lines[at].split(":")[0] + ": concent"
    uri = open_edited(server, notice, "\n".join(lines) + "\n")
    diagnostics = server.wait_diagnostics(uri)
    assert [d["range"]["start"]["line"] for d in diagnostics] == [at], schema_problems(diagnostics)
    assert diagnostics[0]["range"]["start"]["character"] == lines[at].index("concent")
    message = diagnostics[0]["message"]
    assert "consent" in message and "contract" in message  # it says what is allowed


def test_the_editor_and_check_agree_on_an_invalid_value(server, adopter, capsys, tmp_path):
    """What the editor underlines is the line `privacy-notice check` names (draft 2020-12 read alike)."""
    content = tmp_path / "content"
    shutil.copytree(adopter / "content", content, ignore=shutil.ignore_patterns("releases*"))
    shutil.copytree(adopter / "schema", tmp_path / "schema")
    notice = content / "notice.yaml"
    lines = notice.read_text(encoding="utf-8").splitlines()
    at = legal_basis_line(lines)
    lines[at] = lines[at].split(":")[0] + ": concent"
    notice.write_text("\n".join(lines) + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(content)]) != 0
    said = capsys.readouterr().err
    assert f"notice.yaml:{at + 1}:" in said, said
    diagnostics = server.wait_diagnostics(server.open(notice))
    assert [d["range"]["start"]["line"] for d in diagnostics] == [at]
