"""Storage of funding calls: the protocol the use cases need and its MongoDB adapter."""

from contextlib import AbstractAsyncContextManager
from dataclasses import asdict, fields
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from cmo_shared.store import AggregateStore, Change
from pymongo import ASCENDING, IndexModel

from ..matching.domain import Criteria
from .domain import CallStatus, FundingCall, criteria_dict


class CallRepository(Protocol):
    """Funding calls."""

    async def add(self, call: FundingCall) -> None:
        """Store a new draft."""
        ...

    async def get(self, call_id: str) -> FundingCall:
        """One call, or `NotFound`."""
        ...

    def changing(self, call_id: str) -> AbstractAsyncContextManager[Change[FundingCall]]:
        """A call loaded for a change, saved with its events on success."""
        ...

    async def search(
        self,
        *,
        statuses: list[CallStatus] | None = None,
        instrument: str | None = None,
        funder_kind: str | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[FundingCall], int]:
        """Calls matching the filters, closing soonest first, and their total."""
        ...


def call_document(call: FundingCall) -> dict[str, Any]:
    """A call as stored and shown: dates as ISO strings, amounts as exact decimal strings."""
    document = asdict(call)
    document["_id"] = document.pop("call_id")
    document["criteria"] = criteria_dict(call)
    for name in ("opens_on", "closes_on"):
        document[name] = document[name].isoformat()
    for name in ("amount_min", "amount_max"):
        document[name] = None if document[name] is None else str(document[name])
    return document


class MongoCalls(AggregateStore[FundingCall]):
    """Calls in the `calls` collection."""

    collection_name = "calls"
    noun = "funding call"
    key_field = "call_id"
    indexes = [IndexModel([("status", ASCENDING), ("closes_on", ASCENDING)])]

    def to_document(self, item: FundingCall) -> dict[str, Any]:
        """The call as stored."""
        return call_document(item)

    def from_document(self, document: dict[str, Any]) -> FundingCall:
        """The call a stored document holds."""
        values = {f.name: document[f.name] for f in fields(FundingCall) if f.name in document}
        values["call_id"] = document["_id"]
        values["status"] = CallStatus(document["status"])
        values["criteria"] = Criteria.from_dict(document["criteria"])
        for name in ("opens_on", "closes_on"):
            values[name] = date.fromisoformat(document[name])
        for name in ("amount_min", "amount_max"):
            values[name] = None if document[name] is None else Decimal(document[name])
        return FundingCall(**values)

    async def search(
        self,
        *,
        statuses: list[CallStatus] | None = None,
        instrument: str | None = None,
        funder_kind: str | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[FundingCall], int]:
        """Calls matching the filters, closing soonest first, and their total."""
        query: dict[str, Any] = {}
        if statuses:
            values = sorted({s.value for s in statuses})
            query["status"] = values[0] if len(values) == 1 else {"$in": values}
        if instrument is not None:
            query["instrument"] = instrument
        if funder_kind is not None:
            query["funder_kind"] = funder_kind
        return await self.page(
            query,
            sort=[("closes_on", ASCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
