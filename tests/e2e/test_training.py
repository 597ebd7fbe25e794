"""Flow 5 end to end through the gateway: members' needs to certificates anyone can verify.

Real members, training, notifications and gateway processes on real Kafka, FerretDB and SMTP.
Three members state training needs; the plan ranks the topic two of them need; a session is
scheduled and those two are invited first, the third may register only once the window
opens; seats go up to capacity, then the waitlist; a cancellation offers the seat to the first
waitlisted, who takes it; the confirmation email carries a calendar invitation that a
calendar library reads, and moving the session sends SEQUENCE 1; attendance earns one
person a certificate, which an independent JOSE library verifies with the published key.
"""

import io
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
import vobject
import zxingcpp
from jwcrypto import jwk, jws
from pypdf import PdfReader

from tests.conftest import Gateway, Infra
from tests.helpers import (
    applicant,
    bearer,
    eventually,
    invited_user,
    mails_to,
    resolved,
    sign_in,
)

PASSWORD = "a long and unguessable pass"
YEAR = 2027


async def _member(http: httpx.AsyncClient, staff: dict, name: str, email: str) -> dict:
    body = applicant((f"{name} Contact", email, "en"), legal_name=f"{name} LLC")
    created = await http.post("/members", json=body, headers=staff)
    assert created.status_code == 201, created.text
    approved = await http.post(f"/members/{created.json()['member_id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return approved.json()


def _mails(infra: Infra, email: str, marker: str) -> list:
    return [m for m in mails_to(infra.mail_dir, email) if marker in str(m["Subject"])]


def _invite(message: Any) -> Any:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return part.get_param("method"), vobject.readOne(part.get_content())


async def test_needs_become_a_session_with_fair_seats_calendar_invitations_and_certificates(
    infra: Infra, gateway: Gateway
) -> None:
    run = uuid.uuid4().hex[:6]
    topic, other = f"HACCP {run}", f"Export marketing {run}"
    contact = {k: f"{k}-{run}@members.example" for k in ("alpha", "beta", "gamma")}
    person = {k: f"{k}-{run}@people.example" for k in ("alpha", "beta", "gamma")}
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        members = {k: await _member(http, staff, f"{k} {run}", contact[k]) for k in contact}
        users = {
            k: bearer(
                await invited_user(
                    http,
                    staff,
                    f"user-{k}-{run}@users.example",
                    PASSWORD,
                    role="member",
                    member_id=m["member_id"],
                )
            )
            for k, m in members.items()
        }

        # 1. Three members state their training needs in the assessment.
        assessment = await http.post(
            "/assessments",
            json={
                "period": str(YEAR),
                "title": f"Training needs {run}",
                "questions": [
                    {
                        "question_id": "trainings",
                        "type": "multi_choice",
                        "text": "Which trainings?",
                        "options": [topic, other],
                        "need": {"kind": "training"},
                    }
                ],
            },
            headers=staff,
        )
        assert assessment.status_code == 201, assessment.text
        aid = assessment.json()["assessment_id"]
        for key, choice in (("alpha", [topic]), ("beta", [topic, other]), ("gamma", [other])):
            answered = await http.put(
                f"/assessments/{aid}/answers/{members[key]['member_id']}",
                json={"answers": {"trainings": choice}},
                headers=users[key],
            )
            assert answered.status_code == 200, answered.text

        # 2. The needs rank into the plan.
        async def ranked() -> dict[str, dict]:
            answer = await http.get(f"/training-needs/{YEAR}", headers=staff)
            return {t["topic"]: t for t in answer.json()}

        needs = await eventually(
            ranked, lambda r: r.get(topic, {}).get("companies") == 2 and other in r
        )
        assert sorted(needs[topic]["members"]) == sorted(
            members[k]["member_id"] for k in ("alpha", "beta")
        )
        item = await http.post(
            f"/plans/{YEAR}/items",
            json={
                "topic": topic,
                "format": "course",
                "quarter": f"{YEAR}-Q1",
                "budget_line": "membership fees",
                "provider": "Food Safety Academy",
            },
            headers=staff,
        )
        assert item.status_code == 201, item.text
        assert len(item.json()["members"]) == 2

        # 3. A session with two seats; alpha and beta are invited first.
        start = datetime(YEAR, 2, 10, 6, tzinfo=UTC)
        session = await http.post(
            "/sessions",
            json={
                "title": {"ka": f"ჰასპი {run}", "en": f"HACCP course {run}"},
                "format": "course",
                "plan_item_id": item.json()["item_id"],
                "sittings": [
                    {
                        "starts_at": start.isoformat(),
                        "ends_at": (start + timedelta(hours=3)).isoformat(),
                    },
                    {
                        "starts_at": (start + timedelta(days=1)).isoformat(),
                        "ends_at": (start + timedelta(days=1, hours=3)).isoformat(),
                    },
                ],
                "venue": "Kutaisi Technopark",
                "capacity": 2,
                "company_cap": 1,
                "priority_hours": 72,
            },
            headers=staff,
        )
        assert session.status_code == 201, session.text
        sid = session.json()["session_id"]
        assert sorted(session.json()["invited"]) == sorted(needs[topic]["members"])
        invited = f"Invitation: HACCP course {run}"
        for key in ("alpha", "beta"):
            await eventually(lambda k=key: resolved(_mails(infra, contact[k], invited)), bool)
        assert _mails(infra, contact["gamma"], invited) == []

        async def register(key: str) -> httpx.Response:
            return await http.post(
                f"/sessions/{sid}/registrations",
                json={
                    "member_id": members[key]["member_id"],
                    "people": [{"name": f"{key} trainee", "email": person[key], "language": "en"}],
                },
                headers=users[key],
            )

        early = await register("gamma")
        assert (early.status_code, early.json()["error"]["code"]) == (403, "not_invited_yet")
        alpha = await register("alpha")
        beta = await register("beta")
        assert [alpha.json()["status"], beta.json()["status"]] == ["confirmed", "confirmed"]
        opened = await http.post(f"/sessions/{sid}/open", headers=staff)
        assert opened.json()["status"] == "open", opened.text
        gamma = await register("gamma")
        assert gamma.json()["status"] == "waitlisted", gamma.text

        # 4. The confirmation carries a calendar invitation a calendar library reads.
        confirmed = f"Your seat: HACCP course {run}"
        [mail] = await eventually(lambda: resolved(_mails(infra, person["beta"], confirmed)), bool)
        method, calendar = _invite(mail)
        assert (method, calendar.vevent.sequence.value) == ("REQUEST", "0")
        assert calendar.vevent.dtstart.value == start
        uid = calendar.vevent.uid.value

        # 5. Alpha cancels: gamma, first on the waitlist, is offered the seat and takes it.
        cancelled = await http.post(
            f"/registrations/{alpha.json()['registration_id']}/cancel",
            json={"reason": "cannot come"},
            headers=users["alpha"],
        )
        assert cancelled.json()["status"] == "cancelled", cancelled.text
        gid = gamma.json()["registration_id"]
        offered = await http.get(f"/registrations/{gid}", headers=users["gamma"])
        assert offered.json()["status"] == "offered"
        theirs = await http.post(f"/registrations/{gid}/accept", headers=users["beta"])
        assert theirs.status_code in (403, 404)
        accepted = await http.post(f"/registrations/{gid}/accept", headers=users["gamma"])
        assert accepted.json()["status"] == "confirmed", accepted.text
        [alpha_cancel] = await eventually(
            lambda: resolved(_mails(infra, person["alpha"], f"Cancelled: HACCP course {run}")),
            bool,
        )
        assert _invite(alpha_cancel)[0] == "CANCEL"

        # 6. The session moves: the confirmed get the same event with SEQUENCE 1.
        later = start + timedelta(days=7)
        moved = await http.post(
            f"/sessions/{sid}/reschedule",
            json={
                "sittings": [
                    {
                        "starts_at": later.isoformat(),
                        "ends_at": (later + timedelta(hours=3)).isoformat(),
                    },
                    {
                        "starts_at": (later + timedelta(days=1)).isoformat(),
                        "ends_at": (later + timedelta(days=1, hours=3)).isoformat(),
                    },
                ]
            },
            headers=staff,
        )
        assert moved.json()["sequence"] == 1, moved.text
        updates = await eventually(
            lambda: resolved(_mails(infra, person["beta"], confirmed)), lambda m: len(m) == 2
        )
        sequences = sorted(_invite(m)[1].vevent.sequence.value for m in updates)
        assert sequences == ["0", "1"]
        assert {_invite(m)[1].vevent.uid.value for m in updates} == {uid}

        # 7. Attendance: beta was at both sittings, gamma at one (below 80 %).
        roster = await http.get(f"/sessions/{sid}/registrations", headers=staff)
        people = {
            r["member_id"]: r["people"][0]["contact_id"]
            for r in roster.json()
            if r["status"] == "confirmed"
        }
        sittings = [s["sitting_id"] for s in moved.json()["sittings"]]
        beta_id, gamma_id = (
            people[members["beta"]["member_id"]],
            people[members["gamma"]["member_id"]],
        )
        for sitting, present in ((sittings[0], [beta_id, gamma_id]), (sittings[1], [beta_id])):
            marked = await http.post(
                f"/sessions/{sid}/attendance",
                json={"sitting_id": sitting, "present": present},
                headers=staff,
            )
            assert marked.status_code == 200, marked.text
        stranger = await http.post(
            f"/sessions/{sid}/attendance",
            json={"sitting_id": sittings[0], "present": ["somebody-else"]},
            headers=staff,
        )
        assert (stranger.status_code, stranger.json()["error"]["field"]) == (422, "present")
        completed = await http.post(f"/sessions/{sid}/complete", headers=staff)
        assert completed.status_code == 200, completed.text
        [certificate] = completed.json()
        assert (certificate["member_id"], certificate["attendance"]) == (
            members["beta"]["member_id"],
            1.0,
        )

        # 8. Anyone verifies it: the key is public, the check independent of the service.
        keys = (await http.get("/.well-known/jwks.json")).json()["keys"]
        token = (await http.get(f"/certificates/{certificate['certificate_id']}")).json()["jwt"]
        verified = jws.JWS()
        verified.deserialize(token)
        verified.verify(jwk.JWK(**keys[0]), alg="Ed25519")
        assert b"OpenBadgeCredential" in verified.payload
        check = await http.get(f"/certificates/{certificate['certificate_id']}/verify")
        assert check.json()["valid"] is True

        # 9. The printable PDF names the person and the session; its QR code leads to the check.
        printed = await http.get(f"/certificates/{certificate['certificate_id']}/pdf")
        assert printed.headers["content-type"] == "application/pdf", printed.text
        (page,) = PdfReader(io.BytesIO(printed.content)).pages
        assert f"ჰასპი {run}" in page.extract_text() and "beta trainee" in page.extract_text()
        (code,) = zxingcpp.read_barcodes(page.images[0].image)
        scanned = await http.get(urlsplit(code.text).path)
        assert scanned.json()["valid"] is True
        await eventually(
            lambda: resolved(
                _mails(infra, person["beta"], f"Your certificate: HACCP course {run}")
            ),
            bool,
        )
        revoked = await http.post(
            f"/certificates/{certificate['certificate_id']}/revoke",
            json={"reason": "issued in error"},
            headers=staff,
        )
        assert revoked.status_code == 200, revoked.text
        after = await http.get(f"/certificates/{certificate['certificate_id']}/verify")
        assert (after.json()["valid"], after.json()["revoked"]) == (False, True)
        reprint = await http.get(f"/certificates/{certificate['certificate_id']}/pdf")
        assert reprint.json()["error"]["code"] == "certificate_revoked", reprint.text
