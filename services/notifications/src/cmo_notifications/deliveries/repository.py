"""Delivery records, their attempt log, and inbox entries; all written insert-only.

FerretDB 1.24 scans a collection for an update's filter unless it is on `_id` (an
`update_many` of 500 documents by their status takes 2 s at 20,000; unpatched, 15 s), while
an insert of 500 takes 15 ms; so a delivery's record is written once and each change of its
state is a new entry in the delivery log. Its current
state is the record overlaid with its latest log entry (`domain.current_state`).
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from cmo_contracts.ids import new_id
from cmo_shared.metrics import ServiceMetrics
from cmo_shared.mongo import find_by_ids, insert_new
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.collection import AsyncCollection

from .domain import STATE_FIELDS, DeliveryStatus, current_state

DELIVERIES = "deliveries"
DELIVERY_LOG = "delivery_log"
WITHOUT_CONTENT = {"text": 0, "html": 0, "body": 0}
# `$in` costs FerretDB about ten times more per document than equality: chunk long lists.
_IN_CHUNK = 500


class DeliveryRepository:
    """One record per (event, recipient, channel), and a log of what became of it."""

    def __init__(
        self, records: AsyncCollection, log: AsyncCollection, metrics: ServiceMetrics | None = None
    ) -> None:
        self._records = records
        self._log = log
        self._metrics = metrics

    async def ensure_indexes(self) -> None:
        """The unique key that makes a redelivered event send nothing twice."""
        await self._records.create_index(
            [("event_id", ASCENDING), ("recipient_id", ASCENDING), ("channel", ASCENDING)],
            unique=True,
        )
        await self._log.create_index([("delivery_id", ASCENDING), ("at", ASCENDING)])

    async def add_new(self, deliveries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
        """Record deliveries not recorded yet; return the new ones."""
        if not deliveries:
            return []
        inserted = await insert_new(self._records, deliveries)
        if inserted == len(deliveries):
            return list(deliveries)
        if not inserted:
            return []
        stored = {d["_id"] for d in await self._by_ids([d["_id"] for d in deliveries], None)}
        return [d for d in deliveries if d["_id"] in stored]

    async def log(self, entries: Sequence[dict[str, Any]]) -> None:
        """Append state changes (`log_entry`) to the delivery log."""
        await insert_new(self._log, entries)  # a batch tried again skips what got in
        if self._metrics is not None:
            for entry in entries:
                status = entry.get("status", "changed")
                self._metrics.deliveries.labels(entry["channel"], status).inc()

    async def prune(self, older_than: datetime) -> int:
        """Forget deliveries recorded before a time, with their log; return how many records.

        Kept longer than Kafka keeps events (a redelivered event must find its records) and
        than any retry schedule runs; dead ones are no longer replayable after that.
        """
        records = await self._records.delete_many({"created_at": {"$lt": older_than}})
        await self._log.delete_many({"at": {"$lt": older_than}})
        return records.deleted_count

    async def find(
        self,
        query: dict[str, Any],
        *,
        skip: int,
        limit: int,
        status: DeliveryStatus | None = None,
        with_content: bool = False,
    ) -> list[dict[str, Any]]:
        """Deliveries matching a query on their records, newest first, in their current state.

        With `status`, only those whose current state (the records' latest log entry, not
        the status they were recorded with) is that one.
        """
        if status is not None:
            ids = (await self._ids_in_state((status,), query))[::-1][skip : skip + limit]
            return await self._read(ids, with_content)
        cursor = (
            self._records.find(query, None if with_content else WITHOUT_CONTENT)
            .sort("created_at", DESCENDING)
            .skip(skip)
            .limit(limit)
        )
        return await self._overlay(await cursor.to_list(None))

    async def in_state(
        self, status: DeliveryStatus, query: dict[str, Any], *, with_content: bool = False
    ) -> list[dict[str, Any]]:
        """Deliveries matching a query whose current state is `status`, oldest first."""
        return await self._read(await self._ids_in_state((status,), query), with_content)

    async def _ids_in_state(
        self, statuses: Sequence[DeliveryStatus], query: dict[str, Any]
    ) -> list[str]:
        """Ids of the deliveries matching a query, in one of these current states, oldest first.

        Two projected scans (the log's latest state of each delivery, the records' ids), the
        same cost whether a few or nearly all deliveries are in that state; only the ids
        wanted are then read whole.
        """
        log_query = {("delivery_id" if k == "_id" else k): v for k, v in query.items()}
        fields = {"_id": 0, "delivery_id": 1, "at": 1, **{f: 1 for f in STATE_FIELDS}}
        latest: dict[str, dict[str, Any]] = {}
        async for entry in self._log.find(log_query, fields):
            known = latest.get(entry["delivery_id"])
            if known is None or entry["at"] >= known["at"]:
                latest[entry["delivery_id"]] = entry
        wanted = {status.value for status in statuses}
        matching: list[dict[str, Any]] = []
        async for record in self._records.find(query, {"_id": 1, "created_at": 1, "status": 1}):
            entry = latest.get(record["_id"])
            if current_state(record, [entry] if entry else [])["status"] in wanted:
                matching.append(record)
        return [r["_id"] for r in sorted(matching, key=lambda r: r["created_at"])]

    async def _read(self, ids: list[str], with_content: bool) -> list[dict[str, Any]]:
        """The deliveries with these ids, in this order, in their current state."""
        projection = None if with_content else WITHOUT_CONTENT
        found = {d["_id"]: d for d in await self._overlay(await self._by_ids(ids, projection))}
        return [found[i] for i in ids if i in found]

    async def unfinished(self) -> list[dict[str, Any]]:
        """Every delivery still to be attempted (pending or retrying), oldest first."""
        due = (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
        return await self._read(await self._ids_in_state(due, {}), with_content=True)

    async def _by_ids(
        self, ids: list[str], projection: dict[str, int] | None
    ) -> list[dict[str, Any]]:
        return [d async for d in find_by_ids(self._records, ids, projection)]

    async def _overlay(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records in their current state, from their log entries."""
        entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for chunk in _chunks([r["_id"] for r in records]):
            selector = (
                {"delivery_id": chunk[0]} if len(chunk) == 1 else {"delivery_id": {"$in": chunk}}
            )
            async for entry in self._log.find(selector):
                entries[entry["delivery_id"]].append(entry)
        return [current_state(r, entries.get(r["_id"], [])) for r in records]


def log_entry(delivery: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """A delivery log entry: the delivery's new state, with what identifies the delivery."""
    return {
        "_id": new_id(),
        "delivery_id": delivery["_id"],
        "event_id": delivery["event_id"],
        "recipient_id": delivery["recipient_id"],
        "channel": delivery["channel"],
        "at": datetime.now(UTC),
        **changes,
    }


def _chunks(ids: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(ids), _IN_CHUNK):
        yield ids[start : start + _IN_CHUNK]
