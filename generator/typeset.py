"""Typesetting of the HTML pages: what keeps a notice readable on a phone, as a Markdown extension.

- Non-breaking spaces where a line break would split one thing in two: "§ 13", "4. januar 2027",
  "5 år", "30 days", "kr 500", "927 461 536", "+47 55 21 40 00", "art. 6".
- Long identifiers (cookie names, addresses in code) get break opportunities after "_", "." and "-",
  so they wrap at a boundary instead of mid-word.
- Every table cell carries its column's header as `data-label` (and a table of more than four columns `data-wide`), so below a breakpoint the stylesheet
  can show each row as a card whose cells name their column (theme/assets/stylesheets/notice.css).

It works on the HTML, not on the Markdown: released texts are frozen as Markdown, and the text diff
must not see a change where only the typesetting did. It applies to every text, ours and the
company's, in both languages, so new content is covered without anyone remembering to.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

NBSP = "\u00a0"

_MONTHS = (
    "januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
_UNITS = (
    "år|måned|måneder|uke|uker|dag|dager|døgn|time|timer|minutter|virkedager|kr|kroner|prosent|"
    "years?|months?|weeks?|days?|hours?|minutes?|working days|business days|per cent|percent|"
    "NOK|EUR|USD|SEK|DKK|GBP|%"
)


def _after(*words: str) -> str:
    """The space follows one of `words` (fixed-width patterns), each starting a word."""
    return "(?:" + "|".join(f"(?<=(?<!\\w){word} )" for word in words) + ")"


def _with_dot(*words: str) -> tuple[str, ...]:
    return tuple(w for word in words for w in (word, word + r"\."))


#: Each rule is a condition on the space it stands at (what comes before it, looked back at, and what
#: follows it, looked ahead at); the space becomes a non-breaking one. No condition looks at another
#: space, so all rules run as one pattern in one pass, which starts its search at spaces only.
_DAY = _after(*_with_dot(r"\d", r"\d\d"))
_MONTH = _after(*_MONTHS.split("|"))
_CURRENCY = _after("kr", r"kr\.", "NOK", "EUR", "USD", "SEK", "DKK", "GBP")
_REFERENCE = _after(*_with_dot("art", "Art", "nr", "no", "bokstav", "ledd", "kap"))
_RULES = (
    r"(?<=§ )(?=\d)",  # § 13, §§ 5-1
    r"(?=(?:" + _MONTHS + r")\b)" + _DAY,  # 4. januar, 4 January
    r"(?=\d{4}\b)" + _MONTH,  # januar 2027
    r"(?<=\d )(?=(?:" + _UNITS + r")(?!\w))",  # 5 år, 30 days, 500 kr
    r"(?=\d)(?:" + _CURRENCY + r"|(?<=[€$] ))",  # kr 500, EUR 20, € 20
    r"(?<=\d )(?=\d{3}(?!\d))",  # 1 000 000, 927 461 536
    r"(?=\d)(?:(?<=\+\d\d )|(?<=\d\d )(?=\d\d(?!\d)))",  # +47 55 21 40 00
    r"(?=\d|[a-h]\b)" + _REFERENCE,  # art. 6 nr. 1 bokstav f
)
#: Every rule wants a digit or a letter a-h after the space, or a digit or a dot before it: most spaces
#: fail this first test and are never tried against the rules themselves.
_NONBREAKING = re.compile(r" (?:(?=[\da-h])|(?<=[\d.] ))(?:" + "|".join(_RULES) + ")")
_BREAK_AFTER = re.compile(r"(?<=[_./\-@])(?=[^_./\-@])")
_SKIP = {"pre", "script", "style"}


def nonbreaking(text: str) -> str:
    """`text` with non-breaking spaces inside the units a line must not split."""
    return _NONBREAKING.sub(NBSP, text)


#: Joins a page's texts for one pass of the rules. No rule can match across it (it is neither a
#: digit, a letter, a space nor a sign), and no text holds it (validation refuses control characters).
_SEPARATOR = "\x00"


class _Typeset(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        slots: list[tuple[ET.Element, str]] = []
        _texts(root, slots)
        texts = [getattr(element, where) for element, where in slots]
        joined = _SEPARATOR.join(texts)
        if joined.count(_SEPARATOR) == len(texts) - 1:
            # The rules run once per page, not once per text node (a page has hundreds).
            done = nonbreaking(joined).split(_SEPARATOR)
        else:
            done = [nonbreaking(text) for text in texts]
        for (element, where), old, new in zip(slots, texts, done):
            if new is not old and new != old:
                setattr(element, where, new)
        for table in root.iter("table"):
            label_cells(table)
        for code in root.iter("code"):
            if len(code) == 0 and code.text and len(code.text) > 12:
                breakable(code)


def _texts(root: ET.Element, slots: list[tuple[ET.Element, str]]) -> None:
    """Every text and tail that is read as prose: not inside pre, script or style, not a code's own text."""
    skipped = {inner for tag in _SKIP for outer in root.iter(tag) for inner in outer.iter()}
    for element in root.iter():
        if skipped and element in skipped:
            continue
        if element.tag != "code" and element.text:
            slots.append((element, "text"))
        for child in element:
            if child.tail:
                slots.append((child, "tail"))


def label_cells(table: ET.Element) -> None:
    """Each body cell gets its column header as data-label; a table of more than four columns data-wide."""
    head = table.find("thead")
    if head is None or head.find("tr") is None:
        return
    headers = ["".join(th.itertext()).strip() for th in head.find("tr")]
    if len(headers) > 4:
        table.set("data-wide", "")
    for row in table.iter("tr"):
        for i, cell in enumerate(c for c in row if c.tag == "td"):
            if i < len(headers) and headers[i]:
                cell.set("data-label", headers[i])


def breakable(code: ET.Element) -> None:
    """Break opportunities (<wbr>) after _ . / - @ in a long identifier."""
    parts = _BREAK_AFTER.split(code.text)
    if len(parts) < 2:
        return
    code.text = parts[0]
    for part in parts[1:]:
        ET.SubElement(code, "wbr").tail = part


class Typeset(Extension):
    """Registered by the plugin on every page, after the link policy."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        # Priority 1: after inline parsing (text nodes exist), before the toc extension reads headings.
        md.treeprocessors.register(_Typeset(md), "privacy_notice_typeset", 1)
