"""The short layer at the top of a notice ("Kort fortalt" / "In short"), generated from the model.

WP260 and Datatilsynet recommend a layered notice: the essentials first, each linked to its detail.
A reader on a phone should see, on the first screen, who is responsible and how to say no (object,
withdraw consent, opt out of marketing); then one line per purpose, who receives the data and whether
anything leaves the EU/EEA, how long it is kept, and the other rights as direct links.

The layer only points into the full text (anchors from render.anchor): it states nothing the detail
does not, so it can never contradict it.
"""

from __future__ import annotations

from .clauses import label
from .model import Notice, Purpose
from .safety import escape_text
from .words import duration, listing, period_parts

ANCHOR = "summary"

#: Legal bases against which the data subject may object (GDPR Art. 21(1)).
OBJECTABLE = ("legitimate_interests", "public_task")

def render_summary(notice: Notice, lang: str) -> str:
    """The short layer as Markdown: a heading with a language-neutral anchor and a short list."""
    return _Summary(notice, lang).markdown()


def has_summary(markdown: str) -> bool:
    """Whether a rendered (possibly frozen) text already starts with its short layer."""
    return "{#" + ANCHOR + "}" in markdown


def insert_summary(markdown: str, notice: Notice, lang: str) -> str:
    """A text frozen before the short layer existed, with the layer put after its version header."""
    if has_summary(markdown):
        return markdown
    lines = markdown.split("\n")
    at = next((i + 1 for i, line in enumerate(lines) if line.startswith("{.notice-stamp")), None)
    if at is None:
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
    return "\n".join(lines[:at] + ["", render_summary(notice, lang)] + lines[at:])


def _anchor(ident: str) -> str:
    from .render import anchor  # render imports this module: import on use

    return anchor(ident)


def _retention_ids(purpose: Purpose) -> tuple[str, ...]:
    """The ids of the purpose's retention rules (one, or several with conditions)."""
    value = purpose.retention
    if isinstance(value, str):  # the shape before conditional rules
        return (value,)
    return tuple(use if isinstance(use, str) else use.rule for use in value)


def _line(text: str) -> str:
    """Company text on one line: a list item in Markdown must not break."""
    return " ".join(text.split())


def _days(period: str) -> int | None:
    parts = period_parts(period)
    if parts is None:
        return None
    y, m, w, d = parts
    return y * 365 + m * 30 + w * 7 + d


class _Summary:
    def __init__(self, notice: Notice, lang: str):
        self.n, self.lang = notice, lang

    def l(self, ident: str) -> str:  # noqa: E743
        return label(ident, self.lang)

    def link(self, text: str, section: str) -> str:
        return f"[{text}](#{_anchor(section)})"

    def markdown(self) -> str:
        items = [_line(self.responsible()), _line(self.say_no()), self.purposes(), _line(self.recipients()), _line(self.retention()), _line(self.rights())]
        body = "\n".join(f"- {item}" for item in items if item)
        return f"## {self.l('summary_heading')} {{#{ANCHOR}}}\n\n{body}"

    def responsible(self) -> str:
        org = self.n.organisation
        return f"**{self.l('summary_responsible')}:** {escape_text(org.name)} · {self.link(self.l('summary_contact_us'), 'contact')}"

    def say_no(self) -> str:
        """How to say no, first: object, withdraw consent, opt out of marketing (only what applies)."""
        bases = {p.legal_basis for p in self.n.purposes}
        ways = []
        if bases & set(OBJECTABLE) or self.n.marketing:
            ways.append(self.link(self.l("summary_object"), "right_object"))
        else:
            ways.append(self.link(self.l("summary_object_none"), "right_object"))
        if self.n.uses_consent:
            ways.append(self.link(self.l("summary_withdraw"), "right_withdraw_consent"))
        if self.n.marketing:
            ways.append(self.link(self.l("summary_marketing"), "marketing"))
        return f"**{self.l('summary_say_no')}:** {listing(ways, self.lang)}."

    def purposes(self) -> str:
        lines = []
        for p in self.n.purposes:
            data = listing([escape_text(self.n.category(c).name(self.lang)) for c in p.categories], self.lang)
            basis = self.l(f"summary_basis_{p.legal_basis}")
            lines.append(_line(f"{self.link(escape_text(p.name(self.lang)), 'purpose_' + p.id)}: {data} ({basis})"))
        if not lines:
            return ""
        return f"**{self.l('summary_what_why')}:**\n" + "\n".join(f"    - {line}" for line in lines)

    def recipients(self) -> str:
        n = self.n
        if not n.recipients:
            return f"**{self.l('summary_who')}:** {self.l('summary_no_recipients')}"
        names = listing([escape_text(r.title(self.lang)) for r in n.recipients], self.lang)
        who = f"**{self.l('summary_who')}:** {names} ({self.link(self.l('summary_more'), 'recipients')})."
        if n.transfers:
            where = listing(sorted({escape_text(r.title(self.lang)) for r in n.transfers}), self.lang)
            return f"{who} {self.l('summary_transfers')}: {where} ({self.link(self.l('summary_more'), 'transfers')})."
        return f"{who} {self.l('summary_no_transfers')}"

    def retention(self) -> str:
        periods = []
        for p in self.n.purposes:
            for ident in _retention_ids(p):
                rule = self.n.by_id["retention"].get(ident)
                days = _days(rule.period) if rule is not None and rule.period else None
                if days is not None:
                    periods.append((days, rule.period))
        more = self.link(self.l("summary_retention_each"), "retention")
        if not periods:
            return f"**{self.l('summary_how_long')}:** {more}."
        low, high = min(periods)[1], max(periods)[1]
        if low == high:
            span = duration(low, self.lang)
        else:
            span = self.l("summary_between").replace("$low", duration(low, self.lang)).replace("$high", duration(high, self.lang))
        return f"**{self.l('summary_how_long')}:** {span}. {more}."

    def rights(self) -> str:
        rights = [self.link(self.l(r), r) for r in ("right_access", "right_rectification", "right_erasure", "right_restriction", "right_portability")]
        rights.append(self.link(self.l("summary_complain"), "complaints"))
        return f"**{self.l('summary_rights')}:** {' · '.join(rights)}"
