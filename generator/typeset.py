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
_RULES = (
    (re.compile(r"(§§?) (?=\d)"), r"\1" + NBSP),  # § 13, §§ 5-1
    (re.compile(r"\b(\d{1,2}\.?) (?=(?:" + _MONTHS + r")\b)"), r"\1" + NBSP),  # 4. januar, 4 January
    (re.compile(r"\b(" + _MONTHS + r") (?=\d{4}\b)"), r"\1" + NBSP),  # januar 2027
    (re.compile(r"(\d) (?=(?:" + _UNITS + r")(?!\w))"), r"\1" + NBSP),  # 5 år, 30 days, 500 kr
    (re.compile(r"\b(kr\.?|NOK|EUR|USD|SEK|DKK|GBP|€|\$) (?=\d)"), r"\1" + NBSP),  # kr 500, EUR 20
    (re.compile(r"(?<=\d) (?=\d{3}(?!\d))"), NBSP),  # 1 000 000, 927 461 536
    (re.compile(r"(?<=\+\d\d) (?=\d)|(?<=\d\d) (?=\d\d(?!\d))"), NBSP),  # +47 55 21 40 00
    (re.compile(r"\b((?:[Aa]rt|nr|no|bokstav|ledd|kap)\.?) (?=\d|[a-h]\b)"), r"\1" + NBSP),  # art. 6 nr. 1
)
_BREAK_AFTER = re.compile(r"(?<=[_./\-@])(?=[^_./\-@])")
_SKIP = {"pre", "script", "style"}


def nonbreaking(text: str) -> str:
    """`text` with non-breaking spaces inside the units a line must not split."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


class _Typeset(Treeprocessor):
    def run(self, root: ET.Element) -> None:
        self._walk(root)
        for table in root.iter("table"):
            label_cells(table)
        for code in root.iter("code"):
            if len(code) == 0 and code.text and len(code.text) > 12:
                breakable(code)

    def _walk(self, element: ET.Element) -> None:
        if element.tag in _SKIP:
            return
        if element.tag != "code" and element.text:
            element.text = nonbreaking(element.text)
        for child in element:
            self._walk(child)
            if child.tail:
                child.tail = nonbreaking(child.tail)


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
