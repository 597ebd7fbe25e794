"""Two replicas of a service in one consumer group, with rebalances mid-stream (a replica joins,
another leaves): no effect twice, none lost. Funding (matches and their events) and
notifications (inbox entries and emails)."""

import asyncio
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from cmo_contracts import encode
from cmo_shared.testing import member_joined, sample_contact
from pymongo import AsyncMongoClient

from tests.conftest import Infra, start_service, stop_services
from tests.helpers import certified_call, eventually, lapse, mails_to, match_events


async def _stream(bootstrap: str, events: list, pause_every: int, pause_s: float) -> None:
    """Publish the events at a pace, so that rebalances happen while they flow."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for i, event in enumerate(events, 1):
            await producer.send("cmo.members", encode(event), key=event.subject_id.encode())
            if i % pause_every == 0:
                await producer.flush()
                await asyncio.sleep(pause_s)
        await producer.flush()
    finally:
        await producer.stop()


@pytest.mark.timeout(900)
async def test_two_funding_replicas_rebalancing_mid_stream_match_each_member_once(
    infra: Infra, mongo: AsyncMongoClient, tmp_path: Path
) -> None:
    run = uuid.uuid4().hex[:8]
    prefix = f"replicas{run}"
    certification = f"REPLICA-{run}"
    db = mongo[f"{prefix}_funding"]
    first = await asyncio.to_thread(start_service, "funding", infra, tmp_path, CMO_DB_PREFIX=prefix)
    second = None
    call = certified_call(certification, "Replicas")
    events = [
        member_joined(
            legal_name=f"Replica {run} {i}",
            contacts=[],
            certifications=[certification],
            correlation_id=run,
        )
        for i in range(500)
    ]
    ours = [e.subject_id for e in events]
    try:
        async with httpx.AsyncClient(base_url=first.url, timeout=30) as http:
            call_id = (await http.post("/calls", json=call)).json()["call_id"]
            assert (await http.post(f"/calls/{call_id}/publish")).status_code == 200
        streaming = asyncio.create_task(_stream(infra.kafka_bootstrap, events, 50, 0.5))
        await eventually(
            lambda: db["member_view"].count_documents({"_id": {"$in": ours}}),
            lambda n: n > 0,
            timeout_s=120,
        )
        second = await asyncio.to_thread(
            start_service, "funding", infra, tmp_path, CMO_DB_PREFIX=prefix
        )  # joins the group: a rebalance
        await asyncio.sleep(3)
        stop_services([first])  # leaves the group: another one
        await streaming
        matched = await eventually(
            lambda: db["matches"].count_documents({"call_id": call_id}),
            lambda n: n >= len(events),
            timeout_s=600,
        )
        announced = await match_events(infra.kafka_bootstrap, call_id, len(events))
    finally:
        stop_services([s for s in (first, second) if s is not None])

    per_member: dict[str, set[str]] = {}
    for event in announced:
        per_member.setdefault(event["payload"]["member_id"], set()).add(event["event_id"])
    print(f"funding replicas: {matched} matches, {len(announced)} match_found records")
    assert matched == len(events)
    assert set(per_member) == set(ours)
    assert all(len(ids) == 1 for ids in per_member.values())


@pytest.mark.timeout(900)
async def test_a_notifications_replica_joining_and_leaving_mid_stream_tells_each_contact_once(
    infra: Infra, mongo: AsyncMongoClient, tmp_path: Path
) -> None:
    run = uuid.uuid4().hex[:8]
    notifications = mongo[f"{infra.db_prefix}_notifications"]
    events = [
        member_joined(
            legal_name=f"Replica {run} {i}",
            contacts=[
                sample_contact(
                    contact_id=f"{run}-{i}",
                    name=f"Contact {i}",
                    email=f"replica-{run}-{i}@x.example",
                    language="en",
                )
            ],
            correlation_id=run,
        )
        for i in range(300)
    ]
    mine = {"contact_id": {"$regex": f"^{run}-"}}
    # A second replica in the first one's group (same database prefix), for part of the stream.
    first = await asyncio.to_thread(start_service, "notifications", infra, tmp_path)
    streaming = asyncio.create_task(_stream(infra.kafka_bootstrap, events, 20, 0.5))
    try:
        await eventually(
            lambda: notifications["inbox"].count_documents(mine), lambda n: n > 0, timeout_s=300
        )
        replica = await asyncio.to_thread(start_service, "notifications", infra, tmp_path)
        await asyncio.sleep(4)
        stop_services([replica])
        await streaming
        inbox = await eventually(
            lambda: notifications["inbox"].count_documents(mine),
            lambda n: n >= len(events),
            timeout_s=600,
        )
        sent = await eventually(
            lambda: notifications["delivery_log"].count_documents(
                {"recipient_id": {"$regex": f"^{run}-"}, "channel": "email", "status": "sent"}
            ),
            lambda n: n >= len(events),
            timeout_s=600,
        )
    finally:
        stop_services([first])
        await lapse([e.subject_id for e in events], infra.kafka_bootstrap, run)

    emails = Counter(
        str(message["X-CMO-Event-ID"]) for message in mails_to(infra.mail_dir, f"-{run}-")
    )
    print(
        f"notifications replicas: {inbox} inbox entries, {sent} sent, {sum(emails.values())} mails"
    )
    assert inbox == len(events) and sent == len(events)
    assert set(emails) == {str(e.event_id) for e in events}
    assert set(emails.values()) == {1}
