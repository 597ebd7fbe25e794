"""Consultation use cases: open, respond, close and tally, adopt a position."""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cmo_contracts import derived_event_id
from cmo_shared.store import Duplicate

from ..legislation.repository import InitiativeRepository
from ..standing.service import Standing
from .domain import (
    Ballot,
    Consultation,
    ConsultationConflict,
    Position,
    Question,
    Status,
    ballot_key,
    electorate,
)
from .repository import BallotBox, ConsultationRepository, PositionRepository


@dataclass
class ConsultationService:
    """Member consultations and the positions adopted from them."""

    consultations: ConsultationRepository
    ballots: BallotBox
    positions: PositionRepository
    initiatives: InitiativeRepository
    standing: Standing
    ballot_secret: str

    async def open(self, fields: dict[str, Any], questions: list[Question]) -> Consultation:
        """Open a consultation of the members in good standing of the affected sectors.

        The sectors are the initiative's unless given; emits `consultation.opened`.
        """
        sectors = fields.pop("sectors", None)
        if not sectors and fields.get("initiative_id"):
            initiative = await self.initiatives.get(fields["initiative_id"], field="initiative_id")
            sectors = initiative.sectors
        weighting = fields.pop("weighting")
        voters = electorate(await self.standing.electorate(sectors or []), weighting)
        consultation = Consultation(
            str(uuid.uuid4()),
            sectors=sectors or [],
            questions=questions,
            electorate=voters,
            weighting=weighting,
            created_at=datetime.now(UTC),
            **fields,
        )
        await self.consultations.add(consultation, [consultation.opened()])
        return consultation

    async def respond(self, consultation_id: str, member_id: str, answers: dict[str, str]) -> bool:
        """File a company's response (replacing its earlier one); True if it is its first."""
        await self.standing.admit(member_id)
        consultation = await self.consultations.get(consultation_id)
        key = self._key(consultation, member_id)
        ballot = consultation.ballot(member_id, answers, key)
        return await self.ballots.put(consultation_id, ballot, member_id, datetime.now(UTC))

    async def own_ballot(self, consultation_id: str, member_id: str) -> Ballot | None:
        """A company's own response, if it gave one."""
        consultation = await self.consultations.get(consultation_id)
        consultation.voter(member_id)
        return await self.ballots.ballot(consultation_id, self._key(consultation, member_id))

    def _key(self, consultation: Consultation, member_id: str) -> str:
        return ballot_key(
            self.ballot_secret,
            consultation.consultation_id,
            member_id,
            secret_mode=consultation.secret,
        )

    async def close(self, consultation_id: str) -> Consultation:
        """Close and tally; emits `consultation.closed`."""
        ballots = await self.ballots.ballots(consultation_id)
        async with self.consultations.changing(consultation_id) as change:
            change.record(change.item.close(ballots, datetime.now(UTC)))
        return change.item

    async def close_due(self) -> str:
        """Close every open consultation whose closing time has passed."""
        due = await self.consultations.due(datetime.now(UTC))
        for consultation in due:
            await self.close(consultation.consultation_id)
        return f"{len(due)} consultations closed"

    async def adopt(self, fields: dict[str, Any], *, actor: str) -> Position:
        """Adopt a position, from a closed consultation or on its own; emits `position.adopted`.

        From a consultation its id derives from the consultation's, so adopting twice (a
        retried request) keeps one position.
        """
        consultation_id = fields.get("consultation_id")
        position_id = str(uuid.uuid4())
        if consultation_id:
            consultation = await self.consultations.get(consultation_id, field="consultation_id")
            position_id = str(derived_event_id("position", consultation_id))
            if consultation.status is Status.OPEN:
                raise ConsultationConflict(
                    "a position is adopted once the consultation is closed",
                    field="consultation_id",
                )
            fields["initiative_id"] = fields.get("initiative_id") or consultation.initiative_id
            fields["topic_id"] = fields.get("topic_id") or consultation.topic_id
            if not fields.get("sectors"):
                fields["sectors"] = consultation.sectors
        fields["sectors"] = fields.get("sectors") or []
        position = Position(position_id, adopted_at=datetime.now(UTC), adopted_by=actor, **fields)
        try:
            await self.positions.add(position, [position.adopted()])
        except Duplicate:
            position = await self.positions.get(position_id)
        if consultation_id:
            async with self.consultations.changing(consultation_id) as change:
                if change.item.status is Status.CLOSED:
                    change.item.adopt(position_id)
        return position

    async def get(self, consultation_id: str) -> Consultation:
        """One consultation, or `NotFound`."""
        return await self.consultations.get(consultation_id)

    async def search(
        self, *, status: Status | None, member_id: str | None, page: int, page_size: int
    ) -> tuple[list[Consultation], int]:
        """Consultations, newest first."""
        return await self.consultations.search(
            status=status, member_id=member_id, page=page, page_size=page_size
        )

    async def participation(self, consultation_id: str) -> list[dict[str, Any]]:
        """Who responded and when."""
        await self.consultations.get(consultation_id)
        return await self.ballots.participation(consultation_id)

    async def answers(self, consultation_id: str) -> list[Ballot]:
        """Every ballot (in secret mode without whose it is)."""
        await self.consultations.get(consultation_id)
        return await self.ballots.ballots(consultation_id)

    async def position(self, position_id: str) -> Position:
        """One position, or `NotFound`."""
        return await self.positions.get(position_id)

    async def list_positions(self, *, page: int, page_size: int) -> tuple[list[Position], int]:
        """Positions, newest first."""
        return await self.positions.search(page=page, page_size=page_size)
