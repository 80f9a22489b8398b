"""Settings of the MkDocs plugin, as written under `plugins: - privacy-notice:` in mkdocs.yml."""

from __future__ import annotations

import re

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

#: One or more path segments of letters, digits, '.', '_' or '-' (no '..', no leading or trailing '/').
_PREFIX = re.compile(r"^(?!.*(^|/)\.{1,2}(/|$))[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*$")


class Prefix(c.Type):
    """A site path under which every generated page goes, e.g. `privacy` → /privacy/nb/."""

    def __init__(self) -> None:
        super().__init__(str, default="")

    def run_validation(self, value: object) -> str:
        value = super().run_validation(value).strip("/")
        if value and not _PREFIX.match(value):
            raise c.ValidationError(f"{value!r} is not a site path: use letters, digits, '.', '_', '-' and '/' (e.g. privacy or legal/privacy)")
        return value


class PrivacyNoticeConfig(Config):
    #: The content folder (or notice file), relative to mkdocs.yml.
    content = c.Type(str, default="content")
    #: Publish the working copy at /LANG/draft/: "serve" (only while previewing), "always" or "never".
    draft = c.Choice(("serve", "always", "never"), default="serve")
    #: Where the internal record of processing activities (GDPR Art. 30) is written, relative to
    #: mkdocs.yml and outside the site; "" turns it off.
    records_dir = c.Type(str, default="records")
    #: Put every generated page under this path (e.g. "privacy"), so the notice can live inside an
    #: existing site; "" (the default) puts it at the site's root.
    prefix = Prefix()
