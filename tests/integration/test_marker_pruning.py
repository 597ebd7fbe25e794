"""Idempotency markers older than Kafka's retention are pruned; recent ones stay."""

import uuid
from datetime import UTC, datetime, timedelta

from cmo_shared.idempotency import ProcessedEvents, marker_id
from pymongo import AsyncMongoClient

from tests.conftest import Infra


async def test_markers_older_than_the_retention_are_forgotten(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    db = mongo[f"{infra.db_prefix}_markers{uuid.uuid4().hex[:6]}"]
    processed = ProcessedEvents(db)
    await processed.ensure_indexes()
    recent, old = str(uuid.uuid4()), str(uuid.uuid4())
    await processed.record("c", [recent])
    await db["processed_events"].insert_one(
        {
            "_id": marker_id("c", old),
            "consumer": "c",
            "event_id": old,
            "applied_at": datetime.now(UTC) - timedelta(days=8),
        }
    )
    assert await processed.seen_among("c", [recent, old]) == {recent, old}
    assert await processed.prune(datetime.now(UTC) - timedelta(days=7)) == 1
    assert await processed.seen_among("c", [recent, old]) == {recent}
    await mongo.drop_database(db.name)
