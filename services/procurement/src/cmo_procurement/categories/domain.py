"""Procurement categories: the vocabulary needs, pools, lots and suppliers are filed under."""

from dataclasses import dataclass, field
from decimal import Decimal

from cmo_shared.errors import Invalid


@dataclass
class Category:
    """One category, e.g. `packaging/glass-jars`, with the units its needs may be stated in."""

    code: str
    name: dict[str, str]
    units: list[str]
    cpv: list[str] = field(default_factory=list)
    """CPV codes it corresponds to (a cross-reference for the open-data export)."""
    threshold_quantity: Decimal | None = None
    """Default threshold of new pools: total quantity."""
    threshold_members: int | None = None
    """Default threshold of new pools: number of members."""
    active: bool = True


class UnitNotOfCategory(Invalid):
    """A need's unit is not one its category is measured in."""


def check_unit(category: Category, unit: str) -> None:
    """Refuse a unit the category does not use."""
    if unit not in category.units:
        raise UnitNotOfCategory(
            f"{category.code} is measured in {', '.join(category.units)}, not {unit}",
            field="unit",
        )
