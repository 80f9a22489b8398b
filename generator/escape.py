"""One escaping function per output format: text from content is hostile until escaped for where it goes.

Each function takes any str (control characters, lone surrogates, markup of every kind) and returns text
that the target format shows literally. They are property-tested in tests/test_escape.py.
"""

from __future__ import annotations

import html as _html
import json as _json
import re
import unicodedata

# -- characters no output should carry as they are -----------------------------------------------

#: Lone surrogates cannot be encoded as UTF-8: writing them would fail half-way through a file.
_SURROGATE = re.compile("[\ud800-\udfff]")
#: C0 controls except tab and newline, DEL, C1 controls; XML 1.0 forbids most of them outright.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Bidirectional embeddings, overrides and isolates: they reorder what a reader sees ("Trojan Source").
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
#: Not characters in XML 1.0.
_XML_NONCHAR = re.compile("[\ufffe\uffff]")
#: Everything a mail client or a mail server might take as the end of a header line.
_LINE_BREAKS = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
REPLACEMENT = "\ufffd"


def _clean(value: str) -> str:
    """The text with what cannot be stored or shown safely replaced by U+FFFD (tab and newline kept)."""
    value = _SURROGATE.sub(REPLACEMENT, value)
    value = _CONTROL.sub(REPLACEMENT, value.replace("\r\n", "\n").replace("\r", "\n"))
    return _BIDI.sub(REPLACEMENT, value)


# -- HTML -------------------------------------------------------------------------------------


def html_text(value: str) -> str:
    """Text content of an HTML element: & < > become entities, so no tag or entity can start."""
    return _html.escape(_clean(value), quote=False)


def html_attribute(value: str) -> str:
    """A double- or single-quoted HTML attribute value."""
    return _html.escape(_clean(value), quote=True)


# -- XML (Atom feeds, sitemap) ----------------------------------------------------------------


def xml_text(value: str) -> str:
    """Text or quoted attribute value in XML 1.0: markup escaped, characters XML forbids replaced."""
    value = _XML_NONCHAR.sub(REPLACEMENT, _clean(value))
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;").replace("'", "&apos;")


# -- JSON -------------------------------------------------------------------------------------


_JSON_INVISIBLE = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u061c" + BIDI_CONTROLS + "]")


def json_text(value: object, *, indent: int | None = None, compact: bool = False) -> str:
    """json.dumps, safe to write as UTF-8, to embed in HTML <script> and to print: lone surrogates are
    \\u-escaped by ensure_ascii where needed; < > &, C1 controls, bidi controls, U+2028/9 never appear raw."""
    separators = (",", ":") if compact else None
    text = _json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    if _SURROGATE.search(text):  # only a lone surrogate makes ensure_ascii=False unwritable
        text = _json.dumps(value, ensure_ascii=True, indent=indent, separators=separators)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # outside strings JSON has none of these, so the \\u form means the same: safe in <script> and on a terminal
    return _JSON_INVISIBLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# -- CSV --------------------------------------------------------------------------------------

#: A cell starting with one of these is a formula in Excel, LibreOffice and Google Sheets (OWASP).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def front_matter(meta: dict) -> str:
    """A Markdown page's YAML front matter block (--- ... ---) holding `meta`, read back unchanged by
    PyYAML (what MkDocs uses): one key per line, every value in JSON's flow style (a subset of YAML),
    every string double-quoted and on one line, so no value can close the block early; what cannot be
    stored (lone surrogates, controls) becomes U+FFFD. A build writes one per page, so it is made
    with the json module's C encoder rather than PyYAML's emitter (27 µs a page against 200 µs)."""
    lines = []
    for key, value in meta.items():
        lines.append(f"{_flow(str(key))}: {_flow(value)}\n")
    return "---\n" + ("".join(lines) or "{}\n") + "---\n"


#: What JSON leaves as it is but YAML 1.1 reads differently: line and paragraph separators and NEL
#: are line breaks there (folded to spaces inside a quoted scalar), U+FFFE/U+FFFF not allowed at all.
_YAML_NOT_AS_IS = re.compile("[\x85\u2028\u2029\ufffe\uffff]")


def _flow(value: object) -> str:
    """One value in YAML's flow style, built from JSON (which YAML 1.1 reads alike for these types)."""
    if isinstance(value, str):
        text = _json.dumps(_clean(value), ensure_ascii=False)
        return _YAML_NOT_AS_IS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    if value is None or isinstance(value, (bool, int)):
        return _json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_flow(str(k))}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    raise TypeError(f"front matter cannot hold {type(value).__name__}")  # floats, dates: none is ever passed


def csv_cell(value: str) -> str:
    """A CSV cell (quoting is the csv module's job): never read as a formula, no control characters."""
    value = _clean(value)
    if value.lstrip(" ").startswith(_FORMULA_START):
        value = "'" + value
    return value


# -- e-mail -----------------------------------------------------------------------------------


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


# -- terminal ---------------------------------------------------------------------------------

_TERMINAL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff" + BIDI_CONTROLS + "\u200e\u200f\u061c]")
_TERMINAL_KEEP_NEWLINE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff" + BIDI_CONTROLS + "\u200e\u200f\u061c]")


def _visible(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(value: str, *, keep_newlines: bool = False) -> str:
    """Text for a terminal: control characters, escape sequences and bidi controls shown as \\x1b or
    \\u202e, so nothing printed can move the cursor, recolour, retitle or overwrite what was printed.
    Newlines are shown as \\x0a too unless the output has several lines by design."""
    return (_TERMINAL_KEEP_NEWLINE if keep_newlines else _TERMINAL).sub(_visible, value)


# -- GitHub-flavoured Markdown (pull-request comments, job summaries) ----------------------------

_GFM_TRIGGERS = re.compile(r"(?<=[@#:])|(?<=[wW]{3})(?=\\\.)|(?<=[gG][hH])(?=\\-)")
_GFM_HEX_RUN = re.compile(r"[0-9A-Fa-f]{7,}")
_WORD_JOINER = "\u2060"
_GFM_DROPPED = dict.fromkeys(map(ord, BIDI_CONTROLS + "\u200e\u200f"))  # bidi controls and direction marks


def github_markdown(text: str) -> str:
    """`text` as inline GitHub-flavoured Markdown that renders literally, on one line, inert.

    - every ASCII punctuation character is backslash-escaped, so no emphasis, link, image, code span,
      raw HTML, entity, heading, list, quote, strikethrough or table pipe can form (CommonMark allows
      escaping any ASCII punctuation; GFM tables honour `\\|`);
    - line breaks, other control characters and Unicode line/paragraph separators become spaces, so the
      text cannot start a line of its own (e.g. a forged "Customer notification required: no"); leading
      and trailing whitespace is dropped (four leading spaces would start a code block);
      bidirectional overrides are dropped, lone surrogates replaced;
    - GitHub links some plain text after rendering (@user and @org/team mentions, #12, owner/repo#12,
      GH-12, commit hashes, URLs and e-mail addresses): an invisible WORD JOINER (U+2060) after every
      `@`, `#` and `:`, between `GH` and `-`, between `www` and `.`, and inside every run of seven or more hex
      digits breaks each pattern without changing what a reader sees.
    """
    text = _SURROGATE.sub(REPLACEMENT, text).translate(_GFM_DROPPED)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text).strip()
    text = _GFM_HEX_RUN.sub(lambda m: _WORD_JOINER.join(m.group(0)[i : i + 6] for i in range(0, len(m.group(0)), 6)), text)
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    return _GFM_TRIGGERS.sub(_WORD_JOINER, text)
