"""Registrations racing for a session's seats through the gateway: throughput, and exactly as
many confirmed as there are seats; against a raw loop of the same unique-key seat inserts.

Setup (not timed): the training service and the gateway as processes on the bench's own
Kafka and FerretDB, N members written into training's read model, a session of S seats
(one per company, no priority window), an admin signed in through the gateway.

- service: N registrations sent at once through the gateway (`POST
  /sessions/{id}/registrations`, C connections) -> identity, routing, standing, the seat
  ledger, the registration stored with its event. Timed from the first request to the last
  answer; then the confirmed are counted.
- raw: N coroutines on one MongoDB client, each taking a free seat by unique-key insert
  (re-reading the taken seats after every lost race), nothing else.

S is N/4 and C 100. Usage: `python -m bench.training_seats [N ...] [--quick] [--json FILE]`.
"""

import asyncio
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
from cmo_shared.mongo import connect, insert_new

from bench.harness import Figure, main
from bench.local_infra import service_process

ADMIN = "bench-admin@cmo.example"
PASSWORD = "a long bench password"


async def run_service(bootstrap: str, mongodb_url: str, n: int, seats: int, clients: int):
    """Registrations per second through the gateway, and how many were confirmed."""
    client = connect(mongodb_url)
    async with service_process("training", bootstrap, mongodb_url) as (training, prefix):
        db = client[f"{prefix}_training"]
        members = [f"member-{i}" for i in range(n)]
        await db["member_view"].insert_many(
            [{"_id": m, "status": "active", "legal_name": m, "sector": "10.51"} for m in members]
        )
        # Hundreds of requests queue at once for one FerretDB, whose every filtered read is a
        # scan: the gateway waits for an answer longer than its 30 s default.
        gateway_env = {
            "CMO_TRAINING_URL": training,
            "CMO_LOGIN_ATTEMPTS_PER_ADDRESS": "1000",
            "CMO_UPSTREAM_TIMEOUT_S": "300",
        }
        async with service_process("gateway", bootstrap, mongodb_url, **gateway_env) as (
            gateway,
            gateway_prefix,
        ):
            env = {**os.environ, "CMO_MONGODB_URL": mongodb_url, "CMO_DB_PREFIX": gateway_prefix}
            await asyncio.to_thread(
                subprocess.run,
                [
                    sys.executable,
                    "-m",
                    "cmo_gateway.admin",
                    "create-admin",
                    "--login",
                    ADMIN,
                    "--password-stdin",
                ],
                input=f"{PASSWORD}\n".encode(),
                env=env,
                check=True,
                capture_output=True,
            )
            limits = httpx.Limits(max_connections=clients)
            async with httpx.AsyncClient(base_url=gateway, limits=limits, timeout=600) as http:
                form = {"grant_type": "password", "username": ADMIN, "password": PASSWORD}
                token = (await http.post("/auth/token", data=form)).json()["access_token"]
                http.headers["Authorization"] = f"Bearer {token}"
                start = datetime.now(UTC) + timedelta(days=30)
                session = await http.post(
                    "/sessions",
                    json={
                        "title": {"ka": "სემინარი", "en": "Workshop"},
                        "format": "workshop",
                        "topic": "bench",
                        "sittings": [
                            {
                                "starts_at": start.isoformat(),
                                "ends_at": (start + timedelta(hours=2)).isoformat(),
                            }
                        ],
                        "venue": "Tbilisi",
                        "capacity": seats,
                        "company_cap": 1,
                        "priority_hours": 0,
                    },
                )
                assert session.status_code == 201, session.text
                sid = session.json()["session_id"]

                latencies: list[float] = []

                async def register(member_id: str) -> str:
                    sent = time.perf_counter()
                    answer = await http.post(
                        f"/sessions/{sid}/registrations",
                        json={
                            "member_id": member_id,
                            "people": [{"name": member_id, "email": f"{member_id}@b.example"}],
                        },
                    )
                    assert answer.status_code == 201, answer.text
                    latencies.append(time.perf_counter() - sent)
                    return answer.json()["status"]

                started = time.perf_counter()
                statuses = await asyncio.gather(*(register(m) for m in members))
                elapsed = time.perf_counter() - started
        await client.drop_database(db.name)
    await client.close()
    return elapsed, statuses.count("confirmed"), sorted(latencies)


async def run_raw(mongodb_url: str, n: int, seats: int) -> tuple[float, int]:
    """The same race for seats as bare unique-key inserts."""
    client = connect(mongodb_url)
    db = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]
    ledger = db["seats"]
    await ledger.create_index("session_id")

    async def take(holder: str) -> bool:
        while True:
            found = ledger.find({"session_id": "s"}, {"seat": 1}).batch_size(100_000)
            taken = {d["seat"] async for d in found}
            free = [s for s in range(1, seats + 1) if s not in taken]
            if not free:
                return False
            seat = random.choice(free)
            document = {"_id": f"s:{seat}:1", "session_id": "s", "seat": seat, "holder": holder}
            if await insert_new(ledger, [document]):
                return True

    try:
        started = time.perf_counter()
        results = await asyncio.gather(*(take(f"r{i}") for i in range(n)))
        return time.perf_counter() - started, sum(results)
    finally:
        await client.drop_database(db.name)
        await client.close()


CLIENTS = 100


async def measure(n: int, bootstrap: str, mongodb_url: str) -> list[Figure]:
    """N registrations for N/4 seats: run both and print the figures and the ratio."""
    seats, clients = max(n // 4, 1), CLIENTS
    raw, raw_confirmed = await run_raw(mongodb_url, n, seats)
    service, confirmed, latencies = await run_service(bootstrap, mongodb_url, n, seats, clients)
    p50, p95 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.95)]
    print(f"{n} registrations at once for {seats} seats, {clients} connections to the gateway")
    print(f"raw unique-key inserts:   {raw:7.2f} s  {n / raw:7.0f} /s  {raw_confirmed} seats taken")
    print(
        f"through the gateway:      {service:7.2f} s  {n / service:7.0f} /s  {confirmed} confirmed"
    )
    print(f"answer times:             p50 {p50:.2f} s, p95 {p95:.2f} s, max {latencies[-1]:.2f} s")
    print(f"service / raw time ratio: {service / raw:7.2f}")
    assert confirmed == seats and raw_confirmed == seats, "overbooked or seats left over"
    return [
        Figure(
            "training_seats",
            "N registrations at once for N/4 seats",
            n,
            "registration",
            service,
            raw,
        )
    ]


if __name__ == "__main__":
    main(measure, sizes=(400, 1_000, 2_000), quick=(100, 200, 400))
