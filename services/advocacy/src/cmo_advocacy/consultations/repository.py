"""Storage of consultations, their ballots and who responded, and of positions."""

from contextlib import AbstractAsyncContextManager
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from cmo_shared.http import given
from cmo_shared.mongo import insert_new
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection

from .domain import Ballot, Consultation, Position, Status


class ConsultationRepository(Protocol):
    """Consultations."""

    async def add(self, consultation: Consultation, events: list[Event]) -> None:
        """Store a new consultation with its event."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Consultation:
        """One consultation, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Consultation]]:
        """A consultation loaded for a change, saved with its events on success."""
        ...

    async def search(
        self, *, status: Status | None, member_id: str | None, page: int, page_size: int
    ) -> tuple[list[Consultation], int]:
        """Consultations, newest first (those a member is consulted in), and their total."""
        ...

    async def due(self, now: datetime) -> list[Consultation]:
        """Open consultations whose closing time has passed."""
        ...


class BallotBox(Protocol):
    """The ballots of every consultation, and separately who responded when."""

    async def put(
        self, consultation_id: str, ballot: Ballot, member_id: str, now: datetime
    ) -> bool:
        """File a ballot, replacing the company's earlier one; True if it is the first."""
        ...

    async def ballots(self, consultation_id: str) -> list[Ballot]:
        """Every ballot of a consultation."""
        ...

    async def ballot(self, consultation_id: str, key: str) -> Ballot | None:
        """One ballot by its key, if filed."""
        ...

    async def participation(self, consultation_id: str) -> list[dict[str, Any]]:
        """Who responded and when (never what)."""
        ...


class PositionRepository(Protocol):
    """Adopted positions."""

    async def add(self, position: Position, events: list[Event]) -> None:
        """Store a new position with its event; `Duplicate` if its id is taken."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Position:
        """One position, or `NotFound`."""
        ...

    async def search(self, *, page: int, page_size: int) -> tuple[list[Position], int]:
        """Positions, newest first, and their total."""
        ...


class MongoConsultations(DataclassStore[Consultation]):
    """Consultations in the `consultations` collection."""

    collection_name = "consultations"
    noun = "consultation"
    item_type = Consultation
    key_attribute = "consultation_id"
    indexes = [
        IndexModel([("status", ASCENDING)]),
        IndexModel([("electorate.member_id", ASCENDING)]),
    ]

    async def search(
        self, *, status: Status | None, member_id: str | None, page: int, page_size: int
    ) -> tuple[list[Consultation], int]:
        """Consultations, newest first (those a member is consulted in), and their total."""
        return await self.page(
            given(status=status, **{"electorate.member_id": member_id}),
            sort=[("created_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )

    async def due(self, now: datetime) -> list[Consultation]:
        """Open consultations whose closing time has passed."""
        return await self.find({"status": Status.OPEN.value, "closes_at": {"$lte": now}})


class MongoBallotBox:
    """Ballots in `ballots` (`_id` `<consultation>:<ballot key>`), who responded in `turnout`.

    The two are written apart: in secret mode a ballot carries no company, and the turnout
    record no answer.
    """

    ballots_name = "ballots"
    turnout_name = "turnout"
    indexes = [IndexModel([("consultation_id", ASCENDING)])]

    def __init__(self, ballots: AsyncCollection, turnout: AsyncCollection) -> None:
        self._ballots = ballots
        self._turnout = turnout

    async def put(
        self, consultation_id: str, ballot: Ballot, member_id: str, now: datetime
    ) -> bool:
        """File a ballot, replacing the company's earlier one; True if it is the first."""
        document = {
            "_id": f"{consultation_id}:{ballot.key}",
            "consultation_id": consultation_id,
            "key": ballot.key,
            "weight": str(ballot.weight),
            "answers": ballot.answers,
            "member_id": ballot.member_id,
        }
        first = bool(await insert_new(self._ballots, [document]))
        if not first:
            await self._ballots.replace_one({"_id": document["_id"]}, document)
        record = {
            "_id": f"{consultation_id}:{member_id}",
            "consultation_id": consultation_id,
            "member_id": member_id,
            "first_at": now,
        }
        if not await insert_new(self._turnout, [record]):
            await self._turnout.update_one({"_id": record["_id"]}, {"$set": {"last_at": now}})
        return first

    async def ballots(self, consultation_id: str) -> list[Ballot]:
        """Every ballot of a consultation."""
        cursor = self._ballots.find({"consultation_id": consultation_id})
        return [_ballot(d) async for d in cursor]

    async def ballot(self, consultation_id: str, key: str) -> Ballot | None:
        """One ballot by its key, if filed."""
        document = await self._ballots.find_one({"_id": f"{consultation_id}:{key}"})
        return None if document is None else _ballot(document)

    async def participation(self, consultation_id: str) -> list[dict[str, Any]]:
        """Who responded and when (never what)."""
        cursor = self._turnout.find({"consultation_id": consultation_id}).sort(
            "first_at", ASCENDING
        )
        return [
            {"member_id": d["member_id"], "first_at": d["first_at"], "last_at": d.get("last_at")}
            async for d in cursor
        ]


def _ballot(document: dict[str, Any]) -> Ballot:
    return Ballot(
        document["key"], Decimal(document["weight"]), document["answers"], document["member_id"]
    )


class MongoPositions(DataclassStore[Position]):
    """Positions in the `positions` collection."""

    collection_name = "positions"
    noun = "position"
    item_type = Position
    key_attribute = "position_id"

    async def search(self, *, page: int, page_size: int) -> tuple[list[Position], int]:
        """Positions, newest first, and their total."""
        return await self.page(
            {},
            sort=[("adopted_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
