"""Settings of the MkDocs plugin, as written under `plugins: - privacy-notice:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class PrivacyNoticeConfig(Config):
    #: The content folder (or notice file), relative to mkdocs.yml.
    content = c.Type(str, default="content")
    #: Publish the working copy at /LANG/draft/: "serve" (only while previewing), "always" or "never".
    draft = c.Choice(("serve", "always", "never"), default="serve")
    #: Where the internal record of processing activities (GDPR Art. 30) is written, relative to
    #: mkdocs.yml and outside the site; "" turns it off.
    records_dir = c.Type(str, default="records")
