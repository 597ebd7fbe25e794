"""HTTP API of needs assessments."""

from dataclasses import asdict
from typing import Annotated, Literal

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, PageNumber, PageSize
from cmo_shared.identity import Actor
from fastapi import APIRouter, Query, status

from .domain import AnswerSheet, Assessment, NeedRule, Question
from .schemas import (
    AnswersRead,
    AnswersWrite,
    AssessmentPage,
    AssessmentRead,
    AssessmentWrite,
    Period,
)
from .service import AssessmentService

router = APIRouter(tags=["needs assessments"], responses=ERROR_RESPONSES)
Service = Annotated[AssessmentService, provided(AssessmentService)]


def _read(assessment: Assessment) -> AssessmentRead:
    return AssessmentRead(
        assessment_id=assessment.assessment_id,
        period=assessment.period,
        title=assessment.title,
        version=assessment.version,
        status=assessment.status,
        questions=[asdict(q) for q in assessment.questions],
    )


def _answers(sheet: AnswerSheet) -> AnswersRead:
    return AnswersRead.model_validate(asdict(sheet))


@router.post("/assessments", status_code=status.HTTP_201_CREATED, summary="Create a questionnaire")
async def create_assessment(
    body: AssessmentWrite, service: Service, actor: Actor
) -> AssessmentRead:
    """A new questionnaire for a period (the next version if the period has one)."""
    questions = [
        Question(
            question_id=q.question_id,
            type=q.type,
            text=q.text,
            options=tuple(q.options),
            required=q.required,
            need=NeedRule(**q.need.model_dump()) if q.need else None,
        )
        for q in body.questions
    ]
    return _read(await service.create(body.period, body.title, questions, actor=actor))


@router.get("/assessments", summary="List questionnaires")
async def list_assessments(
    service: Service,
    period: Period | None = None,
    assessment_status: Annotated[Literal["open", "closed"] | None, Query(alias="status")] = None,
    page: PageNumber = 1,
    page_size: PageSize = 20,
) -> AssessmentPage:
    """Questionnaires, newest period first."""
    items, total = await service.search(
        period=period, status=assessment_status, page=page, page_size=page_size
    )
    return AssessmentPage.of([_read(a) for a in items], total, page, page_size)


@router.get("/assessments/{assessment_id}", summary="Get a questionnaire")
async def get_assessment(assessment_id: str, service: Service) -> AssessmentRead:
    """One questionnaire with its questions."""
    return _read(await service.get(assessment_id))


@router.post("/assessments/{assessment_id}/close", summary="Close a questionnaire")
async def close_assessment(assessment_id: str, service: Service) -> AssessmentRead:
    """Answers become final."""
    return _read(await service.close(assessment_id))


@router.put("/assessments/{assessment_id}/answers/{member_id}", summary="Answer a questionnaire")
async def answer_assessment(
    assessment_id: str,
    member_id: str,
    body: AnswersWrite,
    service: Service,
) -> AnswersRead:
    """Store (or replace, until closed) a member's answers; each newly stated need is an event."""
    return _answers(await service.answer(assessment_id, member_id, body.answers))


@router.get("/assessments/{assessment_id}/answers/{member_id}", summary="A member's answers")
async def get_answers(assessment_id: str, member_id: str, service: Service) -> AnswersRead:
    """The stored answers and the needs they state."""
    return _answers(await service.answers_of(assessment_id, member_id))
