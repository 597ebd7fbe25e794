"""Access to support services and draft needs through the gateway, on the real processes.

A member's needs-assessment answer becomes a draft need it confirms into a pool; a member asks
for certification, staff route it to a vetted provider (never an expired one), the member is
told and rates the engagement; a service the year's catalogue does not offer is refused by
name; a suspended member can act again once reinstated.
"""

import uuid
from datetime import timedelta

import httpx
from cmo_shared.schedule import today_in_tbilisi

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


async def test_members_reach_vetted_providers_and_confirm_their_assessed_needs(
    infra: Infra, gateway: Gateway
) -> None:
    run = uuid.uuid4().hex[:6]
    email = f"it-{run}@bakery.example"
    year = today_in_tbilisi().year
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        body = applicant(("Eka", email, "en"), legal_name=f"Bakery {run} LLC", sector="10.71")
        member = (await http.post("/members", json=body, headers=staff)).json()
        member_id = member["member_id"]
        await http.post(f"/members/{member_id}/approve", headers=staff)
        user = bearer(
            await invited_user(
                http,
                staff,
                f"user-{run}@bakery.example",
                PASSWORD,
                role="member",
                member_id=member_id,
                contact_id=member["contacts"][0]["contact_id"],
            )
        )

        # This year's catalogue does not offer audits: the refusal names the entry.
        seeded = await http.post(f"/catalogue/{year}", headers=staff)
        assert seeded.status_code == 200, seeded.text  # seeded at start, or now
        patched = await http.patch(
            f"/catalogue/{year}/services/audit-access",
            json={"availability": "not_this_year"},
            headers=staff,
        )
        assert patched.status_code == 200, patched.text
        audit = await eventually(
            lambda: http.post(
                "/support-requests",
                json={"service_type": "audit", "summary": "A financial audit."},
                headers=user,
            ),
            lambda r: r.status_code == 409,
            timeout_s=30,
        )
        assert audit.json()["error"]["code"] == "service_not_offered"
        assert audit.json()["error"]["field"] == "service_type"
        assert "(audit-access) is not offered" in audit.json()["error"]["message"]

        asked = await http.post(
            "/support-requests",
            json={
                "service_type": "certification",
                "standard": "FSSC 22000",
                "summary": "Certification of our new bakery line.",
                "member_id": member_id,
            },
            headers=user,
        )
        assert asked.status_code == 201, asked.text
        request_id = asked.json()["request_id"]

        providers = {}
        for name, valid in (("Expired Cert", -1), ("Cert Georgia", 365)):
            registered = await http.post(
                "/providers",
                json={
                    "name": f"{name} {run}",
                    "service_types": ["certification", "audit"],
                    "standards": ["FSSC 22000", "ISO 22000"],
                    "scope": "Food safety management systems",
                    "contact_email": f"{name.split()[0].lower()}-{run}@cert.example",
                    "accreditation_body": "GAC",
                    "accreditation_number": f"CB-{run}",
                    "valid_until": (today_in_tbilisi() + timedelta(days=valid)).isoformat(),
                },
                headers=staff,
            )
            assert registered.status_code == 201, registered.text
            providers[name] = registered.json()
        assert providers["Expired Cert"]["status"] == "expired"
        offered = await http.get(
            "/providers",
            params={"service_type": "certification", "available": "true", "page_size": 100},
            headers=user,
        )
        names = {p["name"] for p in offered.json()["items"]}
        assert f"Cert Georgia {run}" in names and f"Expired Cert {run}" not in names

        move = f"/support-requests/{request_id}/status"
        assert (await http.post(move, json={"status": "triaged"}, headers=staff)).status_code == 200
        expired = await http.post(
            f"/support-requests/{request_id}/match",
            json={"provider_id": providers["Expired Cert"]["provider_id"]},
            headers=staff,
        )
        assert (expired.status_code, expired.json()["error"]["code"]) == (
            409,
            "provider_not_available",
        )
        matched = await http.post(
            f"/support-requests/{request_id}/match",
            json={"provider_id": providers["Cert Georgia"]["provider_id"]},
            headers=staff,
        )
        assert matched.json()["status"] == "matched", matched.text
        early = await http.post(
            f"/support-requests/{request_id}/feedback", json={"rating": 5}, headers=user
        )
        assert early.status_code == 409
        for step in ("engaged", "completed"):
            moved = await http.post(move, json={"status": step}, headers=staff)
            assert moved.json()["status"] == step, moved.text
        rated = await http.post(
            f"/support-requests/{request_id}/feedback",
            json={"rating": 4, "comment": "Thorough and quick."},
            headers=user,
        )
        assert rated.status_code == 200, rated.text
        again = await http.post(
            f"/support-requests/{request_id}/feedback", json={"rating": 1}, headers=user
        )
        assert again.status_code == 409
        provider = await http.get(
            f"/providers/{providers['Cert Georgia']['provider_id']}", headers=staff
        )
        assert (provider.json()["ratings"], provider.json()["score"]) == (1, 80.0)

        usage = await eventually(
            lambda: http.get(
                f"/catalogue/{year}/usage", params={"slug": "certification-access"}, headers=user
            ),
            lambda r: r.json()["total"] == 1,
        )
        assert usage.json()["items"][0]["member_id"] == member_id

        # A needs-assessment answer of a procurement kind is a draft the member confirms.
        questionnaire = {
            "period": f"{year + 2}",
            "title": "Packaging needs",
            "questions": [
                {
                    "question_id": "trays",
                    "type": "number",
                    "text": "Cardboard trays needed next year?",
                    "required": True,
                    "need": {
                        "kind": "procurement",
                        "category": "cardboard trays",
                        "unit": "pieces",
                    },
                }
            ],
        }
        created = await http.post("/assessments", json=questionnaire, headers=staff)
        assert created.status_code == 201, created.text
        assessment = created.json()
        answered = await http.put(
            f"/assessments/{assessment['assessment_id']}/answers/{member_id}",
            json={"answers": {"trays": 2500}},
            headers=user,
        )
        assert answered.status_code == 200, answered.text
        drafts = await eventually(
            lambda: http.get("/needs", params={"status": "draft"}, headers=user),
            lambda r: r.json()["total"] == 1,
        )
        draft = drafts.json()["items"][0]
        assert (draft["quantity"], draft["unit"], draft["origin"]["stated"]) == (
            "2500",
            "pieces",
            "cardboard trays",
        )
        category = {
            "code": "packaging/cardboard-trays",
            "name": {"ka": "მუყაოს ლანგრები", "en": "Cardboard trays"},
            "units": ["pieces"],
        }
        assert (await http.put("/categories", json=category, headers=staff)).status_code == 200
        terms = {
            "category": "packaging/cardboard-trays",
            "unit": "pieces",
            "quantity": "2500",
            "max_quantity": "3000",
            "baseline": {
                "unit_price": "0.35",
                "source": "supplier quote",
                "observed_on": "2026-11-20",
            },
            "wanted_by": (today_in_tbilisi() + timedelta(days=30)).isoformat(),
            "region": "Imereti",
        }
        confirmed = await http.post(f"/needs/{draft['need_id']}/confirm", json=terms, headers=user)
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["status"] == "confirmed" and confirmed.json()["pool_id"]
        twice = await http.post(f"/needs/{draft['need_id']}/confirm", json=terms, headers=user)
        assert twice.status_code == 409

        # Suspended, the member can read but not act; reinstated, it can act again.
        await http.post(f"/members/{member_id}/suspend", json={"reason": "fees"}, headers=staff)
        blocked = await eventually(
            lambda: http.post(
                "/support-requests",
                json={"service_type": "erp", "summary": "ERP for the bakery."},
                headers=user,
            ),
            lambda r: r.status_code == 403,
            timeout_s=30,
        )
        assert blocked.json()["error"]["code"] == "member_not_in_good_standing"
        assert (await http.get("/needs", headers=user)).status_code == 200
        await http.post(f"/members/{member_id}/reinstate", json={"reason": "paid"}, headers=staff)
        allowed = await eventually(
            lambda: http.post(
                "/support-requests",
                json={"service_type": "erp", "summary": "ERP for the bakery."},
                headers=user,
            ),
            lambda r: r.status_code == 201,
            timeout_s=30,
        )
        assert allowed.json()["status"] == "submitted"

    subjects = await eventually(
        lambda: resolved([str(m["Subject"]) for m in mails_to(infra.mail_dir, email)]),
        lambda s: any("will help" in x for x in s),
    )
    assert f"Bakery {run} LLC: Cert Georgia {run} will help with your certification request" in (
        subjects
    )
    staff_mail = [
        str(m["Subject"])
        for m in mails_to(infra.mail_dir, "staff@cmo.example")
        if "FSSC 22000" in str(m["Subject"])
    ]
    assert staff_mail and staff_mail[0] == "New support request: certification (FSSC 22000)"
