"""Consultations, their ballots and tallies, and adopted positions: pure rules.

A consultation goes `open -> closed -> position_adopted`. Its electorate is fixed when it
opens: the member companies in good standing of the affected sectors, each with a weight
(1, or by size tier). Each company has one ballot: a new response replaces its earlier one.
In secret mode a ballot is filed under a code derived from the company with a key only the
service holds, and who responded is kept in a separate record, so the ballots say nothing of
whose they are. Abstentions count as taking part (toward the quorum) but not for an option.
"""

import hashlib
import hmac
from dataclasses import asdict, dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from cmo_contracts.advocacy import (
    ConsultationClosed,
    ConsultationOpened,
    PositionAdopted,
    QuestionTally,
)
from cmo_shared.errors import Conflict, Forbidden, Invalid

from ..standing.domain import MemberFacts, size_band

ABSTAIN = "abstain"
YES_NO = ("yes", "no")
SIZE_WEIGHTS = {"micro": Decimal(1), "small": Decimal(2), "medium": Decimal(3), "large": Decimal(4)}


class Status(StrEnum):
    """`open -> closed -> position_adopted`."""

    OPEN = "open"
    CLOSED = "closed"
    POSITION_ADOPTED = "position_adopted"


class QuestionKind(StrEnum):
    """What a question asks for."""

    YES_NO_ABSTAIN = "yes_no_abstain"
    CHOICE = "choice"
    TEXT = "text"


class Weighting(StrEnum):
    """How much each company's ballot counts."""

    EQUAL = "equal"
    SIZE_TIER = "size_tier"


class ConsultationConflict(Conflict):
    """The consultation cannot do that in its status."""

    code = "consultation_state_conflict"


class NotInElectorate(Forbidden):
    """The company is not among those consulted."""

    code = "not_in_electorate"


class InvalidAnswer(Invalid):
    """An answer the question does not allow."""

    code = "invalid_answer"


@dataclass
class QuestionCount:
    """The counted answers to one question: weighted counts as exact decimal strings."""

    question_id: str
    kind: str
    counts: dict[str, str]
    abstentions: str
    answered: int


@dataclass
class Question:
    """One question of a consultation."""

    question_id: str
    kind: QuestionKind
    text: dict[str, str]
    options: list[str] = field(default_factory=list)

    def check(self, answer: str, index: str) -> None:
        """Refuse an answer this question does not allow."""
        if answer == ABSTAIN or self.kind is QuestionKind.TEXT:
            return
        allowed = YES_NO if self.kind is QuestionKind.YES_NO_ABSTAIN else self.options
        if answer not in allowed:
            raise InvalidAnswer(
                f"{self.question_id} takes one of {[*allowed, ABSTAIN]}", field=index
            )


@dataclass
class Voter:
    """A company of the electorate and its weight."""

    member_id: str
    weight: Decimal


@dataclass
class Ballot:
    """One company's answers, filed under its ballot key."""

    key: str
    weight: Decimal
    answers: dict[str, str]
    member_id: str | None
    """None in secret mode."""


def electorate(members: list[MemberFacts], weighting: Weighting) -> list[Voter]:
    """The voters of a consultation from the members in good standing of its sectors."""
    return [
        Voter(
            m.member_id,
            SIZE_WEIGHTS[size_band(m.employees)]
            if weighting is Weighting.SIZE_TIER
            else Decimal(1),
        )
        for m in members
    ]


def ballot_key(secret: str, consultation_id: str, member_id: str, *, secret_mode: bool) -> str:
    """Where a company's ballot is filed: its id, or in secret mode a keyed code of it."""
    if not secret_mode:
        return member_id
    message = f"{consultation_id}:{member_id}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass
class Consultation:
    """A consultation of member companies."""

    consultation_id: str
    title: dict[str, str]
    sectors: list[str]
    questions: list[Question]
    electorate: list[Voter]
    quorum: float
    secret: bool
    weighting: Weighting
    closes_at: datetime
    created_at: datetime
    initiative_id: str | None = None
    topic_id: str | None = None
    status: Status = Status.OPEN
    closed_at: datetime | None = None
    tally: list[QuestionCount] | None = None
    responded: int = 0
    position_id: str | None = None

    def opened(self) -> ConsultationOpened:
        """The event telling the electorate; it must close later than it opens."""
        if self.closes_at <= self.created_at:
            raise Invalid("a consultation closes in the future", field="closes_at")
        return ConsultationOpened(
            consultation_id=self.consultation_id,
            title=self.title,
            initiative_id=self.initiative_id,
            topic_id=self.topic_id,
            sectors=self.sectors,
            electorate=len(self.electorate),
            quorum=self.quorum,
            secret=self.secret,
            closes_at=self.closes_at,
        )

    def voter(self, member_id: str) -> Voter:
        """The company's place in the electorate; `NotInElectorate` if it has none."""
        found = next((v for v in self.electorate if v.member_id == member_id), None)
        if found is None:
            raise NotInElectorate(
                f"member {member_id} is not consulted in {self.consultation_id}",
                field="member_id",
            )
        return found

    def ballot(self, member_id: str, answers: dict[str, str], key: str) -> Ballot:
        """A company's ballot, checked against the questions; only while open."""
        if self.status is not Status.OPEN:
            raise ConsultationConflict(f"the consultation is {self.status}", field="answers")
        voter = self.voter(member_id)
        questions = {q.question_id: q for q in self.questions}
        for question_id, answer in answers.items():
            question = questions.get(question_id)
            if question is None:
                raise InvalidAnswer(f"no question {question_id}", field=f"answers.{question_id}")
            question.check(answer, f"answers.{question_id}")
        return Ballot(key, voter.weight, answers, None if self.secret else member_id)

    def close(self, ballots: list[Ballot], now: datetime) -> ConsultationClosed:
        """Count the ballots; emits `consultation.closed` with the tally."""
        if self.status is not Status.OPEN:
            raise ConsultationConflict(f"the consultation is {self.status} already")
        self.status, self.closed_at = Status.CLOSED, now
        self.tally = tally(self.questions, ballots)
        self.responded = len(ballots)
        return ConsultationClosed(
            consultation_id=self.consultation_id,
            title=self.title,
            electorate=len(self.electorate),
            responded=self.responded,
            turnout=self.turnout,
            quorum=self.quorum,
            quorum_reached=self.quorum_reached,
            tally=[QuestionTally(**asdict(count)) for count in self.tally],
        )

    @property
    def turnout(self) -> float:
        """Share of the electorate that responded."""
        return round(self.responded / len(self.electorate), 4) if self.electorate else 0.0

    @property
    def quorum_reached(self) -> bool:
        """Whether enough of the electorate responded."""
        return bool(self.electorate) and self.responded >= self.quorum * len(self.electorate)

    def adopt(self, position_id: str) -> None:
        """A position was adopted from this closed consultation."""
        if self.status is not Status.CLOSED:
            raise ConsultationConflict(
                f"a position is adopted from a closed consultation; this one is {self.status}",
                field="consultation_id",
            )
        self.status, self.position_id = Status.POSITION_ADOPTED, position_id


def tally(questions: list[Question], ballots: list[Ballot]) -> list[QuestionCount]:
    """Weighted counts per option, abstentions and answers, per question."""
    result = []
    for question in questions:
        options = list(YES_NO) if question.kind is QuestionKind.YES_NO_ABSTAIN else question.options
        counts = dict.fromkeys(options, Decimal(0))
        abstentions, answered = Decimal(0), 0
        for ballot in ballots:
            answer = ballot.answers.get(question.question_id)
            if answer is None:
                continue
            answered += 1
            if answer == ABSTAIN:
                abstentions += ballot.weight
            elif question.kind is not QuestionKind.TEXT:
                counts[answer] += ballot.weight
        result.append(
            QuestionCount(
                question_id=question.question_id,
                kind=question.kind.value,
                counts={k: str(v) for k, v in counts.items()}
                if question.kind is not QuestionKind.TEXT
                else {},
                abstentions=str(abstentions),
                answered=answered,
            )
        )
    return result


@dataclass
class Position:
    """A position the CMO adopted."""

    position_id: str
    title: dict[str, str]
    text: dict[str, str]
    sectors: list[str]
    adopted_at: datetime
    adopted_by: str
    consultation_id: str | None = None
    initiative_id: str | None = None
    topic_id: str | None = None

    def adopted(self) -> PositionAdopted:
        """The event that sends it to the members it concerns."""
        return PositionAdopted(
            position_id=self.position_id,
            consultation_id=self.consultation_id,
            initiative_id=self.initiative_id,
            topic_id=self.topic_id,
            title=self.title,
            text=self.text,
            sectors=self.sectors,
        )
