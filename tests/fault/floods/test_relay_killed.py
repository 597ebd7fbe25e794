"""An outbox relay process killed with SIGKILL between publishing events and deleting them
from the outbox: the next relay publishes them again, and downstream (the funding service)
each still takes effect exactly once."""

import asyncio
import json
import signal
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from cmo_shared.outbox import outbox_entries
from cmo_shared.testing import member_joined
from pymongo import AsyncMongoClient

from tests.conftest import Infra, start_service, stop_services
from tests.helpers import eventually, relaying

EVENTS = 300
KILL_AFTER = 60

# A relay that kills itself once KILL_AFTER of its publishes were acknowledged by Kafka, before
# it could remove anything from the outbox.
CRASHING_RELAY = """
import asyncio, os, signal, sys
from cmo_shared.kafka import make_broker
from cmo_shared.mongo import connect
from cmo_shared.outbox import OutboxRelay

async def main(bootstrap, url, database, kill_after):
    broker = make_broker(bootstrap, client_id="crashing-relay")
    await broker.start()
    sent = 0

    async def publish(topic, key, body, correlation, headers):
        nonlocal sent
        await broker.publish(
            body, topic=topic, key=key, headers=headers, correlation_id=correlation
        )
        sent += 1
        if sent == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)

    relay = OutboxRelay([connect(url)[database]["members"]], publish, batch_size=200)
    await relay.drain()

asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])))
"""


@pytest.mark.timeout(900)
async def test_a_relay_killed_between_publish_and_delete_has_each_effect_once(
    infra: Infra, mongo: AsyncMongoClient, tmp_path: Path
) -> None:
    run = uuid.uuid4().hex[:8]
    prefix = f"relay{run}"
    source = mongo[f"{prefix}_source"]["members"]
    funding = mongo[f"{prefix}_funding"]
    events = [
        member_joined(legal_name=f"Relay {run} {i}", contacts=[], correlation_id=run)
        for i in range(EVENTS)
    ]
    ours = [e.subject_id for e in events]
    await source.insert_many([{"_id": e.subject_id, "outbox": outbox_entries([e])} for e in events])
    service = await asyncio.to_thread(
        start_service, "funding", infra, tmp_path, CMO_DB_PREFIX=prefix
    )
    try:
        crashed = await asyncio.to_thread(
            subprocess.run,
            [
                sys.executable,
                "-c",
                CRASHING_RELAY,
                infra.kafka_bootstrap,
                infra.mongodb_url,
                source.database.name,
                str(KILL_AFTER),
            ],
            capture_output=True,
            timeout=120,
        )
        assert crashed.returncode == -signal.SIGKILL, crashed.stderr.decode()[-2000:]
        left = await source.count_documents({"outbox.0": {"$exists": True}})
        assert left == EVENTS, "the killed relay removed nothing from the outbox"

        async with relaying(infra.kafka_bootstrap, [source], poll_interval_s=0.2):
            await eventually(
                lambda: source.count_documents({"outbox.0": {"$exists": True}}),
                lambda n: n == 0,
                timeout_s=120,
            )
        copies = await _copies(infra.kafka_bootstrap, run, EVENTS)
        known = await eventually(
            lambda: funding["member_view"].count_documents({"_id": {"$in": ours}}),
            lambda n: n == EVENTS,
            timeout_s=300,
        )
        markers = [f"funding:{e.event_id}" for e in events]
        applied = await eventually(
            lambda: funding["processed_events"].count_documents({"_id": {"$in": markers}}),
            lambda n: n == EVENTS,
            timeout_s=120,
        )
    finally:
        stop_services([service])

    twice = sum(1 for n in copies.values() if n > 1)
    print(f"{EVENTS} events, {sum(copies.values())} records, {twice} published twice")
    print(f"funding: {known} members known, {applied} events applied")
    assert set(copies) == {str(e.event_id) for e in events}
    assert twice >= KILL_AFTER, "what the killed relay published went out again"
    assert known == EVENTS and applied == EVENTS


async def _copies(bootstrap: str, run: str, events: int) -> Counter[str]:
    """How many records of each of this run's events `cmo.members` holds."""
    consumer = AIOKafkaConsumer(
        "cmo.members",
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    copies: Counter[str] = Counter()
    try:
        idle = 0
        while len(copies) < events or idle < 3:
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            idle = 0 if batch else idle + 1
            for records in batch.values():
                for record in records:
                    event = json.loads(record.value)
                    if event.get("correlation_id") == run:
                        copies[event["event_id"]] += 1
    finally:
        await consumer.stop()
    return copies
