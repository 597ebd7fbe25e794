"""The outbox relay on real FerretDB and Kafka: publishes in order, republishes after a crash."""

import asyncio
import json
import uuid

import pytest
from cmo_shared.kafka import ensure_topics, make_broker
from cmo_shared.locks import DocumentLocks
from cmo_shared.outbox import OutboxRelay, outbox_entry, push_events
from cmo_shared.testing import member_applied
from pymongo import AsyncMongoClient

from tests.conftest import Infra
from tests.helpers import eventually, read_topic, relaying


async def test_crash_between_publish_and_removal_republishes_and_loses_nothing(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    topic = f"test.outbox.{uuid.uuid4().hex[:6]}"
    await ensure_topics(infra.kafka_bootstrap, [topic])
    client = mongo
    collection = client[f"{infra.db_prefix}_outboxtest"][uuid.uuid4().hex[:6]]
    events = {
        m: [member_applied(m, legal_name=f"{m}-{i}") for i in range(3)] for m in ("a", "b", "c")
    }
    for member_id, member_events in events.items():
        entries = [{**outbox_entry(e), "topic": topic} for e in member_events]
        await collection.insert_one({"_id": member_id, "state": "x", "outbox": entries})

    broker = make_broker(infra.kafka_bootstrap, client_id="outbox-test")
    await broker.start()
    published: list[str] = []

    async def publish(topic_, key, body, correlation, headers):
        await broker.publish(body, topic=topic_, key=key, headers=headers)
        published.append(json.loads(body)["event_id"])

    calls = 0

    async def crash_after_four(*args):
        nonlocal calls
        calls += 1
        if calls > 4:
            raise ConnectionError("relay process died")
        await publish(*args)

    try:
        with pytest.raises(ConnectionError):
            await OutboxRelay([collection], crash_after_four).drain()
        assert len(published) == 4
        assert await collection.count_documents({"outbox.0": {"$exists": True}}) == 3

        assert await OutboxRelay([collection], publish).drain() == 9
        assert await collection.count_documents({"outbox.0": {"$exists": True}}) == 0
        assert {d["state"] for d in await collection.find().to_list(None)} == {"x"}
    finally:
        await broker.stop()

    records = await read_topic(infra.kafka_bootstrap, topic, expect=13)
    assert len(records) == 13, "4 published before the crash + 9 after it"
    for member_id, member_events in events.items():
        on_key = [json.loads(r.value)["event_id"] for r in records if r.key == member_id.encode()]
        expected = [str(e.event_id) for e in member_events]
        assert set(on_key) == set(expected)
        assert on_key[-3:] == expected, "the republished events keep their order per key"


async def test_state_and_events_are_written_in_one_update(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    client = mongo
    collection = client[f"{infra.db_prefix}_outboxtest"][uuid.uuid4().hex[:6]]
    await collection.insert_one({"_id": "m", "status": "applicant", "outbox": []})
    event = member_applied("m")
    await collection.update_one(
        {"_id": "m"}, {"$set": {"status": "active"}, "$push": push_events([event])}
    )
    document = await collection.find_one({"_id": "m"})
    assert document["status"] == "active"
    assert [e["event_id"] for e in document["outbox"]] == [str(event.event_id)]


async def test_relay_and_writers_on_the_same_documents_lose_no_update(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    """FerretDB updates are read-modify-write: the relay must not undo a concurrent change."""
    topic = f"test.outbox.{uuid.uuid4().hex[:6]}"
    await ensure_topics(infra.kafka_bootstrap, [topic])
    collection = mongo[f"{infra.db_prefix}_outboxtest"][uuid.uuid4().hex[:6]]
    locks = DocumentLocks()
    ids = [f"m{i}" for i in range(STEPS_DOCS)]
    await collection.insert_many([{"_id": i, "step": 0, "outbox": []} for i in ids])

    async def write(member_id: str) -> None:
        for step in range(1, STEPS + 1):
            event = {**outbox_entry(member_applied(member_id)), "topic": topic}
            async with locks(collection.name, member_id):
                await collection.update_one(
                    {"_id": member_id}, {"$set": {"step": step}, "$push": {"outbox": event}}
                )
            relay.wake()
            await asyncio.sleep(0.001)

    async with relaying(
        infra.kafka_bootstrap, [collection], poll_interval_s=0.01, locks=locks
    ) as relay:
        await asyncio.gather(*(write(i) for i in ids))
        await eventually(
            lambda: collection.count_documents({"outbox.0": {"$exists": True}}),
            lambda n: n == 0,
            timeout_s=60,
        )
    assert {d["step"] async for d in collection.find()} == {STEPS}
    records = await read_topic(infra.kafka_bootstrap, topic, expect=STEPS_DOCS * STEPS)
    assert len({json.loads(r.value)["event_id"] for r in records}) == STEPS_DOCS * STEPS


STEPS_DOCS = 30
STEPS = 10


async def test_queued_events_are_published_in_order_once_and_then_removed(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    queue = mongo[f"{infra.db_prefix}_outboxtest"][f"queue{uuid.uuid4().hex[:6]}"]
    events = [member_applied("k", legal_name=f"n{i}") for i in range(25)]
    published: list[tuple[str, str]] = []

    async def publish(topic_, key, body, correlation, headers):
        published.append((key.decode(), json.loads(body)["event_id"]))

    relay = OutboxRelay([], publish, queue=queue, batch_size=1)
    assert await relay.enqueue(events[:20]) == 20
    assert await relay.enqueue(events[10:]) == 5, "ids already queued are skipped"
    assert await relay.drain() == 10, "one batch is ten times the batch size"
    assert await queue.count_documents({}) == 15
    await relay.drain_all()
    assert [e for _, e in published] == [str(e.event_id) for e in events]
    assert await queue.count_documents({}) == 0


async def test_a_relay_publishes_what_it_queued_and_reads_back_what_others_left(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    queue = mongo[f"{infra.db_prefix}_outboxtest"][f"queue{uuid.uuid4().hex[:6]}"]
    published: list[str] = []

    async def publish(topic_, key, body, correlation, headers):
        published.append(json.loads(body)["event_id"])

    def events(name: str, n: int) -> list:
        return [member_applied("k", legal_name=f"{name}{i}") for i in range(n)]

    def ids(some: list) -> list[str]:
        return [str(e.event_id) for e in some]

    left = events("left", 3)
    await OutboxRelay([], publish, queue=queue).enqueue(left)  # its process stopped
    relay = OutboxRelay([], publish, queue=queue)
    ours = events("ours", 4)
    await relay.enqueue(ours)
    await relay.drain_all()
    assert published == ids(left) + ids(ours), "read back at start: the older first"

    other = events("other", 2)
    await OutboxRelay([], publish, queue=queue).enqueue(other)  # another replica's
    mine = events("mine", 2)
    await relay.enqueue(mine)
    await relay.drain_all()
    assert published[7:] == ids(mine) + ids(other), "its own first, then what it finds"
    assert await queue.count_documents({}) == 0


async def test_events_announced_now_are_acknowledged_in_order_and_never_queued(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    """What a consumer announces is on the topic when `publish_now` returns; a failure raises
    only once every send issued before it was acknowledged, and nothing waits in the queue."""
    topic = f"test.announce.{uuid.uuid4().hex[:6]}"
    await ensure_topics(infra.kafka_bootstrap, [topic])
    queue = mongo[f"{infra.db_prefix}_outboxtest"][f"queue{uuid.uuid4().hex[:6]}"]
    events = [member_applied("k", legal_name=f"n{i}") for i in range(5)]
    broker = make_broker(infra.kafka_bootstrap, client_id="announce-test")
    await broker.start()
    acknowledged: list[str] = []

    async def publish(topic_, key, body, correlation, headers):
        async def acknowledgement() -> None:
            await broker.publish(body, topic=topic, key=key, headers=headers)
            acknowledged.append(json.loads(body)["event_id"])

        if json.loads(body)["payload"]["legal_name"] == "broken":
            raise ConnectionError("the broker went away")
        return asyncio.ensure_future(acknowledgement())

    try:
        relay = OutboxRelay([], publish, queue=queue)
        await relay.publish_now(events)
        assert acknowledged == [str(e.event_id) for e in events]
        on_topic = await read_topic(infra.kafka_bootstrap, topic, expect=5)
        assert [json.loads(r.value)["event_id"] for r in on_topic] == acknowledged
        assert {dict(r.headers)["event-type"] for r in on_topic} == {b"member.applied"}

        acknowledged.clear()
        failing = [member_applied("k", legal_name=n) for n in ("first", "broken", "never")]
        with pytest.raises(ConnectionError):
            await relay.publish_now(failing)
        assert acknowledged == [str(failing[0].event_id)], "issued before the failure: awaited"
        assert await queue.count_documents({}) == 0
    finally:
        await broker.stop()
