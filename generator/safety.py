"""Everything from YAML reaches the page as text, never as markup the company did not mean.

Two layers: the renderer escapes YAML text before it enters Markdown (escape_text for names,
escape_markdown for fields where Markdown is allowed), and LinkPolicy, a Markdown extension used
for every page, removes images and any link whose scheme is not http(s), mailto or tel from the
parsed tree, so a trick that slips past the first layer still ends up inert.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")

_INLINE_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|])")  # what Python-Markdown (with tables) unescapes; `~` it would show
_LINE_START = re.compile(r"^(\s*)([-+>]|\d+[.)])", re.MULTILINE)


def escape_text(value: str) -> str:
    """Plain text for use inside Markdown: no emphasis, links, HTML, attributes or table breaks."""
    value = html.escape(value, quote=False)  # & < >
    value = _INLINE_SPECIAL.sub(r"\\\1", value)
    value = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), value)
    return " ".join(value.split())  # one line: safe in tables and list items


def escape_markdown(value: str) -> str:
    """Markdown the company wrote (emphasis, lists, links), with raw HTML and attribute lists made inert."""
    value = value.replace("&", "&amp;").replace("<", "&lt;")
    value = value.replace("{", "&#123;").replace("}", "&#125;")  # entities: no backslash can undo them
    value = value.replace("![", "!\\[")  # no images: they would load from another host
    return value.strip()


def link_allowed(href: str) -> bool:
    """http(s), mailto, tel, and links without a scheme (anchors and our own relative links)."""
    if ":" not in href and "&" not in href:  # no scheme, and no entity that could become a colon
        return True
    cleaned = href
    for _ in range(3):  # entities inside entities: treat &amp;#58; like the colon a browser may end up with
        cleaned = html.unescape(cleaned)
    cleaned = re.sub(r"[\x00-\x20]", "", cleaned).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return scheme is None or scheme.group(1) in ALLOWED_SCHEMES


class _LinkPolicy(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        images = False
        for element in root.iter():
            if element.tag == "a" and not link_allowed(element.get("href", "")):
                element.attrib.pop("href", None)
                element.tag = "span"
            elif element.tag == "img":
                images = True
            if element.attrib and element is not root:
                for attribute in [name for name in element.attrib if name[:2].lower() == "on"]:
                    del element.attrib[attribute]
        if images:  # rare: the renderer escapes ![ ... ]; replaced with their alt text, in place
            for parent in root.iter():
                for index, child in enumerate(list(parent)):
                    if child.tag == "img":
                        text = etree.Element("span")
                        text.text = child.get("alt", "")
                        text.tail = child.tail
                        parent.remove(child)
                        parent.insert(index, text)


class LinkPolicy(Extension):
    """Markdown extension: drop images, unsafe links and event-handler attributes from every page."""

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Markdown's API)
        md.treeprocessors.register(_LinkPolicy(md), "privacy_notice_link_policy", 0)


def makeExtension(**kwargs) -> LinkPolicy:  # noqa: N802 (Markdown's entry-point convention)
    return LinkPolicy(**kwargs)


def link(text: str, url: str) -> str:
    """A Markdown link to a URL the schema has already restricted to http(s), mailto or tel."""
    target = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"[{escape_text(text)}]({target})"


def email_link(address: str) -> str:
    return link(address, f"mailto:{address}")


def phone_link(number: str) -> str:
    return link(number, "tel:" + number.replace(" ", ""))


# -- the second, independent layer: an allow-list sanitiser on the final HTML of page content --------

#: What the notice's pages are made of (Python-Markdown with tables, attr_list, toc, admonitions and
#: our text diff): text structure, links, tables, and del/ins. No script, style, form, media or frame.
PAGE_TAGS = frozenset(
    "a abbr b blockquote br caption code dd del details div dl dt em h1 h2 h3 h4 h5 h6 hr i ins kbd li mark "
    "ol p pre q s small span strong sub summary sup table tbody td tfoot th thead time tr u ul wbr".split()
)
PAGE_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "table": {"data-wide"},  # typeset.py: cards on a phone
    "td": {"style", "colspan", "rowspan", "data-label"},
    "th": {"style", "colspan", "rowspan", "scope"},
    "details": {"open"},
    "time": {"datetime"},
    "ol": {"start"},
}


def sanitise_html(fragment: str) -> str:
    """The HTML of a page's content with only PAGE_TAGS and PAGE_ATTRIBUTES left (nh3, Ammonia's
    allow-list): script, style and event handlers cannot survive it, whatever produced the HTML.
    Links keep only http(s), mailto and tel (and relative URLs); table cells keep only text-align."""
    import nh3

    return nh3.clean(
        fragment,
        tags=set(PAGE_TAGS),
        clean_content_tags={"script", "style", "template", "noscript", "iframe", "object", "svg", "math"},
        attributes={tag: set(names) for tag, names in PAGE_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_SCHEMES),
        link_rel=None,
        strip_comments=True,
        filter_style_properties={"text-align"},
    )
