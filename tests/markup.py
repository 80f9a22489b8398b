"""Read rendered HTML back as tests look at it: every start tag with its attributes, and the raw text."""

from __future__ import annotations

from html.parser import HTMLParser


class Parts(HTMLParser):
    """The start tags (name, attributes) and the text pieces of a fragment, text kept as written."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(markup: str) -> Parts:
    parser = Parts()
    parser.feed(markup)
    parser.close()
    return parser
