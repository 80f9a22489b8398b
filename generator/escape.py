"""One escaping function per output format: text from content is hostile until escaped for where it goes.

Each function takes any str (control characters, lone surrogates, markup of every kind) and returns text
that the target format shows literally. They are property-tested in tests/test_escape.py.
"""

from __future__ import annotations

# -- e-mail and HTML, for `notify` -----------------------------------------------------------------
# Added on branch issue-16t because notify needs them before issue 13's escape functions reach main.
# Same names and behaviour as issue 13's; when both are merged, keep issue 13's versions.

import html as _html
import re

#: Lone surrogates cannot be encoded as UTF-8: writing them would fail half-way through a file.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: C0 controls except tab and newline, DEL, C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bidirectional embeddings, overrides and isolates: they reorder what a reader sees ("Trojan Source").
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
#: Everything a mail client or a mail server might take as the end of a header line.
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
REPLACEMENT = "\ufffd"


def _clean(value: str) -> str:
    """The text with what cannot be stored or shown safely replaced by U+FFFD (tab and newline kept)."""
    value = _SURROGATE.sub(REPLACEMENT, value)
    value = _CONTROL.sub(REPLACEMENT, value.replace("\r\n", "\n").replace("\r", "\n"))
    return _BIDI.sub(REPLACEMENT, value)


def html_text(value: str) -> str:
    """Text content of an HTML element: & < > become entities, so no tag or entity can start."""
    return _html.escape(_clean(value), quote=False)


def html_attribute(value: str) -> str:
    """A double- or single-quoted HTML attribute value."""
    return _html.escape(_clean(value), quote=True)


def email_header(value: str) -> str:
    """One header value (a subject): one line, whatever the text held, so nothing can add a header."""
    value = _LINE_BREAKS.sub(" ", _SURROGATE.sub(REPLACEMENT, value))
    value = _BIDI.sub(REPLACEMENT, _CONTROL.sub(REPLACEMENT, value.replace("\t", " ")))
    return re.sub(" {2,}", " ", value).strip()  # the spaces of a removed CR LF collapse into one


_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character
_URL_SCHEME = re.compile(r"(?i)(?<![a-z])(www|https?|ftp|mailto)(?=\\[.:])")


def email_markdown(value: str) -> str:
    """Plain text inside a Markdown e-mail body, on one line: every ASCII punctuation character is
    backslash-escaped (CommonMark shows each literally), so no link, image, emphasis, HTML, heading or
    list can start; bare addresses are broken up so clients that link them do not."""
    value = " ".join(_LINE_BREAKS.sub(" ", _clean(value)).split())
    value = _MARKDOWN_PUNCTUATION.sub(r"\\\1", value)
    return _URL_SCHEME.sub(lambda m: m.group(1) + "\u2060", value)  # word joiner: www.x.no is no link
