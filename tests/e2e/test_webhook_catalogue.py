"""Webhooks for every public event, through the gateway as integrators call it.

An endpoint can subscribe to any event type of the catalogue its owner may receive (not only
those a notification rule names); a member company's endpoint gets the events about its own
company and never another's; an integration's gets every company's; a filter naming an
unknown, internal or staff-only type is refused with the field at fault.
"""

import uuid
from datetime import timedelta
from typing import Any

import httpx
from cmo_shared.schedule import today_in_tbilisi
from standardwebhooks.webhooks import Webhook

from tests.conftest import Gateway
from tests.helpers import applicant, bearer, eventually, invited_user, sign_in, webhook_receiver

PASSWORD = "a long and unguessable pass"
FILTER = ["member.profile_updated", "procurement.need_stated"]


async def _member(http: httpx.AsyncClient, staff: dict[str, str], name: str) -> dict[str, Any]:
    body = applicant((f"{name} IT", f"{name}@hooks.example", "en"), legal_name=f"{name} LLC")
    created = await http.post("/members", json=body, headers=staff)
    assert created.status_code == 201, created.text
    approved = await http.post(f"/members/{created.json()['member_id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return approved.json()


async def _state_need(http: httpx.AsyncClient, user: dict[str, str], category: str) -> str:
    need = {
        "category": category,
        "unit": "t",
        "quantity": "5",
        "baseline": {"unit_price": "100", "source": "last invoice", "observed_on": "2026-11-01"},
        "wanted_by": (today_in_tbilisi() + timedelta(days=60)).isoformat(),
        "region": "Imereti",
    }
    stated = await eventually(
        lambda: http.post("/needs", json=need, headers=user), lambda r: r.status_code != 404
    )
    assert stated.status_code == 201, stated.text
    return stated.json()["need_id"]


async def _events(receiver: Any, path: str, secret: str) -> list[dict[str, Any]]:
    """What arrived at a path, each verified with the endpoint's secret."""
    return [Webhook(secret).verify(body, headers) for headers, body, _ in receiver.on(path)]


def _about(events: list[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(e["type"], e["data"]["member_id"]) for e in events}


async def test_the_catalogue_lists_what_each_owner_may_subscribe_to(gateway: Gateway) -> None:
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        admin = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        listed = await http.get(
            "/webhooks/event-types", params={"owner_kind": "member"}, headers=admin
        )
        assert listed.status_code == 200, listed.text
        types = {t["type"]: t for t in listed.json()}
        # Beyond the rule table: profile changes, needs, and the procurement service's events.
        assert {"member.profile_updated", "need.identified", "procurement.need_stated"} <= set(
            types
        )
        assert "tender.opened" in types and types["tender.opened"]["visibility"] == "members"
        assert not {"user.invited", "notification.delivered", "tender.offer_received"} & set(types)
        schema = types["procurement.need_stated"]["payload_schema"]
        assert {"need_id", "member_id", "quantity"} <= set(schema["properties"])
        assert types["collaboration.matched"]["member_fields"] == ["member_id", "matched_member_id"]
        for_integrations = await http.get("/webhooks/event-types", headers=admin)
        assert "tender.offer_received" in {t["type"] for t in for_integrations.json()}


async def test_each_company_receives_its_own_events_and_integrations_everyones(
    gateway: Gateway,
) -> None:
    run = uuid.uuid4().hex[:8]
    async with (
        httpx.AsyncClient(base_url=gateway.url, timeout=30) as http,
        webhook_receiver() as receiver,
    ):
        admin = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        staff = bearer(
            await invited_user(http, admin, f"staff-{run}@cmo.example", PASSWORD, role="staff")
        )
        alpha, beta = (
            await _member(http, staff, f"alpha-{run}"),
            await _member(http, staff, f"beta-{run}"),
        )
        users = {}
        for member in (alpha, beta):
            users[member["member_id"]] = bearer(
                await invited_user(
                    http,
                    staff,
                    f"user-{member['member_id']}@hooks.example",
                    PASSWORD,
                    role="member",
                    member_id=member["member_id"],
                    contact_id=member["contacts"][0]["contact_id"],
                )
            )
        alpha_user, beta_user = users[alpha["member_id"]], users[beta["member_id"]]
        key = (await http.post("/integrations", json={"name": f"erp-{run}"}, headers=admin)).json()
        integration = {"X-API-Key": key["api_key"]}

        refused = []
        for owner, event_type in (
            (alpha_user, "member.renamed"),
            (alpha_user, "tender.offer_received"),
            (integration, "user.invited"),
        ):
            answer = await http.post(
                "/webhooks",
                json={
                    "owner_email": "it@hooks.example",
                    "url": f"{receiver.url}/refused",
                    "event_types": ["member.profile_updated", event_type],
                },
                headers=owner,
            )
            error = answer.json()["error"]
            refused.append((answer.status_code, error["code"], error["field"]))
        assert refused == [(422, "event_type_not_allowed", "event_types.1")] * 3

        hooks = {}
        for name, owner in (("alpha", alpha_user), ("beta", beta_user), ("erp", integration)):
            created = await http.post(
                "/webhooks",
                json={
                    "owner_email": "it@hooks.example",
                    "url": f"{receiver.url}/{name}",
                    "event_types": FILTER,
                },
                headers=owner,
            )
            assert created.status_code == 201, created.text
            hooks[name] = created.json()
        patched = await http.patch(
            f"/webhooks/{hooks['alpha']['endpoint_id']}",
            json={"event_types": ["procurement.pool_threshold_reached"]},
            headers=alpha_user,
        )
        assert (patched.status_code, patched.json()["error"]["field"]) == (422, "event_types.0")

        category = {
            "code": f"materials/glass-{run}",
            "name": {"ka": "მინა", "en": "Glass"},
            "units": ["t"],
        }
        assert (await http.put("/categories", json=category, headers=staff)).status_code == 200
        for member, user in ((alpha, alpha_user), (beta, beta_user)):
            changed = await http.patch(
                f"/members/{member['member_id']}",
                json={"website": f"https://{member['member_id']}.example"},
                headers=user,
            )
            assert changed.status_code == 200, changed.text
            await _state_need(http, user, category["code"])

        a, b = alpha["member_id"], beta["member_id"]
        everyone = {(t, m) for t in FILTER for m in (a, b)}
        erp = await eventually(
            lambda: _events(receiver, "erp", hooks["erp"]["secret"]),
            lambda got: _about(got) >= everyone,
        )
        assert _about(erp) == everyone
        for name, own in (("alpha", a), ("beta", b)):
            got = await eventually(
                lambda name=name: _events(receiver, name, hooks[name]["secret"]),
                lambda got: len(got) >= len(FILTER),
            )
            assert _about(got) == {(t, own) for t in FILTER}, f"{name} got only its own"
        assert len(erp) == len(everyone), "each event once"
        assert len(await _events(receiver, "alpha", hooks["alpha"]["secret"])) == len(FILTER)
        assert receiver.on("refused") == []
