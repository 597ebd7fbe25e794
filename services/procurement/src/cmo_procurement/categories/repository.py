"""Storage of categories."""

from typing import Protocol

from cmo_shared.store import DataclassStore

from .domain import Category


class CategoryRepository(Protocol):
    """The vocabulary."""

    async def get(self, key: str, *, field: str | None = None) -> Category:
        """One category, or `NotFound` naming the field."""
        ...

    async def put(self, category: Category) -> None:
        """Insert or replace a category."""
        ...

    async def all(self) -> list[Category]:
        """Every category, by code."""
        ...


class MongoCategories(DataclassStore[Category]):
    """Categories in the `categories` collection, keyed by code (they raise no events)."""

    collection_name = "categories"
    noun = "category"
    key_field = "category"
    item_type = Category
    key_attribute = "code"

    async def put(self, category: Category) -> None:
        """Insert or replace a category."""
        await self.collection.replace_one(
            {"_id": category.code}, self.to_document(category), upsert=True
        )

    async def all(self) -> list[Category]:
        """Every category, by code."""
        return await self.find()
