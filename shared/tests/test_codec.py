from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum

from cmo_shared.codec import item_from, to_document


class Colour(StrEnum):
    RED = "red"


@dataclass
class Part:
    price: Decimal
    on: date | None = None


@dataclass
class Whole:
    name: str
    colour: Colour
    at: datetime
    parts: list[Part]
    by_key: dict[str, Part] = field(default_factory=dict)
    maybe: Decimal | None = None


def test_a_dataclass_goes_to_a_document_and_back_unchanged() -> None:
    whole = Whole(
        "w",
        Colour.RED,
        datetime(2026, 12, 1, 9, tzinfo=UTC),
        [Part(Decimal("0.4350"), date(2026, 11, 30)), Part(Decimal("12"))],
        {"a": Part(Decimal("1.10"))},
    )
    document = to_document(whole)
    assert document["parts"][0] == {"price": "0.4350", "on": "2026-11-30"}
    assert document["colour"] == "red" and document["maybe"] is None
    assert item_from(Whole, {**document, "_id": "ignored", "version": 3}) == whole
