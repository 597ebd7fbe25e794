"""The record of members' use of the common services, counted from the services' events."""

from dataclasses import asdict
from typing import Any

from cmo_shared.consumer import Handler
from cmo_shared.events import Envelope
from cmo_shared.mongo import insert_new
from pymongo import ASCENDING
from pymongo.asynchronous.collection import AsyncCollection

from .usage import RULES, use_of

USAGE = "service_usage"


class UsageService:
    """Counts each member's uses of each catalogue entry, once per use however often told."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def ensure_indexes(self) -> None:
        """Reports group a year's uses by member and service."""
        await self._collection.create_index([("year", ASCENDING), ("member_id", ASCENDING)])

    def handlers(self) -> dict[str, Handler]:
        """A handler for every event type that counts as a use."""
        return dict.fromkeys(RULES, self.record)

    async def record(self, event: Envelope[Any]) -> None:
        """Store the use an event records; a use already stored is kept as it is."""
        use = use_of(event.type, event.payload.model_dump(), event.occurred_at)
        if use is None:
            return
        document = asdict(use)
        document["_id"] = document.pop("use_id")
        await insert_new(self._collection, [document])

    async def report(
        self, year: int, *, member_id: str | None, slug: str | None
    ) -> list[dict[str, Any]]:
        """Uses per member and service in a year, with the last use."""
        match: dict[str, Any] = {"year": year}
        if member_id is not None:
            match["member_id"] = member_id
        if slug is not None:
            match["slug"] = slug
        # Tallied here: FerretDB 1.24's $group has $sum but neither $max nor $last.
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        projection = {"_id": 0, "member_id": 1, "slug": 1, "used_at": 1}
        async for use in self._collection.find(match, projection):
            row = rows.setdefault(
                (use["member_id"], use["slug"]), {**use, "uses": 0, "last_used_at": use["used_at"]}
            )
            row["uses"] += 1
            row["last_used_at"] = max(row["last_used_at"], use["used_at"])
        return [rows[key] for key in sorted(rows)]
