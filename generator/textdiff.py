"""Word-level differences between two rendered texts, as a reader would see them (not YAML).

The texts are the rendered Markdown of two versions. Lines are matched first; a changed line is then
compared word by word, or, when the two lines share too few words for that to be readable, shown as
the old paragraph struck through followed by the new one. Each hunk carries the heading it falls under, so a reviewer knows where it is.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*(\{#[^}]*\})?\s*$")
_ATTRS = re.compile(r"\s*\{[.#][^}]*\}\s*$")
_CELL = re.compile(r"(?<!\\)\|")
_TABLE_RULE = re.compile(r"\|?\s*-{3,}|\|(-+\|)+$")


@dataclass(frozen=True)
class Hunk:
    heading: str  # the section heading the change falls under, as readers see it
    lines: tuple[tuple[tuple[str, str], ...], ...]  # each line: (op, words) with op in "=", "-", "+"


@lru_cache(maxsize=4096)
def _readable(line: str) -> str:
    """A Markdown line as plain reading text: no table pipes, heading marks, bold marks or attribute lists.
    Kept for the lines seen last: two versions of a notice share most of their lines."""
    if "{" in line:
        line = _ATTRS.sub("", line)
    line = line.replace("**", "")
    if line.startswith("#") and (match := _HEADING.match(line)):
        return match.group(2)
    if line.lstrip()[:1] in ("|", "-") and _TABLE_RULE.match(line):
        return ""
    if line.startswith("|"):
        return " · ".join(cell.strip() for cell in _CELL.split(line.strip().strip("|")))  # a \| inside a cell is text
    if line.lstrip().startswith("- "):
        return "• " + line.lstrip()[2:].strip()  # a list item, without Markdown list syntax inside <ins>/<del>
    return line.strip()


def hunks(old: str, new: str) -> list[Hunk]:
    """The changed lines of `new` against `old`, grouped under their headings, compared word by word."""
    a_lines, b_lines = list(_reading_lines(old)), list(_reading_lines(new))
    headings_b = _headings(new)
    out: list[Hunk] = []
    # Two versions share most of their lines: the lines they start and end with in common are set
    # aside before matching, which then works on the changed middle alone (a tenth of the time).
    start = 0
    while start < min(len(a_lines), len(b_lines)) and a_lines[start] == b_lines[start]:
        start += 1
    end = 0
    while end < min(len(a_lines), len(b_lines)) - start and a_lines[-1 - end] == b_lines[-1 - end]:
        end += 1
    matcher = difflib.SequenceMatcher(a=a_lines[start : len(a_lines) - end], b=b_lines[start : len(b_lines) - end], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        i1, i2, j1, j2 = i1 + start, i2 + start, j1 + start, j2 + start
        heading = _heading_before(b_lines, j1, headings_b)
        lines = []
        old_part, new_part = a_lines[i1:i2], b_lines[j1:j2]
        for k in range(max(len(old_part), len(new_part))):
            before = old_part[k] if k < len(old_part) else ""
            after = new_part[k] if k < len(new_part) else ""
            lines += _compare(before, after)
        if out and out[-1].heading == heading:  # one block per section, however many changes it has
            out[-1] = Hunk(heading, out[-1].lines + tuple(lines))
        else:
            out.append(Hunk(heading, tuple(lines)))
    return out


@lru_cache(maxsize=4)
def _reading_lines(markdown: str) -> tuple[str, ...]:
    """The non-empty reading lines of a rendered text. Each version's text is compared twice, with
    the one before and the one after, and the site compares them in order, so a few are kept: not
    every version's (28 MiB at 100 versions)."""
    return tuple(x for x in (_readable(line) for line in _without_stamp(markdown)) if x)


def _without_stamp(markdown: str) -> list[str]:
    """The lines of a rendered notice without its version header, which differs in every version."""
    lines = markdown.splitlines()
    out = []
    for i, line in enumerate(lines):
        if line.startswith("{.notice-stamp") or (i + 1 < len(lines) and lines[i + 1].startswith("{.notice-stamp")):
            continue
        out.append(line)
    return out


@lru_cache(maxsize=4)
def _headings(markdown: str) -> frozenset[str]:
    return frozenset(_readable(line) for line in markdown.splitlines() if line.startswith("#"))


def _heading_before(lines: list[str], index: int, headings: frozenset[str]) -> str:
    for k in range(min(index, len(lines) - 1), -1, -1):
        if lines[k] in headings:
            return lines[k]
    return ""


#: Below this share of words in common, a word diff with more than one changed run interleaves two
#: unrelated paragraphs into a mix nobody can read; the paragraphs are then shown whole, the old one
#: struck through, the new one after it.
PARAGRAPH_THRESHOLD = 0.5


def _compare(before: str, after: str) -> list[tuple[tuple[str, str], ...]]:
    """One line compared word by word, or, where the words do not align, two whole paragraphs."""
    if before and after:
        matcher = difflib.SequenceMatcher(a=before.split(), b=after.split(), autojunk=False)
        changes = sum(1 for op, *_ in matcher.get_opcodes() if op != "equal")
        # One changed run (a name swapped) reads well as a word diff; several runs over little in
        # common interleave two texts.
        if changes > 1 and matcher.ratio() < PARAGRAPH_THRESHOLD:
            return [(("-", before),), (("+", after),)]
    return [tuple(_words(before, after))]


def _words(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.split(), after.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(a[i1:i2])))
        else:
            if i2 > i1:
                out.append(("-", " ".join(a[i1:i2])))
            if j2 > j1:
                out.append(("+", " ".join(b[j1:j2])))
    return out


def as_markdown(found: list[Hunk]) -> str:
    """Hunks for a web page: deletions struck through, insertions underlined (<del>/<ins>).

    The words are already-escaped Markdown from our renderer, so wrapping them in tags is safe.
    """
    blocks = []
    for hunk in found:
        lines = []
        for line in hunk.lines:
            parts = []
            for op, words in line:
                parts.append(words if op == "=" else f"<del>{words}</del>" if op == "-" else f"<ins>{words}</ins>")
            lines.append(" ".join(parts))
        title = f"**{hunk.heading}**\n\n" if hunk.heading else ""
        blocks.append(title + "\n\n".join(f"> {line}" for line in lines))
    return "\n\n".join(blocks)


def as_text(found: list[Hunk]) -> str:
    """Hunks for a terminal or a plain e-mail: [-deleted-] {+inserted+}."""
    blocks = []
    for hunk in found:
        lines = [f"## {hunk.heading}"] if hunk.heading else []
        for line in hunk.lines:
            lines.append("  " + " ".join(words if op == "=" else f"[-{words}-]" if op == "-" else f"{{+{words}+}}" for op, words in line))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
