"""`privacy-notice build` and `serve`: MkDocs' own commands, with a build that replaces the site atomically.

MkDocs writes into site_dir as it goes, so a failing build would leave half a site. We build into a
fresh sibling folder and swap it in only when the build succeeded; the previous site stays whole.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from .errors import NoticeError, UsageError
from .files import guard_output, locked, replace_dir, staging_dir, sync_tree


def _load_config(config_file: Path, **overrides):
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    if not config_file.exists():
        raise UsageError(f"{config_file}: no such MkDocs configuration")
    try:
        return load_config(str(config_file), **overrides)
    except ConfigurationError as exc:
        raise NoticeError(f"{config_file}: {exc}") from None


def build_site(config_file: Path, *, site_dir: Path | None = None, strict: bool = False) -> Path:
    """Build into a temporary folder next to the target, then swap it in. Returns the site folder.

    The target must be a place for output (files.guard_output), and one build at a time writes it.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    _quiet_mkdocs()
    end_of_life_notice()
    config = _load_config(config_file, strict=strict)
    target = Path(os.path.abspath(site_dir or config.site_dir))
    guard_output(target, project=Path(config.config_file_path).parent, protected=protected_paths(config), what="site folder")
    target.parent.mkdir(parents=True, exist_ok=True)
    with locked(target.parent, "build"):
        staging = staging_dir(target)
        try:
            config = _load_config(config_file, strict=strict, site_dir=str(staging))
            try:
                build(config)
            except MkDocsException as exc:
                raise NoticeError(f"build failed: {exc}") from None
            sync_tree(staging)
            replace_dir(staging, target)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    return target


def protected_paths(config) -> dict[str, Path]:
    """What no output may replace: the configuration file, the docs folder and the content folder."""
    project = Path(config.config_file_path).parent
    paths = {}
    plugin = config.plugins.get("privacy-notice") if hasattr(config.plugins, "get") else None
    if plugin is not None:
        content = project / plugin.config.content
        paths["the content folder"] = content.parent if content.is_file() else content
    paths.update({"the configuration file": Path(config.config_file_path), "the docs folder": Path(config.docs_dir)})
    return paths


def serve_site(config_file: Path, *, dev_addr: str | None = None) -> None:
    from mkdocs.commands.serve import serve

    end_of_life_notice()
    _load_config(config_file)  # report a missing or broken config as one line
    serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


END_OF_LIFE = (
    "Material for MkDocs reaches end of life on May 5, 2027 (critical fixes until then); MkDocs 2 and "
    "Zensical cannot run this plugin. privacy-notice pins mkdocs<2 and mkdocs-material<10, and "
    "`privacy-notice pages OUT/` writes the pages for another engine (README: \"MkDocs 2, Zensical and "
    "Material's end of life\"). Set NO_MKDOCS_2_WARNING=1 to hide this notice."
)


def end_of_life_notice() -> None:
    """Material prints its end-of-life warning only when run as `mkdocs`; our commands must not hide
    it, so they show it in their own words, with what this project does about it."""
    if not os.environ.get("NO_MKDOCS_2_WARNING"):
        print(END_OF_LIFE, file=sys.stderr)


def _quiet_mkdocs() -> None:
    logging.basicConfig(format="%(levelname)s - %(message)s", level=logging.INFO)
