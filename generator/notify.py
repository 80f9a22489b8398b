"""The customer notice of a significant release: subject and body in each language, Markdown and plain text.

WP260 asks that significant changes reach people actively and in advance; this is the text to send.
A minor release produces no notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Template

from .clauses import label
from .diff import Change, Diff
from .releases import Release, ReleaseLog
from .words import long_date


@dataclass(frozen=True)
class Notification:
    lang: str
    subject: str
    markdown: str
    text: str


def notifications(log: ReleaseLog, release: Release, site_url: str | None) -> list[Notification]:
    """One notice per language of `release`; empty when the release has no significant change."""
    changes = log.diff(release)
    if log.previous(release) is None or not changes.significant:
        return []
    previous = log.previous(release)
    notice = release.notice
    base = (site_url or "").rstrip("/")
    out = []
    for lang in release.languages:
        values = {
            "controller": notice.organisation.name,
            "effective": long_date(release.effective, lang),
            "version": str(release.version),
            "email": notice.rights.contact.email,
        }

        def t(ident: str) -> str:
            return Template(label(ident, lang)).safe_substitute(values)

        links = [
            (t("notify_read_new"), f"{base}/{lang}/versions/{release.version}/"),
            (t("notify_read_old"), f"{base}/{lang}/versions/{previous.version}/"),
            (t("notify_all_changes"), f"{base}/{lang}/versions/{release.version}/changes/"),
        ]
        items = [c.explanation[lang] for c in told_once(changes)]
        md = [t("notify_greeting"), "", t("notify_intro"), "", *[f"- {i}" for i in items], ""]
        md += [f"- [{text}]({url})" for text, url in links] + ["", t("notify_rights"), "", t("notify_signature").replace("\n", "  \n")]
        txt = [t("notify_greeting"), "", t("notify_intro"), "", *[f"  * {i}" for i in items], ""]
        txt += [f"{text}: {url}" for text, url in links] + ["", t("notify_rights"), "", t("notify_signature")]
        out.append(Notification(lang, t("notify_subject"), "\n".join(md) + "\n", "\n".join(txt) + "\n"))
    return out


def told_once(changes: Diff) -> list[Change]:
    """The significant changes a customer is told, each fact once.

    A new recipient that is also a new sub-processor is two changes for legal review (two rules, two
    audiences) but one fact to a customer: it is told as the sub-processor. A transfer to a new
    country is still told, since it says where the data goes: a new recipient outside the EU/EEA is told
    once, with its country, instead of as the sub-processor.
    """
    new_sub_processors = {c.key.removeprefix("sub_processors.") for c in changes.significant if c.rule == "sub_processor_added"}
    abroad = {c.key.removeprefix("recipients.") for c in changes.significant if c.rule == "recipient_added_abroad"}
    return [
        c
        for c in changes.significant
        if not (c.rule == "recipient_added" and c.key.removeprefix("recipients.") in new_sub_processors)
        and not (c.rule == "sub_processor_added" and c.key.removeprefix("sub_processors.") in abroad)  # told with its country
    ]
