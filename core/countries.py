"""Nationalities as ISO 3166-1 alpha-2 codes, named in the reader's language from the CLDR data Babel ships."""

from functools import cache

from babel import Locale
from django.utils import translation

# Two-letter codes CLDR knows that are not countries: reserved areas, unions, pseudo-locales, "unknown".
NOT_COUNTRIES = frozenset({"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"})
BABEL_LOCALES = {"zh-hans": "zh_Hans", "en": "en"}


@cache
def _names(babel_locale: str) -> dict[str, str]:
    territories = Locale.parse(babel_locale).territories
    return {code: name for code, name in territories.items() if len(code) == 2 and code.isalpha()}


COUNTRY_CODES = frozenset(code for code in _names("en") if code not in NOT_COUNTRIES)


def is_country(code: str) -> bool:
    return code in COUNTRY_CODES


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (the active one by default); the code itself if it is not a country."""
    names = _names(BABEL_LOCALES.get(language or translation.get_language(), "en"))
    return names.get(code, code) if code in COUNTRY_CODES else code


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every country, sorted by its name in the language (pinyin order is not needed: the list is searchable)."""
    names = _names(BABEL_LOCALES.get(language or translation.get_language(), "en"))
    return sorted(((code, names[code]) for code in COUNTRY_CODES), key=lambda choice: choice[1])
