"""The semantic diff: what changed between two versions of a notice, entity by entity, and whether
customers must be told.

The comparison walks the model, not a hand list: every field of every dataclass is compared, so a
field added to the model is compared without new code. Entities in lists are matched by their stable
id (a cookie by its name), so a reworded purpose is a change, not a removal plus an addition.

Each difference is then classified by a rule of the table in LEGAL-REFERENCE.md §2 (WP260 para
29-31). The rules that are not the default (wording for a text, a minor detail for anything else) are
looked up by the field's path in FIELD_RULES; the rule's id is recorded so a reviewer sees why, and a
release can overrule it with a reason. Keys name the field as the content spells it
(`recipients.m365.name`, `retention.three_years.from`), so a reviewer can find it in notice.yaml.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from string import Template
from typing import Any, Callable, Iterable, Iterator, Mapping

from .clauses import clause, label
from .model import EEA, Notice, Text
from .textdiff import hunks
from .words import country, duration, listing, period_parts

SIGNIFICANT, MINOR = "significant", "minor"

#: rule id -> (class, nb template, en template). $name is the entity, $old/$new the values.
RULES: dict[str, tuple[str, str, str]] = {
    "purpose_added": (SIGNIFICANT, "Nytt formål: $name.", "New purpose: $name."),
    "purpose_changed": (SIGNIFICANT, "Formålet «$name» er endret; se om betydningen er endret.", "The purpose \u201c$name\u201d has changed; check whether its meaning changed."),
    "purpose_data_added": (SIGNIFICANT, "Formålet «$name» bruker nå også: $new.", "The purpose \u201c$name\u201d now also uses: $new."),
    "purpose_removed": (MINOR, "Formålet «$name» er fjernet.", "The purpose \u201c$name\u201d was removed."),
    "requirement_changed": (SIGNIFICANT, "For «$name» er det endret om du må gi opplysningene: $old → $new.", "For \u201c$name\u201d, whether you must provide the data changed: $old → $new."),
    "legal_basis_changed": (SIGNIFICANT, "Behandlingsgrunnlaget for «$name» er endret fra $old til $new.", "The legal basis of \u201c$name\u201d changed from $old to $new."),
    "controller_identity": (SIGNIFICANT, "Behandlingsansvarlig er endret: $old → $new.", "The controller changed: $old → $new."),
    "rights_contact": (SIGNIFICANT, "Kontaktpunktet for å utøve rettighetene er endret: $old → $new.", "The contact for exercising your rights changed: $old → $new."),
    "dpo_changed": (SIGNIFICANT, "Personvernombudet er endret: $old → $new.", "The data protection officer changed: $old → $new."),
    "party_identity": (SIGNIFICANT, "Ny part: $new i stedet for $old.", "A new party: $new instead of $old."),
    "recipient_added": (SIGNIFICANT, "Ny mottaker: $name.", "New recipient: $name."),
    "recipient_added_abroad": (SIGNIFICANT, "Ny mottaker: $name, også utenfor EU/EØS ($new).", "New recipient: $name, also outside the EU/EEA ($new)."),
    "recipient_category_changed": (SIGNIFICANT, "Mottakeren $name har fått en ny rolle: $old → $new.", "The recipient $name has a new role: $old → $new."),
    "sub_processor_added": (SIGNIFICANT, "Ny underdatabehandler: $name.", "New sub-processor: $name."),
    "joint_controller_added": (SIGNIFICANT, "Nytt felles behandlingsansvar med $name.", "New joint controllership with $name."),
    "representative_changed": (SIGNIFICANT, "EU-representanten er endret: $old → $new.", "The EU representative changed: $old → $new."),
    "transfer_added": (SIGNIFICANT, "Ny overføring utenfor EU/EØS: $name ($new).", "New transfer outside the EU/EEA: $name ($new)."),
    "safeguard_changed": (SIGNIFICANT, "Overføringsgrunnlaget for $name er endret: $old → $new.", "The transfer safeguard for $name changed: $old → $new."),
    "category_added": (SIGNIFICANT, "Ny kategori personopplysninger: $name.", "New category of personal data: $name."),
    "special_category_added": (SIGNIFICANT, "Ny særlig kategori personopplysninger (art. 9): $name.", "New special category of personal data (Art. 9): $name."),
    "retention_longer": (SIGNIFICANT, "Lengre lagringstid for $name: $old → $new.", "Longer retention for $name: $old → $new."),
    "retention_shorter": (MINOR, "Kortere lagringstid for $name: $old → $new.", "Shorter retention for $name: $old → $new."),
    "retention_period_or_criterion": (SIGNIFICANT, "Lagringstiden for $name er nå gitt på en annen måte: $old → $new.", "Retention for $name is now stated another way: $old → $new."),
    "retention_start_changed": (SIGNIFICANT, "Lagringstiden for $name regnes nå fra et annet tidspunkt: $old → $new.", "Retention for $name now counts from another event: $old → $new."),
    "automated_added": (SIGNIFICANT, "Ny automatisert avgjørelse: $name.", "New automated decision: $name."),
    "source_added": (SIGNIFICANT, "Ny kilde til personopplysninger: $name.", "New source of personal data: $name."),
    "source_changed": (SIGNIFICANT, "Kilden $name er endret: $old → $new.", "The source $name changed: $old → $new."),
    "cookie_consent_added": (SIGNIFICANT, "Ny informasjonskapsel som krever samtykke: $name.", "New cookie that needs consent: $name."),
    "marketing_added": (SIGNIFICANT, "Vi sender nå markedsføring elektronisk.", "We now send electronic marketing."),
    "removed": (MINOR, "Fjernet: $name.", "Removed: $name."),
    "added_minor": (MINOR, "Lagt til: $name.", "Added: $name."),
    "wording": (MINOR, "Ordlyden er endret: $name.", "Wording changed: $name."),
    "translation_drift": (MINOR, "Teksten er endret på ett språk, ikke på de andre: $name. Se om oversettelsen er utdatert.", "The text changed in one language but not the others: $name. Check whether the translation is out of date."),
    "detail_changed": (MINOR, "Endret: $name ($old → $new).", "Changed: $name ($old → $new)."),
    "standard_wording": (MINOR, "Standardteksten under «$name» er endret (klausulbiblioteket, etikettene, malene eller programversjonen), uten endring i innholdet.", "The standard wording under \u201c$name\u201d changed (clause library, labels, templates or package version), with no change in the content."),
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
    name: Mapping[str, str] = field(default_factory=dict, compare=False)  # the entity or section as readers know it

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

    @property
    def standard_wording(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.rule == "standard_wording")

    def __bool__(self) -> bool:
        return bool(self.changes)

    def __add__(self, other: "Diff") -> "Diff":
        return Diff(self.changes + other.changes)


def diff(old: Notice | None, new: Notice, reclassifications: Iterable[Reclassification] = ()) -> Diff:
    """Every change from `old` to `new` (old None: the first version, everything is added)."""
    langs = new.languages
    changes = list(_Differ(old, new, langs).changes()) if old is not None else list(_first(new, langs))
    return reclassify(Diff(tuple(changes)), reclassifications)


def reclassify(changes: Diff, reclassifications: Iterable[Reclassification]) -> Diff:
    """The changes with each person's recorded decision applied."""
    decided = {r.change: r for r in reclassifications}
    return Diff(tuple(replace(c, cls=decided[c.key].cls, reclassified=decided[c.key]) if c.key in decided else c for c in changes.changes))


def _first(new: Notice, langs: tuple[str, ...]) -> Iterator[Change]:
    yield _change("notice", "added", "added_minor", langs, name={lang: label("title", lang) for lang in langs})


def _change(key: str, kind: str, rule: str, langs: Iterable[str], *, name: Mapping[str, str], old: Mapping[str, str] | None = None, new: Mapping[str, str] | None = None, drift: tuple[str, ...] = ()) -> Change:
    cls, nb, en = RULES[rule]
    templates = {"nb": nb, "en": en}
    explanation = {
        lang: Template(templates.get(lang, en)).safe_substitute(name=name.get(lang, ""), old=(old or {}).get(lang) or "–", new=(new or {}).get(lang) or "–")
        for lang in langs
    }
    return Change(key, kind, rule, cls, explanation, dict(old or {}), dict(new or {}), drift, name=dict(name))


# -- standard wording -------------------------------------------------------------------------

_ANCHORED = re.compile(r"^#{1,6}\s+(.*?)\s*\{#([^}\s]+)\}\s*$")


def standard_wording(published: Mapping[str, str], rendered: Mapping[str, str]) -> Diff:
    """What changed between the text as published and the same content rendered today.

    Nothing in the content explains such a difference: it comes from the clause library, the labels,
    the templates or the package version. One change per section (sections are matched by their
    language-neutral anchor), with the changed sentences of each language as old/new.
    """
    langs = tuple(lang for lang in rendered if lang in published)
    per_section: dict[str, dict[str, tuple[str, str, str]]] = {}  # anchor -> lang -> (heading, old, new)
    order: list[str] = []
    for lang in langs:
        before, after = _sections(published[lang]), _sections(rendered[lang])
        for anchor in list(after) + [a for a in before if a not in after]:
            old_heading, old_text = before.get(anchor, ("", ""))
            heading, new_text = after.get(anchor, (old_heading, ""))
            if old_text == new_text:
                continue
            lines = [line for hunk in hunks(old_text, new_text) for line in hunk.lines]
            if not lines:
                continue
            olds = [" ".join(w for op, w in line if op != "+") for line in lines]
            news = [" ".join(w for op, w in line if op != "-") for line in lines]
            if anchor not in order:
                order.append(anchor)
            per_section.setdefault(anchor, {})[lang] = (heading, "\n".join(x for x in olds if x), "\n".join(x for x in news if x))
    out = []
    for anchor in order:
        found = per_section[anchor]
        name = {lang: found[lang][0] if lang in found else next(iter(found.values()))[0] for lang in langs}
        drift = tuple(lang for lang in langs if lang in found) if len(found) < len(langs) else ()
        out.append(
            _change(
                f"standard_wording.{anchor}", "changed", "standard_wording", langs, name=name,
                old={lang: found[lang][1] for lang in found}, new={lang: found[lang][2] for lang in found}, drift=drift,
            )
        )
    return Diff(tuple(out))


def _sections(markdown: str) -> dict[str, tuple[str, str]]:
    """A rendered notice cut at its anchored headings: anchor -> (heading as read, the section's Markdown)."""
    out: dict[str, tuple[str, list[str]]] = {}
    anchor, heading = "top", ""
    lines: list[str] = []
    for line in markdown.splitlines():
        match = _ANCHORED.match(line)
        if match:
            out[anchor] = (heading, lines)
            anchor, heading, lines = match.group(2), match.group(1).replace("**", ""), []
        lines.append(line)
    out[anchor] = (heading, lines)
    return {a: (h or a, "\n".join(ls)) for a, (h, ls) in out.items()}


# -- calendar arithmetic ----------------------------------------------------------------------

def _parts(period: str | None) -> tuple[int, int] | None:
    """An ISO 8601 period as (months, days): P5Y = P60M = (60, 0); None when not a period."""
    if not period:
        return None
    if period == "session":
        return (0, 0)
    parts = period_parts(period)
    if parts is None:
        return None
    y, mo, w, d = parts
    return (12 * y + mo, 7 * w + d)


@lru_cache(maxsize=256)
def _span(parts: tuple[int, int]) -> tuple[int, int]:
    """The fewest and most days the period can last, over every start day of a four-year cycle."""
    months, days = parts
    lengths = []
    start = dt.date(2023, 1, 1)
    for offset in range(0, 1461):
        day = start + dt.timedelta(days=offset)
        total = day.month - 1 + months
        year, month = day.year + total // 12, total % 12 + 1
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
        end = dt.date(year, month, min(day.day, last)) + dt.timedelta(days=days)
        lengths.append((end - day).days)
    return min(lengths), max(lengths)


def compare_periods(old: str | None, new: str | None) -> int | None:
    """By the calendar: -1 shorter, 0 the same, 1 longer, None when no order holds (P1M against P30D)."""
    a, b = _parts(old), _parts(new)
    if a is None or b is None:
        return None
    if a == b:
        return 0
    if a[0] <= b[0] and a[1] <= b[1]:
        return 1
    if a[0] >= b[0] and a[1] >= b[1]:
        return -1
    (a_min, a_max), (b_min, b_max) = _span(a), _span(b)
    if b_min > a_max:
        return 1
    if b_max < a_min:
        return -1
    return None


# -- walking the model --------------------------------------------------------------------------

#: Where the model's attribute name differs from the content's field name: (class, attribute) -> path.
CONTENT_NAMES = {
    ("Organisation", "processor"): "roles.processor",
    ("Organisation", "joint_controllers"): "roles.joint_controllers",
    ("DataCategory", "special"): "special_category",
    ("Retention", "start"): "from",
    ("Notice", "authority"): "supervisory_authority",
    ("Notice", "security_measures"): "security.measures",
    ("Notice", "languages"): "languages.available",
    ("Recipient", "transfers"): "transfer",
}

#: Model attributes the walk does not compare, with the reason (tests/test_field_walk.py lists them too).
NOT_COMPARED = {
    ("Notice", "default_language"): "which language the site opens in; no sentence of the notice changes",
}

#: The attribute that identifies an item of a list, tried in order (a cookie has no id, only a name).
IDENTITY = ("id", "name", "country")

#: Enumerated values are shown with the library's label: field -> label prefix(es).
LABEL_PREFIXES = {
    "kind": ("kind", "source"),
    "legal_basis": ("basis",),
    "art9_basis": ("art9",),
    "party": ("party",),
    "category": ("cookie",),
    "from": ("start",),
    "technology": ("technology",),
    "channels": ("channel",),
    "safeguard": ("safeguard",),
    "basis": ("basis", "marketing_basis"),
}
DURATIONS = frozenset({"period", "duration", "response_time"})
COUNTRIES = frozenset({"locations", "country"})


@dataclass(frozen=True)
class Delta:
    """One difference the walk found: at `key`, with `pattern` the key with ids as '*'."""

    key: str
    pattern: str
    kind: str  # added | removed | changed
    old: Any
    new: Any
    entity_old: Any  # the nearest list item (or the notice) holding the field, in each version
    entity_new: Any


def walk(old: Any, new: Any, key: str = "", pattern: str = "", entity_old: Any = None, entity_new: Any = None) -> Iterator[Delta]:
    """Every difference between two model values, down to the fields: dataclasses field by field,
    lists of entities matched by identity, mappings by key; anything else is a value."""
    if old == new:
        return
    if old is None or new is None:
        yield Delta(key, pattern, "added" if old is None else "removed", old, new, entity_old, entity_new)
        return
    if dataclasses.is_dataclass(old) and type(old) is type(new) and not isinstance(old, Text):
        for f in dataclasses.fields(old):
            cls = type(old).__name__
            if (cls, f.name) in NOT_COMPARED:
                continue
            name = CONTENT_NAMES.get((cls, f.name), f.name)
            yield from walk(getattr(old, f.name), getattr(new, f.name), _join(key, name), _join(pattern, name), entity_old, entity_new)
        return
    if isinstance(old, tuple) and isinstance(new, tuple) and _ident(old + new) is not None:
        ident = _ident(old + new)
        a = {getattr(e, ident): e for e in old}
        b = {getattr(e, ident): e for e in new}
        for k, item in b.items():
            sub, subpattern = _join(key, str(k)), _join(pattern, "*")
            if k not in a:
                yield Delta(sub, subpattern, "added", None, item, None, item)
            else:
                yield from walk(a[k], item, sub, subpattern, a[k], item)
        for k, item in a.items():
            if k not in b:
                yield Delta(_join(key, str(k)), _join(pattern, "*"), "removed", item, None, item, None)
        return
    if isinstance(old, Mapping) and isinstance(new, Mapping):
        for k in list(new) + [k for k in old if k not in new]:
            yield from walk(old.get(k), new.get(k), _join(key, str(k)), _join(pattern, "*"), entity_old, entity_new)
        return
    yield Delta(key, pattern, "changed", old, new, entity_old, entity_new)


def _join(a: str, b: str) -> str:
    return f"{a}.{b}" if a else b


def _ident(items: tuple) -> str | None:
    """The identity attribute of a list of entities; None for a list of plain values or texts."""
    if not items or not all(dataclasses.is_dataclass(i) and not isinstance(i, Text) for i in items):
        return None
    for attr in IDENTITY:
        if all(isinstance(getattr(i, attr, None), (str, int)) for i in items):
            return attr
    return None


# -- classifying ------------------------------------------------------------------------------

Rule = Callable[["_Differ", Delta], Iterator[Change]]
FIELD_RULES: dict[str, Rule] = {}


def rule(*patterns: str) -> Callable[[Rule], Rule]:
    """Register a classifier for the fields matching `patterns` (content paths, ids as '*')."""

    def register(fn: Rule) -> Rule:
        for p in patterns:
            FIELD_RULES[p] = fn
        return fn

    return register


class _Differ:
    def __init__(self, old: Notice, new: Notice, langs: tuple[str, ...]):
        self.old, self.new, self.langs = old, new, langs

    def changes(self) -> Iterator[Change]:
        for delta in walk(self.old, self.new):
            classify = FIELD_RULES.get(delta.pattern) or _by_parent(delta.pattern)
            if classify is not None:
                yield from classify(self, delta)
            else:
                yield from self.default(delta)

    # -- helpers ------------------------------------------------------------------------------

    def each(self, fn) -> dict[str, str]:
        return {lang: fn(lang) for lang in self.langs}

    def text(self, t: Text | None) -> dict[str, str]:
        return {lang: t.values.get(lang, "") for lang in self.langs} if t else {lang: "" for lang in self.langs}

    def plain(self, value: Any) -> dict[str, str]:
        return {lang: "" if value is None else str(value) for lang in self.langs}

    def change(self, key: str, kind: str, rule: str, name, old=None, new=None, drift=()) -> Change:
        return _change(key, kind, rule, self.langs, name=name, old=old, new=new, drift=drift)

    def display(self, entity: Any) -> dict[str, str]:
        """An entity's name as readers see it."""
        for attr in ("name", "title"):
            value = getattr(entity, attr, None)
            if isinstance(value, Text):
                return self.text(value)
            if isinstance(value, str):
                return self.plain(value)
        return self.plain(getattr(entity, "id", "?"))

    def name_of(self, delta: Delta) -> dict[str, str]:
        """The entity a delta belongs to, as readers know it; else the field's place in the content."""
        entity = delta.entity_new or delta.entity_old
        if entity is not None:
            return self.display(entity)
        return self.plain(delta.key)

    def value(self, field_name: str, value: Any, notice: Notice | None = None) -> dict[str, str]:
        """A field's value as a reader sees it, per language."""
        if value is None:
            return self.plain("–")
        if isinstance(value, Text):
            return self.text(value)
        if isinstance(value, bool):
            return self.each(lambda l: label("yes" if value else "no", l))
        if isinstance(value, tuple):
            parts = [self.value(field_name, v, notice) for v in value]
            return self.each(lambda l: listing([p[l] for p in parts], l))
        if dataclasses.is_dataclass(value):
            parts = [self.value(f.name, getattr(value, f.name), notice) for f in dataclasses.fields(value) if getattr(value, f.name) not in (None, (), "")]
            return self.each(lambda l: ", ".join(p[l] for p in parts if p[l]))
        text = str(value)
        if field_name in DURATIONS and _parts(text) is not None:
            return self.each(lambda l: duration(text, l))
        if field_name in COUNTRIES:
            return self.each(lambda l: country(text, l))
        for prefix in LABEL_PREFIXES.get(field_name, ()):
            try:
                return self.each(lambda l: label(f"{prefix}_{text}", l))
            except KeyError:
                continue
        return self.plain(text)

    def names(self, collection: str, ids: Iterable[str], notice: Notice) -> dict[str, str]:
        table = {getattr(e, "id", getattr(e, "name", None)): e for e in getattr(notice, collection)}
        return {lang: listing([self.display(table[i])[lang] if i in table else i for i in ids], lang) for lang in self.langs}

    # -- defaults -----------------------------------------------------------------------------

    def default(self, delta: Delta, text_rule: str = "wording", rule: str = "detail_changed") -> Iterator[Change]:
        """A text: wording (or drift when only some languages changed); an entity added or removed:
        logged as minor; any other value: a minor detail with its old and new value."""
        field_name = delta.key.rsplit(".", 1)[-1]
        if delta.kind in ("added", "removed") and _is_entity(delta.old if delta.kind == "removed" else delta.new):
            item = delta.new if delta.kind == "added" else delta.old
            name = self.display(item)
            yield self.change(delta.key, delta.kind, "added_minor" if delta.kind == "added" else "removed", name if "?" not in name.values() else self.plain(delta.key))
            return
        if isinstance(delta.old, Text) or isinstance(delta.new, Text):
            yield from self.texts(delta, text_rule)
            return
        if isinstance(delta.old, tuple) and isinstance(delta.new, tuple) and all(isinstance(x, Text) for x in delta.old + delta.new):
            yield from self.text_list(delta, text_rule)
            return
        yield self.change(delta.key, "changed", rule, self.name_of(delta), self.value(field_name, delta.old, self.old), self.value(field_name, delta.new, self.new))

    def texts(self, delta: Delta, rule: str = "wording") -> Iterator[Change]:
        """A changed text; when only some languages changed, minor and flagged as possible drift."""
        a, b = self.text(delta.old), self.text(delta.new)
        if a == b:
            return
        changed = tuple(lang for lang in self.langs if a[lang] != b[lang])
        if len(changed) < len(self.langs) and delta.old is not None and delta.new is not None:
            yield self.change(delta.key, "changed", "translation_drift", self.name_of(delta), a, b, changed)
            return
        yield self.change(delta.key, "changed", rule, self.name_of(delta), a, b)

    def text_list(self, delta: Delta, rule: str) -> Iterator[Change]:
        a = {lang: "\n".join(t.values.get(lang, "") for t in delta.old) for lang in self.langs}
        b = {lang: "\n".join(t.values.get(lang, "") for t in delta.new) for lang in self.langs}
        changed = tuple(lang for lang in self.langs if a[lang] != b[lang])
        drift = changed if len(changed) < len(self.langs) and len(delta.old) == len(delta.new) else ()
        yield self.change(delta.key, "changed", "translation_drift" if drift else rule, self.plain(delta.key), a, b, drift)

    def added_ids(self, delta: Delta, collection: str) -> tuple[list[str], list[str]]:
        """Ids added to and removed from a list of references; ids new to the whole notice are left
        out of the added ones, since the new entity is reported once, as added."""
        old, new = _as_tuple(delta.old), _as_tuple(delta.new)
        known = {getattr(e, "id", None) for e in getattr(self.old, collection, ())}
        return [i for i in new if i not in old and i in known], [i for i in old if i not in new]


def _is_entity(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, Text)


def _as_tuple(value: Any) -> tuple:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _by_parent(pattern: str) -> Rule | None:
    """A rule registered for a whole sub-object (e.g. organisation.dpo) also covers its fields."""
    while "." in pattern:
        pattern = pattern.rsplit(".", 1)[0]
        if pattern in FIELD_RULES and getattr(FIELD_RULES[pattern], "covers_fields", False):
            return FIELD_RULES[pattern]
    return None


def _covers_fields(fn: Rule) -> Rule:
    fn.covers_fields = True  # type: ignore[attr-defined]
    return fn


# -- the rules of LEGAL-REFERENCE §2, by field ------------------------------------------------------


def _added_as(rule_id: str) -> Rule:
    """An entry whose addition is a change of its own class; its removal is an ordinary one."""

    def added(d: _Differ, delta: Delta) -> Iterator[Change]:
        if delta.kind == "added":
            yield d.change(delta.key, "added", rule_id, d.display(delta.new))
        else:
            yield from d.default(delta)

    return added


rule("organisation.roles.joint_controllers.*")(_added_as("joint_controller_added"))
rule("sources.*")(_added_as("source_added"))
rule("automated_decisions.*")(_added_as("automated_added"))


@rule("organisation.name", "organisation.org_number")
def _controller(d: _Differ, delta: Delta) -> Iterator[Change]:
    o, n = d.old.organisation, d.new.organisation
    yield d.change(delta.key, "changed", "controller_identity", d.plain(n.name), d.plain(f"{o.name} ({o.org_number})"), d.plain(f"{n.name} ({n.org_number})"))


@rule("organisation.dpo")
@_covers_fields
def _dpo(d: _Differ, delta: Delta) -> Iterator[Change]:
    def show(dpo) -> dict[str, str]:
        if dpo is None:
            return d.plain("–")
        return d.each(lambda l: " ".join(x for x in (_in(dpo.name, l), dpo.email, dpo.phone) if x))

    yield d.change(delta.key, delta.kind if delta.pattern == "organisation.dpo" else "changed", "dpo_changed", d.plain("DPO"), show(d.old.organisation.dpo), show(d.new.organisation.dpo))


def _in(value: Any, lang: str) -> str:
    """A name that is a Text or a plain string (older releases), in `lang`."""
    if isinstance(value, Text):
        return value.values.get(lang, "")
    return "" if value is None else str(value)


@rule("organisation.eu_representative", "organisation.eu_representative.name")
def _representative(d: _Differ, delta: Delta) -> Iterator[Change]:
    o, n = d.old.organisation.eu_representative, d.new.organisation.eu_representative
    yield d.change(delta.key, delta.kind, "representative_changed", d.plain("EU"), d.plain(o.name if o else "–"), d.plain(n.name if n else "–"))


@rule("rights.contact")
@_covers_fields
def _rights_contact(d: _Differ, delta: Delta) -> Iterator[Change]:
    def show(c) -> str:
        return ", ".join(x for x in (c.email, c.phone, c.form) if x)

    yield d.change(delta.key, "changed", "rights_contact", d.each(lambda l: label("heading_rights", l)), d.plain(show(d.old.rights.contact)), d.plain(show(d.new.rights.contact)))


@rule("rights.response_time")
def _response_time(d: _Differ, delta: Delta) -> Iterator[Change]:
    longer = compare_periods(delta.old, delta.new)
    if longer == 0:
        return
    yield d.change(delta.key, "changed", "rights_contact" if longer != -1 else "detail_changed", d.each(lambda l: label("heading_rights", l)),
                   d.value("response_time", delta.old), d.value("response_time", delta.new))


@rule("organisation.roles.processor.sub_processors")
def _sub_processors(d: _Differ, delta: Delta) -> Iterator[Change]:
    old, new = _as_tuple(delta.old), _as_tuple(delta.new)
    for ident in new:
        if ident not in old:
            yield d.change(f"sub_processors.{ident}", "added", "sub_processor_added", d.names("recipients", [ident], d.new))
    for ident in old:
        if ident not in new:
            yield d.change(f"sub_processors.{ident}", "removed", "removed", d.names("recipients", [ident], d.old))


@rule("organisation.roles.processor")
def _processor_role(d: _Differ, delta: Delta) -> Iterator[Change]:
    role = delta.new or delta.old
    yield from d.default(delta)
    sub = Delta(delta.key + ".sub_processors", delta.pattern + ".sub_processors", "changed",
                delta.old.sub_processors if delta.old else (), delta.new.sub_processors if delta.new else (), None, None)
    if role.sub_processors:
        yield from _sub_processors(d, sub)


@rule(
    "organisation.roles.joint_controllers.*.name", "organisation.roles.joint_controllers.*.org_number",
    "recipients.*.name", "recipients.*.org_number", "cookies.*.provider",
)
def _party_identity(d: _Differ, delta: Delta) -> Iterator[Change]:
    """A party under the same id with another name or organisation number is another party (§2: new recipient)."""
    if isinstance(delta.old, Text) and isinstance(delta.new, Text):
        changed = [l for l in d.langs if delta.old.values.get(l) != delta.new.values.get(l)]
        if len(changed) < len(d.langs):
            yield from d.texts(delta)
            return
    field_name = delta.key.rsplit(".", 1)[-1]
    yield d.change(delta.key, "changed", "party_identity", d.name_of(delta), d.value(field_name, delta.old), d.value(field_name, delta.new))


@rule("data_categories.*")
def _category(d: _Differ, delta: Delta) -> Iterator[Change]:
    if delta.kind == "added":
        yield d.change(delta.key, "added", "special_category_added" if delta.new.special else "category_added", d.display(delta.new))
    else:
        yield from d.default(delta)


@rule("data_categories.*.special_category")
def _special(d: _Differ, delta: Delta) -> Iterator[Change]:
    yield from (d.change(delta.key, "changed", "special_category_added", d.name_of(delta)),) if delta.new else d.default(delta)


@rule("sources.*.categories")
def _source_categories(d: _Differ, delta: Delta) -> Iterator[Change]:
    added, removed = [c for c in delta.new if c not in delta.old], [c for c in delta.old if c not in delta.new]
    if added:
        yield d.change(delta.key, "changed", "source_added", d.name_of(delta), new=d.names("data_categories", added, d.new))
    elif removed:
        yield d.change(delta.key, "changed", "removed", d.names("data_categories", removed, d.old))


@rule("sources.*.purposes")
def _source_purposes(d: _Differ, delta: Delta) -> Iterator[Change]:
    """A source that starts feeding a further purpose is a new source for it (an empty list: every
    purpose using its categories, so narrowing it to a list is no addition)."""
    old, new = _as_tuple(delta.old), _as_tuple(delta.new)
    added = [i for i in new if i not in old and i in d.old.by_id["purposes"]]
    if added and old:
        yield d.change(delta.key, "changed", "source_added", d.name_of(delta), new=d.names("purposes", added, d.new))
    else:
        yield d.change(delta.key, "changed", "detail_changed", d.name_of(delta), d.names("purposes", old, d.old), d.names("purposes", new, d.new))


@rule("sources.*.kind", "sources.*.publicly_accessible")
def _source_nature(d: _Differ, delta: Delta) -> Iterator[Change]:
    field_name = delta.key.rsplit(".", 1)[-1]
    yield d.change(delta.key, "changed", "source_changed", d.name_of(delta), d.value(field_name, delta.old), d.value(field_name, delta.new))


@rule("purposes.*")
def _purpose(d: _Differ, delta: Delta) -> Iterator[Change]:
    if delta.kind == "added":
        yield d.change(delta.key, "added", "purpose_added", d.display(delta.new))
    else:
        yield d.change(delta.key, "removed", "purpose_removed", d.display(delta.old))


@rule("purposes.*.description", "purposes.*.legitimate_interest")
def _purpose_meaning(d: _Differ, delta: Delta) -> Iterator[Change]:
    yield from d.texts(delta, "purpose_changed")


@rule("purposes.*.legal_basis", "purposes.*.art9_basis")
def _basis(d: _Differ, delta: Delta) -> Iterator[Change]:
    field_name = delta.key.rsplit(".", 1)[-1]
    yield d.change(delta.key, "changed", "legal_basis_changed", d.name_of(delta), d.value(field_name, delta.old), d.value(field_name, delta.new))


@rule("purposes.*.requirement", "purposes.*.requirement.kind")
def _requirement(d: _Differ, delta: Delta) -> Iterator[Change]:
    def show(r, notice: Notice) -> dict[str, str]:
        """The library's sentence for the kind, as readers see it (the company's own wording first)."""
        if r is None:
            return d.plain("–")
        try:
            return d.each(lambda l: " ".join(clause(f"requirement_{r.kind}", l, notice.clauses).split()).rstrip("."))
        except KeyError:
            return d.plain(r.kind)

    old = delta.entity_old.requirement if delta.entity_old else None
    new = delta.entity_new.requirement if delta.entity_new else None
    yield d.change(delta.key, "changed", "requirement_changed", d.name_of(delta), show(old, d.old), show(new, d.new))


@rule("purposes.*.categories", "purposes.*.data_subjects", "purposes.*.recipients", "purposes.*.sources")
def _purpose_uses(d: _Differ, delta: Delta) -> Iterator[Change]:
    attr = delta.key.rsplit(".", 1)[-1]
    collection = {"categories": "data_categories"}.get(attr, attr)
    added, removed = d.added_ids(delta, collection)
    if added:
        rule_id = "recipient_added" if attr == "recipients" else "source_added" if attr == "sources" else "purpose_data_added"
        names = d.names(collection, added, d.new)
        if attr == "recipients":
            yield d.change(delta.key, "changed", rule_id, names)
        else:
            yield d.change(delta.key, "changed", rule_id, d.name_of(delta), new=names)
    if removed:
        yield d.change(delta.key, "changed", "detail_changed", d.name_of(delta), d.names(collection, _as_tuple(delta.old), d.old), d.names(collection, _as_tuple(delta.new), d.new))


@rule("purposes.*.retention")
def _purpose_retention(d: _Differ, delta: Delta) -> Iterator[Change]:
    """A purpose's retention rules (each under its condition), paired in order. Another rule id is a
    change only if the rules say something else; a rule added under a new condition may keep data longer."""
    old, new = _uses(delta.old), _uses(delta.new)
    name = d.name_of(delta)
    for i, (a, b) in enumerate(zip(old, new)):
        where = delta.key if len(old) == len(new) == 1 else f"{delta.key}.{i}"
        rule_a, rule_b = d.old.by_id["retention"].get(a[0]), d.new.by_id["retention"].get(b[0])
        if rule_a is not None and rule_b is not None:
            yield from _retention_values(d, where, name, rule_a, rule_b)
        if a[1] != b[1]:
            yield from d.texts(Delta(where + ".condition", "purposes.*.retention.condition", "changed", a[1], b[1], delta.entity_old, delta.entity_new))
    for i, (rule_id, condition) in enumerate(new[len(old):], start=len(old)):
        yield d.change(f"{delta.key}.{i}", "added", "retention_longer", name, d.plain("–"), _use_words(d, d.new, rule_id, condition))
    for i, (rule_id, condition) in enumerate(old[len(new):], start=len(new)):
        yield d.change(f"{delta.key}.{i}", "removed", "detail_changed", name, _use_words(d, d.old, rule_id, condition), d.plain("–"))


def _uses(value: Any) -> list[tuple[str, Any]]:
    """(rule id, condition) of each retention rule a purpose names: RetentionUse items or plain ids."""
    return [(getattr(u, "rule", u), getattr(u, "condition", None)) for u in _as_tuple(value)]


def _use_words(d: _Differ, notice: Notice, rule_id: str, condition: Any) -> dict[str, str]:
    rule = notice.by_id["retention"].get(rule_id)
    words = _rule_words(d, rule)
    return d.each(lambda l: (f"{_in(condition, l)}: " if condition else "") + words[l])


def _rule_words(d: _Differ, r) -> dict[str, str]:
    if r is None:
        return d.plain("–")
    return d.each(lambda l: ((duration(r.period, l) if r.period else (r.criterion.values.get(l, "") if r.criterion else "")) + " " + label(f"start_{r.start}", l)).strip())


def _retention_values(d: _Differ, key: str, name, old, new) -> Iterator[Change]:
    for delta in walk(old, new, key, "retention.*", old, new):
        if not delta.key.endswith(".id"):
            yield from _retention_field(d, delta, name)


def _retention_users(d: _Differ, rule_id: str) -> dict[str, str]:
    users = [p.id for p in d.new.purposes if rule_id in dict(_uses(p.retention))] or [p.id for p in d.old.purposes if rule_id in dict(_uses(p.retention))]
    return d.names("purposes", users, d.new if any(p.id in users for p in d.new.purposes) else d.old) if users else d.plain(rule_id)


@rule("retention.*", "retention.*.period", "retention.*.criterion", "retention.*.from")
def _retention(d: _Differ, delta: Delta) -> Iterator[Change]:
    if delta.kind == "added" and delta.pattern == "retention.*":
        return  # a new rule matters only through the purposes that use it
    entity = delta.entity_new or delta.entity_old
    yield from _retention_field(d, delta, _retention_users(d, entity.id))


def _retention_field(d: _Differ, delta: Delta, name) -> Iterator[Change]:
    old, new = delta.entity_old, delta.entity_new
    field_name = delta.key.rsplit(".", 1)[-1]
    if delta.kind == "removed" and delta.pattern == "retention.*":
        yield d.change(delta.key, "removed", "removed", d.plain(old.id))
        return
    if field_name == "period":
        if old.period and new.period:
            order = compare_periods(old.period, new.period)
            if order == 0:
                return
            rule_id = {1: "retention_longer", -1: "retention_shorter"}.get(order, "detail_changed")
            yield d.change(delta.key, "changed", rule_id, name, _rule_words(d, old), _rule_words(d, new))
        else:
            yield d.change(delta.key, "changed", "retention_period_or_criterion", name, _rule_words(d, old), _rule_words(d, new))
        return
    if field_name == "criterion" and (old.period is None) != (new.period is None):
        return  # reported with the period, as one change of how retention is stated
    if field_name == "from":
        yield d.change(delta.key, "changed", "retention_start_changed", name, _rule_words(d, old), _rule_words(d, new))
        return
    yield from d.default(delta)


@rule("recipients.*")
def _recipient(d: _Differ, delta: Delta) -> Iterator[Change]:
    """A new recipient is one change; when it is outside the EU/EEA, the same change is also the new transfer."""
    if delta.kind == "removed":
        yield d.change(delta.key, "removed", "removed", d.display(delta.old))
        return
    abroad = tuple(getattr(delta.new, "third_countries", ()))
    if abroad:
        yield d.change(delta.key, "added", "recipient_added_abroad", d.display(delta.new), new=d.each(lambda l: listing([country(c, l) for c in abroad], l)))
    else:
        yield d.change(delta.key, "added", "recipient_added", d.display(delta.new))


@rule("recipients.*.kind", "recipients.*.category")
def _recipient_role(d: _Differ, delta: Delta) -> Iterator[Change]:
    if isinstance(delta.old, Text) and isinstance(delta.new, Text):
        changed = [l for l in d.langs if delta.old.values.get(l) != delta.new.values.get(l)]
        if len(changed) < len(d.langs):
            yield from d.texts(delta)
            return
    field_name = delta.key.rsplit(".", 1)[-1]
    yield d.change(delta.key, "changed", "recipient_category_changed", d.name_of(delta), d.value(field_name, delta.old), d.value(field_name, delta.new))


@rule("recipients.*.locations")
def _locations(d: _Differ, delta: Delta) -> Iterator[Change]:
    added = [c for c in delta.new if c not in delta.old and c not in EEA]
    if added:
        yield d.change(delta.key, "changed", "transfer_added", d.name_of(delta), new=d.each(lambda l: listing([country(c, l) for c in added], l)))
    elif set(delta.new) != set(delta.old):
        yield d.change(delta.key, "changed", "detail_changed", d.name_of(delta), d.value("locations", delta.old), d.value("locations", delta.new))


@rule("recipients.*.transfer")
def _safeguards(d: _Differ, delta: Delta) -> Iterator[Change]:
    """The transfer safeguards, compared per destination country: the basis is the country's."""
    old_r, new_r = delta.entity_old, delta.entity_new
    for c in getattr(new_r, "third_countries", ()):
        before, after = _safeguard_for(old_r, c), _safeguard_for(new_r, c)
        key = f"{delta.key}.{c}"
        old_s, new_s = getattr(before, "safeguard", None), getattr(after, "safeguard", None)
        name = d.each(lambda l: f"{d.display(new_r)[l]} ({country(c, l)})")
        if old_s != new_s and c in getattr(old_r, "third_countries", ()):
            yield d.change(key, "changed", "safeguard_changed", name,
                           d.each(lambda l: label(f"safeguard_{old_s}" if old_s else "safeguard_missing", l)),
                           d.each(lambda l: label(f"safeguard_{new_s}" if new_s else "safeguard_missing", l)))
        elif before is not None and after is not None:
            for sub in walk(before, after, key, "recipients.*.transfer.*", old_r, new_r):
                if not sub.key.endswith(".countries"):
                    yield from d.default(sub)
    # what no destination of the new version explains (a safeguard for a country no longer listed)
    if not getattr(new_r, "third_countries", ()) and _as_tuple(delta.old) != _as_tuple(delta.new):
        yield from d.default(replace(delta, old=_as_tuple(delta.old), new=_as_tuple(delta.new)))


def _safeguard_for(recipient: Any, country_code: str) -> Any:
    if recipient is None:
        return None
    if hasattr(recipient, "safeguard_for"):
        return recipient.safeguard_for(country_code)
    return getattr(recipient, "transfer", None)


@rule("cookies.*")
def _cookie(d: _Differ, delta: Delta) -> Iterator[Change]:
    if delta.kind == "added":
        yield d.change(delta.key, "added", "cookie_consent_added" if delta.new.consent_required else "added_minor", d.display(delta.new))
    else:
        yield d.change(delta.key, "removed", "removed", d.display(delta.old))


@rule("cookies.*.consent_required")
def _cookie_consent(d: _Differ, delta: Delta) -> Iterator[Change]:
    if delta.new and not delta.old:
        yield d.change(delta.key, "changed", "cookie_consent_added", d.name_of(delta))
    else:
        yield from d.default(delta)


@rule("cookies.*.party")
def _cookie_party(d: _Differ, delta: Delta) -> Iterator[Change]:
    """A cookie that becomes a third party's gives that party the data: a new recipient."""
    if delta.new == "third":
        yield d.change(delta.key, "changed", "recipient_category_changed", d.name_of(delta), d.value("party", delta.old), d.value("party", delta.new))
    else:
        yield from d.default(delta)


@rule("cookies.*.duration")
def _cookie_duration(d: _Differ, delta: Delta) -> Iterator[Change]:
    order = compare_periods(delta.old, delta.new)
    if order == 0:
        return
    rule_id = {1: "retention_longer", -1: "retention_shorter"}.get(order, "detail_changed")
    yield d.change(delta.key, "changed", rule_id, d.name_of(delta), d.value("duration", delta.old), d.value("duration", delta.new))


@rule("marketing")
def _marketing(d: _Differ, delta: Delta) -> Iterator[Change]:
    name = d.each(lambda l: label("heading_marketing", l))
    if delta.kind == "added" and delta.new.electronic:
        yield d.change("marketing", "added", "marketing_added", name)
    elif delta.kind == "removed":
        yield d.change("marketing", "removed", "removed", name)
    else:
        yield d.change("marketing", delta.kind, "added_minor", name)


@rule("marketing.electronic")
def _marketing_electronic(d: _Differ, delta: Delta) -> Iterator[Change]:
    if delta.new:
        yield d.change(delta.key, "changed", "marketing_added", d.each(lambda l: label("heading_marketing", l)))
    else:
        yield from d.default(delta)


@rule("marketing.basis")
def _marketing_basis(d: _Differ, delta: Delta) -> Iterator[Change]:
    name = d.each(lambda l: label("heading_marketing", l))
    rule_id = "legal_basis_changed" if set(delta.new) - set(delta.old) else "detail_changed"
    yield d.change(delta.key, "changed", rule_id, name, d.plain(", ".join(delta.old)), d.plain(", ".join(delta.new)))
