"""One escaping function per output format: text from content is hostile until escaped for where it goes.

Each function takes any str (control characters, lone surrogates, markup of every kind) and returns text
that the target format shows literally. They are property-tested in tests/test_escape.py.
"""

from __future__ import annotations
