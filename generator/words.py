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

_DURATION = re.compile(r"^P(?:(?P<year>\d+)Y)?(?:(?P<month>\d+)M)?(?:(?P<week>\d+)W)?(?:(?P<day>\d+)D)?$")


def long_date(value: dt.date | str, lang: str) -> str:
    """12. januar 2023 / 12 January 2023."""
    from babel.dates import format_date

    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return format_date(value, format="long", locale=_locale(lang))


def duration(value: str, lang: str) -> str:
    """P5Y -> "5 år" / "5 years"; P1Y6M -> "1 år og 6 måneder"; "session" -> until the browser closes."""
    if value == "session":
        return label("session", lang)
    match = _DURATION.match(value)
    if not match:
        raise ValueError(f"not an ISO 8601 duration: {value!r}")
    parts = []
    for unit in ("year", "month", "week", "day"):
        count = match.group(unit)
        if count is not None:
            n = int(count)
            parts.append(f"{n} {label(f'unit_{unit}_one' if n == 1 else f'unit_{unit}_other', lang)}")
    return listing(parts, lang)


def listing(items: list[str], lang: str) -> str:
    """a, b og c / a, b and c."""
    from babel.lists import format_list

    return format_list(list(items), locale=_locale(lang)) if items else ""


@lru_cache(maxsize=None)
def _locale(lang: str):
    """One parsed locale per language: Babel would otherwise parse the name again on every call."""
    from babel import Locale

    return Locale.parse(LOCALES[lang])


@lru_cache(maxsize=None)
def _territories(lang: str) -> dict[str, str]:
    return dict(_locale(lang).territories)


def country(code: str, lang: str) -> str:
    """NO -> Norge / Norway; unknown codes are shown as written."""
    return _territories(lang).get(code, code)


#: Babel's territories that ISO 3166-1 does not assign (regions, reserved and private-use codes).
_NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "XK", "ZZ"}


@lru_cache(maxsize=None)
def iso_countries() -> frozenset[str]:
    """The ISO 3166-1 alpha-2 codes (from Babel's CLDR data, less CLDR's own additions)."""
    return frozenset(code for code in _territories("en") if len(code) == 2 and code.isalpha() and code not in _NOT_ISO)
