"""FerretDB stopped for 10 s while the funding service consumes a stream and answers HTTP:
callers get 503 with Retry-After (never 500) while it is down, and after it is back every
event is applied once, none lost."""

import asyncio
import uuid
from collections import Counter
from pathlib import Path

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from cmo_contracts import encode
from cmo_shared.testing import member_joined
from pymongo import AsyncMongoClient

from tests.conftest import Infra, start_service, stop_services
from tests.helpers import eventually

EVENTS = 300
OUTAGE_S = 10


@pytest.mark.timeout(900)
async def test_a_database_outage_answers_503_and_loses_nothing(
    infra: Infra, mongo: AsyncMongoClient, tmp_path: Path
) -> None:
    run = uuid.uuid4().hex[:8]
    prefix = f"dbout{run}"
    db = mongo[f"{prefix}_funding"]
    service = await asyncio.to_thread(
        start_service, "funding", infra, tmp_path, CMO_DB_PREFIX=prefix
    )
    events = [member_joined(legal_name=f"Outage {run} {i}", contacts=[]) for i in range(EVENTS)]
    ours = [e.subject_id for e in events]
    markers = [f"funding:{e.event_id}" for e in events]
    statuses: Counter[int] = Counter()
    retry_after: set[str | None] = set()
    try:
        producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
        await producer.start()
        try:
            first, rest = events[: EVENTS // 3], events[EVENTS // 3 :]
            for event in first:
                await producer.send("cmo.members", encode(event), key=event.subject_id.encode())
            await eventually(
                lambda: db["member_view"].count_documents({"_id": {"$in": ours}}),
                lambda n: n > 0,
                timeout_s=120,
            )
            await asyncio.to_thread(infra.ferretdb.stop)
            try:
                # The stream goes on while the database is away; so do the callers.
                sends = [
                    await producer.send("cmo.members", encode(e), key=e.subject_id.encode())
                    for e in rest
                ]
                await asyncio.gather(*sends)
                async with httpx.AsyncClient(base_url=service.url, timeout=30) as http:
                    deadline = asyncio.get_running_loop().time() + OUTAGE_S
                    while asyncio.get_running_loop().time() < deadline:
                        answer = await http.get("/calls")
                        statuses[answer.status_code] += 1
                        if answer.status_code == 503:
                            retry_after.add(answer.headers.get("Retry-After"))
                            assert answer.json()["error"]["code"] == "unavailable"
                        await asyncio.sleep(0.2)
            finally:
                await asyncio.to_thread(infra.ferretdb.start)
        finally:
            await producer.stop()

        known = await eventually(
            lambda: db["member_view"].count_documents({"_id": {"$in": ours}}),
            lambda n: n == EVENTS,
            timeout_s=300,
        )
        applied = await eventually(
            lambda: db["processed_events"].count_documents({"_id": {"$in": markers}}),
            lambda n: n == EVENTS,
            timeout_s=120,
        )
        async with httpx.AsyncClient(base_url=service.url, timeout=30) as http:
            after = await http.get("/calls")
    finally:
        stop_services([service])

    print(
        f"outage {OUTAGE_S} s: answers {dict(statuses)}; {known} members known, {applied} applied"
    )
    assert statuses[500] == 0
    assert statuses[503] >= 1, statuses
    assert set(statuses) <= {200, 503}
    assert retry_after == {"1"}
    assert after.status_code == 200
    assert known == EVENTS and applied == EVENTS
