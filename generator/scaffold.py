"""`privacy-notice init`: the starting point of a company's own repository, written without ever
replacing a file that is already there.

The schemas are copied into the repository (schema/) rather than linked at an address: the editor
modelines then resolve offline, in any editor, and match the installed version exactly. Running
`init` again after an upgrade writes what is missing; delete schema/ first to refresh the copies.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from string import Template

from . import __version__
from .errors import NoticeError
from .files import file_mode
from .schema import NOTICE_SCHEMA, RELEASES_SCHEMA, schema_dir

#: Where the reusable workflows live: the callers `init` writes name this repository and a tag.
REPOSITORY = "fjordkode/privacy-notice"
STARTER = Path(__file__).resolve().parent / "starter"


@dataclass(frozen=True)
class Written:
    path: Path
    created: bool  # False: the file was already there and was left alone


def starter_files(*, site_url: str | None, site_name: str) -> dict[str, str]:
    """Every file `init` writes, by path relative to the target folder."""
    values = {
        "version": __version__,
        "repository": REPOSITORY,
        "site_name": _yaml_string(site_name),
        "site_url_line": f"site_url: {_yaml_string(site_url)}"
        if site_url
        else "# site_url: https://ORG.github.io/REPO/   # required before the first release: feeds and e-mails need it",
    }

    def fill(name: str) -> str:
        return Template((STARTER / name).read_text(encoding="utf-8")).substitute(values)

    return {
        "content/notice.yaml": (STARTER / "content" / "notice.yaml").read_text(encoding="utf-8"),
        "content/pages/.gitkeep": "",
        f"schema/{NOTICE_SCHEMA}": (schema_dir() / NOTICE_SCHEMA).read_text(encoding="utf-8"),
        f"schema/{RELEASES_SCHEMA}": (schema_dir() / RELEASES_SCHEMA).read_text(encoding="utf-8"),
        "mkdocs.yml": fill("mkdocs.yml"),
        ".gitignore": fill("gitignore"),
        ".pre-commit-config.yaml": fill("pre-commit-config.yaml"),
        ".github/workflows/privacy-notice-pages.yml": fill("workflows/privacy-notice-pages.yml"),
        ".github/workflows/privacy-notice-review.yml": fill("workflows/privacy-notice-review.yml"),
    }


def init(target: Path, *, site_url: str | None = None, site_name: str = "Personvern / Privacy") -> list[Written]:
    """Write each starter file that does not exist yet; leave every existing file as it is."""
    if site_url is not None and not site_url.startswith(("https://", "http://")):
        raise NoticeError(f"--site-url {site_url}: give the site's full address, e.g. https://ORG.github.io/REPO/")
    if target.exists() and not target.is_dir():
        raise NoticeError(f"{target}: not a folder")
    out = []
    for relative, text in starter_files(site_url=site_url, site_name=site_name).items():
        path = target / relative
        out.append(Written(path, _create(path, text)))
    return out


def _create(path: Path, text: str) -> bool:
    """Create `path` with `text`, whole or not at all; False if a file (or anything) is already there."""
    if path.exists() or path.is_symlink():
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            os.fchmod(fd, file_mode())  # mkstemp makes it 0600: the company's files are ordinary files
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.link(tmp, path)  # fails if the file appeared meanwhile: never replaces it
        finally:
            os.unlink(tmp)
    except FileExistsError:
        return False
    except OSError as exc:
        raise NoticeError(f"{path}: cannot write ({exc.strerror or exc})") from None
    return True


def _yaml_string(value: str) -> str:
    """A double-quoted YAML scalar (JSON's escaping is valid YAML)."""
    import json

    return json.dumps(value, ensure_ascii=False)
