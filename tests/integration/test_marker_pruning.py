"""The record of applied events on a real database: sightings, markers, pruning, upgrade."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from cmo_shared.idempotency import ProcessedEvents, marker_id
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.conftest import Infra


@pytest.fixture
async def db(infra: Infra, mongo: AsyncMongoClient) -> AsyncIterator[AsyncDatabase]:
    """A database of the test's own, dropped after it."""
    database = mongo[f"{infra.db_prefix}_markers{uuid.uuid4().hex[:6]}"]
    yield database
    await mongo.drop_database(database.name)


def _old_marker(event_id: str, days: int) -> dict:
    return {
        "_id": marker_id("c", event_id),
        "consumer": "c",
        "event_id": event_id,
        "applied_at": datetime.now(UTC) - timedelta(days=days),
    }


async def test_markers_older_than_the_retention_are_forgotten(db: AsyncDatabase) -> None:
    processed = ProcessedEvents(db)
    await processed.ensure_indexes()
    recent, old = str(uuid.uuid4()), str(uuid.uuid4())
    await processed.applied_among("c", [recent])
    await processed.record("c", [recent])
    await db["processed_events"].insert_one(_old_marker(old, 8))
    await db["sighted_events"].insert_one(
        {"_id": marker_id("c", old), "sighted_at": datetime.now(UTC) - timedelta(days=8)}
    )
    assert await processed.applied_among("c", [recent, old]) == {recent, old}
    assert await processed.prune(datetime.now(UTC) - timedelta(days=7)) == 1
    assert await processed.applied_among("c", [recent, old]) == {recent}
    assert await db["sighted_events"].count_documents({"_id": marker_id("c", old)}) == 1


async def test_an_event_sighted_but_never_recorded_counts_as_not_applied(
    db: AsyncDatabase,
) -> None:
    processed = ProcessedEvents(db)
    await processed.ensure_indexes()
    dead, applied, other = (str(uuid.uuid4()) for _ in range(3))
    assert await processed.applied_among("c", [dead, applied, applied]) == set()
    await processed.record("c", [applied])
    assert await processed.applied_among("c", [dead, applied]) == {applied}
    assert await processed.applied_among("other", [applied]) == set()
    assert await db["sighted_events"].count_documents({}) == 3
    assert await processed.applied_among("c", [other]) == set()


async def test_markers_kept_before_sightings_existed_are_sighted_at_start(
    db: AsyncDatabase,
) -> None:
    earlier = str(uuid.uuid4())
    await db["processed_events"].insert_one(_old_marker(earlier, 2))
    processed = ProcessedEvents(db)
    await processed.ensure_indexes()
    await processed.ensure_indexes()
    assert await processed.applied_among("c", [earlier]) == {earlier}
    sighting = await db["sighted_events"].find_one({"_id": marker_id("c", earlier)})
    assert sighting is not None and sighting["event_id"] == earlier
