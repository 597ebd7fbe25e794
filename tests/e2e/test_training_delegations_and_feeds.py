"""Through the gateway: a fair delegation selected with each member's share of the cost, a
company's private calendar feed read by a calendar library, and participants' feedback."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

import httpx
import vobject

from tests.conftest import Gateway, Infra
from tests.helpers import (
    applicant,
    bearer,
    eventually,
    invited_user,
    mails_to,
    read_topic,
    resolved,
    sign_in,
    workshop,
)

PASSWORD = "a long and unguessable pass"


async def _member_user(http: httpx.AsyncClient, staff: dict, name: str) -> tuple[str, dict]:
    body = applicant((f"{name} Contact", f"{name}@fairs.example", "en"), legal_name=f"{name} LLC")
    member_id = (await http.post("/members", json=body, headers=staff)).json()["member_id"]
    approved = await http.post(f"/members/{member_id}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    user = await invited_user(
        http, staff, f"user-{name}@fairs.example", PASSWORD, role="member", member_id=member_id
    )
    return member_id, bearer(user)


async def test_delegation_calendar_feed_and_feedback(infra: Infra, gateway: Gateway) -> None:
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        members = [await _member_user(http, staff, f"{k}-{run}") for k in ("a", "b", "c")]

        planned = await http.post(
            "/delegations",
            json={
                "fair": f"Anuga {run}",
                "city": "Cologne",
                "starts_on": "2027-10-09",
                "ends_on": "2027-10-13",
                "stand_area_m2": "36",
                "total_cost": "30000.00",
                "cofinancing_share": "0.6",
                "cofinanced_by": "Enterprise Georgia",
                "places": 2,
            },
            headers=staff,
        )
        assert planned.status_code == 201, planned.text
        did = planned.json()["delegation_id"]

        async def apply(member_id: str, user: dict) -> httpx.Response:
            return await http.post(
                f"/delegations/{did}/applications",
                json={"member_id": member_id, "motivation": "new buyers in the EU"},
                headers=user,
            )

        for member_id, user in members:
            await eventually(
                lambda m=member_id, u=user: apply(m, u), lambda r: r.status_code == 200
            )
        for (member_id, _), score in zip(members, ("60", "80", "80"), strict=True):
            scored = await http.post(
                f"/delegations/{did}/applications/{member_id}/score",
                json={"score": score},
                headers=staff,
            )
            assert scored.status_code == 200, scored.text
        selected = (await http.post(f"/delegations/{did}/select", headers=staff)).json()
        chosen = {a["member_id"]: a["share"] for a in selected["applications"] if a["selected"]}
        assert chosen == {members[1][0]: "6000.00", members[2][0]: "6000.00"}
        mine = (await http.get(f"/delegations/{did}", headers=members[0][1])).json()
        assert [a["member_id"] for a in mine["applications"]] == [members[0][0]]

        async def shares() -> dict[str, str]:
            records = await read_topic(
                infra.kafka_bootstrap, "cmo.training", expect=10**6, timeout_s=2
            )
            events = [json.loads(r.value) for r in records]
            return {
                e["payload"]["member_id"]: e["payload"]["share"]
                for e in events
                if e["type"] == "delegation.member_selected"
                and e["payload"]["delegation_id"] == did
            }

        assert await eventually(shares, lambda s: len(s) == 2) == chosen
        assert sum(Decimal(v) for v in chosen.values()) == Decimal("12000.00")

        # A session the first member's person holds a seat at, in its private calendar.
        start = datetime.now(UTC) + timedelta(days=20)
        session = await http.post(
            "/sessions", json=workshop(f"Workshop {run}", start), headers=staff
        )
        sid = session.json()["session_id"]
        member_id, user = members[0]
        registered = await http.post(
            f"/sessions/{sid}/registrations",
            json={
                "member_id": member_id,
                "people": [{"name": "Ana", "email": f"ana-{run}@x.example"}],
            },
            headers=user,
        )
        assert registered.json()["status"] == "confirmed", registered.text
        link = (await http.get(f"/calendar/{member_id}/link", headers=user)).json()["url"]
        assert (await http.get(f"/calendar/{members[1][0]}/link", headers=user)).status_code in (
            403,
            404,
        )
        address = urlsplit(link)  # on the public URL; here the test's gateway stands for it
        feed = await http.get(f"{address.path}?{address.query}")  # no credentials but the token
        assert feed.headers["content-type"].startswith("text/calendar")
        calendar = vobject.readOne(feed.text)
        assert calendar.vevent.summary.value == f"სემინარი Workshop {run}"  # in Georgian
        wrong = await http.get(f"/calendar/{member_id}.ics", params={"token": "0" * 32})
        assert wrong.status_code == 404

        # After the session, the participant's reaction counts in the results.
        contact_id = registered.json()["people"][0]["contact_id"]
        await http.post(
            f"/sessions/{sid}/attendance",
            json={
                "sitting_id": session.json()["sittings"][0]["sitting_id"],
                "present": [contact_id],
            },
            headers=staff,
        )
        await http.post(f"/sessions/{sid}/complete", headers=staff)
        answered = await http.post(
            f"/sessions/{sid}/feedback",
            json={
                "member_id": member_id,
                "contact_id": contact_id,
                "kind": "reaction",
                "rating": 4,
            },
            headers=user,
        )
        assert answered.status_code == 204, answered.text
        early = await http.post(
            f"/sessions/{sid}/feedback",
            json={
                "member_id": member_id,
                "contact_id": contact_id,
                "kind": "follow_up",
                "applied": True,
            },
            headers=user,
        )
        assert (early.status_code, early.json()["error"]["code"]) == (409, "feedback_not_due")
        results = await http.get("/training-feedback", params={"session_id": sid}, headers=staff)
        assert (results.json()["reactions"], results.json()["average_rating"]) == (1, 4.0)


async def test_a_cancelled_session_cancels_its_registrations_and_their_calendar_entries(
    infra: Infra, gateway: Gateway
) -> None:
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        member_id, user = await _member_user(http, staff, f"off-{run}")
        start = datetime.now(UTC) + timedelta(days=40)
        body = workshop(f"Called off {run}", start, venue="Batumi")
        session = await http.post("/sessions", json=body, headers=staff)
        assert session.status_code == 201, session.text
        sid = session.json()["session_id"]
        person = f"trainee-{run}@people.example"

        async def register() -> httpx.Response:
            return await http.post(
                f"/sessions/{sid}/registrations",
                json={
                    "member_id": member_id,
                    "people": [{"name": "Trainee", "email": person, "language": "en"}],
                },
                headers=user,
            )

        # Training learns of the approval from its event: until then the company is refused.
        registered = await eventually(register, lambda r: r.status_code != 403)
        assert registered.json()["status"] == "confirmed", registered.text

        by_member = await http.post(
            f"/sessions/{sid}/cancel", json={"reason": "not mine to cancel"}, headers=user
        )
        assert by_member.status_code == 403, by_member.text
        missing = await http.post(f"/sessions/{sid}/cancel", json={}, headers=staff)
        assert missing.json()["error"]["field"] == "reason", missing.text
        cancelled = await http.post(
            f"/sessions/{sid}/cancel", json={"reason": "trainer ill"}, headers=staff
        )
        assert cancelled.json()["status"] == "cancelled", cancelled.text
        rid = registered.json()["registration_id"]
        after = (await http.get(f"/registrations/{rid}", headers=user)).json()
        assert (after["status"], after["reason"]) == ("cancelled", "trainer ill")
        late = await http.post(
            f"/sessions/{sid}/registrations",
            json={
                "member_id": member_id,
                "people": [{"name": "Late", "email": f"late-{run}@people.example"}],
            },
            headers=user,
        )
        assert late.status_code == 409, late.text

        def cancellation() -> list:
            subject = f"Cancelled: Called off {run}"
            return [m for m in mails_to(infra.mail_dir, person) if subject in str(m["Subject"])]

        [mail] = await eventually(lambda: resolved(cancellation()), bool)
        [part] = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
        calendar = vobject.readOne(part.get_content())
        assert part.get_param("method") == "CANCEL"
        assert (calendar.vevent.status.value, calendar.vevent.sequence.value) == ("CANCELLED", "1")
