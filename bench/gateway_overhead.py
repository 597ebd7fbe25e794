"""The gateway's overhead: an authenticated `GET /members/{id}` through it, against the same
call straight to the members service, measured in one run.

Setup (not timed): the members service and the gateway as processes on the bench's own
Kafka and FerretDB, one member, an admin signed in through the gateway.
N is the number of members stored (a find by id must not grow with it). Each side gets a
warm-up, then 2,000 requests from 16 concurrent clients; the bench prints requests per
second and p50/p99 latency for the gateway, the members service and a bare Starlette route
doing the same `find_one` (`bench/bare_members.py`), and their ratios; then the CPU each
process used per request in each phase (the load generator, the servers, FerretDB), which
shows where the time goes when they all share the machine's cores.

Usage: `python -m bench.gateway_overhead [N ...] [--quick] [--json FILE]`.
"""

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator

import aiohttp
import httpx
import psutil
from cmo_cli.infra.process import free_port
from cmo_shared.mongo import connect

from bench.harness import Figure, main
from bench.local_infra import (
    cpu_used,
    http_process,
    listening,
    local_processes,
    pinned,
    service_process,
)

ADMIN = "bench-admin@cmo.example"
PASSWORD = "a long bench password"


def _client(base_url: str, concurrency: int, **headers: str) -> aiohttp.ClientSession:
    """The load generator's pool: aiohttp, whose CPU per request is a tenth of httpx's, so the
    generator leaves the two cores to the servers it measures."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    return aiohttp.ClientSession(base_url=base_url, connector=connector, headers=headers)


async def _load(
    client: aiohttp.ClientSession,
    path: str,
    n: int,
    concurrency: int,
    metered: dict[str, psutil.Process] | None = None,
) -> dict:
    """Send n GETs from `concurrency` workers; requests per second, latencies (ms) and the
    CPU milliseconds per request of each metered process."""
    latencies: list[float] = []
    remaining = iter(range(n))
    metered = metered or {}

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            async with client.get(path) as response:
                body = await response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status == 200, body

    with cpu_used(metered) as used:
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    cpu = {name: seconds * 1000 / n for name, seconds in used.items()}
    latencies.sort()
    return {
        "rps": n / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
        "cpu_ms": cpu,
    }


REQUESTS = 2_000
CLIENTS = 16


async def seed(mongodb_url: str, database: str, member_id: str, n: int) -> None:
    """Fill the members collection up to N members, copies of the first with their own ids."""
    client = connect(mongodb_url)
    try:
        members = client[database]["members"]
        first = await members.find_one({"_id": member_id})
        assert first is not None
        # without the first's pending events: the relay would publish a copy of each meanwhile
        copy = {**first, "outbox": []}
        copies = [{**copy, "_id": str(uuid.uuid4()), "tax_id": f"9{i:08d}"} for i in range(n - 1)]
        for start in range(0, len(copies), 5_000):
            await members.insert_many(copies[start : start + 5_000])
    finally:
        await client.close()


@contextlib.asynccontextmanager
async def bare_route(mongodb_url: str, database: str) -> AsyncIterator[str]:
    """The bare Starlette baseline as its own process; yields its URL."""
    port = free_port()
    env = {**os.environ, "CMO_MONGODB_URL": mongodb_url, "BENCH_MEMBERS_DB": database}
    command = [sys.executable, "-m", "uvicorn", "--factory", "bench.bare_members:create_app"]
    command += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
    async with http_process("the bare route", command, port, env) as url:
        yield url


async def measure(n: int, bootstrap: str, mongodb_url: str) -> list[Figure]:
    """With N members stored, load the three sides and print the figures."""
    concurrency = CLIENTS
    async with service_process("members", bootstrap, mongodb_url) as (members, members_prefix):
        gateway_env = {"CMO_MEMBERS_URL": members, "CMO_LOGIN_ATTEMPTS_PER_ADDRESS": "1000"}
        async with service_process("gateway", bootstrap, mongodb_url, **gateway_env) as (
            gateway,
            prefix,
        ):
            env = {**os.environ, "CMO_MONGODB_URL": mongodb_url, "CMO_DB_PREFIX": prefix}
            command = [sys.executable, "-m", "cmo_gateway.admin", "create-admin"]
            await asyncio.to_thread(
                subprocess.run,
                [*command, "--login", ADMIN, "--password-stdin"],
                input=f"{PASSWORD}\n".encode(),
                env=env,
                check=True,
                capture_output=True,
            )
            database = f"{members_prefix}_members"
            async with httpx.AsyncClient(base_url=members) as setup:
                body = {
                    "legal_name": "Bench Dairy LLC",
                    "tax_id": "123456789",
                    "sector": "10.51",
                    "employees": 12,
                    "region": "Imereti",
                    "contacts": [{"name": "B", "email": "b@bench.example", "language": "en"}],
                }
                member_id = (await setup.post("/members", json=body)).json()["member_id"]
            await seed(mongodb_url, database, member_id, n)
            path = f"/members/{member_id}"
            common = local_processes(generator=psutil.Process(), ferretdb=listening(mongodb_url))
            servers = {**local_processes(members=listening(members)), **common}
            async with _client(members, concurrency) as direct:
                await _load(direct, path, 200, concurrency)  # warm-up
                straight = await _load(direct, path, REQUESTS, concurrency, servers)
            async with (
                bare_route(mongodb_url, database) as bare_url,
                _client(bare_url, concurrency) as raw,
            ):
                await _load(raw, path, 200, concurrency)
                bare_server = local_processes(bare=listening(bare_url))
                bare = await _load(raw, path, REQUESTS, concurrency, {**bare_server, **common})
            async with httpx.AsyncClient(base_url=gateway) as setup:
                form = {"grant_type": "password", "username": ADMIN, "password": PASSWORD}
                token = (await setup.post("/auth/token", data=form)).json()["access_token"]
            metered = {**local_processes(gateway=listening(gateway)), **servers}
            async with _client(gateway, concurrency, Authorization=f"Bearer {token}") as http:
                await _load(http, path, 200, concurrency)  # warm-up
                through = await _load(http, path, REQUESTS, concurrency, metered)
            # Deployed, the gateway has CPUs of its own; here everything shares two. Measured
            # again with the gateway alone on one CPU and the rest (the load generator, the
            # service, FerretDB and Kafka) on the other.
            rest = [*servers.values(), listening(bootstrap)]
            own_core = len(os.sched_getaffinity(0)) >= 2 and len(metered) == 4 and all(rest)
            if own_core:
                placement = {0: [p for p in rest if p is not None], 1: [metered["gateway"]]}
                with pinned(placement):
                    async with _client(members, concurrency) as direct:
                        await _load(direct, path, 200, concurrency)
                        alone = await _load(direct, path, REQUESTS, concurrency, servers)
                    async with _client(
                        gateway, concurrency, Authorization=f"Bearer {token}"
                    ) as http:
                        await _load(http, path, 200, concurrency)
                        apart = await _load(http, path, REQUESTS, concurrency, metered)
    print(
        f"GET /members/{{id}} with {n} members stored: {REQUESTS} requests, {concurrency} clients"
    )
    print(f"{'':28}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    sides = [
        ("bare Starlette find_one", bare),
        ("members service, direct", straight),
        ("through the gateway", through),
    ]
    if own_core:
        sides += [("direct, on one CPU", alone), ("gateway on a CPU of its own", apart)]
    for name, figures in sides:
        print(f"{name:28}{figures['rps']:10.0f}{figures['p50']:10.1f}{figures['p99']:10.1f}")
    print(f"throughput ratio (gateway / direct): {through['rps'] / straight['rps']:.2f}")
    print(f"throughput ratio (direct / bare):    {straight['rps'] / bare['rps']:.2f}")
    if own_core:
        print(f"throughput ratio, gateway on its own CPU: {apart['rps'] / alone['rps']:.2f}")
    columns = ("generator", "bare", "gateway", "members", "ferretdb")
    print(f"CPU ms per request{'':10}" + "".join(f"{c:>10}" for c in (*columns, "total")))
    for name, figures in sides:
        used = figures["cpu_ms"]
        cells = "".join(f"{used[c]:10.3f}" if c in used else f"{'-':>10}" for c in columns)
        print(f"{name:28}{cells}{sum(used.values()):10.3f}")
    # Each figure is the time of the REQUESTS requests at N members stored; per request, the
    # cost should not grow with N. Goals: gateway >= 0.8 x direct, direct >= 0.5 x bare.
    gateway = "GET /members/{id} at N members: gateway vs direct"
    service = "GET /members/{id} at N members: service vs bare route"
    figures = [
        Figure(
            "gateway_overhead",
            gateway,
            n,
            "request",
            REQUESTS / through["rps"],
            REQUESTS / straight["rps"],
            goal=1.25,
            items=REQUESTS,
        ),
        Figure(
            "gateway_overhead",
            service,
            n,
            "request",
            REQUESTS / straight["rps"],
            REQUESTS / bare["rps"],
            goal=2.0,
            items=REQUESTS,
        ),
    ]
    if own_core:
        figures.append(
            Figure(
                "gateway_overhead",
                "GET /members/{id} at N members: gateway on a CPU of its own vs direct",
                n,
                "request",
                REQUESTS / apart["rps"],
                REQUESTS / alone["rps"],
                goal=1.25,
                items=REQUESTS,
            )
        )
    return figures


if __name__ == "__main__":
    main(measure, sizes=(1_000, 10_000, 50_000), quick=(100, 1_000, 5_000))
