"""Storage of KPI surveys: the protocol the use cases need and its MongoDB adapter."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.http import given
from cmo_shared.store import AggregateStore, Change
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import KpiSurvey


class KpiRepository(Protocol):
    """KPI surveys, one per member and quarter."""

    def changing(
        self, survey_id: str, *, create: Any = None
    ) -> AbstractAsyncContextManager[Change[KpiSurvey]]:
        """A survey loaded (or created) for a change, saved with its events on success."""
        ...

    async def search(
        self, *, member_id: str | None, quarter: str | None, page: int, page_size: int
    ) -> list[KpiSurvey]:
        """Surveys matching the filters, latest quarter first."""
        ...


class MongoKpis(AggregateStore[KpiSurvey]):
    """Surveys in the `kpi_surveys` collection; their events are keyed by member."""

    collection_name = "kpi_surveys"
    noun = "KPI survey"
    indexes = [IndexModel([("member_id", ASCENDING), ("quarter", ASCENDING)])]

    def to_document(self, item: KpiSurvey) -> dict[str, Any]:
        """The survey's fields, `<member id>:<quarter>` as `_id`."""
        return {"_id": item.survey_id, **asdict(item)}

    def from_document(self, document: dict[str, Any]) -> KpiSurvey:
        """A survey from its stored fields."""
        return KpiSurvey(
            **{k: v for k, v in document.items() if k in KpiSurvey.__dataclass_fields__}
        )

    def subject_of(self, item: KpiSurvey, document: dict[str, Any]) -> str:
        """KPIs are about the member."""
        return item.member_id

    async def search(
        self, *, member_id: str | None, quarter: str | None, page: int, page_size: int
    ) -> list[KpiSurvey]:
        """Surveys matching the filters, latest quarter first."""
        return await self.find(
            given(member_id=member_id, quarter=quarter),
            sort=[("quarter", DESCENDING)],
            skip=(page - 1) * page_size,
            limit=page_size,
        )
