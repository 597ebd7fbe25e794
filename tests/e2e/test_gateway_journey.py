"""The funding flow end to end through the gateway, as staff and as a member company's user."""

import uuid
from datetime import timedelta
from decimal import Decimal

import httpx
from cmo_shared.schedule import today_in_tbilisi

from tests.conftest import ADMIN_PASSWORD, Gateway
from tests.helpers import applicant, bearer, eventually, invited_user, sign_in

PASSWORD = "a long and unguessable pass"


def _call(tag: str) -> dict:
    return {
        "programme": f"Wine export {tag}",
        "funder": "EBRD",
        "funder_kind": "ifi",
        "title": {"ka": f"ღვინის ექსპორტი {tag}", "en": f"Wine export {tag}"},
        "description": {"ka": "სესხები", "en": "Loans for wineries."},
        "instrument": "loan",
        "amount_min": "10000",
        "amount_max": "500000",
        "currency": "GEL",
        "opens_on": today_in_tbilisi().isoformat(),
        "closes_on": (today_in_tbilisi() + timedelta(days=30)).isoformat(),
        "criteria": {"sectors": ["11.02"], "regions": ["Kakheti"]},
    }


async def test_a_member_user_follows_a_funding_call_from_match_to_award(gateway: Gateway) -> None:
    tag = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        admin = bearer(await sign_in(http, gateway.admin_login, ADMIN_PASSWORD))
        staff = bearer(
            await invited_user(http, admin, f"staff-{tag}@cmo.example", PASSWORD, role="staff")
        )
        body = applicant(
            ("Eka", f"eka-{tag}@winery.example", "en"),
            legal_name=f"Kakheti Winery {tag}",
            sector="11.02",
            region="Kakheti",
        )
        member = (await http.post("/members", json=body, headers=staff)).json()
        member_id, contact_id = member["member_id"], member["contacts"][0]["contact_id"]
        await http.post(f"/members/{member_id}/approve", headers=staff)
        eka = bearer(
            await invited_user(
                http,
                staff,
                f"eka-{tag}@winery.example",
                PASSWORD,
                role="member",
                member_id=member_id,
                contact_id=contact_id,
            )
        )
        await eventually(
            lambda: http.get("/auth/me", headers=eka),
            lambda r: r.json()["member_status"] == "active",
        )

        call = (await http.post("/calls", json=_call(tag), headers=staff)).json()
        assert (await http.post(f"/calls/{call['call_id']}/publish", headers=staff)).is_success

        inbox = await eventually(
            lambda: http.get(f"/inbox/{contact_id}", headers=eka),
            lambda r: any(e["event_type"] == "funding.match_found" for e in r.json()["items"]),
        )
        matches = await eventually(  # the match is stored just after its event is queued
            lambda: http.get("/matches", headers=eka), lambda r: r.json()["items"]
        )
        assert [m["call_id"] for m in matches.json()["items"]] == [call["call_id"]]

        interest = await http.post(f"/calls/{call['call_id']}/interest", json={}, headers=eka)
        assert interest.status_code == 201, interest.text
        application_id = interest.json()["application_id"]
        move = f"/applications/{application_id}/status"
        refused = await http.post(move, json={"status": "preparing"}, headers=eka)
        for step in ("preparing", "submitted"):
            assert (await http.post(move, json={"status": step}, headers=staff)).is_success
        awarded = await http.post(
            move, json={"status": "awarded", "amount_awarded": "250000"}, headers=staff
        )
        seen = await http.get(f"/applications/{application_id}", headers=eka)
        audit = await http.get("/audit", params={"member_id": member_id}, headers=admin)

    entry = next(e for e in inbox.json()["items"] if e["event_type"] == "funding.match_found")
    assert entry["topic"] == "funding" and f"Wine export {tag}" in entry["title"]
    assert refused.status_code == 403, "only staff move applications"
    assert awarded.status_code == 200, awarded.text
    assert seen.json()["status"] == "awarded"
    assert Decimal(seen.json()["amount_awarded"]) == Decimal("250000")
    routes = {e["route"] for e in audit.json()["items"]}
    assert "/calls/{call_id}/interest" in routes, "the member user's interest is audited"
