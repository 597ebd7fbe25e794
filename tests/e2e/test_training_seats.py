"""No overbooking on real processes: 50 companies register at once for 10 seats, through two
replicas of the training service sharing one FerretDB, and exactly 10 are confirmed."""

import asyncio
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.conftest import Infra, start_service, stop_services
from tests.helpers import applicant, eventually

COMPANIES, SEATS = 50, 10


async def test_fifty_concurrent_registrations_across_two_replicas_confirm_exactly_ten(
    infra: Infra, stack: dict[str, str], tmp_path: Path
) -> None:
    replica = start_service("training", infra, tmp_path)
    replicas = [stack["training"], replica.url]
    run = uuid.uuid4().hex[:6]
    try:
        async with httpx.AsyncClient(timeout=60) as http:
            members = []
            for i in range(COMPANIES):
                body = applicant((f"C{i}", f"c{i}-{run}@seats.example", "en"))
                created = (await http.post(f"{stack['members']}/members", json=body)).json()
                await http.post(f"{stack['members']}/members/{created['member_id']}/approve")
                members.append(created["member_id"])
            start = datetime.now(UTC) + timedelta(days=30)
            session = await http.post(
                f"{replicas[0]}/sessions",
                json={
                    "title": {"ka": f"სემინარი {run}", "en": f"Workshop {run}"},
                    "format": "workshop",
                    "topic": f"seats {run}",
                    "sittings": [
                        {
                            "starts_at": start.isoformat(),
                            "ends_at": (start + timedelta(hours=2)).isoformat(),
                        }
                    ],
                    "venue": "Tbilisi",
                    "capacity": SEATS,
                    "company_cap": 1,
                    "priority_hours": 0,
                },
            )
            assert session.status_code == 201, session.text
            sid = session.json()["session_id"]

            async def known(member_id: str) -> bool:
                probe = await http.post(
                    f"{replicas[0]}/sessions/not-a-session/registrations",
                    json={"member_id": member_id, "people": [{"name": "x", "email": "x@x.ge"}]},
                )
                return probe.json()["error"]["field"] == "session_id"  # the member is known

            for member_id in members:
                await eventually(lambda m=member_id: known(m), bool)

            async def register(i: int) -> dict:
                answer = await http.post(
                    f"{replicas[i % 2]}/sessions/{sid}/registrations",
                    json={
                        "member_id": members[i],
                        "people": [{"name": f"P{i}", "email": f"p{i}-{run}@seats.example"}],
                    },
                )
                assert answer.status_code == 201, answer.text
                return answer.json()

            results = await asyncio.gather(*(register(i) for i in range(COMPANIES)))
            statuses = [r["status"] for r in results]
            assert (statuses.count("confirmed"), statuses.count("waitlisted")) == (SEATS, 40)
            seats = sorted(s for r in results for s in r["seats"])
            assert seats == list(range(1, SEATS + 1))
            roster = await http.get(f"{replicas[1]}/sessions/{sid}/registrations")
            assert sum(r["status"] == "confirmed" for r in roster.json()) == SEATS
    finally:
        stop_services([replica])
