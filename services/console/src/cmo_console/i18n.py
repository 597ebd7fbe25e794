"""Georgian and English: Babel catalogues read from the `.po` files, dates in Tbilisi time.

The catalogues are compiled in memory when the console starts, so no built `.mo` file is
kept in the repository and no build step runs before it.
"""

import io
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from cmo_shared.schedule import TBILISI

LANGUAGES = ("ka", "en")
LOCALES = Path(__file__).parent / "locales"


@cache
def translations(language: str) -> Translations:
    """The catalogue of a language, compiled from its `.po` file."""
    with (LOCALES / language / "LC_MESSAGES" / "console.po").open("rb") as po:
        catalog = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def chosen(stored: str | None, accept_language: str) -> str:
    """The language remembered, else the browser's first of ours, else Georgian."""
    if stored in LANGUAGES:
        return stored  # type: ignore[return-value]
    for part in accept_language.split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in LANGUAGES:
            return tag
    return "ka"


def when(value: str | datetime | None, language: str) -> str:
    """A moment in Tbilisi time, as the language writes it."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(moment, "medium", tzinfo=TBILISI, locale=language)


def day(value: str | date | None, language: str) -> str:
    """A date, as the language writes it."""
    if not value:
        return ""
    return format_date(date.fromisoformat(str(value)[:10]), "medium", locale=language)


def money(value: str | Decimal | None, language: str, currency: str = "GEL") -> str:
    """An amount as the API gives it (a decimal string), grouped as the language does."""
    if value in (None, ""):
        return ""
    return f"{format_decimal(Decimal(str(value)), '#,##0.00', locale=language)} {currency}"
