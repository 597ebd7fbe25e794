"""Needs assessments and KPI surveys: questionnaires, answers, and the events they produce."""

from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import uuid4

from cmo_shared.errors import NotFound
from cmo_shared.events.members import KpiSubmitted, NeedIdentified
from cmo_shared.locks import DocumentLocks
from cmo_shared.outbox import OutboxRelay, outbox_entries, push_events
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from .assessments import Assessment, NeedRule, Question, new_needs
from .handlers import members_event
from .repository import MemberRepository

ASSESSMENTS = "assessments"
ANSWERS = "assessment_answers"
KPIS = "kpi_surveys"


def _assessment(document: dict[str, Any]) -> Assessment:
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


class AssessmentService:
    """Questionnaires per period, members' answers (one per member, replaceable until closed)."""

    def __init__(
        self,
        db: AsyncDatabase,
        members: MemberRepository,
        relay: OutboxRelay,
        locks: DocumentLocks,
    ) -> None:
        self._assessments = db[ASSESSMENTS]
        self._answers = db[ANSWERS]
        self._kpis = db[KPIS]
        self._members = members
        self._relay = relay
        self._locks = locks

    async def ensure_indexes(self) -> None:
        """Lists filter by period, member and quarter."""
        await self._assessments.create_index([("period", ASCENDING), ("version", ASCENDING)])
        await self._answers.create_index([("assessment_id", ASCENDING)])
        await self._kpis.create_index([("member_id", ASCENDING), ("quarter", ASCENDING)])

    async def create(
        self, period: str, title: str, questions: list[Question], *, actor: str
    ) -> Assessment:
        """A new questionnaire for the period; a second one for a period is its next version."""
        version = await self._assessments.count_documents({"period": period}) + 1
        assessment = Assessment(
            assessment_id=str(uuid4()),
            period=period,
            title=title,
            version=version,
            questions=questions,
            created_by=actor,
        )
        document = asdict(assessment)
        document["_id"] = document.pop("assessment_id")
        await self._assessments.insert_one(document)
        return assessment

    async def get(self, assessment_id: str) -> Assessment:
        """One questionnaire, or `NotFound`."""
        document = await self._assessments.find_one({"_id": assessment_id})
        if document is None:
            raise NotFound(f"assessment {assessment_id} not found", field="assessment_id")
        return _assessment(document)

    async def find(
        self, query: dict[str, Any], *, skip: int, limit: int
    ) -> tuple[list[Assessment], int]:
        """Questionnaires matching the query, newest period first."""
        total = await self._assessments.count_documents(query)
        cursor = self._assessments.find(query).sort([("period", -1), ("version", -1)])
        return [_assessment(d) for d in await cursor.skip(skip).limit(limit).to_list(None)], total

    async def close(self, assessment_id: str) -> Assessment:
        """Close the period: answers are final."""
        async with self._locks(ASSESSMENTS, assessment_id):
            assessment = await self.get(assessment_id)
            assessment.status = "closed"
            await self._assessments.update_one(
                {"_id": assessment_id}, {"$set": {"status": "closed"}}
            )
        return assessment

    async def answer(
        self,
        assessment_id: str,
        member_id: str,
        answers: dict[str, Any],
        *,
        correlation_id: str,
    ) -> list[NeedIdentified]:
        """Store a member's answers (replacing earlier ones); emit each newly stated need."""
        assessment = await self.get(assessment_id)
        await self._members.get_in_good_standing(member_id)
        assessment.validate(answers)
        needs = assessment.needs(member_id, answers)
        key = f"{assessment_id}:{member_id}"
        async with self._locks(ANSWERS, key):
            previous = await self._answers.find_one({"_id": key}, {"needs": 1})
            stated = [NeedIdentified(**n) for n in previous["needs"]] if previous else []
            events = [
                members_event(need, subject_id=member_id, correlation_id=correlation_id)
                for need in new_needs(stated, needs)
            ]
            state = {
                "assessment_id": assessment_id,
                "member_id": member_id,
                "answers": answers,
                "needs": [n.model_dump() for n in needs],
                "answered_at": datetime.now(UTC),
            }
            if previous is None:
                await self._answers.insert_one(
                    {"_id": key, **state, "outbox": outbox_entries(events)}
                )
            else:
                await self._answers.update_one(
                    {"_id": key}, {"$set": state, "$push": push_events(events)}
                )
        self._relay.wake()
        return needs

    async def answers_of(self, assessment_id: str, member_id: str) -> dict[str, Any]:
        """A member's stored answers, or `NotFound`."""
        document = await self._answers.find_one(
            {"_id": f"{assessment_id}:{member_id}"}, {"outbox": 0}
        )
        if document is None:
            raise NotFound("no answers from this member", field="member_id")
        return document

    async def submit_kpi(
        self, member_id: str, quarter: str, values: dict[str, Any], *, correlation_id: str
    ) -> dict[str, Any]:
        """Store a member's quarterly KPIs (a resubmission corrects them); emits `kpi.submitted`."""
        await self._members.get_in_good_standing(member_id)
        investment: Decimal = values["investment"]
        payload = KpiSubmitted(
            member_id=member_id,
            quarter=quarter,
            revenue_band=values["revenue_band"],
            employees=values["employees"],
            export_share=values["export_share"],
            investment=str(investment.quantize(Decimal("0.01"))),
        )
        key = f"{member_id}:{quarter}"
        state = {**payload.model_dump(), "submitted_at": datetime.now(UTC)}
        event = members_event(payload, subject_id=member_id, correlation_id=correlation_id)
        async with self._locks(KPIS, key):
            await self._kpis.update_one(
                {"_id": key}, {"$set": state, "$push": push_events([event])}, upsert=True
            )
        self._relay.wake()
        return state

    async def kpis(self, query: dict[str, Any], *, skip: int, limit: int) -> list[dict[str, Any]]:
        """KPI submissions matching the query."""
        cursor = self._kpis.find(query, {"outbox": 0, "_id": 0}).sort("quarter", -1)
        return await cursor.skip(skip).limit(limit).to_list(None)
