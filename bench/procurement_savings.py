"""One joint tender's award allocated to N members' needs across 5 lots: service against raw.

Setup (not timed): a tender in evaluation with 5 lots pooling N needs (one per member) and two
suppliers' tiered offers on every lot, written straight into a real procurement service's
database.

- service: `POST /tenders/{id}/award` (each lot split between the two suppliers) -> the award
  and `tender.awarded` through the outbox -> the service consumes it, allocates every lot
  among its members, queues one `savings.realized` per member and lot and stores the
  allocations -> the relay publishes. Timed from the award request to the last allocation
  stored and to the last `savings.realized` read back from Kafka.
- raw: the same arithmetic (the service's own allocation functions) in a plain loop, then
  `insert_many` of the allocations and the events produced with aiokafka.

Usage: `python -m bench.procurement_savings [N ...] [--quick] [--json FILE]`.
"""

import asyncio
import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import httpx
from aiokafka import AIOKafkaProducer
from cmo_contracts import encode, new_event
from cmo_contracts.procurement import TOPIC
from cmo_procurement.savings.domain import lot_allocations
from cmo_procurement.suppliers.domain import Supplier
from cmo_procurement.tenders.domain import (
    Award,
    Lot,
    LotLine,
    LotOffer,
    Offer,
    Tender,
    TenderStatus,
    Tier,
)
from cmo_procurement.tenders.repository import MongoLotLines
from cmo_shared.codec import to_document
from cmo_shared.kafka import ensure_topics
from cmo_shared.mongo import connect

from bench.harness import Figure, main
from bench.local_infra import last_event_at, service_process

LOTS = 5
SUPPLIERS = ("bench-s1", "bench-s2")


class _Pool:
    unit = "pieces"

    def __init__(self, index: int) -> None:
        self.pool_id, self.category = f"pool-{index}", f"bench/c{index}"


def tender(n: int) -> tuple[Tender, list[LotLine]]:
    """A tender in evaluation: N needs over 5 lots, two suppliers offering on every lot."""
    rng = random.Random(11)
    now = datetime.now(UTC)
    lots, all_lines = [], []
    for index in range(LOTS):
        lines = []
        for member in range(index, n, LOTS):
            quantity = Decimal(rng.randint(100, 5000))
            lines.append(
                LotLine(
                    f"L{index + 1}",
                    f"need-{member}",
                    f"member-{member}",
                    quantity,
                    (quantity * Decimal("0.8")).quantize(Decimal(1)),
                    (quantity * Decimal("1.2")).quantize(Decimal(1)),
                    Decimal(rng.randint(50, 90)) / 100,
                    "Imereti",
                )
            )
        lots.append(Lot.pooling(f"L{index + 1}", f"Lot {index + 1}", _Pool(index), lines, None, []))
        all_lines += lines
    offers = [
        Offer(
            f"offer-{s}",
            s,
            s.upper(),
            [
                LotOffer(
                    lot.lot_id,
                    [Tier(Decimal(0), Decimal("0.60")), Tier(Decimal(10_000), Decimal(f"0.4{i}"))],
                    14,
                )
                for lot in lots
            ],
            date.today() + timedelta(days=90),
            now,
        )
        for i, s in enumerate(SUPPLIERS)
    ]
    tender = Tender(
        str(uuid.uuid4()),
        "Bench tender",
        "",
        [],
        lots,
        now,
        TenderStatus.EVALUATION,
        deadline=now - timedelta(minutes=1),
        offers=offers,
    )
    return tender, all_lines


def award_body(t: Tender) -> dict:
    """Every lot split 60/40 between the two suppliers."""
    awards = []
    for lot in t.lots:
        first = (lot.quantity * Decimal("0.6")).quantize(Decimal(1))
        for supplier, quantity in zip(SUPPLIERS, (first, lot.quantity - first), strict=True):
            awards.append(
                {
                    "lot_id": lot.lot_id,
                    "supplier_id": supplier,
                    "quantity": str(quantity),
                    "reason": "bench",
                }
            )
    return {"awards": awards}


async def run_service(
    bootstrap: str, mongodb_url: str, t: Tender, lines: list[LotLine]
) -> dict[str, float]:
    """Time the procurement service from the award to the last saving stored and announced."""
    expected = len(lines)
    client = connect(mongodb_url)
    service = service_process(
        "procurement", bootstrap, mongodb_url, CMO_RELAY_POLL_INTERVAL_S="0.2"
    )
    async with service as (url, prefix):
        db = client[f"{prefix}_procurement"]
        try:
            now = datetime.now(UTC)
            await db["suppliers"].insert_many(
                [
                    {
                        "_id": s,
                        "version": 0,
                        "outbox": [],
                        **to_document(Supplier(s, s.upper(), s, "GE", [], [], now)),
                    }
                    for s in SUPPLIERS
                ]
            )
            await MongoLotLines(db["lot_lines"]).add_new(t.tender_id, lines)
            await db["tenders"].insert_one(
                {"_id": t.tender_id, "version": 0, "outbox": [], **to_document(t)}
            )
            async with httpx.AsyncClient(base_url=url, timeout=120) as http:
                ready = asyncio.Event()
                events = asyncio.create_task(
                    last_event_at(
                        bootstrap, TOPIC, "savings.realized", t.tender_id, expected, ready
                    )
                )
                await ready.wait()
                started = time.perf_counter()
                response = await http.post(f"/tenders/{t.tender_id}/award", json=award_body(t))
                assert response.status_code == 200, response.text
                answered = time.perf_counter() - started
                while True:
                    if await db["allocations"].count_documents({}) >= expected:
                        break
                    await asyncio.sleep(0.05)
                stored = time.perf_counter() - started
                announced = await events - started
        finally:
            await client.drop_database(db.name)
            await client.close()
    return {"answered": answered, "stored": stored, "announced": announced}


async def run_raw(bootstrap: str, mongodb_url: str, t: Tender, lines: list[LotLine]) -> float:
    """The same allocation and savings as a plain loop, insert_many, then produce."""
    client = connect(mongodb_url)
    db = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]
    topic = f"bench.raw.{uuid.uuid4().hex[:6]}"
    await ensure_topics(bootstrap, [topic])
    producer = AIOKafkaProducer(
        bootstrap_servers=bootstrap, acks="all", linger_ms=5, enable_idempotence=True
    )
    await producer.start()
    try:
        started = time.perf_counter()
        t.awards = [
            Award(
                a["lot_id"],
                a["supplier_id"],
                a["supplier_id"].upper(),
                Decimal(a["quantity"]),
                Decimal("0.45"),
                Decimal(0),
                "bench",
            )
            for a in award_body(t)["awards"]
        ]
        t.awarded_at = datetime.now(UTC)
        allocations = [
            a
            for lot in t.lots
            for a in lot_allocations(
                t, lot, [x for x in lines if x.lot_id == lot.lot_id], year=2027, planned_price=None
            )
        ]
        await db["allocations"].insert_many(
            [{"_id": a.allocation_id, **to_document(a)} for a in allocations]
        )
        sends = []
        for a in allocations:
            event = new_event(
                a.realized(), producer="bench", subject_id=a.member_id, correlation_id="bench"
            )
            sends.append(await producer.send(topic, encode(event), key=a.member_id.encode()))
        await asyncio.gather(*sends)
        return time.perf_counter() - started
    finally:
        await producer.stop()
        await client.drop_database(db.name)
        await client.close()


async def measure(n: int, bootstrap: str, mongodb_url: str) -> list[Figure]:
    """Time both and print the figures and the ratio."""
    await ensure_topics(bootstrap, [TOPIC])
    service = await run_service(bootstrap, mongodb_url, *tender(n))
    raw = await run_raw(bootstrap, mongodb_url, *tender(n))
    print(f"members' needs: {n} across {LOTS} lots, each split between 2 suppliers")
    print(f"raw loop (allocate, savings, insert_many, produce): {raw:6.2f} s")
    print(f"service, award request answered:                  {service['answered']:6.2f} s")
    print(f"service, award -> last allocation stored:         {service['stored']:6.2f} s")
    print(f"service, award -> last savings.realized in Kafka: {service['announced']:6.2f} s")
    print(f"service / raw time ratio (announced):             {service['announced'] / raw:6.2f}")
    return [
        Figure(
            "procurement_savings",
            "tender award allocated to N needs",
            n,
            "need",
            service["announced"],
            raw,
        )
    ]


if __name__ == "__main__":
    main(measure, sizes=(1_000, 10_000, 50_000), quick=(500, 2_000, 5_000))
