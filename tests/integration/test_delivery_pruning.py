"""Delivery records and their log older than the retention are pruned; recent ones stay."""

import uuid
from datetime import UTC, datetime, timedelta

from cmo_notifications.deliveries.repository import DeliveryRepository, log_entry
from cmo_notifications.fanout.service import delivery_record
from pymongo import AsyncMongoClient

from tests.conftest import Infra


def _record(created: datetime) -> dict:
    return delivery_record(
        event_id=str(uuid.uuid4()),
        event_type="member.joined",
        correlation_id="test",
        recipient_id="c1",
        channel="email",
        topic="membership",
        priority="normal",
        language="en",
        now=created,
    )


async def test_deliveries_older_than_the_retention_are_forgotten_with_their_log(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    db = mongo[f"{infra.db_prefix}_pruning{uuid.uuid4().hex[:6]}"]
    deliveries = DeliveryRepository(db["deliveries"], db["delivery_log"])
    now = datetime.now(UTC)
    old, recent = _record(now - timedelta(days=31)), _record(now - timedelta(days=1))
    await deliveries.add_new([old, recent])
    old_entry = {**log_entry(old, {"status": "sent", "attempts": 1}), "at": old["created_at"]}
    await deliveries.log([old_entry, log_entry(recent, {"status": "sent", "attempts": 1})])

    assert await deliveries.prune(now - timedelta(days=30)) == 1

    left = await deliveries.find({}, skip=0, limit=10)
    assert [d["_id"] for d in left] == [recent["_id"]]
    assert left[0]["status"] == "sent", "the recent delivery keeps its log"
    assert await db["delivery_log"].count_documents({"delivery_id": old["_id"]}) == 0
    await mongo.drop_database(db.name)
