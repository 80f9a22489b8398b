"""One escaping function per output format: text from content is hostile until escaped for where it goes.

Each function takes any str (control characters, lone surrogates, markup of every kind) and returns text
that the target format shows literally. They are property-tested in tests/test_escape.py.
"""

from __future__ import annotations


# -- GitHub-flavoured Markdown (pull-request comments, job summaries) ----------------------------

import re as _re
import unicodedata as _unicodedata

_GFM_PUNCTUATION = _re.compile(r"([!-/:-@\[-`{-~])")  # every ASCII punctuation character may be backslash-escaped
_GFM_TRIGGERS = _re.compile(r"(?<=[@#:])|(?<=[wW]{3})(?=\\\.)|(?<=[gG][hH])(?=\\-)")
_GFM_HEX_RUN = _re.compile(r"[0-9A-Fa-f]{7,}")
_WORD_JOINER = "\u2060"
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f"))


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
    text = "".join("\ufffd" if 0xD800 <= ord(ch) <= 0xDFFF else ch for ch in text)
    text = text.translate(_BIDI_CONTROLS)
    text = "".join(" " if _unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text).strip()
    text = _GFM_HEX_RUN.sub(lambda m: _WORD_JOINER.join(m.group(0)[i : i + 6] for i in range(0, len(m.group(0)), 6)), text)
    text = _GFM_PUNCTUATION.sub(r"\\\1", text)
    return _GFM_TRIGGERS.sub(_WORD_JOINER, text)
