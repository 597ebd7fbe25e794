"""Storage of questionnaires and answers: the protocols the use cases need and their adapters."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from typing import Any, Protocol

from cmo_shared.errors import NotFound
from cmo_shared.http import given
from cmo_shared.store import AggregateStore, Change
from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import AnswerSheet, Assessment, NeedRule, Question


class AssessmentRepository(Protocol):
    """Questionnaires, versioned per period; they raise no events."""

    async def add(self, assessment: Assessment) -> None:
        """Store a new questionnaire."""
        ...

    async def get(self, assessment_id: str) -> Assessment:
        """One questionnaire, or `NotFound`."""
        ...

    async def count_of_period(self, period: str) -> int:
        """How many questionnaires a period has."""
        ...

    async def close(self, assessment_id: str) -> None:
        """Mark a questionnaire closed."""
        ...

    async def search(
        self, *, period: str | None, status: str | None, page: int, page_size: int
    ) -> tuple[list[Assessment], int]:
        """Questionnaires matching the filters, newest period and version first."""
        ...


class AnswerSheetRepository(Protocol):
    """Members' answers, one sheet per member and questionnaire."""

    async def get(self, sheet_id: str, *, field: str | None = None) -> AnswerSheet:
        """One member's answers, or `NotFound`."""
        ...

    def changing(
        self, sheet_id: str, *, create: Any = None
    ) -> AbstractAsyncContextManager[Change[AnswerSheet]]:
        """A sheet loaded (or created) for a change, saved with its events on success."""
        ...


class MongoAssessments:
    """Questionnaires in the `assessments` collection (no events, so no outbox)."""

    collection_name = "assessments"
    indexes = [IndexModel([("period", ASCENDING), ("version", ASCENDING)])]

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    @staticmethod
    def _from_document(document: dict[str, Any]) -> Assessment:
        questions = [
            Question(
                **{
                    **q,
                    "options": tuple(q["options"]),
                    "need": NeedRule(**q["need"]) if q["need"] else None,
                }
            )
            for q in document["questions"]
        ]
        fields = {k: v for k, v in document.items() if k not in ("_id", "questions")}
        return Assessment(assessment_id=document["_id"], questions=questions, **fields)

    async def add(self, assessment: Assessment) -> None:
        """Store a new questionnaire."""
        document = asdict(assessment)
        document["_id"] = document.pop("assessment_id")
        await self._collection.insert_one(document)

    async def get(self, assessment_id: str) -> Assessment:
        """One questionnaire, or `NotFound`."""
        document = await self._collection.find_one({"_id": assessment_id})
        if document is None:
            raise NotFound(f"assessment {assessment_id} not found", field="assessment_id")
        return self._from_document(document)

    async def count_of_period(self, period: str) -> int:
        """How many questionnaires a period has."""
        return await self._collection.count_documents({"period": period})

    async def close(self, assessment_id: str) -> None:
        """Mark a questionnaire closed (one field, the same value from every writer)."""
        await self._collection.update_one({"_id": assessment_id}, {"$set": {"status": "closed"}})

    async def search(
        self, *, period: str | None, status: str | None, page: int, page_size: int
    ) -> tuple[list[Assessment], int]:
        """Questionnaires matching the filters, newest period and version first."""
        query = given(period=period, status=status)
        total = await self._collection.count_documents(query)
        cursor = (
            self._collection.find(query)
            .sort([("period", DESCENDING), ("version", DESCENDING)])
            .skip((page - 1) * page_size)
            .limit(page_size)
        )
        return [self._from_document(d) async for d in cursor], total


class MongoAnswerSheets(AggregateStore[AnswerSheet]):
    """Answers in the `assessment_answers` collection; their needs are keyed by member."""

    collection_name = "assessment_answers"
    noun = "answers"
    indexes = [IndexModel([("assessment_id", ASCENDING)])]

    def to_document(self, item: AnswerSheet) -> dict[str, Any]:
        """The sheet's fields, `<assessment id>:<member id>` as `_id`."""
        return {"_id": item.sheet_id, **asdict(item)}

    def from_document(self, document: dict[str, Any]) -> AnswerSheet:
        """A sheet from its stored fields."""
        fields = {k: v for k, v in document.items() if k not in ("_id", "version")}
        return AnswerSheet(**fields)

    def subject_of(self, item: AnswerSheet, document: dict[str, Any]) -> str:
        """Needs are about the member."""
        return item.member_id
