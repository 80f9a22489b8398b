"""The reviewer's report of a pending change: the line legal reads first, then the detail.

Used by `privacy-notice diff` (pull requests) and shown before `release`. Formats: markdown (PR
comments and job summaries), text (terminals), json (tools).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .escape import json_text
from .diff import Diff
from .model import Notice
from .render import Stamp, render_notice
from .textdiff import Hunk, as_markdown, as_text, hunks


@dataclass(frozen=True)
class Review:
    base_label: str  # what we compared against, e.g. "version 2" or "origin/main"
    changes: Diff
    notice_days: int
    today: dt.date
    text_hunks: dict[str, list[Hunk]]  # per language

    @property
    def notification_required(self) -> bool:
        return bool(self.changes.significant)

    @property
    def earliest_effective(self) -> dt.date:
        """Announced today, a significant change may take effect this day at the earliest."""
        return self.today + dt.timedelta(days=self.notice_days) if self.notification_required else self.today

    def headline(self) -> str:
        n = len(self.changes.significant)
        if not self.changes:
            return f"No change to the notice against {self.base_label}."
        if n:
            return (
                f"Customer notification required: yes — {n} significant change{'s' if n != 1 else ''}; "
                f"earliest allowed effective date: {self.earliest_effective.isoformat()} "
                f"(announced today, {self.notice_days} days' notice)"
            )
        return f"Customer notification required: no — {len(self.changes.changes)} minor change{'s' if len(self.changes.changes) != 1 else ''} only"


def review(base: Notice | None, new: Notice, changes: Diff, *, base_label: str, today: dt.date) -> Review:
    found = {}
    for lang in new.languages:
        before = render_notice(base, lang, Stamp()) if base is not None and lang in base.languages else ""
        found[lang] = hunks(before, render_notice(new, lang, Stamp()))
    return Review(base_label, changes, new.changes.notice_days, today, found)


LANGUAGE_NAMES = {"nb": "Norsk (bokmål)", "en": "English"}


def as_markdown_report(r: Review) -> str:
    lines = [f"**{r.headline()}**", ""]
    if not r.changes:
        return "\n".join(lines)
    langs = list(r.text_hunks)
    lines += ["### Changes", "", "| class | rule | change | " + " | ".join(LANGUAGE_NAMES.get(l, l) for l in langs) + " |", "|---|---|---|" + "---|" * len(langs)]
    for c in sorted(r.changes.changes, key=lambda c: (not c.significant, c.key)):
        cls = "**significant**" if c.significant else "minor"
        if c.reclassified:
            cls += f" (reclassified by {c.reclassified.approved_by}: {c.reclassified.reason})"
        cells = [_cell(c.explanation.get(l, "")) for l in langs]
        lines.append(f"| {cls} | `{c.rule}` | `{c.key}` | " + " | ".join(cells) + " |")
    drift = r.changes.drift
    if drift:
        lines += ["", "### Possible translation drift", ""]
        lines += [f"- `{c.key}`: only {', '.join(LANGUAGE_NAMES.get(l, l) for l in c.drift)} changed" for c in drift]
    lines += ["", "### Notice period", ""]
    if r.notification_required:
        lines.append(f"Significant changes must be announced at least {r.notice_days} days before they take effect: if announced today ({r.today.isoformat()}), the earliest effective date is **{r.earliest_effective.isoformat()}**.")
    else:
        lines.append("No advance notice is needed; the release is logged in the change log.")
    for lang, found in r.text_hunks.items():
        lines += ["", f"### Text as readers see it — {LANGUAGE_NAMES.get(lang, lang)}", "", as_markdown(found) or "_No change to the text._"]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def as_text_report(r: Review) -> str:
    lines = [r.headline()]
    if not r.changes:
        return lines[0] + "\n"
    lines.append("")
    for c in sorted(r.changes.changes, key=lambda c: (not c.significant, c.key)):
        lines.append(f"{'SIGNIFICANT' if c.significant else 'minor      '}  {c.key}  [{c.rule}]")
        for lang, text in c.explanation.items():
            lines.append(f"    {lang}: {text}")
        if c.drift:
            lines.append(f"    possible translation drift: only {', '.join(c.drift)} changed")
        if c.reclassified:
            lines.append(f"    reclassified by {c.reclassified.approved_by}: {c.reclassified.reason}")
    for lang, found in r.text_hunks.items():
        lines += ["", f"=== text, {LANGUAGE_NAMES.get(lang, lang)} ===", as_text(found) or "(no change)"]
    return "\n".join(lines) + "\n"


def as_json_report(r: Review) -> str:
    data = {
        "base": r.base_label,
        "notification_required": r.notification_required,
        "significant_changes": len(r.changes.significant),
        "earliest_effective": r.earliest_effective.isoformat(),
        "notice_days": r.notice_days,
        "changes": [
            {
                "key": c.key,
                "kind": c.kind,
                "class": c.cls,
                "rule": c.rule,
                "explanation": dict(c.explanation),
                "old": dict(c.old),
                "new": dict(c.new),
                "translation_drift": list(c.drift),
                "reclassified": (
                    {"reason": c.reclassified.reason, "approved_by": c.reclassified.approved_by} if c.reclassified else None
                ),
            }
            for c in r.changes.changes
        ],
        "text_diff": {lang: as_text(found) for lang, found in r.text_hunks.items()},
    }
    return json_text(data, indent=2) + "\n"


FORMATS = {"markdown": as_markdown_report, "text": as_text_report, "json": as_json_report}


def fit(markdown: str, limit: int, full_url: str | None) -> str:
    """Cut a Markdown report at section boundaries so it fits `limit` characters (GitHub caps comments
    near 64 KB), keeping the headline first, and say where the full report is."""
    if len(markdown) <= limit:
        return markdown
    where = f" [the full report]({full_url})" if full_url else " the full report (`privacy-notice diff`)"
    note = f"\n\n_… cut to fit a comment; see{where}._\n"
    sections = markdown.split("\n### ")
    out = sections[0]
    for section in sections[1:]:
        candidate = out + "\n### " + section
        if len(candidate) + len(note) > limit:
            break
        out = candidate
    if len(out) + len(note) > limit:
        out = out[: max(0, limit - len(note))].rsplit("\n", 1)[0]
    return out.rstrip() + note
