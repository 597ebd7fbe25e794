"""Storage of reports, and the read model of the members' KPI surveys."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from decimal import Decimal
from typing import Protocol

from cmo_shared.mongo import insert_new
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import Report, ReportStatus, Survey


class ReportRepository(Protocol):
    """Reports."""

    async def add(self, report: Report, events: list[Event]) -> None:
        """Store a new draft."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Report:
        """One report, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Report]]:
        """A report loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, status: ReportStatus | None, page: int, page_size: int
    ) -> tuple[list[Report], int]:
        """Reports, newest first, and their total."""
        ...


class SurveyView(Protocol):
    """The members' KPI surveys, one per member and quarter (a correction replaces)."""

    async def put(self, survey: Survey) -> None:
        """Insert or replace a survey."""
        ...

    async def of_quarters(self, quarters: list[str]) -> list[Survey]:
        """Every survey of the quarters."""
        ...


class MongoReports(DataclassStore[Report]):
    """Reports in the `reports` collection."""

    collection_name = "reports"
    noun = "report"
    item_type = Report
    key_attribute = "report_id"
    indexes = [IndexModel([("status", ASCENDING)])]

    async def search(
        self, *, status: ReportStatus | None, page: int, page_size: int
    ) -> tuple[list[Report], int]:
        """Reports, newest first, and their total."""
        return await self.page(
            {"status": status.value} if status else {},
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )


class MongoSurveyView:
    """The `survey_view` collection, `_id` `<member>:<quarter>`."""

    collection_name = "survey_view"
    indexes = [IndexModel([("quarter", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def put(self, survey: Survey) -> None:
        """Insert first (FerretDB's cheapest write), replace if it exists."""
        document = {**asdict(survey), "investment": str(survey.investment)}
        document["_id"] = f"{survey.member_id}:{survey.quarter}"
        if not await insert_new(self._collection, [document]):
            await self._collection.replace_one({"_id": document["_id"]}, document)

    async def of_quarters(self, quarters: list[str]) -> list[Survey]:
        """Every survey of the quarters."""
        cursor = self._collection.find({"quarter": {"$in": quarters}}, {"_id": 0})
        return [Survey(**{**d, "investment": Decimal(d["investment"])}) async for d in cursor]
