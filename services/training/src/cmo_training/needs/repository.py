"""Storage of training needs (a read model of the needs assessments)."""

from dataclasses import asdict
from typing import Protocol

from cmo_shared.mongo import insert_new
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import TrainingNeed


class NeedView(Protocol):
    """Training needs by year."""

    async def put(self, need: TrainingNeed) -> None:
        """Insert or replace a need."""
        ...

    async def of_year(self, year: int) -> list[TrainingNeed]:
        """Every need of a year."""
        ...


class MongoNeedView:
    """The `training_needs` collection, `_id` the need id."""

    collection_name = "training_needs"
    indexes = [IndexModel([("year", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def put(self, need: TrainingNeed) -> None:
        """Insert first (FerretDB's cheapest write), replace if it exists."""
        document = {"_id": need.need_id, **asdict(need)}
        if not await insert_new(self._collection, [document]):
            await self._collection.replace_one({"_id": need.need_id}, document)

    async def of_year(self, year: int) -> list[TrainingNeed]:
        """Every need of a year."""
        cursor = self._collection.find({"year": year}, {"_id": 0})
        return [TrainingNeed(**d) async for d in cursor]
