"""Vocabularies the services share: Georgia's regions, turnover bands, email addresses."""

from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator, StringConstraints, WithJsonSchema

REGIONS = (
    "Tbilisi",
    "Abkhazia",
    "Adjara",
    "Guria",
    "Imereti",
    "Kakheti",
    "Kvemo Kartli",
    "Mtskheta-Mtianeti",
    "Racha-Lechkhumi and Kvemo Svaneti",
    "Samegrelo-Zemo Svaneti",
    "Samtskhe-Javakheti",
    "Shida Kartli",
)
Region = Literal[REGIONS]  # type: ignore[valid-type]
TurnoverBand = Literal["<100k", "100k-1m", "1m-5m", "5m-20m", ">20m"]


_LOCAL_AND_LABELS = (
    r"^[A-Za-z0-9_+-]+(\.[A-Za-z0-9_+-]+)*@([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
)
EMAIL_PATTERN = (
    r"^(?=[^@]{1,64}@)"  # a local part of at most 64 characters
    + _LOCAL_AND_LABELS[1:]
    + r"(?!(arpa|invalid|local|localhost|onion|test)$)[A-Za-z]{2,63}$"
)
"""Addresses mail can reach: no quoted or exotic local parts, no special-use domains."""


def _email(value: str) -> str:
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from exc


Email = Annotated[
    str,
    # The validator's regex engine has no look-ahead: email-validator refuses special use.
    StringConstraints(pattern=_LOCAL_AND_LABELS + r"[A-Za-z]{2,63}$", max_length=254),
    AfterValidator(_email),
    WithJsonSchema(
        {"type": "string", "format": "email", "pattern": EMAIL_PATTERN, "maxLength": 254}
    ),
]
"""An email address, checked by the pattern (what the schema says) and by email-validator."""
