"""The record of applied events on a real database: markers, look-ups, pruning, upgrade."""

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from cmo_shared.idempotency import (
    LEFT_BY_EARLIER_VERSIONS,
    REDUNDANT_INDEX,
    ProcessedEvents,
    marker_id,
)
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
    assert await processed.applied_among("c", [recent]) == set()
    await processed.record("c", [recent])
    await db["processed_events"].insert_one(_old_marker(old, 8))
    assert await processed.applied_among("c", [recent, old]) == {recent, old}
    assert await processed.prune(datetime.now(UTC) - timedelta(days=7)) == 1
    assert await processed.applied_among("c", [recent, old]) == {recent}


async def test_an_event_looked_up_but_never_recorded_counts_as_not_applied(
    db: AsyncDatabase,
) -> None:
    processed = ProcessedEvents(db)
    await processed.ensure_indexes()
    dead, applied = (str(uuid.uuid4()) for _ in range(2))
    assert await processed.applied_among("c", [dead, applied, applied]) == set()
    await processed.record("c", [applied, applied])
    assert await processed.applied_among("c", [dead, applied]) == {applied}
    assert await processed.applied_among("other", [applied]) == set(), "per consumer"
    assert await db["processed_events"].count_documents({}) == 1


async def test_what_earlier_versions_kept_besides_markers_keyed_by_id_is_dropped_at_start(
    db: AsyncDatabase,
) -> None:
    earlier = str(uuid.uuid4())
    await db["processed_events"].insert_one(_old_marker(earlier, 2))
    await db["processed_events"].create_index([("consumer", 1), ("event_id", 1)], unique=True)
    assert REDUNDANT_INDEX in await db["processed_events"].index_information()
    await db[LEFT_BY_EARLIER_VERSIONS].insert_one({"_id": marker_id("c", earlier)})
    processed = ProcessedEvents(db)
    await processed.ensure_indexes()
    await processed.ensure_indexes()
    assert LEFT_BY_EARLIER_VERSIONS not in await db.list_collection_names()
    assert list(await db["processed_events"].index_information()) == ["_id_"]
    assert await processed.applied_among("c", [earlier]) == {earlier}
