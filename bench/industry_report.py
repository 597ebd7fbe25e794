"""The quarterly industry report over N members' KPI surveys: service against a raw loop.

Setup (not timed): N members (four sectors, every size band) and their surveys of one
quarter, written straight into a real advocacy service's read models.

- service: `POST /reports` -> read the quarter's surveys and their members, combine, build
  the protected table (primary and secondary suppression), store the draft; timed from the
  request to its answer.
- raw: the same data in a database of its own, read with two `find` calls, grouped by
  (sector, size band) and their totals in a plain dict loop with the threshold and the
  p%-rule per cell (no secondary suppression), stored with one `insert_one`; no pandas.

Usage: `python -m bench.industry_report [N ...] [--quick] [--json FILE]`.
"""

import random
import time
import uuid
from collections import defaultdict
from decimal import Decimal

import httpx
from cmo_shared.mongo import connect

from bench.harness import Figure, main
from bench.local_infra import service_process

QUARTER = "2026-Q3"
SECTORS = ("10.51", "10.71", "11.02", "25.11")


def dataset(n: int) -> tuple[list[dict], list[dict]]:
    """N members' read-model documents and their surveys of the quarter."""
    rng = random.Random(7)
    members, surveys = [], []
    for i in range(n):
        member_id = f"member-{i}"
        employees = rng.choice((rng.randint(1, 9), rng.randint(10, 49), rng.randint(50, 400)))
        members.append(
            {
                "_id": member_id,
                "status": "active",
                "legal_name": f"Member {i}",
                "sector": rng.choice(SECTORS),
                "employees": employees,
            }
        )
        surveys.append(
            {
                "_id": f"{member_id}:{QUARTER}",
                "member_id": member_id,
                "quarter": QUARTER,
                "employees": employees,
                "export_share": float(rng.randint(0, 100)),
                "investment": str(rng.randint(0, 2_000_000)),
                "revenue_band": "1m-5m",
            }
        )
    return members, surveys


def band(employees: int) -> str:
    """The size band of a head count."""
    if employees < 10:
        return "micro"
    return "small" if employees < 50 else "medium" if employees < 250 else "large"


async def run_service(bootstrap: str, mongodb_url: str, n: int) -> float:
    """Time the advocacy service drafting the report."""
    members, surveys = dataset(n)
    client = connect(mongodb_url)
    async with service_process("advocacy", bootstrap, mongodb_url) as (url, prefix):
        db = client[f"{prefix}_advocacy"]
        try:
            await db["member_view"].insert_many(members)
            await db["survey_view"].insert_many(surveys)
            async with httpx.AsyncClient(base_url=url, timeout=300) as http:
                started = time.perf_counter()
                response = await http.post(
                    "/reports",
                    json={"period": QUARTER, "title": {"ka": "ანგარიში", "en": "Report"}},
                )
                elapsed = time.perf_counter() - started
            assert response.status_code == 201, response.text
            assert response.json()["companies"] == n
        finally:
            await client.drop_database(db.name)
            await client.close()
    return elapsed


async def run_raw(mongodb_url: str, n: int) -> float:
    """The same aggregation as a plain loop over two `find` calls, then one `insert_one`."""
    members, surveys = dataset(n)
    client = connect(mongodb_url)
    db = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]
    try:
        await db["member_view"].insert_many(members)
        await db["survey_view"].insert_many(surveys)
        started = time.perf_counter()
        sectors = {d["_id"]: d["sector"][:2] async for d in db["member_view"].find({})}
        groups: dict[tuple[str, str], list[tuple[Decimal, int]]] = defaultdict(list)
        async for s in db["survey_view"].find({"quarter": QUARTER}):
            figures = (Decimal(s["investment"]), s["employees"])
            sector, size = sectors[s["member_id"]], band(s["employees"])
            for key in ((sector, size), (sector, "*"), ("*", size), ("*", "*")):
                groups[key].append(figures)
        cells = []
        for (sector, size), figures in groups.items():
            investments = sorted((f[0] for f in figures), reverse=True)
            rest = sum(investments[2:], Decimal(0))
            hidden = len(figures) < 3 or rest < Decimal("0.1") * investments[0]
            cells.append(
                {
                    "sector": sector,
                    "size_band": size,
                    "companies": len(figures),
                    "investment": str(sum(investments, Decimal(0))),
                    "employees": sum(f[1] for f in figures),
                    "suppressed": hidden,
                }
            )
        await db["reports"].insert_one({"_id": "raw", "cells": cells})
        return time.perf_counter() - started
    finally:
        await client.drop_database(db.name)
        await client.close()


async def measure(n: int, bootstrap: str, mongodb_url: str) -> list[Figure]:
    """Time both and print the figures and the ratio."""
    raw = await run_raw(mongodb_url, n)
    service = await run_service(bootstrap, mongodb_url, n)
    print(f"members' surveys: {n} in {len(SECTORS)} sectors, one quarter")
    print(f"raw loop (two finds, group, p%-rule, insert_one): {raw:6.2f} s")
    print(f"service, POST /reports answered:                {service:6.2f} s")
    print(f"service / raw time ratio:                        {service / raw:6.2f}")
    return [Figure("industry_report", "quarterly report from N surveys", n, "survey", service, raw)]


if __name__ == "__main__":
    main(measure, sizes=(1_000, 5_000, 20_000), quick=(500, 1_000, 2_000))
