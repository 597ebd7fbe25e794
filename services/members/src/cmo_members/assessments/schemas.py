"""Request and response bodies of the needs assessments API."""

from datetime import datetime
from typing import Annotated, Any, Literal

from cmo_shared.http import Page
from cmo_shared.text import text
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

Period = Annotated[str, StringConstraints(pattern=r"^\d{4}(-(H[12]|Q[1-4]))?$")]
Text = text(500)
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


class AssessmentPage(Page[AssessmentRead]):
    """A page of questionnaires."""
