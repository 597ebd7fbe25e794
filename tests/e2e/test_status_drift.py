"""A member suspended before its invoice falls due stays suspended in every read model."""

import uuid
from collections.abc import Iterator
from datetime import date, timedelta

import httpx
import pytest
from cmo_shared.schedule import today_in_tbilisi

from tests.conftest import (
    ADMIN_LOGIN,
    ADMIN_PASSWORD,
    Infra,
    create_admin,
    gateway_env,
    start_service,
    stop_services,
)
from tests.e2e.test_funding import _call
from tests.e2e.test_member_fees import TIERS
from tests.helpers import applicant, bearer, consumed, eventually, invited_user, sign_in

YEAR = 2033


@pytest.fixture(scope="module")
def own_stack(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Members, funding and a gateway on a database of their own (the arrears job acts on all)."""
    prefix = f"drift{uuid.uuid4().hex[:8]}"
    logs = tmp_path_factory.mktemp("logs")
    services = [
        start_service(name, infra, logs, CMO_DB_PREFIX=prefix) for name in ("members", "funding")
    ]
    urls = {s.name: s.url for s in services}
    create_admin(infra, ADMIN_LOGIN, ADMIN_PASSWORD, CMO_DB_PREFIX=prefix)
    env = gateway_env({**urls, "notifications": "http://127.0.0.1:9"}, CMO_DB_PREFIX=prefix)
    services.append(start_service("gateway", infra, logs, **env))
    try:
        yield {s.name: s.url for s in services} | {"prefix": prefix}
    finally:
        stop_services(services)


async def test_a_suspended_member_whose_invoice_falls_due_stays_suspended_everywhere(
    infra: Infra, own_stack: dict[str, str]
) -> None:
    prefix = own_stack["prefix"]
    async with httpx.AsyncClient(base_url=own_stack["gateway"], timeout=30) as http:
        staff = bearer(await sign_in(http, ADMIN_LOGIN, ADMIN_PASSWORD))

        async def joined(name: str) -> dict:
            body = applicant(
                (name, f"{name}@drift.example", "en"),
                legal_name=f"{name} LLC",
                certifications=["HACCP"],
                founded_year=2012,
            )
            member = (await http.post("/members", json=body, headers=staff)).json()
            approved = await http.post(f"/members/{member['member_id']}/approve", headers=staff)
            assert approved.status_code == 200, approved.text
            return member

        suspended, paying_late = await joined("suspended"), await joined("late")
        member_id = suspended["member_id"]
        user = bearer(
            await invited_user(
                http,
                staff,
                f"user-{uuid.uuid4().hex[:8]}@drift.example",
                "a long and unguessable pass",
                role="member",
                member_id=member_id,
                contact_id=suspended["contacts"][0]["contact_id"],
            )
        )
        schedule = await http.put(f"/fees/schedules/{YEAR}", json={"tiers": TIERS}, headers=staff)
        assert schedule.status_code == 200, schedule.text
        run = await http.post("/fees/invoicing/run", params={"year": YEAR}, headers=staff)
        assert run.json()["issued"] == 2, run.text
        stopped = await http.post(
            f"/members/{member_id}/suspend", json={"reason": "misconduct"}, headers=staff
        )
        assert stopped.status_code == 200, stopped.text

        invoices = (await http.get("/fees/invoices", params={"year": YEAR}, headers=staff)).json()
        due = date.fromisoformat(invoices["items"][0]["due_date"])
        arrears = await http.post(
            "/fees/overdue/run", params={"as_of": str(due + timedelta(days=1))}, headers=staff
        )
        assert arrears.json()["entered_grace"] == 1, arrears.text  # only the active one

        # Both read models have applied both members' `fee.overdue` (grace keeps the active one
        # in good standing).
        for service in ("gateway", "funding"):
            for member in (suspended, paying_late):
                await consumed(
                    infra.kafka_bootstrap,
                    f"{prefix}-{service}",
                    "cmo.members",
                    member["member_id"],
                    "fee.overdue",
                )
        me = (await http.get("/auth/me", headers=user)).json()
        acted = await http.patch(
            f"/members/{member_id}", json={"website": "https://x.example"}, headers=user
        )

        closes_on = today_in_tbilisi() + timedelta(days=10)
        call = (await http.post("/calls", json=_call(closes_on), headers=staff)).json()
        published = await http.post(f"/calls/{call['call_id']}/publish", headers=staff)
        assert published.status_code == 200, published.text

        async def matched() -> set[str]:
            page = await http.get(
                f"/calls/{call['call_id']}/matches", params={"page_size": 100}, headers=staff
            )
            return {m["member_id"] for m in page.json()["items"]}

        members = await eventually(matched, lambda found: paying_late["member_id"] in found)

    assert me["member_status"] == "suspended"
    assert acted.status_code == 403
    assert acted.json()["error"]["code"] == "member_not_in_good_standing"
    # (The topic is shared with the other tests' members, so only these two are looked at.)
    assert members & {member_id, paying_late["member_id"]} == {paying_late["member_id"]}
