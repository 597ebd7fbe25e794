"""Request and response bodies of the consultations API."""

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from cmo_contracts.advocacy import QuestionTally
from cmo_shared.http import IsoDateTime, Page
from cmo_shared.text import text
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..vocabulary import Body, Sectors, Title
from .domain import QuestionKind, Status, Weighting

QuestionId = Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,40}$", description="e.g. `q1`.")]


class QuestionWrite(BaseModel):
    """A question: yes/no/abstain, a choice among options, or a free text."""

    model_config = ConfigDict(extra="forbid")

    question_id: QuestionId
    kind: QuestionKind
    text: Title
    options: list[text(100)] = Field(
        default_factory=list, max_length=20, description="The choices of a `choice` question."
    )

    @model_validator(mode="after")
    def _options_fit(self) -> "QuestionWrite":
        if (self.kind is QuestionKind.CHOICE) != bool(self.options):
            raise ValueError("options are given for choice questions, and only for them")
        if "abstain" in self.options:
            raise ValueError("`abstain` is always allowed; it is not an option")
        return self


class ConsultationWrite(BaseModel):
    """A consultation to open now."""

    model_config = ConfigDict(extra="forbid")

    title: Title
    initiative_id: text(100) | None = None
    topic_id: text(100) | None = None
    sectors: Sectors = Field(
        default_factory=list, max_length=30, description="NACE prefixes; the initiative's if empty."
    )
    questions: list[QuestionWrite] = Field(min_length=1, max_length=50)
    quorum: float = Field(
        0.5,
        ge=0,
        le=1,
        description="Share of the electorate that must respond (abstaining counts).",
    )
    secret: bool = Field(False, description="Keep who responded apart from what they answered.")
    weighting: Weighting = Field(
        Weighting.EQUAL, description="`size_tier`: micro 1, small 2, medium 3, large 4."
    )
    closes_at: IsoDateTime

    @model_validator(mode="after")
    def _questions_unique(self) -> "ConsultationWrite":
        ids = [q.question_id for q in self.questions]
        if len(set(ids)) != len(ids):
            raise ValueError("question ids must be unique")
        return self


class ResponseWrite(BaseModel):
    """A member company's response; a new one replaces its earlier one."""

    model_config = ConfigDict(extra="forbid")

    member_id: text(100)
    answers: dict[QuestionId, text(5000)] = Field(
        min_length=1, max_length=50, description="Answer per question id; `abstain` to abstain."
    )


class ResponseReceipt(BaseModel):
    """What was filed."""

    consultation_id: str
    member_id: str
    replaced: bool = Field(description="Whether it replaced the company's earlier response.")


class QuestionRead(BaseModel):
    """A question."""

    model_config = ConfigDict(from_attributes=True)

    question_id: str
    kind: QuestionKind
    text: dict[str, str]
    options: list[str]


class ConsultationRead(BaseModel):
    """A consultation; its tally once closed."""

    model_config = ConfigDict(from_attributes=True)

    consultation_id: str
    title: dict[str, str]
    initiative_id: str | None
    topic_id: str | None
    sectors: list[str]
    questions: list[QuestionRead]
    electorate_size: int
    quorum: float
    secret: bool
    weighting: Weighting
    closes_at: datetime
    status: Status
    closed_at: datetime | None
    responded: int
    turnout: float
    quorum_reached: bool | None
    tally: list[QuestionTally] | None
    position_id: str | None
    created_at: datetime


class ConsultationPage(Page[ConsultationRead]):
    """A page of consultations."""


class BallotRead(BaseModel):
    """One filed response; `member_id` is none in secret mode."""

    member_id: str | None
    weight: Decimal
    answers: dict[str, str]


class TurnoutRead(BaseModel):
    """Who responded, when first and last (never what)."""

    member_id: str
    first_at: datetime
    last_at: datetime | None


class PositionWrite(BaseModel):
    """A position to adopt, from a closed consultation or on its own."""

    model_config = ConfigDict(extra="forbid")

    consultation_id: text(100) | None = None
    initiative_id: text(100) | None = None
    topic_id: text(100) | None = None
    title: Title
    text: Body
    sectors: Sectors = Field(
        default_factory=list,
        max_length=30,
        description="NACE prefixes; the consultation's if empty.",
    )


class PositionRead(BaseModel):
    """An adopted position."""

    model_config = ConfigDict(from_attributes=True)

    position_id: str
    consultation_id: str | None
    initiative_id: str | None
    topic_id: str | None
    title: dict[str, str]
    text: dict[str, str]
    sectors: list[str]
    adopted_at: datetime
    adopted_by: str


class PositionPage(Page[PositionRead]):
    """A page of positions."""
