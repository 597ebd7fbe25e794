"""Matching one funding call against N members: the funding service against a raw loop.

Setup: N `member.joined` events with varied profiles go to Kafka and a real funding service
process builds its read model from them, timed from the first publish to the last member
known, against a raw getmany -> insert_many consumer in its group while the same events are
published.

- service: `POST /calls/{id}/publish` -> `funding_call.published` through the outbox ->
  the service consumes it, evaluates every member, queues one `funding.match_found` per
  eligible member and stores the matches -> the relay publishes the events. Timed from the
  publish request to the last event read back from Kafka (each match is then checked
  stored).
- raw: the same work without the platform: read the N member documents, evaluate them with
  the same eligibility rules, `insert_many` the matches, produce the events with aiokafka.

Usage: `python -m bench.funding_match [N ...] [--quick] [--json FILE]`.
"""

import asyncio
import random
import time
import uuid
from collections.abc import Callable
from datetime import timedelta

import httpx
from aiokafka import AIOKafkaProducer
from cmo_contracts import encode, new_event
from cmo_contracts.funding import TOPIC, FundingMatchFound
from cmo_funding.matching.domain import Criteria, MemberFacts, assess
from cmo_shared.kafka import ensure_topics
from cmo_shared.mongo import connect
from cmo_shared.schedule import today_in_tbilisi
from cmo_shared.testing import member_joined, sample_contact

from bench import pipeline_vs_raw
from bench.harness import Figure, main
from bench.local_infra import caught_up, last_event_at, service_process
from bench.pipeline_vs_raw import produce

CRITERIA = {
    "sectors": ["10", "11"],
    "max_employees": 250,
    "certifications": ["HACCP"],
    "min_years_in_operation": 3,
}
SECTORS = ("10.51", "10.71", "11.07", "10.89", "25.11")
REGIONS = ("Imereti", "Kakheti", "Tbilisi", "Adjara")


def profiles(n: int) -> list[dict]:
    """N varied member profiles (about half are eligible)."""
    rng = random.Random(7)
    return [
        {
            "member_id": str(uuid.uuid4()),
            "legal_name": f"Bench {i} LLC",
            "sector": rng.choice(SECTORS),
            "employees": rng.randint(1, 300),
            "region": rng.choice(REGIONS),
            "certifications": ["HACCP"] if rng.random() < 0.9 else [],
            "founded_year": rng.randint(1995, 2025),
        }
        for i in range(n)
    ]


def eligible(members: list[dict]) -> list[tuple[dict, list[str]]]:
    """The members the call admits, with the reasons, by the service's own rules."""
    criteria, today, found = Criteria.from_dict(CRITERIA), today_in_tbilisi(), []
    for m in members:
        facts = MemberFacts(
            status="active",
            turnover_band=None,
            **{
                k: m[k]
                for k in (
                    "member_id",
                    "sector",
                    "employees",
                    "region",
                    "certifications",
                    "founded_year",
                )
            },
        )
        result = assess(criteria, facts, today)
        if result.eligible:
            found.append((m, result.held))
    return found


def call_body() -> dict:
    """A call with the benchmark's criteria."""
    today = today_in_tbilisi()
    return {
        "programme": "Bench programme",
        "funder": "EBRD",
        "funder_kind": "ifi",
        "title": {"ka": "სატესტო", "en": "Bench call"},
        "description": {"ka": "სატესტო", "en": "Bench call"},
        "instrument": "loan",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "criteria": CRITERIA,
    }


def joined_events(members: list[dict]) -> list[tuple[bytes, bytes]]:
    """The members' encoded `member.joined` envelopes with their keys."""
    return [
        (m["member_id"].encode(), encode(member_joined(contacts=[sample_contact()], **m)))
        for m in members
    ]


async def seed_read_model(
    bootstrap: str, members: list[dict], view, group: str, timeout_s: float
) -> float:
    """Publish the members' `member.joined`; seconds until the service has applied them all."""
    started = time.perf_counter()
    await produce(bootstrap, "cmo.members", joined_events(members))
    applied_at = await caught_up(bootstrap, group, "cmo.members", timeout_s)
    ours = [m["member_id"] for m in members]
    assert await view.count_documents({"_id": {"$in": ours}}) == len(ours)
    return applied_at - started


async def in_view(view) -> list[dict]:
    """Every member the service will assess (on shared topics, more than this run's)."""
    keys = ("sector", "employees", "region", "certifications", "founded_year")
    return [
        {"member_id": d["_id"], **{k: d.get(k) for k in keys}}
        async for d in view.find({"status": {"$in": ["active", "grace"]}}).batch_size(100_000)
    ]


async def run_service(bootstrap: str, mongodb_url: str, members: list[dict]) -> dict:
    """Time the funding service from publish to the last match announced (all stored)."""
    client = connect(mongodb_url)
    service = service_process("funding", bootstrap, mongodb_url, CMO_RELAY_POLL_INTERVAL_S="0.2")
    async with service as (url, prefix):
        db = client[f"{prefix}_funding"]
        try:
            group = f"{prefix}-funding"
            seeding = await seed_read_model(bootstrap, members, db["member_view"], group, 900)
            assessed = await in_view(db["member_view"])
            expected = len(eligible(assessed))
            async with httpx.AsyncClient(base_url=url, timeout=30) as http:
                call_id = (await http.post("/calls", json=call_body())).json()["call_id"]
                ready = asyncio.Event()
                events = asyncio.create_task(
                    last_event_at(bootstrap, TOPIC, "funding.match_found", call_id, expected, ready)
                )
                await ready.wait()
                started = time.perf_counter()
                response = await http.post(f"/calls/{call_id}/publish")
                assert response.status_code == 200, response.text
                announced = await events - started  # the database is not polled meanwhile
                while True:  # stored right after they are queued
                    if await db["matches"].count_documents({"call_id": call_id}) >= expected:
                        break
                    await asyncio.sleep(0.05)
                assert await db["matches"].count_documents({"call_id": call_id}) == expected
        finally:
            await client.drop_database(db.name)
            await client.close()
    return {
        "seeding": seeding,
        "announced": announced,
        "assessed": assessed,
        "expected": expected,
    }


async def run_raw(bootstrap: str, mongodb_url: str, members: list[dict]) -> float:
    """Time the same matching as a plain loop: read, evaluate, insert_many, produce."""
    client = connect(mongodb_url)
    db = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]
    await db["members"].insert_many([{"_id": m["member_id"], **m} for m in members])
    topic = f"bench.raw.{uuid.uuid4().hex[:6]}"
    await ensure_topics(bootstrap, [topic])
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, enable_idempotence=True
    )
    await producer.start()
    try:
        started = time.perf_counter()
        loaded = [
            {**d, "member_id": d.pop("_id")} for d in await db["members"].find({}).to_list(None)
        ]
        matches = eligible(loaded)
        await db["matches"].insert_many(
            [
                {"_id": f"raw:{m['member_id']}", "member_id": m["member_id"], "reasons": r}
                for m, r in matches
            ]
        )
        sends = []
        for m, reasons in matches:
            event = new_event(
                FundingMatchFound(
                    call_id="raw",
                    programme="p",
                    funder="f",
                    funder_kind="ifi",
                    title={"en": "t"},
                    instrument="loan",
                    currency="GEL",
                    closes_on="2099-01-01",
                    member_id=m["member_id"],
                    reasons=reasons,
                ),
                producer="bench",
                subject_id=m["member_id"],
                correlation_id="bench",
            )
            sends.append(await producer.send(topic, encode(event), key=m["member_id"].encode()))
        await asyncio.gather(*sends)
        return time.perf_counter() - started
    finally:
        await producer.stop()
        await client.drop_database(db.name)
        await client.close()


def member_facts_row(event: dict) -> dict:
    """What the read model keeps of a `member.joined`: the facts matching reads."""
    payload = event["payload"]
    keys = ("sector", "employees", "region", "turnover_band", "certifications", "founded_year")
    return {"_id": payload["member_id"], "status": "active", **{k: payload.get(k) for k in keys}}


async def raw_seeding(
    bootstrap: str, mongodb_url: str, members: list[dict], row: Callable[[dict], dict]
) -> float:
    """Seconds from publishing the same events to a raw getmany -> insert_many consumer of
    `row` of each, already in its group as the service is, having stored them all."""
    topic = f"bench.members.{uuid.uuid4().hex[:6]}"
    await ensure_topics(bootstrap, [topic])
    joined = asyncio.Event()
    consuming = asyncio.create_task(
        pipeline_vs_raw.raw_consumer(bootstrap, mongodb_url, topic, len(members), joined, row=row)
    )
    await joined.wait()
    started = time.perf_counter()
    await produce(bootstrap, topic, joined_events(members))
    _, done_at = await consuming
    return done_at - started


async def measure(n: int, bootstrap: str, mongodb_url: str) -> list[Figure]:
    """Seed, time both, print the figures and ratios."""
    await ensure_topics(bootstrap, ["cmo.members", TOPIC])
    members = profiles(n)
    service = await run_service(bootstrap, mongodb_url, members)
    raw = await run_raw(bootstrap, mongodb_url, service["assessed"])
    raw_seed = await raw_seeding(bootstrap, mongodb_url, members, pipeline_vs_raw.whole_event)
    raw_rows = await raw_seeding(bootstrap, mongodb_url, members, member_facts_row)
    seeding = service["seeding"]
    print(f"members: {n} (assessed: {len(service['assessed'])}), eligible: {service['expected']}")
    print(f"setup: read model built from {n} member.joined in {seeding:.1f} s")
    print(f"raw getmany -> insert_many of the same events:  {raw_seed:6.2f} s")
    print(f"raw, storing the read model's rows instead:     {raw_rows:6.2f} s")
    print(f"raw loop (read, assess, insert_many, produce): {raw:6.2f} s")
    print(f"service, publish -> last match_found in Kafka:  {service['announced']:6.2f} s")
    print(f"service / raw time ratio (announced):           {service['announced'] / raw:6.2f}")
    return [
        Figure(
            "funding_match",
            "one call matched against N members",
            n,
            "member",
            service["announced"],
            raw,
            goal=1.5,
        ),
        # Goal: at least 0.8 of the raw pipeline's rate, i.e. at most 1.25 times its time.
        Figure(
            "funding_match",
            "read model built from N member.joined",
            n,
            "event",
            seeding,
            raw_seed,
            goal=1.25,
        ),
        Figure(
            "funding_match",
            "read model built from N member.joined vs raw storing the same rows",
            n,
            "event",
            seeding,
            raw_rows,
        ),
    ]


if __name__ == "__main__":
    main(measure, sizes=(1_000, 10_000, 50_000), quick=(500, 2_000, 5_000))
