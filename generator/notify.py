"""The customer notice of a significant release: an e-mail a company can send as it is.

WP260 asks that significant changes reach people actively and in advance. The reviewer's report says
which rule fired and why; this says what changes for the reader, in plain words, grouped by what it
means for them (new recipients, new purposes, longer retention, ...), with the date it takes effect and
links to the new version and to the one in force on the day the e-mail is sent. No rule ids, enums,
article numbers or arrows.

The e-mail is built once as a neutral structure (paragraphs, groups of items, links), then written as
Markdown, plain text and HTML. Every value from content is escaped for the format it goes into; the
subject is one line whatever the content holds, so no name can add a mail header.
A minor release produces no notice.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field
from string import Template
from typing import Callable, Iterable, Mapping

from .clauses import label
from .diff import Change, Diff
from .escape import email_header, email_markdown, html_attribute, html_text
from .model import Notice, Purpose, Recipient, Retention, RetentionUse, Text
from .releases import Release, ReleaseLog, build_date
from .words import country, duration, full_stop, listing, long_date, retention_words, sentence_case

FORMATS = ("markdown", "text", "html")

#: The groups a reader sees, in order; each change rule is told in one of them.
GROUPS = ("controller", "purposes", "data", "sources", "recipients", "sub_processors", "transfers", "retention",
          "decisions", "cookies", "marketing", "rights", "other")


@dataclass(frozen=True)
class Notification:
    lang: str
    subject: str
    markdown: str
    text: str
    html: str

    def body(self, fmt: str) -> str:
        return {"markdown": self.markdown, "text": self.text, "html": self.html}[fmt]


# -- the neutral structure -----------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    """Our sentence `template` (a label) with content `values`, escaped when written."""

    template: str
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Item:
    """One change: the thing it is about (a name from content, may be empty) and what changes."""

    title: str
    sentences: tuple[Fill, ...]


Escape = Callable[[str], str]


def _fill(part: Fill, lang: str, escape: Escape) -> str:
    return Template(label(part.template, lang)).safe_substitute({k: escape(v) for k, v in part.values.items()})


def _sentences(item: Item, lang: str, escape: Escape) -> str:
    return " ".join(" ".join(_fill(s, lang, escape).split()) for s in item.sentences)


# -- what changed, in the reader's words ---------------------------------------------------------


def notifications(log: ReleaseLog, release: Release, site_url: str | None, sent: dt.date | None = None) -> list[Notification]:
    """One notice per language of `release`; empty when the release has no significant change.

    `sent` is the day the e-mail goes out (default: today); it decides which version is "in force today".
    """
    previous = log.previous(release)
    changes = log.diff(release)
    if previous is None or not changes.significant:
        return []
    if sent is None:
        sent = build_date()
    in_force = log.current(sent)
    base = (site_url or "").rstrip("/")
    out = []
    for lang in release.languages:
        groups = _Teller(previous.notice, release.notice, lang).groups(told_once(changes))
        links = [("notify_read_new", f"{base}/{lang}/versions/{release.version}/")]
        if in_force is not None and in_force.version < release.version:
            links.append(("notify_read_current", f"{base}/{lang}/versions/{in_force.version}/"))
        links.append(("notify_all_changes", f"{base}/{lang}/versions/{release.version}/changes/"))
        values = {
            "controller": release.notice.organisation.name,
            "effective": long_date(release.effective, lang),
            "email": release.notice.rights.contact.email,
        }
        letter = _Letter(lang, values, groups, links)
        out.append(Notification(lang, letter.subject(), letter.markdown(), letter.text(), letter.html()))
    return out


def told_once(changes: Diff) -> list[Change]:
    """The significant changes a customer is told, each fact once.

    A new recipient that is also a new sub-processor is two changes for legal review (two rules, two
    audiences) but one fact to a customer: it is told as the sub-processor. A transfer to a new
    country is still told, since it says where the data goes.
    """
    new_sub_processors = {c.key.removeprefix("sub_processors.") for c in changes.significant if c.rule == "sub_processor_added"}
    return [
        c
        for c in changes.significant
        if not (c.rule in ("recipient_added", "recipient_added_abroad", "transfer_added") and c.key.removeprefix("recipients.") in new_sub_processors)
    ]


class _Teller:
    """Turns each significant change into an Item in its group, reading both versions of the notice."""

    def __init__(self, old: Notice, new: Notice, lang: str):
        self.old, self.new, self.lang = old, new, lang
        self.told_rules: set[str] = set()  # purposes whose conditional retention rules are already told

    def groups(self, changes: Iterable[Change]) -> list[tuple[str, list[Item]]]:
        grouped: dict[str, list[Item]] = {g: [] for g in GROUPS}
        for change in changes:
            group, items = self.tell(change)
            grouped[group] += items
        return [(g, items) for g, items in grouped.items() if items]

    # -- helpers ------------------------------------------------------------------------------

    def text(self, t: Text | None) -> str:
        return t.values.get(self.lang, "") if t else ""

    def sentence(self, t: Text | None) -> str:
        """Company text told as a sentence of its own: a capital first, an end mark last."""
        return sentence_case(full_stop(" ".join(self.text(t).split())))

    def places(self, codes: Iterable[str]) -> str:
        return listing([country(c, self.lang) for c in codes], self.lang)

    def names(self, texts: Iterable[str]) -> str:
        return listing([t for t in texts if t], self.lang)

    def safeguard(self, r: Recipient, countries: Iterable[str] | None = None) -> str:
        """The safeguard(s) for `countries` (default: every third country) in running text, without article numbers."""
        kinds = [t.safeguard if t else None for t in (r.safeguard_for(c) for c in (countries or r.third_countries))]
        return listing([self.safeguard_name(k) for k in dict.fromkeys(kinds)], self.lang)

    def safeguard_name(self, kind: str | None) -> str:
        name = label(f"safeguard_{kind}" if kind else "safeguard_missing", self.lang)
        name = name.split(" (artikkel", 1)[0].split(" (Article", 1)[0]
        return name[0].lower() + name[1:] if name[1:2].islower() else name

    def recipient_name(self, r: Recipient) -> str:
        return self.text(r.title)

    def basis(self, ident: str) -> str:
        return label(f"plain_basis_{ident}", self.lang)

    def retention_words(self, rule: Retention) -> str:
        return retention_words(rule.period, self.text(rule.criterion), rule.start, self.lang)

    def quoted(self, name: str) -> str:
        """A purpose's name inside a sentence: «Nyhetsbrev» / “Newsletter”."""
        return f"«{name}»" if self.lang == "nb" else f"“{name}”"

    def purposes_using(self, notice: Notice, test: Callable[[Purpose], bool]) -> str:
        return self.names(self.quoted(self.text(p.name)) for p in notice.purposes if test(p))

    @staticmethod
    def find(collection, ident: str):
        return next((e for e in collection if getattr(e, "id", getattr(e, "name", None)) == ident), None)

    # -- the changes --------------------------------------------------------------------------

    def tell(self, c: Change) -> tuple[str, list[Item]]:
        parts = c.key.split(".")
        head, ident, attr = parts[0], parts[1] if len(parts) > 1 else "", ".".join(parts[2:])
        rule = c.rule

        if head == "recipients" and (not attr and rule in ("recipient_added", "recipient_added_abroad", "transfer_added") or rule == "party_identity"):
            return "recipients", [self.recipient(self.new.recipient(ident))]  # a party renamed under the same id is a new one
        if head == "sub_processors" and rule == "sub_processor_added":
            return "sub_processors", [self.recipient(self.new.recipient(ident))]
        if head == "purposes" and attr == "recipients":
            old_p, new_p = self.find(self.old.purposes, ident), self.find(self.new.purposes, ident)
            added = [r for r in new_p.recipients if r not in (old_p.recipients if old_p else ())]
            sentence = Fill("notify_recipient_new_purpose", {"purposes": self.quoted(self.text(new_p.name))})
            return "recipients", [Item(self.recipient_name(self.new.recipient(r)), (sentence,)) for r in added]
        if head == "recipients" and attr == "locations" and rule == "transfer_added":
            old_r, new_r = self.find(self.old.recipients, ident), self.new.recipient(ident)
            added = [x for x in new_r.third_countries if x not in old_r.third_countries]
            sentences = (Fill("notify_transfer_added", {"countries": self.places(added)}), Fill("notify_transfer_basis", {"safeguard": self.safeguard(new_r)}))
            return "transfers", [Item(self.recipient_name(new_r), sentences)]
        if head == "recipients" and attr.startswith("transfer") and rule == "safeguard_changed":
            old_r, new_r = self.find(self.old.recipients, ident), self.new.recipient(ident)
            countries = [attr.split(".")[1]] if "." in attr else new_r.third_countries
            values = {"new": self.safeguard(new_r, countries), "old": self.safeguard(old_r, countries), "countries": self.places(countries)}
            return "transfers", [Item(self.recipient_name(new_r), (Fill("notify_safeguard_changed", values),))]
        if head == "recipients" and attr in ("kind", "category"):
            return "recipients", [Item(self.recipient_name(self.new.recipient(ident)), (Fill("notify_role_changed", {"new": c.new.get(self.lang, ""), "old": c.old.get(self.lang, "")}),))]

        if head == "purposes" and not attr and rule == "purpose_added":
            p = self.find(self.new.purposes, ident)
            sentences = [Fill("notify_purpose_added", {"description": self.sentence(p.description), "basis": self.basis(p.legal_basis)})]
            if p.legal_basis in ("legitimate_interests", "public_task"):
                sentences.append(Fill("notify_may_object"))
            return "purposes", [Item(self.text(p.name), tuple(sentences))]
        if head == "purposes" and attr in ("description", "legitimate_interest"):
            p = self.find(self.new.purposes, ident)
            if attr == "description":
                sentence = Fill("notify_purpose_changed", {"description": self.sentence(p.description)})
            else:
                sentence = Fill("notify_interest_changed", {"interest": self.text(p.legitimate_interest)})
            return "purposes", [Item(self.text(p.name), (sentence,))]
        if head == "purposes" and attr in ("categories", "data_subjects"):
            old_p, new_p = self.find(self.old.purposes, ident), self.find(self.new.purposes, ident)
            added = [x for x in getattr(new_p, attr) if x not in getattr(old_p, attr)]
            if attr == "categories":
                fill = Fill("notify_purpose_categories", {"items": self.names(self.text(self.new.category(x).name) for x in added)})
            else:
                fill = Fill("notify_purpose_subjects", {"items": self.names(self.text(self.new.subject(x).name) for x in added)})
            return "data", [Item(self.text(new_p.name), (fill,))]
        if head == "purposes" and attr == "legal_basis":
            old_p, new_p = self.find(self.old.purposes, ident), self.find(self.new.purposes, ident)
            if old_p.legal_basis != new_p.legal_basis:
                fill = Fill("notify_basis_changed", {"new": self.basis(new_p.legal_basis), "old": self.basis(old_p.legal_basis)})
            else:
                art9 = lambda p: label(f"art9_{p.art9_basis}", self.lang).split(" (", 1)[0].lower() if p.art9_basis else "–"  # noqa: E731
                fill = Fill("notify_basis_changed", {"new": art9(new_p), "old": art9(old_p)})
            sentences = [fill] + ([Fill("notify_may_object")] if new_p.legal_basis in ("legitimate_interests", "public_task") else [])
            return "purposes", [Item(self.text(new_p.name), tuple(sentences))]
        if head == "marketing" and attr == "basis":
            return "marketing", [Item("", (Fill("notify_marketing_basis", {"opt_out": self.text(self.new.marketing.opt_out)}),))]

        if head == "data_categories":
            category = self.new.category(ident)
            used = self.purposes_using(self.new, lambda p: ident in p.categories)
            examples = self.text(category.examples)
            sentences = [Fill("notify_examples", {"examples": examples})] if examples else []
            if used:
                sentences.append(Fill("notify_used_for", {"purposes": used}))
            if category.special:
                sentences.append(Fill("notify_special"))
            return "data", [Item(sentence_case(self.text(category.name)), tuple(sentences))]
        if head == "sources" and rule == "source_changed":
            source = self.find(self.new.sources, ident)
            values = {"new": c.new.get(self.lang, ""), "old": c.old.get(self.lang, "")}
            return "sources", [Item(sentence_case(self.text(source.name)), (Fill("notify_source_changed", values),))]
        if head == "purposes" and rule == "requirement_changed":
            return "purposes", [Item(self.text(self.find(self.new.purposes, ident).name), (Fill("notify_requirement", {"new": c.new.get(self.lang, "")}),))]
        if rule == "representative_changed":
            return "controller", [Item("", (Fill("notify_representative", {"new": c.new.get(self.lang, "")}),))]
        if head == "sources" and attr == "purposes":
            old_s, source = self.find(self.old.sources, ident), self.find(self.new.sources, ident)
            added = self.names(self.text(p.name) for p in self.new.purposes if p.id in source.purposes and p.id not in old_s.purposes)
            return "sources", [Item(sentence_case(self.text(source.name)), (Fill("notify_source_purposes", {"purposes": added}),))]
        if head == "sources":
            source = self.find(self.new.sources, ident)
            items = self.names(self.text(self.new.category(x).name) for x in source.categories)
            return "sources", [Item(sentence_case(self.text(source.name)), (Fill("notify_source", {"items": items}),))]

        if head == "retention" or head == "purposes" and attr.startswith("retention"):
            item = self.retention(c, head, ident, attr)
            return "retention", [item] if item else []
        if head == "cookies" and attr == "duration":
            cookie = self.find(self.new.cookies, ident)
            old = self.find(self.old.cookies, ident)
            return "cookies", [Item(ident, (Fill("notify_cookie_longer", {"new": duration(cookie.duration, self.lang), "old": duration(old.duration, self.lang)}),))]
        if head == "cookies":  # added, or its provider is another party (party_identity): told as a new cookie
            cookie = self.find(self.new.cookies, ident)
            return "cookies", [Item(f"{ident} ({cookie.provider})", (Fill("notify_cookie_added", {"purpose": self.sentence(cookie.purpose)}),))]

        if head == "automated_decisions":
            d = self.find(self.new.automated_decisions, ident)
            return "decisions", [Item(self.text(d.name), (Fill("notify_decision_added", {"significance": self.sentence(d.significance)}),))]
        if head == "marketing":
            return "marketing", [Item("", (Fill("notify_marketing_added", {"opt_out": self.text(self.new.marketing.opt_out) if self.new.marketing else ""}),))]
        if rule == "controller_identity":
            values = {"new": self.new.organisation.name, "number": self.new.organisation.org_number, "old": self.old.organisation.name}
            return "controller", [Item("", (Fill("notify_controller", values),))]
        if rule == "joint_controller_added" or rule == "party_identity" and "joint_controllers" in parts:
            j = self.find(self.new.organisation.joint_controllers, parts[parts.index("joint_controllers") + 1])
            return "controller", [Item(self.text(j.name), (Fill("notify_joint_controller", {"arrangement": self.sentence(j.arrangement)}),))]
        if head == "organisation" and ident == "dpo":
            dpo = self.new.organisation.dpo
            if dpo is None:
                return "rights", [Item("", (Fill("notify_dpo_none"),))]
            return "rights", [Item("", (Fill("notify_dpo", {"new": ", ".join(x for x in (self.text(dpo.name), dpo.email, dpo.phone) if x)}),))]
        if head == "rights" and ident == "contact":
            return "rights", [Item("", (Fill("notify_rights_contact", {"new": c.new.get(self.lang, "")}),))]
        if head == "rights" and ident == "response_time":
            fill = Fill("notify_response_time", {"new": duration(self.new.rights.response_time, self.lang, spelled=True), "old": duration(self.old.rights.response_time, self.lang, spelled=True)})
            return "rights", [Item("", (fill,))]
        return "other", [self.other(c, head, ident)]

    def recipient(self, r: Recipient) -> Item:
        sentences = [Fill("notify_recipient", {"service": self.sentence(r.service), "where": self.places(r.locations)})]
        used = self.purposes_using(self.new, lambda p: r.id in p.recipients)
        if used:
            sentences.append(Fill("notify_recipient_purposes", {"purposes": used}))
        if r.kind in ("third_party", "joint_controller"):
            sentences.append(Fill(f"notify_recipient_{r.kind}"))
        if r.third_countries:
            sentences.append(Fill("notify_transfer_basis", {"safeguard": self.safeguard(r)}))
        title = self.recipient_name(r) + (f" – {self.text(r.category)}" if r.name and r.category else "")
        return Item(title, tuple(sentences))

    def use_words(self, notice: Notice, use: RetentionUse) -> str:
        """One retention rule of a purpose, led by the condition it applies under."""
        words = self.retention_words(notice.retention_rule(use.rule))
        return f"{self.text(use.condition)}: {words}" if use.condition else words

    def retention(self, c: Change, head: str, ident: str, attr: str) -> Item | None:
        if head == "purposes":
            old_p, new_p = self.find(self.old.purposes, ident), self.find(self.new.purposes, ident)
            title = self.text(new_p.name)
            if len(old_p.retention) > 1 or len(new_p.retention) > 1:  # rules with conditions: tell the purpose's rules once, whole
                if ident in self.told_rules:
                    return None
                self.told_rules.add(ident)
                rules = lambda notice, p: " ".join(full_stop(self.use_words(notice, u)) for u in p.retention)  # noqa: E731
                return Item(title, (Fill("notify_retention_rules", {"new": rules(self.new, new_p), "old": rules(self.old, old_p)}),))
            old_use, new_use = old_p.retention[0], new_p.retention[0]
            old, new = self.old.retention_rule(old_use.rule), self.new.retention_rule(new_use.rule)
        else:
            old, new = self.find(self.old.retention, ident), self.find(self.new.retention, ident)
            title = self.names(self.text(p.name) for p in self.new.purposes if any(u.rule == ident for u in p.retention))
        values = {"new": self.retention_words(new), "old": self.retention_words(old)}
        if c.rule == "retention_start_changed":
            template = "notify_retention_start"
        elif c.rule not in ("retention_longer", "retention_shorter", "retention_period_or_criterion"):
            template = "notify_changed"
        elif old.period and not new.period:
            template = "notify_retention_criterion"
        elif new.period and not old.period:
            template = "notify_retention_fixed"
        else:
            template = "notify_retention_longer"
        return Item(title, (Fill(template, values),))

    def other(self, c: Change, head: str, ident: str) -> Item:
        """A change with no sentence of its own (a minor rule a reviewer made significant): named, not explained."""
        entity = None
        for notice in (self.new, self.old):
            collection = getattr(notice, head, None)
            if isinstance(collection, tuple) and ident:
                entity = entity or self.find(collection, ident)
        name = ""
        if entity is not None:
            value = getattr(entity, "name", None) or getattr(entity, "title", None)
            name = self.text(value) if isinstance(value, Text) else str(value or "")
        if not name:
            name = label(f"heading_{head}", self.lang) if f"heading_{head}" in _HEADINGS else ""
        return Item(sentence_case(name), (Fill("notify_removed" if c.kind == "removed" else "notify_changed"),))


_HEADINGS = frozenset({"heading_recipients", "heading_purposes", "heading_retention", "heading_cookies", "heading_security",
                       "heading_marketing", "heading_rights", "heading_changes", "heading_controller", "heading_data"})


# -- the letter in each format --------------------------------------------------------------------


class _Letter:
    def __init__(self, lang: str, values: Mapping[str, str], groups: list[tuple[str, list[Item]]], links: list[tuple[str, str]]):
        self.lang, self.values, self.groups, self.links = lang, values, groups, links

    def fill(self, ident: str, escape: Escape) -> str:
        return _fill(Fill(ident, self.values), self.lang, escape)

    def subject(self) -> str:
        """One header line whatever the content holds, so no name can add a mail header."""
        return email_header(self.fill("notify_subject", str))

    def markdown(self) -> str:
        esc = email_markdown
        out = [self.fill("notify_greeting", esc), self.fill("notify_why", esc), self.fill("notify_intro", esc)]
        for group, items in self.groups:
            out.append(f"### {label('notify_group_' + group, self.lang)}")
            out.append("\n".join(f"- **{esc(sentence_case(i.title))}:** {_sentences(i, self.lang, esc)}" if i.title else f"- {_sentences(i, self.lang, esc)}" for i in items))
        out.append("  \n".join(f"{label(text, self.lang)}: <{_url(url)}>" for text, url in self.links))
        out.append(self.fill("notify_rights", esc))
        out.append(self.fill("notify_signature", esc).replace("\n", "  \n"))
        return "\n\n".join(out) + "\n"

    def text(self) -> str:
        """Plain text wrapped at 72 characters, as e-mail is read; items hang under their bullet, URLs stay whole."""
        esc = email_header  # one line, no control characters: all plain text needs
        out = [_wrap(self.fill(k, esc)) for k in ("notify_greeting", "notify_why", "notify_intro")]
        for group, items in self.groups:
            heading = label("notify_group_" + group, self.lang)
            lines = [heading, "-" * len(heading)]
            lines += [_wrap(f"{esc(sentence_case(i.title))}: {_sentences(i, self.lang, esc)}" if i.title else _sentences(i, self.lang, esc), "* ", "  ") for i in items]
            out.append("\n".join(lines))
        out.append("\n".join(f"{_wrap(label(text, self.lang))}:\n{url}" for text, url in self.links))
        out.append(_wrap(self.fill("notify_rights", esc)))
        out.append(self.fill("notify_signature", esc))
        return "\n\n".join(out) + "\n"

    def html(self) -> str:
        esc = html_text
        out = [f"<p>{self.fill(k, esc)}</p>" for k in ("notify_greeting", "notify_why", "notify_intro")]
        for group, items in self.groups:
            out.append(f"<h3>{html_text(label('notify_group_' + group, self.lang))}</h3>")
            lis = [f"<li><strong>{esc(sentence_case(i.title))}:</strong> {_sentences(i, self.lang, esc)}</li>" if i.title else f"<li>{_sentences(i, self.lang, esc)}</li>" for i in items]
            out.append("<ul>\n" + "\n".join(lis) + "\n</ul>")
        out.append("<p>" + "<br>\n".join(f'{html_text(label(text, self.lang))}: <a href="{html_attribute(url)}">{html_text(url)}</a>' for text, url in self.links) + "</p>")
        out.append(f"<p>{self.fill('notify_rights', esc)}</p>")
        out.append("<p>" + self.fill("notify_signature", esc).replace("\n", "<br>\n") + "</p>")
        head = f'<!DOCTYPE html>\n<html lang="{self.lang}">\n<head>\n<meta charset="utf-8">\n<title>{html_text(self.subject())}</title>\n</head>\n<body>\n'
        return head + "\n".join(out) + "\n</body>\n</html>\n"


def _wrap(text: str, first: str = "", rest: str = "") -> str:
    return textwrap.fill(text, width=72, initial_indent=first, subsequent_indent=rest, break_long_words=False, break_on_hyphens=False)


def _url(url: str) -> str:
    """A URL inside a Markdown autolink <...>: nothing that could end it or break the line."""
    return "".join(ch if ch.isprintable() and ch not in " <>" else f"%{ord(ch):02X}" for ch in url)
