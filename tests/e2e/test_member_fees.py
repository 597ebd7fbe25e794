"""Fees on real infrastructure: schedule, idempotent invoice run, grace, suspension, payment."""

import json
from collections import Counter
from datetime import date, timedelta

import httpx

from tests.conftest import Infra
from tests.helpers import applicant, eventually, read_topic

YEAR = 2031
TIERS = {"micro": "300.00", "small": "900.50", "medium": "2400", "large": "6000.00"}


async def _member(http: httpx.AsyncClient, url: str, employees: int, approve: bool) -> dict:
    body = applicant(("Fee Payer", "fees@x.example", "en"), employees=employees)
    member = (await http.post(f"{url}/members", json=body)).json()
    if approve:
        member = (await http.post(f"{url}/members/{member['member_id']}/approve")).json()
    return member


async def test_schedule_rejects_missing_tiers_and_inexact_amounts(isolated_members: str) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        missing = await http.put(
            f"{isolated_members}/fees/schedules/{YEAR}", json={"tiers": {"micro": "10"}}
        )
        assert missing.status_code == 422
        assert missing.json()["error"]["field"] == "tiers"
        assert "medium" in missing.json()["error"]["message"]
        inexact = await http.put(
            f"{isolated_members}/fees/schedules/{YEAR}",
            json={"tiers": {**TIERS, "micro": "10.005"}},
        )
        assert inexact.status_code == 422
        assert inexact.json()["error"]["field"] == "tiers.micro"
        unknown = await http.get(f"{isolated_members}/fees/schedules/1999")
        assert unknown.status_code == 422


async def test_invoice_run_suspension_and_reinstatement(
    infra: Infra, isolated_members: str
) -> None:
    url = isolated_members
    async with httpx.AsyncClient(timeout=10) as http:
        small = await _member(http, url, employees=20, approve=True)
        large = await _member(http, url, employees=300, approve=True)
        applicant_only = await _member(http, url, employees=3, approve=False)
        schedule = await http.put(f"{url}/fees/schedules/{YEAR}", json={"tiers": TIERS})
        assert schedule.status_code == 200
        assert schedule.json()["tiers"]["medium"] == "2400.00"

        first = (await http.post(f"{url}/fees/invoicing/run", params={"year": YEAR})).json()
        second = (await http.post(f"{url}/fees/invoicing/run", params={"year": YEAR})).json()
        assert (first["issued"], first["already_issued"]) == (2, 0)
        assert (second["issued"], second["already_issued"]) == (0, 2)

        invoices = (await http.get(f"{url}/fees/invoices", params={"year": YEAR})).json()
        by_member = {i["member_id"]: i for i in invoices["items"]}
        assert set(by_member) == {small["member_id"], large["member_id"]}
        assert by_member[small["member_id"]]["amount"] == "900.50"
        assert by_member[large["member_id"]]["size_tier"] == "large"
        assert applicant_only["member_id"] not in by_member
        invoice = by_member[small["member_id"]]
        due = date.fromisoformat(invoice["due_date"])

        async def arrears(day: date) -> dict:
            response = await http.post(f"{url}/fees/overdue/run", params={"as_of": str(day)})
            assert response.status_code == 200
            return response.json()

        async def status(member: dict) -> str:
            return (await http.get(f"{url}/members/{member['member_id']}")).json()["status"]

        assert (await arrears(due))["entered_grace"] == 0
        grace = await arrears(due + timedelta(days=1))
        assert (grace["entered_grace"], grace["suspended"]) == (2, 0)
        assert await status(small) == "grace"
        suspended = await arrears(due + timedelta(days=31))
        assert (suspended["entered_grace"], suspended["suspended"]) == (0, 2)
        assert await status(small) == "suspended"
        assert (await arrears(due + timedelta(days=32)))["suspended"] == 0

        pay = f"{url}/fees/invoices/{invoice['invoice_id']}/payments"
        too_much = await http.post(pay, json={"amount": "1000.00"})
        assert too_much.status_code == 422
        assert too_much.json()["error"]["code"] == "overpayment"
        half = await http.post(pay, json={"amount": "450.25", "reference": "instalment 1"})
        assert half.status_code == 201 and half.json()["outstanding"] == "450.25"
        assert await status(small) == "suspended"
        rest = await http.post(pay, json={"amount": "450.25", "reference": "instalment 2"})
        assert rest.json()["status"] == "paid" and rest.json()["outstanding"] == "0.00"
        member = (await http.get(f"{url}/members/{small['member_id']}")).json()
        assert member["status"] == "active"
        assert member["history"][-1]["actor"] == "system:fees"
        assert member["history"][-1]["reason"] == "arrears paid"
        again = await http.post(pay, json={"amount": "1.00"})
        assert again.status_code == 409
        assert await status(large) == "suspended"

    expected = Counter(
        {
            "member.applied": 1,
            "member.joined": 1,
            "fee.invoiced": 1,
            "fee.overdue": 1,
            "member.grace_started": 1,
            "member.suspended": 1,
            "fee.paid": 2,
            "member.reinstated": 1,
        }
    )

    async def events_of_small() -> Counter:
        records = await read_topic(infra.kafka_bootstrap, "cmo.members", expect=10**6, timeout_s=3)
        return Counter(
            json.loads(r.value)["type"] for r in records if r.key == small["member_id"].encode()
        )

    assert await eventually(events_of_small, lambda seen: seen == expected, timeout_s=30)


async def test_public_directory_lists_only_consenting_members_in_good_standing(
    isolated_members: str,
) -> None:
    url = isolated_members
    profile = {
        "products": ["cheese", "yoghurt"],
        "certifications": ["ISO 22000", "HACCP"],
        "export_markets": ["DE", "AM"],
        "website": "https://dairy.example/",
        "public_listing": True,
        "turnover_band": "1m-5m",
    }
    async with httpx.AsyncClient(timeout=10) as http:
        listed = (
            await http.post(
                f"{url}/members",
                json=applicant(
                    ("Dir", "dir@x.example", "en"), legal_name="Aaa Listed Dairy", **profile
                ),
            )
        ).json()
        approved = await http.post(f"{url}/members/{listed['member_id']}/approve")
        assert approved.status_code == 200, approved.text
        assert approved.json()["public_listing"] is True
        unapproved = applicant(("D2", "d2@x.example", "en"), legal_name="Unapproved", **profile)
        await http.post(f"{url}/members", json=unapproved)
        hidden = (
            await http.post(
                f"{url}/members",
                json=applicant(
                    ("D3", "d3@x.example", "en"),
                    legal_name="No Consent",
                    **{**profile, "public_listing": False},
                ),
            )
        ).json()
        assert (await http.post(f"{url}/members/{hidden['member_id']}/approve")).status_code == 200

        feed = (await http.get(f"{url}/directory.json")).json()
        names = [entry["name"] for entry in feed]
        member_now = (await http.get(f"{url}/members/{listed['member_id']}")).json()
        assert "Aaa Listed Dairy" in names, (
            feed,
            member_now["status"],
            member_now["public_listing"],
            member_now["history"],
        )
        assert "Unapproved" not in names and "No Consent" not in names
        entry = next(e for e in feed if e["name"] == "Aaa Listed Dairy")
        assert entry == {
            "name": "Aaa Listed Dairy",
            "sector": "10.51",
            "region": "Imereti",
            "products": ["cheese", "yoghurt"],
            "certifications": ["ISO 22000", "HACCP"],
            "export_markets": ["DE", "AM"],
            "website": "https://dairy.example/",
        }
        csv_text = (await http.get(f"{url}/directory.csv")).text
        lines = csv_text.splitlines()
        assert lines[0] == "name,sector,region,products,certifications,export_markets,website"
        assert (
            "Aaa Listed Dairy,10.51,Imereti,cheese; yoghurt,ISO 22000; HACCP,DE; AM,"
            "https://dairy.example/" in lines
        )
        assert "tax_id" not in csv_text and "@" not in csv_text


async def test_catalogue_is_seeded_for_the_current_year_and_changes_emit_events(
    infra: Infra, isolated_members: str
) -> None:
    from cmo_shared.schedule import today_in_tbilisi

    url, year = isolated_members, today_in_tbilisi().year
    async with httpx.AsyncClient(timeout=10) as http:
        page = (await http.get(f"{url}/catalogue/{year}", params={"page_size": 100})).json()
        assert page["total"] == 31 and len(page["items"]) == 31
        not_offered = (
            await http.get(f"{url}/catalogue/{year}", params={"availability": "not_this_year"})
        ).json()
        assert [e["slug"] for e in not_offered["items"]] == ["supplier-directory"]
        again = await http.post(f"{url}/catalogue/{year}")
        assert again.json() == {"year": year, "created": 0}

        changed = await http.patch(
            f"{url}/catalogue/{year}/services/ifi-funding",
            json={"funding_source": "reserves", "budget": "15000.50"},
        )
        assert changed.status_code == 200
        assert (changed.json()["budget"], changed.json()["funding_source"]) == (
            "15000.50",
            "reserves",
        )
        assert (await http.get(f"{url}/catalogue/{year}/services/nope")).status_code == 404
        bad = await http.patch(
            f"{url}/catalogue/{year}/services/ifi-funding", json={"budget": "-1"}
        )
        assert bad.status_code == 422 and bad.json()["error"]["field"] == "budget"

    async def ifi_events() -> list[dict]:
        records = await read_topic(
            infra.kafka_bootstrap, "cmo.catalogue", expect=10**6, timeout_s=2
        )
        return [
            json.loads(r.value)["payload"]
            for r in records
            if r.key == f"{year}:ifi-funding".encode()
        ]

    events = await eventually(ifi_events, lambda found: len(found) >= 2, timeout_s=30)
    assert events[-1]["budget"] == "15000.50" and events[-1]["served_by"] == "funding"
