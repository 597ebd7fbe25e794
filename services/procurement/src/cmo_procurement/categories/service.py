"""Category use cases: the vocabulary staff maintain."""

from dataclasses import dataclass

from cmo_shared.errors import Conflict

from .domain import Category, check_unit
from .repository import CategoryRepository


class CategoryInactive(Conflict):
    """New needs are not taken in a retired category."""

    code = "category_inactive"


@dataclass
class CategoryService:
    """The CMO's procurement categories."""

    categories: CategoryRepository

    async def put(self, category: Category) -> Category:
        """Create or replace a category."""
        await self.categories.put(category)
        return category

    async def all(self) -> list[Category]:
        """Every category, by code."""
        return await self.categories.all()

    async def for_need(self, code: str, unit: str) -> Category:
        """The category a new need is filed under, if it is active and measured in the unit."""
        category = await self.categories.get(code, field="category")
        if not category.active:
            raise CategoryInactive(f"category {code} is retired", field="category")
        check_unit(category, unit)
        return category
