"""The gateway's overhead: an authenticated `GET /members/{id}` through it, against the same
call straight to the members service, measured in one run.

Setup (not timed): the members service and the gateway as processes on the bench's own
Kafka and FerretDB, one member, an admin signed in through the gateway.
Each side gets a warm-up, then N requests from C concurrent clients; the bench prints
requests per second and p50/p99 latency for both, and their ratios.

Usage: `uv run python -m bench.gateway_overhead [N] [C]` (defaults 2,000 and 16).
"""

import asyncio
import os
import statistics
import subprocess
import sys
import time

import httpx

from bench.local_infra import run_with_infra, service_process

ADMIN = "bench-admin@cmo.example"
PASSWORD = "a long bench password"


async def _load(client: httpx.AsyncClient, path: str, n: int, concurrency: int) -> dict:
    """Send n GETs from `concurrency` workers; requests per second and latencies (ms)."""
    latencies: list[float] = []
    remaining = iter(range(n))

    async def worker() -> None:
        for _ in remaining:
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.text

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": n / elapsed,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


async def main(n: int, concurrency: int, bootstrap: str, mongodb_url: str) -> None:
    """Run both sides and print the figures."""
    async with service_process("members", bootstrap, mongodb_url) as (members, _):
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
            limits = httpx.Limits(max_connections=concurrency)
            async with httpx.AsyncClient(base_url=members, limits=limits) as direct:
                body = {
                    "legal_name": "Bench Dairy LLC",
                    "tax_id": "123456789",
                    "sector": "10.51",
                    "employees": 12,
                    "region": "Imereti",
                    "contacts": [{"name": "B", "email": "b@bench.example", "language": "en"}],
                }
                member_id = (await direct.post("/members", json=body)).json()["member_id"]
                path = f"/members/{member_id}"
                await _load(direct, path, 200, concurrency)  # warm-up
                straight = await _load(direct, path, n, concurrency)
            async with httpx.AsyncClient(base_url=gateway, limits=limits) as http:
                form = {"grant_type": "password", "username": ADMIN, "password": PASSWORD}
                token = (await http.post("/auth/token", data=form)).json()["access_token"]
                http.headers["Authorization"] = f"Bearer {token}"
                await _load(http, path, 200, concurrency)  # warm-up
                through = await _load(http, path, n, concurrency)
    print(f"GET /members/{{id}}: {n} requests, {concurrency} concurrent clients")
    print(f"{'':24}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}")
    for name, figures in (("members service, direct", straight), ("through the gateway", through)):
        print(f"{name:24}{figures['rps']:10.0f}{figures['p50']:10.1f}{figures['p99']:10.1f}")
    print(f"throughput ratio (gateway / direct): {through['rps'] / straight['rps']:.2f}")
    print(
        f"p50 ratio: {through['p50'] / straight['p50']:.2f}, p99 ratio: "
        f"{through['p99'] / straight['p99']:.2f}"
    )


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    clients = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    run_with_infra(lambda bootstrap, mongodb_url: main(count, clients, bootstrap, mongodb_url))
