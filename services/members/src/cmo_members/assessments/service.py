"""Needs assessments: questionnaires, members' answers, and the needs they state."""

from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import uuid4

from cmo_contracts.members import NeedIdentified

from ..membership.service import MembershipService
from .domain import AnswerSheet, Assessment, Question
from .repository import AnswerSheetRepository, AssessmentRepository


@dataclass
class AssessmentService:
    """Questionnaires per period, members' answers (one per member, replaceable until closed)."""

    assessments: AssessmentRepository
    sheets: AnswerSheetRepository
    membership: MembershipService

    async def create(
        self, period: str, title: str, questions: list[Question], *, actor: str
    ) -> Assessment:
        """A new questionnaire for the period; a second one for a period is its next version."""
        assessment = Assessment(
            assessment_id=str(uuid4()),
            period=period,
            title=title,
            version=await self.assessments.count_of_period(period) + 1,
            questions=questions,
            created_by=actor,
        )
        await self.assessments.add(assessment)
        return assessment

    async def get(self, assessment_id: str) -> Assessment:
        """One questionnaire, or `NotFound`."""
        return await self.assessments.get(assessment_id)

    async def search(
        self, *, period: str | None, status: str | None, page: int, page_size: int
    ) -> tuple[list[Assessment], int]:
        """Questionnaires matching the filters, newest period first."""
        return await self.assessments.search(
            period=period, status=status, page=page, page_size=page_size
        )

    async def close(self, assessment_id: str) -> Assessment:
        """Close the period: answers are final."""
        assessment = await self.assessments.get(assessment_id)
        await self.assessments.close(assessment_id)
        assessment.status = "closed"
        return assessment

    async def answer(
        self, assessment_id: str, member_id: str, answers: dict[str, object]
    ) -> AnswerSheet:
        """Store a member's answers (replacing earlier ones); emit each newly stated need."""
        assessment = await self.assessments.get(assessment_id)
        await self.membership.in_good_standing(member_id)
        assessment.validate(answers)
        needs: list[NeedIdentified] = assessment.needs(member_id, answers)
        sheet = AnswerSheet(assessment_id, member_id)
        async with self.sheets.changing(sheet.sheet_id, create=lambda: sheet) as change:
            change.record(*change.item.replace(answers, needs, datetime.now(UTC)))
        return change.item

    async def answers_of(self, assessment_id: str, member_id: str) -> AnswerSheet:
        """A member's stored answers, or `NotFound`."""
        return await self.sheets.get(f"{assessment_id}:{member_id}", field="member_id")
