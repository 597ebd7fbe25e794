"""Every route of the gateway, called as every kind of caller, answers as the routing table says.

The cases are generated from `ROUTES`: anonymous callers get 401 (public routes aside), roles
the table does not name get 403, and a member user reaching for another company's resource
gets 404 (or 403 when the body names the other company); lists are filtered to the caller.
Company A owns every sample resource; B is the other company.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
from cmo_gateway.accounts.domain import Role
from cmo_gateway.routing.limits import AnswerIsOwn, BodyIsOwn, PathIsOwn, QueryIsOwn, TargetIsOwn
from cmo_gateway.routing.routes import ROUTES, Route
from cmo_shared.schedule import today_in_tbilisi

from tests.conftest import ADMIN_PASSWORD, Gateway
from tests.helpers import applicant, bearer, eventually, invited_user, sign_in

CALLERS = ("anonymous", "integration", "member_b", "member_a", "staff", "admin")
ROLE_OF = {
    "integration": Role.INTEGRATION,
    "member_a": Role.MEMBER,
    "member_b": Role.MEMBER,
    "staff": Role.STAFF,
    "admin": Role.ADMIN,
}
PASSWORD = "a long and unguessable pass"
YEAR = "2099"
OWNED = (PathIsOwn, AnswerIsOwn, TargetIsOwn)
# Path parameters whose sample is a real resource of company A (others name nothing).
REAL = {"member_id", "contact_id", "invoice_id", "application_id", "call_id", "post_id"}
REAL |= {"endpoint_id", "entry_id", "need_id", "request_id"}
# A body every service refuses (unknown field): reaching the service changes nothing.
# Jobs get arguments they refuse, so that calling them as staff runs nothing.
QUERIES = {
    ("POST", "/fees/invoicing/run"): {"year": "x"},
    ("POST", "/fees/overdue/run"): {"as_of": "x"},
    ("POST", "/deadlines/run"): {"as_of": "x"},
    ("POST", "/digests/run"): {"at": "x"},
    ("POST", "/deliveries/replay"): {"event_id": "no-such-event"},
}


@dataclass
class World:
    """The callers' credentials and company A's resources."""

    headers: dict[str, dict[str, str]]
    logins: dict[str, str]
    own: dict[str, str | None]
    samples: dict[str, str]
    overrides: dict[tuple[str, str], dict[str, str]]


async def _member(http: httpx.AsyncClient, staff: dict[str, str], run: str, name: str) -> dict:
    body = applicant(
        (f"{name} Contact", f"{name.lower()}-{run}@members.example", "en"),
        legal_name=f"{name} {run} LLC",
        sector="62.01",
        region="Racha-Lechkhumi and Kvemo Svaneti",
    )
    created = await http.post("/members", json=body, headers=staff)
    assert created.status_code == 201, created.text
    member_id = created.json()["member_id"]
    approved = await http.post(f"/members/{member_id}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return approved.json()


async def _first(http: httpx.AsyncClient, path: str, headers: dict[str, str], **params: Any) -> Any:
    response = await http.get(path, params=params, headers=headers)
    if response.status_code != 200:
        return None
    payload = response.json()
    items = payload["items"] if isinstance(payload, dict) else payload
    return items[0] if items else None


@pytest.fixture(scope="module")
async def world(gateway: Gateway) -> World:
    """Users of every role and company A's resources, made through the gateway."""
    run = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        admin = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        staff = bearer(
            await invited_user(http, admin, f"staff-{run}@cmo.example", PASSWORD, role="staff")
        )
        a = await _member(http, staff, run, "Alpha")
        b = await _member(http, staff, run, "Beta")
        users = {}
        logins = {"admin": gateway.admin_login, "staff": f"staff-{run}@cmo.example"}
        for key, member in (("member_a", a), ("member_b", b)):
            logins[key] = f"{key}-{run}@members.example"
            users[key] = bearer(
                await invited_user(
                    http,
                    staff,
                    logins[key],
                    PASSWORD,
                    role="member",
                    member_id=member["member_id"],
                    contact_id=member["contacts"][0]["contact_id"],
                )
            )
        integration = await http.post("/integrations", json={"name": f"crm-{run}"}, headers=admin)
        assert integration.status_code == 201, integration.text
        key = integration.json()
        member_a = users["member_a"]

        tiers = {"micro": "300", "small": "900", "medium": "2400", "large": "6000"}
        await http.put(f"/fees/schedules/{YEAR}", json={"tiers": tiers}, headers=staff)
        await http.post("/fees/invoicing/run", params={"year": YEAR}, headers=staff)
        invoice = await _first(http, "/fees/invoices", member_a, year=YEAR)

        closes_on = (today_in_tbilisi() + timedelta(days=60)).isoformat()
        call = await http.post("/calls", json=_call(closes_on), headers=staff)
        assert call.status_code == 201, call.text
        call_id = call.json()["call_id"]
        assert (await http.post(f"/calls/{call_id}/publish", headers=staff)).status_code == 200
        await eventually(lambda: _first(http, "/matches", member_a), lambda m: m is not None)
        applied = await http.post(f"/calls/{call_id}/interest", json={}, headers=member_a)
        assert applied.status_code == 201, applied.text

        post = await http.post(
            "/collaboration/posts",
            json={
                "kind": "request",
                "category": "joint_rnd",
                "title": "Partner for a data platform",
                "description": "Looking for a partner.",
                "sectors": ["62"],
            },
            headers=member_a,
        )
        assert post.status_code == 201, post.text
        hooks = []
        for _ in range(2):
            hook = await http.post(
                "/webhooks",
                json={"owner_email": "it@alpha.example", "url": "http://127.0.0.1:9/hook"},
                headers=member_a,
            )
            assert hook.status_code == 201, hook.text
            hooks.append(hook.json()["endpoint_id"])
        need, support_request = await _procurement_samples(http, staff, member_a)
        contact_id = a["contacts"][0]["contact_id"]
        entry = await eventually(
            lambda: _first(http, f"/inbox/{contact_id}", member_a), lambda e: e is not None
        )

    return World(
        headers={
            "anonymous": {},
            "integration": {"X-API-Key": key["api_key"]},
            **users,
            "staff": staff,
            "admin": admin,
        },
        logins=logins,
        own={
            "member_a": a["member_id"],
            "member_b": b["member_id"],
            "integration": key["integration_id"],
        },
        samples={
            "member_id": a["member_id"],
            "contact_id": contact_id,
            "invoice_id": invoice["invoice_id"],
            "application_id": applied.json()["application_id"],
            "call_id": call_id,
            "post_id": post.json()["post_id"],
            "endpoint_id": hooks[0],
            "entry_id": entry["entry_id"],
            "need_id": need,
            "request_id": support_request,
            "year": YEAR,
            "slug": "no-such-service",
            "quarter": "2099-Q1",
            "command": "no-such-command",
            "token": "not-a-token",
        },
        overrides={
            ("DELETE", "/webhooks/{endpoint_id}"): {"endpoint_id": hooks[1]},
            ("PUT", "/calls/{call_id}"): {"call_id": "no-such-call"},
            ("POST", "/calls/{call_id}/publish"): {"call_id": "no-such-call"},
            ("POST", "/calls/{call_id}/close"): {"call_id": "no-such-call"},
            ("POST", "/catalogue/{year}"): {"year": "1"},
        },
    )


async def _procurement_samples(
    http: httpx.AsyncClient, staff: dict[str, str], member_a: dict[str, str]
) -> tuple[str, str]:
    """A need and a support request of company A, stated by its own user."""
    category = {
        "code": "services/cloud-hosting",
        "name": {"ka": "ჰოსტინგი", "en": "Cloud hosting"},
        "units": ["months"],
    }
    assert (await http.put("/categories", json=category, headers=staff)).status_code == 200
    need = {
        "category": "services/cloud-hosting",
        "unit": "months",
        "quantity": "12",
        "baseline": {
            "unit_price": "300",
            "source": "current contract",
            "observed_on": "2026-11-01",
        },
        "wanted_by": (today_in_tbilisi() + timedelta(days=60)).isoformat(),
        "region": "Racha-Lechkhumi and Kvemo Svaneti",
    }
    stated = await eventually(
        lambda: http.post("/needs", json=need, headers=member_a), lambda r: r.status_code != 404
    )
    assert stated.status_code == 201, stated.text
    asked = await http.post(
        "/support-requests",
        json={"service_type": "erp", "summary": "An ERP for a 20-person IT firm."},
        headers=member_a,
    )
    assert asked.status_code == 201, asked.text
    return stated.json()["need_id"], asked.json()["request_id"]


def _call(closes_on: str) -> dict[str, Any]:
    return {
        "programme": "Digital SMEs",
        "funder": "Enterprise Georgia",
        "funder_kind": "government",
        "title": {"ka": "ციფრული", "en": "Digital"},
        "description": {"ka": "აღწერა", "en": "Grants for IT firms in Racha."},
        "instrument": "grant",
        "amount_min": "1000",
        "amount_max": "50000",
        "currency": "GEL",
        "co_financing_share": 10,
        "opens_on": today_in_tbilisi().isoformat(),
        "closes_on": closes_on,
        "criteria": {"sectors": ["62.01"], "regions": ["Racha-Lechkhumi and Kvemo Svaneti"]},
    }


def _url(route: Route, world: World) -> str:
    values = {**world.samples, **world.overrides.get((route.method, route.path), {})}
    path = route.path
    for name in _params(route):
        path = path.replace(f"{{{name}}}", values.get(name, f"no-such-{name}"))
    return path


def _params(route: Route) -> list[str]:
    return [part[1:-1] for part in route.path.split("/") if part.startswith("{")]


async def _headers(http: httpx.AsyncClient, route: Route, caller: str, world: World):
    """The caller's credentials; logging out gets a session of its own to end."""
    if route.path != "/auth/logout" or caller not in world.logins:
        return world.headers[caller]
    password = PASSWORD if caller != "admin" else ADMIN_PASSWORD
    return bearer(await sign_in(http, world.logins[caller], password))


async def _call_route(http: httpx.AsyncClient, route: Route, caller: str, world: World):
    body = None
    if route.method in ("POST", "PUT", "PATCH"):
        a = world.samples["member_id"]
        body = {"member_id": a, "owner_id": a, "unexpected_field": True}
    return await http.request(
        route.method,
        _url(route, world),
        params=QUERIES.get((route.method, route.path)),
        json=body,
        headers=await _headers(http, route, caller, world),
    )


def _check(route: Route, caller: str, response: httpx.Response, world: World) -> None:
    status = response.status_code
    where = f"{route.method} {route.path} as {caller}: {status} {response.text[:200]}"
    assert status < 500, where
    if route.public:
        assert status not in (401, 403), where
        return
    if caller == "anonymous":
        assert status == 401, where
        return
    role = ROLE_OF[caller]
    if role not in route.roles:
        assert status == 403 and response.json()["error"]["code"] == "forbidden", where
        return
    owner = caller == "member_a"
    for limit in (lim for lim in route.limits if role in lim.roles):
        if isinstance(limit, OWNED) and not owner:
            assert status == 404, where
            return
        if isinstance(limit, BodyIsOwn) and not owner:
            assert status == 403, where
            assert response.json()["error"]["code"] == "not_your_resource", where
            return
        if isinstance(limit, QueryIsOwn) and status == 200:
            payload = response.json()
            items = payload["items"] if isinstance(payload, dict) else payload
            assert all(item[limit.param] == world.own[caller] for item in items), where
    assert status not in (401, 403), where
    owned = any(isinstance(lim, OWNED) for lim in route.limits)
    if owner and owned and all(name in REAL for name in _params(route)):
        assert status != 404, f"the owner is refused its own resource: {where}"


async def test_every_route_answers_every_caller_as_the_table_says(
    gateway: Gateway, world: World
) -> None:
    checked = 0
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        for route in ROUTES:
            for caller in CALLERS:
                response = await _call_route(http, route, caller, world)
                _check(route, caller, response, world)
                checked += 1
    assert checked == len(ROUTES) * len(CALLERS)


async def test_member_users_see_only_their_own_company(gateway: Gateway, world: World) -> None:
    a, b = world.own["member_a"], world.own["member_b"]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        own = await http.get(f"/members/{a}", headers=world.headers["member_a"])
        other = await http.get(f"/members/{a}", headers=world.headers["member_b"])
        asked_for_a = await http.get(
            "/fees/invoices", params={"member_id": a}, headers=world.headers["member_b"]
        )
        posts_for_b = await http.get("/collaboration/posts", headers=world.headers["member_b"])
        post = f"/collaboration/posts/{world.samples['post_id']}"
        post_for_a = await http.get(post, headers=world.headers["member_a"])
        post_for_b = await http.get(post, headers=world.headers["member_b"])
        post_for_staff = await http.get(post, headers=world.headers["staff"])
    assert own.status_code == 200 and own.json()["member_id"] == a
    assert posts_for_b.status_code == 200, posts_for_b.text
    assert all(p["matches"] == [] for p in posts_for_b.json()["items"] if p["member_id"] != b)
    assert post_for_staff.json()["matches"], "the sample post matched company B"
    assert post_for_a.json()["matches"] == post_for_staff.json()["matches"]
    assert post_for_b.json()["matches"] == [], "whom a post matched is its author's business"
    assert other.status_code == 404 and other.json()["error"]["code"] == "not_found"
    assert asked_for_a.status_code == 200
    assert {i["member_id"] for i in asked_for_a.json()["items"]} <= {b}
