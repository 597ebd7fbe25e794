"""HTTP API of needs assessments and quarterly KPI surveys."""

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any, Literal

from cmo_shared.http import ERROR_RESPONSES, Page, PageSize, given
from cmo_shared.identity import Actor, CorrelationId
from cmo_shared.money import Amount
from cmo_shared.numbers import NUMBER, JsonInt
from cmo_shared.text import text
from cmo_shared.vocabulary import TurnoverBand
from fastapi import APIRouter, Depends, Query, Request, status
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

from .assessment_service import AssessmentService
from .assessments import Assessment, NeedRule, Question

router = APIRouter(tags=["needs assessments"], responses=ERROR_RESPONSES)
Period = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(H[12]|Q[1-4]))?$")]
Quarter = Annotated[str, StringConstraints(pattern=r"^\d{4}-Q[1-4]$")]
Text = text(500)


def _service(request: Request) -> AssessmentService:
    return request.app.state.assessments


Service = Annotated[AssessmentService, Depends(_service)]


NeedKind = Literal["procurement", "training", "technology", "funding", "advisory"]
QuestionId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,40}$")]
Unit = Annotated[str, StringConstraints(max_length=40)]


class NeedRuleWrite(BaseModel):
    """How an answer to a choice question states a need: each chosen option is one."""

    model_config = ConfigDict(extra="forbid")

    kind: NeedKind
    category: Text | None = Field(None, description="Omitted: each chosen option is the need.")
    unit: Unit | None = None


class ValueNeedRuleWrite(BaseModel):
    """How an answer to a number or text question states a need, and what it is."""

    model_config = ConfigDict(extra="forbid")

    kind: NeedKind
    category: Text
    unit: Unit | None = None


class ChoiceQuestionWrite(BaseModel):
    """A question answered by choosing among at least two options."""

    model_config = ConfigDict(extra="forbid")

    question_id: QuestionId
    type: Literal["choice", "multi_choice"]
    text: Text
    options: list[Text] = Field(min_length=2, max_length=50)
    required: StrictBool = False
    need: NeedRuleWrite | None = None


class ValueQuestionWrite(BaseModel):
    """A question answered with a number or a text (it has no options)."""

    model_config = ConfigDict(extra="forbid")

    question_id: QuestionId
    type: Literal["number", "text"]
    text: Text
    options: list[Text] = Field(default_factory=list, max_length=0)
    required: StrictBool = False
    need: ValueNeedRuleWrite | None = None


# A plain union (`anyOf`): each question is one kind or the other by its `type`.
QuestionWrite = ChoiceQuestionWrite | ValueQuestionWrite
"""A question: choice, multi_choice, number or text."""


class AssessmentWrite(BaseModel):
    """A needs-assessment questionnaire for a period."""

    model_config = ConfigDict(extra="forbid")

    period: Period = Field(description="`2026`, `2026-H1` or `2026-Q3`.")
    title: Text
    questions: list[QuestionWrite] = Field(min_length=1, max_length=100)

    @model_validator(mode="after")
    def _unique_ids(self) -> "AssessmentWrite":
        ids = [q.question_id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids repeat")
        return self


class AssessmentRead(BaseModel):
    """A questionnaire."""

    assessment_id: str
    period: str
    title: str
    version: int
    status: str
    questions: list[dict[str, Any]]


class AssessmentPage(BaseModel):
    """A page of questionnaires."""

    items: list[AssessmentRead]
    total: int
    page: int
    page_size: int


class AnswersWrite(BaseModel):
    """A member's answers by question id."""

    model_config = ConfigDict(extra="forbid")

    answers: dict[str, Any] = Field(description="Answer per question id.")


class AnswersRead(BaseModel):
    """A member's stored answers and the needs they state."""

    assessment_id: str
    member_id: str
    answers: dict[str, Any]
    needs: list[dict[str, Any]]
    answered_at: datetime


class KpiWrite(BaseModel):
    """A quarterly KPI survey."""

    model_config = ConfigDict(extra="forbid")

    revenue_band: TurnoverBand
    employees: JsonInt = Field(ge=0, le=1_000_000)
    export_share: Annotated[float, Field(ge=0, le=100), NUMBER] = Field(
        description="Share of revenue from exports, %."
    )
    investment: Amount = Field(description="GEL.")


class KpiRead(BaseModel):
    """A stored KPI survey."""

    member_id: str
    quarter: str
    revenue_band: str
    employees: int
    export_share: float
    investment: str
    submitted_at: datetime


def _read(assessment: Assessment) -> AssessmentRead:
    return AssessmentRead(
        assessment_id=assessment.assessment_id,
        period=assessment.period,
        title=assessment.title,
        version=assessment.version,
        status=assessment.status,
        questions=[asdict(q) for q in assessment.questions],
    )


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
    page: Page = 1,
    page_size: PageSize = 20,
) -> AssessmentPage:
    """Questionnaires, newest period first."""
    query = given(period=period, status=assessment_status)
    items, total = await service.find(query, skip=(page - 1) * page_size, limit=page_size)
    return AssessmentPage(
        items=[_read(a) for a in items], total=total, page=page, page_size=page_size
    )


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
    correlation_id: CorrelationId,
) -> AnswersRead:
    """Store (or replace, until closed) a member's answers; each newly stated need is an event."""
    await service.answer(assessment_id, member_id, body.answers, correlation_id=correlation_id)
    return AnswersRead.model_validate(await service.answers_of(assessment_id, member_id))


@router.get("/assessments/{assessment_id}/answers/{member_id}", summary="A member's answers")
async def get_answers(assessment_id: str, member_id: str, service: Service) -> AnswersRead:
    """The stored answers and the needs they state."""
    return AnswersRead.model_validate(await service.answers_of(assessment_id, member_id))


@router.put("/kpi/{member_id}/{quarter}", summary="Submit a quarterly KPI survey")
async def submit_kpi(
    member_id: str,
    quarter: Quarter,
    body: KpiWrite,
    service: Service,
    correlation_id: CorrelationId,
) -> KpiRead:
    """Store the quarter's KPIs (a resubmission corrects them); emits `kpi.submitted`."""
    stored = await service.submit_kpi(
        member_id, quarter, body.model_dump(), correlation_id=correlation_id
    )
    return KpiRead.model_validate(stored)


@router.get("/kpi", summary="List KPI surveys")
async def list_kpis(
    service: Service,
    member_id: str | None = None,
    quarter: Quarter | None = None,
    page: Page = 1,
    page_size: PageSize = 20,
) -> list[KpiRead]:
    """KPI submissions by member and quarter, latest quarter first."""
    query = given(member_id=member_id, quarter=quarter)
    rows = await service.kpis(query, skip=(page - 1) * page_size, limit=page_size)
    return [KpiRead.model_validate(r) for r in rows]
