"""Dates, durations, countries and lists in each language's own form ("12. januar 2023", "5 år").

Babel supplies the CLDR data (month names, country names, list patterns) so we do not
maintain translations of facts that the Unicode consortium already keeps correct. It is imported on
first use, so that commands which format nothing (check) do not pay for it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from .clauses import label

#: English is written the British way, as in the GDPR's English text ("12 January 2023", no Oxford comma).
LOCALES = {"nb": "nb_NO", "en": "en_GB"}

#: An ISO 8601 period as content writes it (P5Y, P1Y6M, P2W, P30D); diff.py compares two by the calendar.
PERIOD = re.compile(r"^P(?:(?P<year>\d+)Y)?(?:(?P<month>\d+)M)?(?:(?P<week>\d+)W)?(?:(?P<day>\d+)D)?$")


def period_parts(value: str | None) -> tuple[int, int, int, int] | None:
    """An ISO 8601 period as (years, months, weeks, days); None when it is not one or names no unit."""
    match = PERIOD.fullmatch(value or "")
    if not match or not any(match.groups()):
        return None
    return tuple(int(x) if x else 0 for x in match.groups())  # type: ignore[return-value]


def long_date(value: dt.date | str, lang: str) -> str:
    """12. januar 2023 / 12 January 2023."""
    from babel.dates import format_date

    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value, format="long", locale=_locale(lang))


def duration(value: str, lang: str, *, spelled: bool = False) -> str:
    """P5Y -> "5 år" / "5 years"; P1Y6M -> "1 år og 6 måneder"; "session" -> until the browser closes.

    spelled: numbers up to twelve in words, as running text wants them ("innen én måned", "within
    one month"); tables keep figures, which are quicker to compare down a column.
    """
    if value == "session":
        return label("session", lang)
    match = PERIOD.match(value)
    if not match:
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    parts = []
    for unit in ("year", "month", "week", "day"):
        count = match.group(unit)
        if count is not None:
            n = int(count)
            number = _spelled(n, unit, lang) if spelled else str(n)
            parts.append(f"{number} {label(f'unit_{unit}_one' if n == 1 else f'unit_{unit}_other', lang)}")
    return listing(parts, lang)


#: Numbers in words; bokmål "én"/"ett" agrees with the unit's gender (én måned, ett år).
_NUMBERS = {
    "nb": ("null", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"),
}
_NEUTER = {"nb": {"year"}}


def _spelled(n: int, unit: str, lang: str) -> str:
    if not 0 < n < len(_NUMBERS.get(lang, ())):
        return str(n)
    if n == 1 and unit in _NEUTER.get(lang, ()):
        return "ett"
    return _NUMBERS[lang][n]


#: The word that joins the last item, as Babel writes it for each language.
_CONJUNCTION = {"nb": "og", "en": "and"}


def listing(items: list[str], lang: str, *, distinct: bool = False) -> str:
    """a, b og c / a, b and c, written so the reader can always tell where one item ends.

    When one item holds the joining word itself ("søknad og CV"), the last item is set off with a comma
    before the conjunction ("kontaktopplysninger, søknad og CV, og helseopplysninger"); when several do,
    or the last of three or more does, or an item holds a comma, items are separated by semicolons
    ("navn og kontaktopplysninger; personnummer; og IP-adresse og informasjonskapsler").
    distinct: the items are already told apart (each one a link), so the plain form is clear. Both are the usual remedies in bokmål
    (Språkrådet: komma foran «og» for å unngå misforståelse) and in English (serial comma, semicolons).
    """
    from babel.lists import format_list

    items = [i for i in items if i]
    if len(items) < 2:
        return items[0] if items else ""
    if distinct:
        return format_list(items, locale=_locale(lang))
    word = _CONJUNCTION.get(lang, "and")
    joined = [i for i, item in enumerate(items) if _holds_conjunction(item, lang)]
    if any(_holds_separator(i) for i in items) or len(joined) > 1 or joined == [len(items) - 1] and len(items) > 2:
        return "; ".join(items[:-1]) + f"; {word} {items[-1]}"
    if joined:
        return ", ".join(items[:-1]) + f", {word} {items[-1]}"
    return format_list(items, locale=_locale(lang))


_ENTITY = re.compile(r"&(?:[a-zA-Z]+|#[0-9]+|#x[0-9a-fA-F]+);")


def _holds_separator(item: str) -> bool:
    """A comma or semicolon a reader sees (the ; of an escaped &amp; is not one)."""
    visible = _ENTITY.sub("", item)
    return "," in visible or ";" in visible


def _holds_conjunction(item: str, lang: str) -> bool:
    word = _CONJUNCTION.get(lang, "and")
    return re.search(rf"(?<!\w){word}(?!\w)", item, re.IGNORECASE) is not None


@lru_cache(maxsize=None)
def _locale(lang: str):
    """One parsed locale per language: Babel would otherwise parse the name again on every call."""
    from babel import Locale

    return Locale.parse(LOCALES[lang])


@lru_cache(maxsize=None)
def _territories(lang: str) -> dict[str, str]:
    return dict(_locale(lang).territories)


#: English country names that take "the" in running text ("Ireland and the United States").
_WITH_ARTICLE_EN = frozenset({"AE", "BS", "CF", "DO", "FK", "FO", "GB", "GM", "KM", "KY", "MH", "MV", "NL", "PH", "SB", "SC", "TC", "US", "VG"})


def country(code: str, lang: str) -> str:
    """NO -> Norge / Norway, US -> USA / the United States; unknown codes are shown as written."""
    name = _territories(lang).get(code, code)
    if lang == "en" and code in _WITH_ARTICLE_EN:
        return "the " + name
    return name


#: A duration in words or figures: "tre år", "12 months", "ett år etter at du svarte".
_MEASURE = re.compile(
    r"\d|\b(?:år|måned|måneder|uke|uker|dag|dager|døgn|year|years|month|months|week|weeks|day|days)\b", re.IGNORECASE
)


def measures_time(text: str) -> bool:
    """Does a retention criterion count time ("normalt etter tre år"), so that its start event matters?"""
    return _MEASURE.search(text) is not None


def full_stop(text: str) -> str:
    """Text as a whole sentence: it ends with a full stop unless it has its own end mark."""
    text = text.strip()
    return text if not text or text[-1] in ".!?…" else text + "."


def retention_words(period: str | None, criterion: str, start: str, lang: str) -> str:
    """"6 måneder etter at kundeforholdet er avsluttet"; a criterion that counts time is followed by its
    start as a sentence ("... normalt etter tre år. Tiden regnes fra da avtalen ble avsluttet."), one
    that does not ("Til du melder deg av.") stands alone. `criterion` must already suit the output."""
    if period:
        text = f"{duration(period, lang)} {label('start_' + start, lang)}"
        return f"{text}. {full_stop(criterion)}" if criterion else text
    criterion = full_stop(criterion)
    return f"{criterion} {label('from_' + start, lang)}" if measures_time(criterion) else criterion


def sentence_case(text: str) -> str:
    """The first letter upper-case, for a table cell or a list item that starts a sentence.

    A first word with a capital inside ("iPhone", "eBay") or no letter first (`code`, a figure) is left alone.
    """
    first = text.split(" ", 1)[0]
    if not text or not text[0].isalpha() or not text[0].islower() or any(c.isupper() for c in first[1:]):
        return text
    return text[0].upper() + text[1:]


#: Babel's territories that ISO 3166-1 does not assign (regions, reserved and private-use codes).
_NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}


@lru_cache(maxsize=None)
def iso_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes (from Babel's CLDR data, less CLDR's own additions)."""
    return frozenset(code for code in _territories("en") if len(code) == 2 and code.isalpha() and code not in _NOT_ISO)
