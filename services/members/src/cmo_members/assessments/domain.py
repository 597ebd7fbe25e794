"""Needs assessments: versioned questionnaires whose answers state needs. Pure rules, no I/O."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from cmo_contracts.members import NeedIdentified, NeedKind
from cmo_shared.errors import Conflict, Invalid

QuestionType = Literal["choice", "multi_choice", "number", "text"]


class InvalidAnswer(Invalid):
    """An answer does not fit its question."""

    code = "invalid_answer"


class AssessmentClosed(Conflict):
    """The assessment's period is closed; answers can no longer change."""

    code = "assessment_closed"


@dataclass(frozen=True)
class NeedRule:
    """How a question's answer states a need."""

    kind: NeedKind
    category: str | None = None  # None: each chosen option is the category
    unit: str | None = None


@dataclass(frozen=True)
class Question:
    """One question of a questionnaire."""

    question_id: str
    type: QuestionType
    text: str
    options: tuple[str, ...] = ()
    required: bool = False
    need: NeedRule | None = None


@dataclass
class Assessment:
    """A questionnaire for one period; members answer it once (replacing until it closes)."""

    assessment_id: str
    period: str
    title: str
    version: int
    questions: list[Question]
    status: Literal["open", "closed"] = "open"
    created_by: str = ""

    def question(self, question_id: str) -> Question:
        """A question by id."""
        for question in self.questions:
            if question.question_id == question_id:
                return question
        raise InvalidAnswer(f"no question {question_id}", field=f"answers.{question_id}")

    def validate(self, answers: dict[str, Any]) -> None:
        """Check every answer against its question; refuse unknown and missing required ones."""
        if self.status == "closed":
            raise AssessmentClosed(f"assessment {self.assessment_id} is closed", field="status")
        for question_id, value in answers.items():
            _check(self.question(question_id), value)
        for question in self.questions:
            if question.required and question.question_id not in answers:
                raise InvalidAnswer(
                    "this question must be answered", field=f"answers.{question.question_id}"
                )

    def needs(self, member_id: str, answers: dict[str, Any]) -> list[NeedIdentified]:
        """The needs the answers state."""
        found = []
        for question_id, value in answers.items():
            question = self.question(question_id)
            rule = question.need
            if rule is None:
                continue
            base = {
                "member_id": member_id,
                "assessment_id": self.assessment_id,
                "period": self.period,
                "question_id": question_id,
                "kind": rule.kind,
                "unit": rule.unit,
            }
            if question.type == "number" and value > 0:
                found.append(NeedIdentified(**base, category=rule.category or "", quantity=value))
            elif question.type in ("choice", "multi_choice"):
                chosen = [value] if question.type == "choice" else value
                found += [
                    NeedIdentified(**base, category=rule.category or option) for option in chosen
                ]
            elif question.type == "text" and value.strip():
                found.append(NeedIdentified(**base, category=rule.category or value.strip()))
        return found


def _check(question: Question, value: Any) -> None:
    where = f"answers.{question.question_id}"
    match question.type:
        case "number":
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise InvalidAnswer("a non-negative number is expected", field=where)
        case "text":
            if not isinstance(value, str) or len(value) > 5000:
                raise InvalidAnswer("text of at most 5000 characters is expected", field=where)
        case "choice":
            if value not in question.options:
                raise InvalidAnswer(f"one of {list(question.options)} is expected", field=where)
        case "multi_choice":
            if not isinstance(value, list) or not set(value) <= set(question.options):
                raise InvalidAnswer(
                    f"a list from {list(question.options)} is expected", field=where
                )
            if len(set(value)) != len(value):
                raise InvalidAnswer("options repeat", field=where)


def new_needs(
    previous: list[NeedIdentified], current: list[NeedIdentified]
) -> list[NeedIdentified]:
    """Needs of a replacement answer that the previous answer did not already state."""

    def key(need: NeedIdentified) -> tuple[Any, ...]:
        return (need.question_id, need.kind, need.category, need.quantity)

    stated = {key(n) for n in previous}
    return [n for n in current if key(n) not in stated]


@dataclass
class AnswerSheet:
    """One member's answers to one questionnaire, and the needs they state."""

    assessment_id: str
    member_id: str
    answers: dict[str, Any] = field(default_factory=dict)
    needs: list[dict[str, Any]] = field(default_factory=list)
    answered_at: datetime | None = None

    @property
    def sheet_id(self) -> str:
        """`<assessment id>:<member id>`."""
        return f"{self.assessment_id}:{self.member_id}"

    def replace(
        self, answers: dict[str, Any], needs: list[NeedIdentified], at: datetime
    ) -> list[NeedIdentified]:
        """Take new answers; return the needs the earlier answers did not already state."""
        stated = [NeedIdentified(**n) for n in self.needs]
        self.answers, self.needs, self.answered_at = answers, [n.model_dump() for n in needs], at
        return new_needs(stated, needs)
