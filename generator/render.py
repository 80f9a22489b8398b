"""The notice as Markdown, one language at a time, in the order a reader needs it.

Order: who we are -> what data, about whom, from where -> purposes and legal basis -> recipients
and transfers -> retention -> cookies -> security -> marketing -> automated decisions -> your
rights -> complaints -> changes -> contact. Section anchors are the same in every language, so
`#purposes` links the same section in bokmål and English.

The output is plain Markdown (tables, attribute lists for anchors): it is what a release freezes,
what the text diff compares, and what MkDocs turns into HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Iterable

from .clauses import clause, label
from .model import Notice, Purpose, Recipient, Retention, RetentionUse, Text
from .safety import email_link, escape_markdown, escape_text, link, phone_link
from .summary import render_summary
from .words import country, duration, listing, long_date, retention_words, sentence_case

SECTION_ORDER = (
    "controller",
    "data",
    "purposes",
    "recipients",
    "retention",
    "cookies",
    "security",
    "marketing",
    "automated_decisions",
    "rights",
    "complaints",
    "changes",
    "contact",
)

#: Source kinds that are the person (Art. 13): "publicly accessible" (Art. 14(2)(f)) does not apply to them.
FROM_THE_PERSON = frozenset({"data_subject", "device"})

RIGHTS = ("right_access", "right_rectification", "right_erasure", "right_restriction", "right_portability")


@dataclass(frozen=True)
class Stamp:
    """Which version a rendering is, for the header. version None means an unreleased draft."""

    version: int | None = None
    effective: dt.date | None = None
    announced: dt.date | None = None


def render_notice(notice: Notice, lang: str, stamp: Stamp = Stamp()) -> str:
    """The whole notice in `lang` as Markdown."""
    return _Renderer(notice, lang).document(stamp)


def render_subprocessors(notice: Notice, lang: str, stamp: Stamp = Stamp()) -> str:
    """The processor's page for its business customers: every sub-processor, advance notice, objection."""
    return _Renderer(notice, lang).subprocessors(stamp)


def anchor(section: str) -> str:
    """The HTML id of a section: the same in every language."""
    return section.replace("_", "-")


class _Renderer:
    def __init__(self, notice: Notice, lang: str):
        self.n = notice
        self.lang = lang
        org = notice.organisation
        authority = notice.authority
        contact_bits = []
        if authority.address:
            a = authority.address
            contact_bits.append(escape_text(f"{a.street}, {a.postal_code} {a.city}"))
        if authority.phone:
            contact_bits.append(phone_link(authority.phone))
        contact_bits.append(email_link(authority.email))
        contact_bits.append(link(authority.website.split("://", 1)[1].rstrip("/"), authority.website))
        processor = org.processor
        self.values = {
            "controller": escape_text(org.name),
            "org_number": escape_text(org.org_number),
            "email": email_link(org.email),
            "rights_email": email_link(notice.rights.contact.email),
            "response_time": duration(notice.rights.response_time, lang, spelled=True),
            "authority": escape_text(authority.name(lang)),
            "authority_contact": ", ".join(contact_bits),
            "notice_days": str(notice.changes.notice_days),
            "channels": listing([label(f"channel_{c}", lang) for c in notice.changes.channels], lang),
            "subprocessor_notice_days": str(processor.notice_days if processor else 30),
            "dpo_name": escape_text(org.dpo.name(lang)) if org.dpo and org.dpo.name else "",
            "dpo_contact": self._contact_line(org.dpo.email, org.dpo.phone) if org.dpo else "",
            "representative": self._representative(),
        }

    # -- helpers -----------------------------------------------------------------------------

    def t(self, text: Text | None) -> str:
        """A company text shown as plain text."""
        return escape_text(text(self.lang)) if text else ""

    def md(self, text: Text | None) -> str:
        """A company text in which Markdown is allowed."""
        return escape_markdown(text(self.lang)) if text else ""

    def clause(self, ident: str) -> str:
        return clause(ident, self.lang, self.n.clauses, **self.values)

    def label(self, ident: str) -> str:
        return label(ident, self.lang)

    def heading(self, level: int, ident: str, text: str | None = None) -> str:
        return f"{'#' * level} {text if text is not None else self.label('heading_' + ident)} {{#{anchor(ident)}}}"

    def table(self, headers: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
        headers = list(headers)
        lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
        # Sentence case in every cell: a cell reads as the start of a sentence, whatever the YAML's case.
        lines += ["| " + " | ".join(sentence_case(cell) if cell else "–" for cell in row) + " |" for row in rows]
        return "\n".join(lines)

    def _contact_line(self, email: str | None, phone: str | None) -> str:
        return ", ".join(x for x in (email_link(email) if email else "", phone_link(phone) if phone else "") if x)

    def _representative(self) -> str:
        rep = self.n.organisation.eu_representative
        if not rep:
            return ""
        a = rep.address
        parts = [escape_text(f"{rep.name}, {a.street}, {a.postal_code} {a.city}, {country(a.country, self.lang)}")]
        if rep.email:
            parts.append(email_link(rep.email))
        return ", ".join(parts)

    # -- the document ------------------------------------------------------------------------

    def document(self, stamp: Stamp) -> str:
        org = self.n.organisation
        blocks = [f"# {self.label('title')} – {escape_text(org.name)}", self.stamp(stamp), render_summary(self.n, self.lang), self.clause("intro")]
        sections: dict[str, Callable[[], list[str]]] = {
            "controller": self.controller,
            "data": self.data,
            "purposes": self.purposes,
            "recipients": self.recipients,
            "retention": self.retention,
            "cookies": self.cookies,
            "security": self.security,
            "marketing": self.marketing,
            "automated_decisions": self.automated_decisions,
            "rights": self.rights,
            "complaints": self.complaints,
            "changes": self.changes,
            "contact": self.contact,
        }
        for ident in SECTION_ORDER:
            blocks += sections[ident]()
            for section in self.n.sections:
                if section.after == ident:
                    blocks += [self.heading(2, section.id, self.t(section.title)), self.md(section.body)]
        return "\n\n".join(b for b in blocks if b) + "\n"

    def subprocessors(self, stamp: Stamp) -> str:
        org = self.n.organisation
        processor = org.processor
        rows = []
        for ident in processor.sub_processors if processor else ():
            r = self.n.recipient(ident)
            rows.append(
                [
                    self.t(r.title),
                    self.t(r.service),
                    listing([country(c, self.lang) for c in r.locations], self.lang),
                    self.safeguard_cell(r),
                ]
            )
        blocks = [
            f"# {self.label('heading_subprocessors')} – {escape_text(org.name)}",
            self.stamp(stamp),
            self.clause("subprocessors_intro"),
            self.table([self.label(k) for k in ("col_recipient", "col_service", "col_location", "col_safeguard")], rows),
            self.heading(2, "subprocessor_changes", self.label("heading_subprocessor_changes")),
            self.clause("subprocessors_notice"),
            self.md(processor.objection) if processor and processor.objection else self.clause("subprocessors_objection"),
        ]
        return "\n\n".join(b for b in blocks if b) + "\n"

    def stamp(self, stamp: Stamp) -> str:
        if stamp.version is None:
            return f"**{self.label('draft')}** — {self.label('draft_explained')}\n{{.notice-stamp .notice-draft}}"
        parts = [f"**{self.label('version')} {stamp.version}**"]
        if stamp.effective:
            parts.append(f"{self.label('effective_from')} {long_date(stamp.effective, self.lang)}")
        if stamp.announced:
            parts.append(f"{self.label('announced')} {long_date(stamp.announced, self.lang)}")
        return " · ".join(parts) + "\n{.notice-stamp}"

    def controller(self) -> list[str]:
        org = self.n.organisation
        lines = [
            f"**{escape_text(org.name)}**  ",
            f"{self.label('org_number')} {escape_text(org.org_number)}  ",
            f"{escape_text(org.address.street)}, {escape_text(org.address.postal_code)} {escape_text(org.address.city)}  ",
            f"{self.label('email')}: {email_link(org.email)}  ",
        ]
        if org.phone:
            lines.append(f"{self.label('phone')}: {phone_link(org.phone)}  ")
        if org.website:
            lines.append(f"{self.label('website')}: {link(org.website.split('://', 1)[1].rstrip('/'), org.website)}  ")
        contact = org.contact
        if contact.name:
            lines.append(f"{self.label('contact_person')}: {self.t(contact.name)}, {self.t(contact.role)}")
        else:  # a function, e.g. customer service: no person to name
            lines.append(f"{self.label('contact_function')}: {self.t(contact.role)}")
        if contact.email or contact.phone:
            lines[-1] += ", " + self._contact_line(contact.email, contact.phone)
        out = [self.heading(2, "controller"), self.clause("controller"), "\n".join(lines)]
        if org.dpo and (org.dpo.email or org.dpo.phone):
            out.append(self.clause("dpo" if org.dpo.name else "dpo_unnamed"))
        elif org.dpo and org.dpo.name:  # named without contact details: `check` warns (art13_1_b_dpo_contact); say what we know
            out.append(f"{self.label('dpo')}: {self.t(org.dpo.name)}")
        if org.eu_representative:
            out.append(self.clause("eu_representative"))
        if org.processor:
            out += [self.heading(3, "processor_role"), self.clause("processor_role"), self.md(org.processor.description)]
        if org.joint_controllers:
            out += [self.heading(3, "joint_controllers"), self.clause("joint_controllers")]
            for partner in org.joint_controllers:
                number = f" ({self.label('org_number_inline')} {escape_text(partner.org_number)})" if partner.org_number else ""
                out.append(f"**{self.t(partner.name)}**{number}: {self.md(partner.arrangement)}")
        return out

    def data(self) -> list[str]:
        n = self.n
        rows = []
        for category in n.data_categories:
            names = list(dict.fromkeys(self.t(n.subject(s).name) for s in n.subjects_of(category)))
            name = self.t(category.name)
            if category.special:
                name += f" ({self.label('special_category_mark')})"
            examples = self.t(category.examples)
            if category.need:
                examples = (f"{examples}. " if examples else "") + f"{self.label('category_need')}: {self.t(category.need)}"
            rows.append([name, examples, listing(names, self.lang)])
        out = [
            self.heading(2, "data"),
            self.clause("data_intro"),
            self.table([self.label("col_category"), self.label("col_examples"), self.label("col_subjects")], rows),
        ]
        if any(c.special for c in n.data_categories):
            out.append(self.clause("special_categories"))
        source_rows = [
            [
                self.t(s.name),
                self.label(f"source_{s.kind}"),
                listing([self.t(n.category(c).name) for c in s.categories], self.lang),
                "" if s.kind in FROM_THE_PERSON else self.label("yes") if s.publicly_accessible else self.label("no"),
            ]
            for s in n.sources
        ]
        out += [
            self.heading(3, "sources"),
            self.clause("sources_intro"),
            self.table(
                [self.label("col_source"), self.label("col_source_kind"), self.label("col_category"), self.label("col_publicly_accessible")],
                source_rows,
            ),
        ]
        if n.indirect_sources:
            out.append(self.clause("sources_indirect"))
        return out

    def purposes(self) -> list[str]:
        out = [self.heading(2, "purposes"), self.clause("purposes_intro")]
        for purpose in self.n.purposes:
            out += self.purpose(purpose)
        return out + self.legal_bases()

    def legal_bases(self) -> list[str]:
        """Each legal basis (Art. 6) and Art. 9 condition explained once, with the purposes that use it.

        Under every purpose the same paragraph would repeat as often as the basis is used; here the
        reader learns what "legitimate interests" means once, and each purpose links to it.
        """
        used: dict[str, list[Purpose]] = {}
        for p in self.n.purposes:
            used.setdefault("basis_" + p.legal_basis, []).append(p)
        for p in self.n.purposes:
            if p.art9_basis:
                used.setdefault("art9_" + p.art9_basis, []).append(p)
        if not used:
            return []
        out = [self.heading(3, "legal_bases")]
        for ident, purposes in used.items():
            names = listing([link(p.name(self.lang), "#" + anchor(f"purpose_{p.id}")) for p in purposes], self.lang, distinct=True)
            explanation = " ".join(self.clause(ident).split())
            out.append(f"**{self.label(ident)}**  \n{self.label('used_for')}: {names}.  \n{explanation}\n{{#{anchor(ident)}}}")
        return out

    def purpose(self, p: Purpose) -> list[str]:
        n = self.n
        items = [f"- **{self.label('legal_basis')}:** {self.basis_link('basis_' + p.legal_basis)}"]
        if p.legitimate_interest:
            items.append(f"- **{self.label('legitimate_interest')}:** {self.md(p.legitimate_interest)}")
        if p.legal_reference:
            items.append(f"- **{self.label('legal_reference')}:** {self.t(p.legal_reference)}")
        if p.art9_basis:
            items.append(f"- **{self.label('special_basis')}:** {self.basis_link('art9_' + p.art9_basis)}")
        items.append(f"- **{self.label('data_used')}:** {listing([self.t(n.category(c).name) for c in p.categories], self.lang)}")
        items.append(f"- **{self.label('subjects_concerned')}:** {listing([self.t(n.subject(s).name) for s in p.data_subjects], self.lang)}")
        recipients = listing([self.t(n.recipient(r).title) for r in p.recipients], self.lang) or self.label("no_recipients")
        items.append(f"- **{self.label('recipients_of_purpose')}:** {recipients}")
        items.append(f"- **{self.label('retention')}:** {self.retention_of(p)}")
        if p.requirement:
            items.append(
                f"- **{self.label('provision')}** {self.clause('requirement_' + p.requirement.kind)} {self.md(p.requirement.consequence)}".rstrip()
            )
        # Markdown inside list items must stay on one line per item: collapse company text.
        items = [" ".join(item.split()) for item in items]
        return [self.heading(3, f"purpose_{p.id}", self.t(p.name)), self.md(p.description), "\n".join(items)]

    def basis_link(self, ident: str) -> str:
        """The name of a basis, linked to its one explanation under "The legal bases explained"."""
        return f"[{self.label(ident)}](#{anchor(ident)})"

    def retention_of(self, p: Purpose) -> str:
        """A purpose's retention: one rule, or each rule led by the condition it applies under."""
        return ". ".join(self.retention_use(use) for use in p.retention)

    def retention_use(self, use: RetentionUse) -> str:
        phrase = self.retention_phrase(self.n.retention_rule(use.rule))
        return f"{self.t(use.condition)}: {phrase}" if use.condition else phrase

    def retention_phrase(self, rule: Retention) -> str:
        return retention_words(rule.period, self.t(rule.criterion), rule.start, self.lang)

    def recipients(self) -> list[str]:
        n = self.n
        out = [self.heading(2, "recipients")]
        if not n.recipients:
            out.append(self.clause("recipients_none"))
        else:
            out.append(self.clause("recipients_intro"))
            out.append(
                self.table(
                    [self.label(k) for k in ("col_recipient", "col_kind", "col_service", "col_location", "col_safeguard")],
                    [
                        [
                            self.recipient_cell(r),
                            self.label(f"kind_{r.kind}"),
                            self.t(r.service),
                            listing([country(c, self.lang) for c in r.locations], self.lang),
                            self.safeguard_cell(r),
                        ]
                        for r in n.recipients
                    ],
                )
            )
        out.append(self.heading(3, "transfers"))
        transfers = n.transfers
        if not transfers:
            out.append(self.clause("transfers_none"))
            return out
        # The standard intro promises a Chapter V basis for every transfer: use it only when the list gives one.
        complete = not any(r.unprotected_countries for r in transfers)
        out.append(self.clause("transfers_intro" if complete else "transfers_intro_unstated"))
        lines = []
        for r in transfers:
            for safeguard in r.transfers:
                line = f"- **{self.t(r.title)}** ({self.countries(safeguard.countries)}): {self.label('safeguard_' + safeguard.safeguard)}"
                if safeguard.details:
                    line += f". {self.md(safeguard.details)}"
                lines.append(" ".join(line.split()))
            if r.unprotected_countries:  # `check` reports this as an error (art13_1_f_transfer)
                lines.append(f"- **{self.t(r.title)}** ({self.countries(r.unprotected_countries)})")
        out.append("\n".join(lines))
        used = list(dict.fromkeys(s.safeguard for r in transfers for s in r.transfers))
        out += [self.clause(f"safeguard_{s}") for s in used]
        copies = list(dict.fromkeys(s.copy for r in transfers for s in r.transfers if s.copy))
        out += [self.md(c) for c in copies] or ([self.clause("transfer_copy")] if used else [])
        return out

    def countries(self, codes: Iterable[str]) -> str:
        return listing([country(c, self.lang) for c in codes], self.lang)

    def recipient_cell(self, r: Recipient) -> str:
        """"Category: Name" (so a name ending in a parenthesis gets no second one), the category alone, or the name."""
        if r.name and r.category:
            return f"{self.t(r.category)}: {escape_text(r.name)}"
        return self.t(r.title)

    def safeguard_cell(self, r: Recipient) -> str:
        """The safeguard(s) of a recipient, per destination when they differ; empty (a dash) where none is given."""
        if not r.third_countries:
            return self.label("safeguard_none_needed")
        kinds = [(c, r.safeguard_for(c)) for c in r.third_countries]
        if len({s.safeguard if s else None for _, s in kinds}) == 1:
            return self.label(f"safeguard_{kinds[0][1].safeguard}") if kinds[0][1] else ""
        return "; ".join(f"{country(c, self.lang)}: {self.label('safeguard_' + s.safeguard)}" for c, s in kinds if s)

    def retention(self) -> list[str]:
        rows = []
        for p in self.n.purposes:
            references = [self.t(self.n.retention_rule(u.rule).legal_reference) for u in p.retention]
            rows.append([self.t(p.name), self.retention_of(p), "; ".join(dict.fromkeys(r for r in references if r))])
        return [
            self.heading(2, "retention"),
            self.clause("retention_intro"),
            self.table([self.label("col_purposes"), self.label("col_period"), self.label("col_legal_reference")], rows),
        ]

    def cookies(self) -> list[str]:
        out = [self.heading(2, "cookies")]
        if not self.n.cookies:
            return out + [self.clause("cookies_none")]
        rows = [
            [
                f"`{c.name}`" if "`" not in c.name else escape_text(c.name),
                escape_text(c.provider),
                self.label(f"party_{c.party}"),
                self.t(c.purpose),
                self.label(f"cookie_{c.category}"),
                duration(c.duration, self.lang),
                self.label("yes") if c.consent_required else self.label("no"),
            ]
            for c in self.n.cookies
        ]
        headers = ["col_name", "col_provider", "col_party", "col_purposes", "col_cookie_category", "col_duration", "col_consent"]
        return out + [self.clause("cookies_intro"), self.table([self.label(h) for h in headers], rows), self.clause("cookies_consent")]

    def security(self) -> list[str]:
        if not self.n.security_measures:
            return []
        items = "\n".join(f"- {' '.join(self.md(m).split())}" for m in self.n.security_measures)
        return [self.heading(2, "security"), self.clause("security_intro"), items]

    def marketing(self) -> list[str]:
        m = self.n.marketing
        if not m:
            return []
        out = [self.heading(2, "marketing"), self.clause("marketing_intro")]
        if m.description:
            out.append(self.md(m.description))
        if set(m.basis) == {"consent", "existing_customer"}:  # say "only with consent" without contradicting the exception
            out += [self.clause("marketing_consent_or_customer"), self.clause("marketing_existing_customer")]
        else:
            out += [self.clause(f"marketing_{b}") for b in m.basis]
        out += [f"{self.clause('marketing_opt_out')} {self.md(m.opt_out)}"]
        return out

    def automated_decisions(self) -> list[str]:
        out = [self.heading(2, "automated_decisions")]
        if not self.n.automated_decisions:
            return out + [self.clause("automated_none")]
        out.append(self.clause("automated_intro"))
        for d in self.n.automated_decisions:
            out += [
                self.heading(3, f"decision_{d.id}", self.t(d.name)),
                "\n".join(
                    [
                        f"- **{self.label('logic')}:** {' '.join(self.md(d.logic).split())}",
                        f"- **{self.label('significance')}:** {' '.join(self.md(d.significance).split())}",
                        f"- **{self.label('consequences')}:** {' '.join(self.md(d.consequences).split())}",
                    ]
                ),
            ]
        return out

    def rights(self) -> list[str]:
        out = [self.heading(2, "rights"), self.clause("rights_intro")]
        for right in RIGHTS:
            out += [self.heading(3, right, self.label(right)), self.clause(right)]
        out += [self.heading(3, "right_object", self.label("heading_right_object")), self.clause("right_object") + "\n{.notice-highlight}"]
        if self.n.uses_consent:
            out += [self.heading(3, "right_withdraw_consent", self.label("right_withdraw_consent")), self.clause("right_withdraw_consent")]
        out += [self.heading(3, "rights_how"), self.clause("rights_how")]
        contact = self.n.rights.contact
        extra = []
        if contact.phone:
            extra.append(f"{self.label('phone')}: {phone_link(contact.phone)}")
        if contact.form:
            extra.append(f"{self.label('rights_form')}: {link(contact.form.split('://', 1)[1].rstrip('/'), contact.form)}")
        if extra:
            out.append("  \n".join(extra))
        return out

    def complaints(self) -> list[str]:
        return [self.heading(2, "complaints"), self.clause("complaint")]

    def changes(self) -> list[str]:
        return [self.heading(2, "changes"), self.clause("changes")]

    def contact(self) -> list[str]:
        org = self.n.organisation
        lines = [f"**{escape_text(org.name)}**  ", f"{self.label('email')}: {email_link(org.email)}  "]
        if org.phone:
            lines.append(f"{self.label('phone')}: {phone_link(org.phone)}  ")
        if org.dpo and (org.dpo.email or org.dpo.phone):
            lines.append(f"{self.label('dpo')}: {self.values['dpo_contact']}  ")
        lines.append(f"{escape_text(org.address.street)}, {escape_text(org.address.postal_code)} {escape_text(org.address.city)}")
        return [self.heading(2, "contact"), self.clause("contact"), "\n".join(lines)]

