"""Funding calls matched to eligible members, through real members, funding and notifications."""

import json
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from cmo_shared.schedule import today_in_tbilisi

from tests.conftest import Infra
from tests.helpers import (
    applicant,
    committed_offsets,
    consumed,
    eventually,
    mails_to,
    read_topic,
    resolved,
)

CRITERIA = {
    "sectors": ["10"],
    "max_employees": 250,
    "certifications": ["HACCP"],
    "min_years_in_operation": 3,
    "conditions": {"ka": "საქართველოში რეგისტრირებული", "en": "Registered in Georgia"},
}


def _call(closes_on: date, **overrides: Any) -> dict[str, Any]:
    body = {
        "programme": "DCFTA SME credit line",
        "funder": "EBRD",
        "funder_kind": "ifi",
        "title": {"ka": "კრედიტი კვების მწარმოებლებს", "en": "Credit for food processors"},
        "description": {"ka": "აღწერა", "en": "Loans for food-processing SMEs."},
        "instrument": "loan",
        "amount_min": "50000",
        "amount_max": "1500000",
        "currency": "GEL",
        "co_financing_share": 20,
        "opens_on": today_in_tbilisi().isoformat(),
        "closes_on": closes_on.isoformat(),
        "criteria": CRITERIA,
    }
    body.update(overrides)
    return body


class Members:
    """Seeds members with distinct contacts through the members service."""

    def __init__(self, http: httpx.AsyncClient, url: str) -> None:
        self.http, self.url, self.tag = http, url, uuid.uuid4().hex[:6]
        self.email: dict[str, str] = {}

    async def add(self, name: str, *, approve: bool = True, language: str = "en", **profile):
        email = f"{name}-{self.tag}@funding.example"
        defaults = {"certifications": ["HACCP"], "founded_year": 2012}
        body = applicant((name, email, language), legal_name=f"{name} LLC", **defaults | profile)
        created = await self.http.post(f"{self.url}/members", json=body)
        assert created.status_code == 201, created.text
        member_id = created.json()["member_id"]
        self.email[member_id] = email
        if approve:
            approved = await self.http.post(f"{self.url}/members/{member_id}/approve")
            assert approved.status_code == 200
        return member_id


async def _matched(http: httpx.AsyncClient, url: str, call_id: str) -> dict[str, list[str]]:
    page = (await http.get(f"{url}/calls/{call_id}/matches", params={"page_size": 100})).json()
    return {m["member_id"]: m["reasons"] for m in page["items"]}


async def test_a_call_reaches_exactly_its_eligible_members_and_is_followed_to_award(
    infra: Infra, stack: dict[str, str]
) -> None:
    members_url, funding = stack["members"], stack["funding"]
    closes_on = today_in_tbilisi() + timedelta(days=10)
    async with httpx.AsyncClient(timeout=10) as http:
        seed = Members(http, members_url)
        dairy = await seed.add("dairy", language="ka", sector="10.51", employees=45)
        bakery = await seed.add("bakery", sector="10.71", employees=200)
        metal = await seed.add("metal", sector="25.11")
        large = await seed.add("large", employees=400)
        idle = await seed.add("idle")
        await http.post(f"{members_url}/members/{idle}/suspend", json={"reason": "fees"})
        uncertified = await seed.add("uncertified", certifications=[])
        young = await seed.add("young", founded_year=today_in_tbilisi().year - 1)
        applicant_only = await seed.add("pending", approve=False)
        seeded = set(seed.email)
        # The suspension must have reached the funding service before the call is published.
        await consumed(
            infra.kafka_bootstrap,
            f"{infra.db_prefix}-funding",
            "cmo.members",
            idle,
            "member.suspended",
        )

        draft = await http.post(f"{funding}/calls", json=_call(closes_on))
        assert draft.status_code == 201, draft.text
        call_id = draft.json()["call_id"]
        assert draft.json()["status"] == "draft"
        assert await _matched(http, funding, call_id) == {}
        published = await http.post(f"{funding}/calls/{call_id}/publish")
        assert published.json()["status"] == "published"

        matched = await eventually(
            lambda: _matched(http, funding, call_id),
            lambda m: {dairy, bakery} <= m.keys(),
            timeout_s=30,
        )
        assert matched.keys() & seeded == {dairy, bakery}
        assert matched[dairy] == [
            "membership in good standing",
            "sector 10.51 is within 10",
            "45 employees (within 0-250)",
            "holds HACCP",
            f"{today_in_tbilisi().year - 2012} years in operation (at least 3)",
        ]

        # A member joining after publication is matched; a profile change that makes a
        # member eligible matches it once, however often it changes afterwards.
        newcomer = await seed.add("newcomer", sector="10.89")
        await http.patch(f"{members_url}/members/{uncertified}", json={"certifications": ["HACCP"]})
        await http.patch(f"{members_url}/members/{uncertified}", json={"employees": 60})
        matched = await eventually(
            lambda: _matched(http, funding, call_id),
            lambda m: {newcomer, uncertified} <= m.keys(),
            timeout_s=30,
        )
        assert matched.keys() & set(seed.email) == {dairy, bakery, newcomer, uncertified}

        # Interest and the application pipeline.
        interest = f"{funding}/calls/{call_id}/interest"
        application = await http.post(interest, json={"member_id": dairy})
        assert application.status_code == 201, application.text
        application_id = application.json()["application_id"]
        again = await http.post(interest, json={"member_id": dairy})
        assert (again.status_code, again.json()["error"]["code"]) == (409, "already_interested")
        refused = await http.post(interest, json={"member_id": metal})
        assert (refused.status_code, refused.json()["error"]["code"]) == (409, "not_matched")

        reminder = await http.post(
            f"{funding}/deadlines/run",
            params={"as_of": (closes_on - timedelta(days=7)).isoformat()},
        )
        assert reminder.json() == {
            "as_of": (closes_on - timedelta(days=7)).isoformat(),
            "closed": 0,
            "reminded": 1,
        }

        move = f"{funding}/applications/{application_id}/status"
        skipped = await http.post(move, json={"status": "awarded", "amount_awarded": "1"})
        assert skipped.status_code == 409
        for step in ("preparing", "submitted"):
            moved = await http.post(move, json={"status": step, "documents": ["business plan"]})
            assert moved.json()["status"] == step
        no_amount = await http.post(move, json={"status": "awarded"})
        assert no_amount.status_code == 422
        awarded = await http.post(
            move, json={"status": "awarded", "amount_awarded": "250000.50", "note": "signed"}
        )
        assert awarded.json()["amount_awarded"] == "250000.50"
        assert awarded.json()["documents"] == ["business plan"]
        summary = (await http.get(f"{funding}/calls/{call_id}/summary")).json()
        assert {k: summary[k] for k in ("interested", "submitted", "awarded")} == {
            "interested": 1,
            "submitted": 1,
            "awarded": 1,
        }
        assert summary["matched"] >= 4 and summary["total_awarded"] == "250000.50"

    # The matched members' contacts are told in their language; the others hear nothing.
    mail = await eventually(
        lambda: _mail_counts(infra, seed.email),
        lambda counts: all(counts[m] >= 1 for m in (dairy, bakery, newcomer, uncertified)),
        timeout_s=60,
    )
    georgian = await eventually(
        lambda: resolved(_funding_mails(infra, seed.email[dairy])), lambda s: len(s) >= 2
    )
    assert sorted(georgian) == sorted(
        [
            "დაფინანსების შესაძლებლობა dairy LLC-სთვის: კრედიტი კვების მწარმოებლებს",
            "დარჩა 7 დღე: კრედიტი კვების მწარმოებლებს",
        ]
    )
    assert _funding_mails(infra, seed.email[bakery]) == [
        "Funding opportunity for bakery LLC: Credit for food processors"
    ]
    for member in (metal, large, idle, young, applicant_only):
        assert mail[member] == 0, member
    assert mail[uncertified] == 1 and mail[newcomer] == 1

    async with httpx.AsyncClient(timeout=10) as http:
        inbox = await _inbox_titles(http, stack["notifications"], members_url, bakery)
        assert inbox == ["Funding opportunity for bakery LLC: Credit for food processors"]

    await _duplicates_change_nothing(infra, call_id, dairy)
    async with httpx.AsyncClient(timeout=10) as http:
        matched = await _matched(http, funding, call_id)
        assert matched.keys() & set(seed.email) == {dairy, bakery, newcomer, uncertified}
    assert len(_funding_mails(infra, seed.email[bakery])) == 1


TITLES = ("Credit for food processors", "კრედიტი კვების მწარმოებლებს")


def _funding_mails(infra: Infra, email: str) -> list[str]:
    """Subjects of the mails about the test's calls (welcome emails left out)."""
    subjects = [str(m["Subject"]) for m in mails_to(infra.mail_dir, email)]
    return [s for s in subjects if any(t in s for t in TITLES)]


async def _mail_counts(infra: Infra, emails: dict[str, str]) -> dict[str, int]:
    return {member: len(_funding_mails(infra, email)) for member, email in emails.items()}


async def _inbox_titles(
    http: httpx.AsyncClient, notifications: str, members: str, member_id: str
) -> list[str]:
    contact = (await http.get(f"{members}/members/{member_id}")).json()["contacts"][0]
    page = await eventually(
        lambda: http.get(f"{notifications}/inbox/{contact['contact_id']}"),
        lambda r: r.json()["total"] >= 2,
    )
    return [e["title"] for e in page.json()["items"] if e["topic"] == "funding"]


async def _duplicates_change_nothing(infra: Infra, call_id: str, member_id: str) -> None:
    """Deliver the call's publication and a member's joining again; wait until consumed."""
    funding_records = await read_topic(
        infra.kafka_bootstrap, "cmo.funding", expect=10**6, timeout_s=2
    )
    member_records = await read_topic(
        infra.kafka_bootstrap, "cmo.members", expect=10**6, timeout_s=2
    )
    published = next(
        r
        for r in funding_records
        if json.loads(r.value)["type"] == "funding_call.published" and r.key == call_id.encode()
    )
    joined = next(
        r
        for r in member_records
        if json.loads(r.value)["type"] == "member.joined" and r.key == member_id.encode()
    )
    matches = [
        json.loads(r.value)
        for r in funding_records
        if json.loads(r.value)["type"] == "funding.match_found"
        and json.loads(r.value)["payload"]["call_id"] == call_id
    ]
    assert len(matches) == len({m["payload"]["member_id"] for m in matches}), "one per member"
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        sent = []
        for record in (published, joined):
            copy = {**json.loads(record.value), "event_id": str(uuid.uuid4())}
            for body in (record.value, json.dumps(copy).encode()):
                sent.append(await producer.send_and_wait(record.topic, body, key=record.key))
    finally:
        await producer.stop()
    for group in ("funding", "notifications"):
        await eventually(
            lambda group=group: committed_offsets(
                infra.kafka_bootstrap, f"{infra.db_prefix}-{group}"
            ),
            lambda offsets: all(offsets.get((s.topic, s.partition), -1) > s.offset for s in sent),
            timeout_s=30,
        )
    again = await read_topic(infra.kafka_bootstrap, "cmo.funding", expect=10**6, timeout_s=2)
    after = [
        r
        for r in again
        if json.loads(r.value)["type"] == "funding.match_found"
        and json.loads(r.value)["payload"]["call_id"] == call_id
    ]
    assert len(after) == len(matches), "no match announced again"


async def test_the_deadline_job_closes_a_call_on_time_and_matching_stops(
    infra: Infra, stack: dict[str, str]
) -> None:
    members_url, funding = stack["members"], stack["funding"]
    closes_on = today_in_tbilisi() + timedelta(days=3)
    async with httpx.AsyncClient(timeout=10) as http:
        call_id = (await http.post(f"{funding}/calls", json=_call(closes_on))).json()["call_id"]
        await http.post(f"{funding}/calls/{call_id}/publish")
        run = f"{funding}/deadlines/run"
        on_the_day = await http.post(run, params={"as_of": closes_on.isoformat()})
        assert on_the_day.json()["closed"] == 0
        day_after = (closes_on + timedelta(days=1)).isoformat()
        assert (await http.post(run, params={"as_of": day_after})).json()["closed"] == 1
        call = (await http.get(f"{funding}/calls/{call_id}")).json()
        assert (call["status"], call["closed_by"]) == ("closed", "system:deadline")
        assert (await http.post(run, params={"as_of": day_after})).json()["closed"] == 0

        latecomer = await Members(http, members_url).add("latecomer", sector="10.51")
        second = (await http.post(f"{funding}/calls", json=_call(closes_on))).json()["call_id"]
        await http.post(f"{funding}/calls/{second}/publish")
        await eventually(
            lambda: _matched(http, funding, second),
            lambda m: latecomer in m,
            timeout_s=30,
        )
        assert latecomer not in await _matched(http, funding, call_id)
        closed_interest = await http.post(
            f"{funding}/calls/{call_id}/interest", json={"member_id": latecomer}
        )
        assert closed_interest.status_code == 409
        await http.post(f"{funding}/calls/{second}/close")

    records = await read_topic(infra.kafka_bootstrap, "cmo.funding", expect=10**6, timeout_s=2)
    closed = [
        json.loads(r.value)
        for r in records
        if r.key == call_id.encode() and json.loads(r.value)["type"] == "funding_call.closed"
    ]
    assert [c["payload"]["actor"] for c in closed] == ["system:deadline"]


async def test_calls_are_validated_field_by_field(stack: dict[str, str]) -> None:
    today = today_in_tbilisi()
    body = _call(
        today - timedelta(days=1),
        amount_min="900",
        amount_max="100",
        criteria={"sectors": ["04", "10.5"], "min_employees": 50, "max_employees": 10},
        role="admin",
    )
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(f"{stack['funding']}/calls", json=body)
        assert response.status_code == 422
        fields = {d["field"] for d in response.json()["error"]["details"]}
        assert fields == {
            "amount_max",
            "closes_on",
            "criteria.sectors.0",
            "criteria.max_employees",
            "role",
        }
        past = await http.post(
            f"{stack['funding']}/calls",
            json=_call(today - timedelta(days=1), opens_on=(today - timedelta(days=9)).isoformat()),
        )
        assert past.status_code == 201
        refused = await http.post(f"{stack['funding']}/calls/{past.json()['call_id']}/publish")
        assert (refused.status_code, refused.json()["error"]["code"]) == (409, "close_date_passed")
        missing = await http.get(f"{stack['funding']}/calls/nope")
        assert missing.status_code == 404
