"""The funding service killed with SIGKILL 20 times while it consumes 2,000 `member.joined`
and matches them to four open calls: every member is known once, matched once and announced
under one event id; nothing is lost. Then the topic is replayed from offset 0 into a fresh
consumer of the same group name: zero new effects.

Each kill lands while the consumer is working (its markers of applied events are growing),
so some land between an effect (the read model, a match, a queued event) and the commit.
"""

import asyncio
import os
import signal
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from cmo_contracts import encode
from cmo_shared.outbox import QUEUE
from cmo_shared.testing import member_joined
from prometheus_client.parser import text_string_to_metric_families
from pymongo import AsyncMongoClient

from tests.conftest import Infra, ServiceProcess, start_service, stop_services
from tests.helpers import certified_call, eventually, match_events

MEMBERS = 2000
KILLS = 20
CALLS = 4


@pytest.mark.timeout(1200)
async def test_a_consumer_killed_20_times_applies_every_effect_exactly_once(
    infra: Infra, mongo: AsyncMongoClient, tmp_path: Path
) -> None:
    run = uuid.uuid4().hex[:8]
    prefix = f"kill{run}"
    certification = f"KILL-{run}"
    env = {"CMO_DB_PREFIX": prefix}
    db = mongo[f"{prefix}_funding"]
    service: ServiceProcess = await asyncio.to_thread(
        start_service, "funding", infra, tmp_path, **env
    )
    kills = 0
    progress: list[tuple[int, int]] = []
    try:
        async with httpx.AsyncClient(base_url=service.url, timeout=30) as http:
            # The first call is the one checked; the others widen the work between a batch's
            # effects and its commit (each is matched too), where the kills must land.
            call_ids = []
            for n in range(CALLS):
                body = certified_call(certification, f"Kill test {n}")
                call_ids.append((await http.post("/calls", json=body)).json()["call_id"])
                published = await http.post(f"/calls/{call_ids[-1]}/publish")
                assert published.status_code == 200, published.text
            call_id = call_ids[0]

        members = [
            member_joined(
                legal_name=f"Kill {run} {i}",
                contacts=[],
                sector="10.51",
                employees=12,
                certifications=[certification],
                correlation_id=f"kill-{run}",
            )
            for i in range(MEMBERS)
        ]
        ours = [e.subject_id for e in members]
        chunk = MEMBERS // KILLS

        def known() -> int:
            return db["member_view"].count_documents({"_id": {"$in": ours}})

        markers = [f"funding:{e.event_id}" for e in members]

        def recorded() -> int:
            return db["processed_events"].count_documents({"_id": {"$in": markers}})

        producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
        await producer.start()
        try:
            for kill in range(KILLS):
                # A chunk of the stream for this life of the process; it is killed as soon as
                # it has applied some of it, at a different point of its work each time.
                before = await known()
                sends = [
                    await producer.send("cmo.members", encode(e), key=e.subject_id.encode())
                    for e in members[kill * chunk : (kill + 1) * chunk]
                ]
                await asyncio.gather(*sends)
                # Polled tightly, so that the kill follows the effect closely.
                await eventually(known, lambda n, b=before: n > b, timeout_s=120, interval_s=0.01)
                await asyncio.sleep(0.005 * (kill % 3))
                os.kill(service.process.pid, signal.SIGKILL)
                await asyncio.to_thread(service.process.wait)
                kills += 1
                progress.append((await known(), await recorded()))
                service = await asyncio.to_thread(start_service, "funding", infra, tmp_path, **env)
        finally:
            await producer.stop()

        await eventually(known, lambda n: n == MEMBERS, timeout_s=600)
        matched = await eventually(
            lambda: db["matches"].count_documents({"call_id": call_id}),
            lambda n: n >= MEMBERS,
            timeout_s=600,
        )
        await eventually(lambda: db[QUEUE].count_documents({}), lambda n: n == 0, timeout_s=300)
        ours_announced = await match_events(infra.kafka_bootstrap, call_id, MEMBERS)

        # The topic replayed from offset 0 into a fresh consumer of the same group name.
        stop_services([service])
        await _rewind(infra.kafka_bootstrap, f"{prefix}-funding")
        service = await asyncio.to_thread(start_service, "funding", infra, tmp_path, **env)
        outcomes = await eventually(
            lambda: _joined_outcomes(service.url),
            lambda o: o.get("duplicate", 0) >= MEMBERS,
            timeout_s=600,
        )
        rematched = await db["matches"].count_documents({"call_id": call_id})
        queued_again = await db[QUEUE].count_documents({})
        announced_again = await match_events(infra.kafka_bootstrap, call_id, MEMBERS)
    finally:
        stop_services([service])

    ids_per_member: dict[str, set[str]] = {}
    for event in ours_announced:
        ids_per_member.setdefault(event["payload"]["member_id"], set()).add(event["event_id"])
    copies = Counter(e["event_id"] for e in ours_announced)
    print(
        f"{MEMBERS} members, {kills} kills (members known after each: {progress}); "
        f"{matched} matches; {len(copies)} match_found ids, {len(ours_announced)} records "
        f"(republished: {sum(n - 1 for n in copies.values())})"
    )
    # Killed after its effects and before it recorded them as applied (and committed).
    between = sum(1 for view, marked in progress if marked < view)
    print(f"kills between an effect and its commit: {between} of {kills}")
    assert kills == KILLS
    assert between >= KILLS // 4, f"(members known, recorded applied) at each kill: {progress}"
    assert matched == MEMBERS
    assert set(ids_per_member) == set(ours)
    assert all(len(ids) == 1 for ids in ids_per_member.values()), "one event id per member"
    view = await db["member_view"].count_documents({"_id": {"$in": ours}})
    assert view == MEMBERS
    # Replayed from offset 0: every event skipped as applied before, no new effect at all.
    print(f"replay from offset 0: {outcomes}; matches {rematched}; queued {queued_again}")
    assert outcomes.get("applied", 0) == 0
    assert rematched == MEMBERS and queued_again == 0
    assert len(announced_again) == len(ours_announced)


async def _joined_outcomes(url: str) -> dict[str, float]:
    """How this life of the service's consumer took `member.joined`, by outcome (/metrics)."""
    async with httpx.AsyncClient(timeout=10) as http:
        text = (await http.get(f"{url}/metrics")).text
    return {
        sample.labels["outcome"]: sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "cmo_events_total" and sample.labels.get("type") == "member.joined"
    }


async def _rewind(bootstrap: str, group: str) -> None:
    """Set every committed offset of the (stopped) group back to 0, as a fresh group starts."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        partitions = list(await admin.list_consumer_group_offsets(group))
    finally:
        await admin.close()
    assert partitions, f"{group} committed nothing"
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.commit(dict.fromkeys(partitions, 0))
    finally:
        await consumer.stop()
