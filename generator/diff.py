"""The semantic diff: what changed between two versions of a notice, entity by entity, and whether
customers must be told.

Entities are matched by their stable id, so a reworded purpose is a change, not a removal plus an
addition. Each change is classified by a rule of the table in LEGAL-REFERENCE.md §2 (WP260 para
29-31); the rule's id is recorded so a reviewer sees why, and a release can overrule it with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from string import Template
from typing import Any, Iterable, Iterator, Mapping

from .clauses import label
from .model import Notice, Recipient, Retention, RetentionUse, Text
from .words import country, duration, listing

SIGNIFICANT, MINOR = "significant", "minor"

#: rule id -> (class, nb template, en template). $name is the entity, $old/$new the values.
RULES: dict[str, tuple[str, str, str]] = {
    "purpose_added": (SIGNIFICANT, "Nytt formål: $name.", "New purpose: $name."),
    "purpose_changed": (SIGNIFICANT, "Formålet «$name» er endret; se om betydningen er endret.", "The purpose \u201c$name\u201d has changed; check whether its meaning changed."),
    "purpose_data_added": (SIGNIFICANT, "Formålet «$name» bruker nå også: $new.", "The purpose \u201c$name\u201d now also uses: $new."),
    "purpose_removed": (MINOR, "Formålet «$name» er fjernet.", "The purpose \u201c$name\u201d was removed."),
    "legal_basis_changed": (SIGNIFICANT, "Behandlingsgrunnlaget for «$name» er endret fra $old til $new.", "The legal basis of \u201c$name\u201d changed from $old to $new."),
    "controller_identity": (SIGNIFICANT, "Behandlingsansvarlig er endret: $old → $new.", "The controller changed: $old → $new."),
    "rights_contact": (SIGNIFICANT, "Kontaktpunktet for å utøve rettighetene er endret: $old → $new.", "The contact for exercising your rights changed: $old → $new."),
    "dpo_changed": (SIGNIFICANT, "Personvernombudet er endret: $old → $new.", "The data protection officer changed: $old → $new."),
    "recipient_added": (SIGNIFICANT, "Ny mottaker: $name.", "New recipient: $name."),
    "recipient_category_changed": (SIGNIFICANT, "Mottakeren $name har fått en ny rolle: $old → $new.", "The recipient $name has a new role: $old → $new."),
    "sub_processor_added": (SIGNIFICANT, "Ny underdatabehandler: $name.", "New sub-processor: $name."),
    "joint_controller_added": (SIGNIFICANT, "Nytt felles behandlingsansvar med $name.", "New joint controllership with $name."),
    "transfer_added": (SIGNIFICANT, "Ny overføring utenfor EU/EØS: $name ($new).", "New transfer outside the EU/EEA: $name ($new)."),
    "safeguard_changed": (SIGNIFICANT, "Overføringsgrunnlaget for $name er endret: $old → $new.", "The transfer safeguard for $name changed: $old → $new."),
    "category_added": (SIGNIFICANT, "Ny kategori personopplysninger: $name.", "New category of personal data: $name."),
    "special_category_added": (SIGNIFICANT, "Ny særlig kategori personopplysninger (art. 9): $name.", "New special category of personal data (Art. 9): $name."),
    "retention_longer": (SIGNIFICANT, "Lengre lagringstid for $name: $old → $new.", "Longer retention for $name: $old → $new."),
    "retention_shorter": (MINOR, "Kortere lagringstid for $name: $old → $new.", "Shorter retention for $name: $old → $new."),
    "retention_start_changed": (SIGNIFICANT, "Lagringstiden for $name regnes nå fra et annet tidspunkt: $old → $new.", "Retention for $name now counts from another event: $old → $new."),
    "automated_added": (SIGNIFICANT, "Ny automatisert avgjørelse: $name.", "New automated decision: $name."),
    "source_added": (SIGNIFICANT, "Ny kilde til personopplysninger: $name.", "New source of personal data: $name."),
    "cookie_consent_added": (SIGNIFICANT, "Ny informasjonskapsel som krever samtykke: $name.", "New cookie that needs consent: $name."),
    "marketing_added": (SIGNIFICANT, "Vi sender nå markedsføring elektronisk.", "We now send electronic marketing."),
    "removed": (MINOR, "Fjernet: $name.", "Removed: $name."),
    "added_minor": (MINOR, "Lagt til: $name.", "Added: $name."),
    "wording": (MINOR, "Ordlyden er endret: $name.", "Wording changed: $name."),
    "detail_changed": (MINOR, "Endret: $name ($old → $new).", "Changed: $name ($old → $new)."),
}


@dataclass(frozen=True)
class Reclassification:
    """A person's decision that a change belongs to another class than its rule says."""

    change: str
    cls: str
    reason: str
    approved_by: str


@dataclass(frozen=True)
class Change:
    key: str  # stable: "recipients.mailchimp" or "recipients.mailchimp.locations"
    kind: str  # added | removed | changed
    rule: str
    cls: str  # significant | minor
    explanation: Mapping[str, str]  # one line per language
    old: Mapping[str, str] = field(default_factory=dict)  # display value per language
    new: Mapping[str, str] = field(default_factory=dict)
    drift: tuple[str, ...] = ()  # languages whose text changed while another's did not
    reclassified: Reclassification | None = None

    @property
    def significant(self) -> bool:
        return self.cls == SIGNIFICANT


@dataclass(frozen=True)
class Diff:
    changes: tuple[Change, ...]

    @property
    def significant(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.significant)

    @property
    def drift(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.drift)

    def __bool__(self) -> bool:
        return bool(self.changes)


def diff(old: Notice | None, new: Notice, reclassifications: Iterable[Reclassification] = ()) -> Diff:
    """Every change from `old` to `new` (old None: the first version, everything is added)."""
    langs = new.languages
    changes = list(_Differ(old, new, langs).changes()) if old is not None else list(_first(new, langs))
    decided = {r.change: r for r in reclassifications}
    out = []
    for change in changes:
        r = decided.get(change.key)
        out.append(replace(change, cls=r.cls, reclassified=r) if r else change)
    return Diff(tuple(out))


def _first(new: Notice, langs: tuple[str, ...]) -> Iterator[Change]:
    yield _change("notice", "added", "added_minor", langs, name={lang: label("title", lang) for lang in langs})


def _change(key: str, kind: str, rule: str, langs: Iterable[str], *, name: Mapping[str, str], old: Mapping[str, str] | None = None, new: Mapping[str, str] | None = None, drift: tuple[str, ...] = ()) -> Change:
    cls, nb, en = RULES[rule]
    templates = {"nb": nb, "en": en}
    explanation = {
        lang: Template(templates[lang]).safe_substitute(name=name.get(lang, ""), old=(old or {}).get(lang, "–"), new=(new or {}).get(lang, "–"))
        for lang in langs
    }
    return Change(key, kind, rule, cls, explanation, dict(old or {}), dict(new or {}), drift)


def _rule_words(rule: Retention, lang: str) -> str:
    return (duration(rule.period, lang) if rule.period else (rule.criterion.values.get(lang, "") if rule.criterion else "")) + " " + label(f"start_{rule.start}", lang)


def _days(period: str | None) -> int | None:
    if not period:
        return None
    m = re.match(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$", period)
    if not m:
        return None
    y, mo, w, d = (int(x) if x else 0 for x in m.groups())
    return y * 365 + mo * 30 + w * 7 + d


class _Differ:
    def __init__(self, old: Notice, new: Notice, langs: tuple[str, ...]):
        self.old, self.new, self.langs = old, new, langs

    def each(self, fn) -> dict[str, str]:
        return {lang: fn(lang) for lang in self.langs}

    def text(self, t: Text | None) -> dict[str, str]:
        return {lang: t.values.get(lang, "") for lang in self.langs} if t else {lang: "" for lang in self.langs}

    def plain(self, value: Any) -> dict[str, str]:
        return {lang: "" if value is None else str(value) for lang in self.langs}

    def change(self, key: str, kind: str, rule: str, name, old=None, new=None, drift=()) -> Change:
        return _change(key, kind, rule, self.langs, name=name, old=old, new=new, drift=drift)

    def texts(self, key: str, name, old: Text | None, new: Text | None, rule: str = "wording") -> Iterator[Change]:
        """A changed text, flagged as drift when some languages changed and others did not."""
        a, b = self.text(old), self.text(new)
        if a == b:
            return
        changed = [lang for lang in self.langs if a[lang] != b[lang]]
        drift = tuple(changed) if len(changed) < len(self.langs) else ()
        yield self.change(key, "changed", rule, name, a, b, drift)

    def changes(self) -> Iterator[Change]:
        yield from self.organisation()
        yield from self.collection("data_categories", self.category)
        yield from self.collection("data_subjects", self.subject)
        yield from self.collection("sources", self.source)
        yield from self.collection("purposes", self.purpose)
        yield from self.collection("recipients", self.recipient)
        yield from self.collection("retention", self.retention)
        yield from self.collection("cookies", self.cookie, ident="name")
        yield from self.collection("automated_decisions", self.decision)
        yield from self.collection("sections", self.section)
        yield from self.rights()
        yield from self.marketing()
        yield from self.other()

    # -- generic --------------------------------------------------------------------------

    def collection(self, name: str, compare, ident: str = "id") -> Iterator[Change]:
        old = {getattr(e, ident): e for e in getattr(self.old, name)}
        new = {getattr(e, ident): e for e in getattr(self.new, name)}
        for key, entity in new.items():
            yield from compare(f"{name}.{key}", old.get(key), entity)
        for key, entity in old.items():
            if key not in new:
                yield self.change(f"{name}.{key}", "removed", "removed", self.display(entity))

    def display(self, entity: Any) -> dict[str, str]:
        if isinstance(entity, Recipient):
            return self.text(entity.title)
        for attr in ("name", "title"):
            value = getattr(entity, attr, None)
            if isinstance(value, Text):
                return self.text(value)
            if isinstance(value, str):
                return self.plain(value)
        return self.plain(getattr(entity, "id", "?"))

    def names(self, collection: str, ids: Iterable[str], notice: Notice) -> dict[str, str]:
        table = {getattr(e, "id", getattr(e, "name", None)): e for e in getattr(notice, collection)}
        return {lang: listing([self.display(table[i])[lang] if i in table else i for i in ids], lang) for lang in self.langs}

    # -- entities -------------------------------------------------------------------------

    def category(self, key, old, new) -> Iterator[Change]:
        name = self.text(new.name)
        if old is None:
            yield self.change(key, "added", "special_category_added" if new.special else "category_added", name)
            return
        if new.special and not old.special:
            yield self.change(key, "changed", "special_category_added", name)
        yield from self.texts(key + ".name", name, old.name, new.name)
        yield from self.texts(key + ".examples", name, old.examples, new.examples)
        yield from self.texts(key + ".need", name, old.need, new.need)
        if old.data_subjects != new.data_subjects:
            yield self.change(key + ".data_subjects", "changed", "detail_changed", name,
                              self.names("data_subjects", self.old.subjects_of(old), self.old), self.names("data_subjects", self.new.subjects_of(new), self.new))

    def subject(self, key, old, new) -> Iterator[Change]:
        name = self.text(new.name)
        if old is None:
            yield self.change(key, "added", "added_minor", name)
            return
        yield from self.texts(key + ".name", name, old.name, new.name)
        yield from self.texts(key + ".description", name, old.description, new.description)

    def source(self, key, old, new) -> Iterator[Change]:
        name = self.text(new.name)
        if old is None:
            yield self.change(key, "added", "source_added", name)
            return
        added = [c for c in new.categories if c not in old.categories]
        if added:
            yield self.change(key + ".categories", "changed", "source_added", name, new=self.names("data_categories", added, self.new))
        if set(new.purposes) - set(old.purposes) and old.purposes:  # feeding a further purpose is a new source for it
            yield self.change(key + ".purposes", "changed", "source_added", name, new=self.names("purposes", [i for i in new.purposes if i not in old.purposes], self.new))
        if new.kind != old.kind:
            yield self.change(key + ".kind", "changed", "source_added", name, self.each(lambda l: label(f"source_{old.kind}", l)), self.each(lambda l: label(f"source_{new.kind}", l)))
        yield from self.texts(key + ".name", name, old.name, new.name)

    def purpose(self, key, old, new) -> Iterator[Change]:
        name = self.text(new.name)
        if old is None:
            yield self.change(key, "added", "purpose_added", name)
            return
        if (old.legal_basis, old.art9_basis) != (new.legal_basis, new.art9_basis):
            yield self.change(
                key + ".legal_basis", "changed", "legal_basis_changed", name,
                self.each(lambda l: label(f"basis_{old.legal_basis}", l)), self.each(lambda l: label(f"basis_{new.legal_basis}", l)),
            )
        # An entity new to the whole notice is reported once, as added; here only existing ones count.
        for attr, collection in (("categories", "data_categories"), ("data_subjects", "data_subjects")):
            known = {getattr(e, "id") for e in getattr(self.old, collection)}
            added = [i for i in getattr(new, attr) if i not in getattr(old, attr) and i in known]
            if added:
                yield self.change(f"{key}.{attr}", "changed", "purpose_data_added", name, new=self.names(collection, added, self.new))
        known = {r.id for r in self.old.recipients}
        added = [r for r in new.recipients if r not in old.recipients and r in known]
        if added:
            yield self.change(key + ".recipients", "changed", "recipient_added", self.names("recipients", added, self.new))
        if old.retention != new.retention:
            yield from self.retention_uses(key + ".retention", name, old.retention, new.retention)
        yield from self.texts(key + ".description", name, old.description, new.description, rule="purpose_changed")
        yield from self.texts(key + ".name", name, old.name, new.name)
        yield from self.texts(key + ".legitimate_interest", name, old.legitimate_interest, new.legitimate_interest, rule="purpose_changed")

    def recipient(self, key, old, new) -> Iterator[Change]:
        name = self.text(new.title)
        if old is None:
            rule = "transfer_added" if new.third_countries else "recipient_added"
            yield self.change(key, "added", rule, name, new=self.each(lambda l: listing([country(c, l) for c in new.third_countries], l)))
            return
        if new.kind != old.kind:
            yield self.change(key + ".kind", "changed", "recipient_category_changed", name, self.each(lambda l: label(f"kind_{old.kind}", l)), self.each(lambda l: label(f"kind_{new.kind}", l)))
        added = [c for c in new.third_countries if c not in old.third_countries]
        if added:
            yield self.change(key + ".locations", "changed", "transfer_added", name, new=self.each(lambda l: listing([country(c, l) for c in added], l)))
        elif set(new.locations) != set(old.locations):
            yield self.change(key + ".locations", "changed", "detail_changed", name,
                              self.each(lambda l: listing([country(c, l) for c in old.locations], l)),
                              self.each(lambda l: listing([country(c, l) for c in new.locations], l)))
        for c in new.third_countries:  # the basis is per destination
            before, after = old.safeguard_for(c), new.safeguard_for(c)
            old_safeguard = before.safeguard if before else None
            new_safeguard = after.safeguard if after else None
            if old_safeguard != new_safeguard and c in old.third_countries:
                yield self.change(f"{key}.transfer.{c}", "changed", "safeguard_changed", self.each(lambda l: f"{name[l]} ({country(c, l)})"),
                                  self.each(lambda l: label(f"safeguard_{old_safeguard}" if old_safeguard else "safeguard_missing", l)),
                                  self.each(lambda l: label(f"safeguard_{new_safeguard}" if new_safeguard else "safeguard_missing", l)))
            elif before and after:
                yield from self.texts(f"{key}.transfer.{c}.details", name, before.details, after.details)
        if self.text(old.category) != self.text(new.category):
            yield self.change(key + ".category", "changed", "recipient_category_changed", name, self.text(old.category), self.text(new.category))
        yield from self.texts(key + ".service", name, old.service, new.service)

    def retention(self, key, old, new) -> Iterator[Change]:
        users = [p.id for p in self.new.purposes if any(u.rule == new.id for u in p.retention)]
        name = self.names("purposes", users, self.new) if users else self.plain(new.id)
        if old is None:
            return  # a new rule matters only through the purposes that use it
        yield from self.retention_values(key, name, old, new)

    def retention_uses(self, key, name, old: tuple[RetentionUse, ...], new: tuple[RetentionUse, ...]) -> Iterator[Change]:
        """A purpose's retention rules, paired in order; a rule added under a new condition may keep data longer."""
        for i, (a, b) in enumerate(zip(old, new)):
            where = key if len(old) == len(new) == 1 else f"{key}.{i}"
            if a.rule != b.rule:
                yield from self.retention_values(where, name, self.old.retention_rule(a.rule), self.new.retention_rule(b.rule))
            yield from self.texts(where + ".condition", name, a.condition, b.condition, rule="purpose_changed")
        words = lambda notice, u: self.each(  # noqa: E731
            lambda l: (f"{u.condition(l)}: " if u.condition else "") + _rule_words(notice.retention_rule(u.rule), l)
        )
        for i, b in enumerate(new[len(old):], start=len(old)):
            yield self.change(f"{key}.{i}", "changed", "retention_longer", name, self.plain("–"), words(self.new, b))
        for i, a in enumerate(old[len(new):], start=len(new)):
            yield self.change(f"{key}.{i}", "changed", "detail_changed", name, words(self.old, a), self.plain("–"))

    def retention_values(self, key, name, old, new) -> Iterator[Change]:
        def words(rule):
            return self.each(lambda l: _rule_words(rule, l))

        a, b = _days(old.period), _days(new.period)
        if a is not None and b is not None and a != b:
            yield self.change(key + ".period", "changed", "retention_longer" if b > a else "retention_shorter", name, words(old), words(new))
        elif (a is None) != (b is None):
            yield self.change(key + ".period", "changed", "retention_longer", name, words(old), words(new))
        if old.start != new.start:
            yield self.change(key + ".from", "changed", "retention_start_changed", name, words(old), words(new))
        yield from self.texts(key + ".criterion", name, old.criterion, new.criterion)
        yield from self.texts(key + ".legal_reference", name, old.legal_reference, new.legal_reference)

    def cookie(self, key, old, new) -> Iterator[Change]:
        name = self.plain(new.name)
        if old is None:
            yield self.change(key, "added", "cookie_consent_added" if new.consent_required else "added_minor", name)
            return
        if new.consent_required and not old.consent_required:
            yield self.change(key + ".consent_required", "changed", "cookie_consent_added", name)
        a, b = _days(old.duration) or 0, _days(new.duration) or 0
        if a != b:
            yield self.change(key + ".duration", "changed", "retention_longer" if b > a else "retention_shorter", name,
                              self.each(lambda l: duration(old.duration, l)), self.each(lambda l: duration(new.duration, l)))
        yield from self.texts(key + ".purpose", name, old.purpose, new.purpose)

    def decision(self, key, old, new) -> Iterator[Change]:
        name = self.text(new.name)
        if old is None:
            yield self.change(key, "added", "automated_added", name)
            return
        for attr in ("name", "logic", "significance", "consequences"):
            yield from self.texts(f"{key}.{attr}", name, getattr(old, attr), getattr(new, attr))

    def section(self, key, old, new) -> Iterator[Change]:
        name = self.text(new.title)
        if old is None:
            yield self.change(key, "added", "added_minor", name)
            return
        yield from self.texts(key + ".title", name, old.title, new.title)
        yield from self.texts(key + ".body", name, old.body, new.body)

    # -- single entities ------------------------------------------------------------------

    def organisation(self) -> Iterator[Change]:
        o, n = self.old.organisation, self.new.organisation
        if (o.name, o.org_number) != (n.name, n.org_number):
            yield self.change("organisation.identity", "changed", "controller_identity", self.plain(n.name),
                              self.plain(f"{o.name} ({o.org_number})"), self.plain(f"{n.name} ({n.org_number})"))
        if o.dpo != n.dpo:
            show = lambda d: self.each(lambda l: f"{d.name(l) if d.name else ''} {d.email or ''} {d.phone or ''}".strip()) if d else self.plain("–")  # noqa: E731
            yield self.change("organisation.dpo", "changed", "dpo_changed", self.plain("DPO"), show(o.dpo), show(n.dpo))
        for attr in ("email", "phone", "website"):
            if getattr(o, attr) != getattr(n, attr):
                yield self.change(f"organisation.{attr}", "changed", "detail_changed", self.plain(attr), self.plain(getattr(o, attr)), self.plain(getattr(n, attr)))
        if o.address != n.address:
            fmt = lambda a: f"{a.street}, {a.postal_code} {a.city}"  # noqa: E731
            yield self.change("organisation.address", "changed", "detail_changed", self.each(lambda l: label("address", l)), self.plain(fmt(o.address)), self.plain(fmt(n.address)))
        if o.contact != n.contact:
            show = lambda c: self.each(lambda l: f"{c.name(l) + ', ' if c.name else ''}{c.role(l)}")  # noqa: E731
            yield self.change("organisation.contact", "changed", "detail_changed", self.each(lambda l: label("contact_person", l)), show(o.contact), show(n.contact))
        old_sub = o.processor.sub_processors if o.processor else ()
        new_sub = n.processor.sub_processors if n.processor else ()
        for ident in new_sub:
            if ident not in old_sub:
                yield self.change(f"sub_processors.{ident}", "added", "sub_processor_added", self.names("recipients", [ident], self.new))
        for ident in old_sub:
            if ident not in new_sub:
                yield self.change(f"sub_processors.{ident}", "removed", "removed", self.names("recipients", [ident], self.old))
        old_jc = {j.id: j for j in o.joint_controllers}
        for j in n.joint_controllers:
            if j.id not in old_jc:
                yield self.change(f"joint_controllers.{j.id}", "added", "joint_controller_added", self.text(j.name))
            else:
                yield from self.texts(f"joint_controllers.{j.id}.name", self.text(j.name), old_jc[j.id].name, j.name)
                yield from self.texts(f"joint_controllers.{j.id}.arrangement", self.text(j.name), old_jc[j.id].arrangement, j.arrangement)
        for ident, j in old_jc.items():
            if ident not in {x.id for x in n.joint_controllers}:
                yield self.change(f"joint_controllers.{ident}", "removed", "removed", self.text(j.name))

    def rights(self) -> Iterator[Change]:
        o, n = self.old.rights, self.new.rights
        if o.contact != n.contact:
            show = lambda c: ", ".join(x for x in (c.email, c.phone, c.form) if x)  # noqa: E731
            yield self.change("rights.contact", "changed", "rights_contact", self.each(lambda l: label("heading_rights", l)), self.plain(show(o.contact)), self.plain(show(n.contact)))
        a, b = _days(o.response_time), _days(n.response_time)
        if a != b:
            yield self.change("rights.response_time", "changed", "rights_contact" if (b or 0) > (a or 0) else "detail_changed",
                              self.each(lambda l: label("heading_rights", l)),
                              self.each(lambda l: duration(o.response_time, l)), self.each(lambda l: duration(n.response_time, l)))

    def marketing(self) -> Iterator[Change]:
        o, n = self.old.marketing, self.new.marketing
        name = self.each(lambda l: label("heading_marketing", l))
        if n and n.electronic and not (o and o.electronic):
            yield self.change("marketing", "added", "marketing_added", name)
            return
        if o and not n:
            yield self.change("marketing", "removed", "removed", name)
            return
        if o and n:
            if set(n.basis) - set(o.basis):
                yield self.change("marketing.basis", "changed", "legal_basis_changed", name, self.plain(", ".join(o.basis)), self.plain(", ".join(n.basis)))
            yield from self.texts("marketing.description", name, o.description, n.description)
            yield from self.texts("marketing.opt_out", name, o.opt_out, n.opt_out)

    def other(self) -> Iterator[Change]:
        o, n = self.old, self.new
        old_measures = [self.text(m) for m in o.security_measures]
        new_measures = [self.text(m) for m in n.security_measures]
        if old_measures != new_measures:
            yield self.change("security", "changed", "wording", self.each(lambda l: label("heading_security", l)))
        for ident in sorted(set(o.clauses) | set(n.clauses)):
            yield from self.texts(f"clauses.{ident}", self.plain(ident), o.clauses.get(ident), n.clauses.get(ident))
        if o.changes != n.changes:
            yield self.change("changes", "changed", "detail_changed", self.each(lambda l: label("heading_changes", l)),
                              self.plain(f"{', '.join(o.changes.channels)}; {o.changes.notice_days}"), self.plain(f"{', '.join(n.changes.channels)}; {n.changes.notice_days}"))
        if o.authority != n.authority:
            yield self.change("supervisory_authority", "changed", "detail_changed", self.each(lambda l: label("heading_complaints", l)),
                              self.text(o.authority.name), self.text(n.authority.name))
