"""The expert directory: search, a member's request and the staff's match, with their events."""

import json

import httpx

from tests.conftest import Infra
from tests.helpers import applicant, eventually, read_topic


async def test_search_request_and_match_an_expert(infra: Infra, isolated_members: str) -> None:
    url = isolated_members
    async with httpx.AsyncClient(timeout=10) as http:
        local = await http.post(
            f"{url}/experts",
            json={
                "name": "Levan Kiknadze",
                "email": "levan@x.example",
                "country": "GE",
                "expertise": ["Dairy Processing", "HACCP"],
                "languages": ["ka", "en"],
                "daily_rate": "350.00",
            },
        )
        assert local.status_code == 201, local.text
        assert local.json()["scope"] == "local"
        assert local.json()["expertise"] == ["dairy processing", "haccp"]
        abroad = (
            await http.post(
                f"{url}/experts",
                json={
                    "name": "Anna Weber",
                    "email": "anna@x.example",
                    "country": "DE",
                    "expertise": ["packaging"],
                    "languages": ["de", "en"],
                    "availability": "busy",
                    "daily_rate": "600",
                    "rate_currency": "EUR",
                },
            )
        ).json()
        assert abroad["scope"] == "international"
        bad = await http.post(
            f"{url}/experts",
            json={
                "name": "X",
                "email": "x@x.example",
                "country": "Germany",
                "expertise": [],
                "languages": ["en"],
            },
        )
        assert bad.status_code == 422
        assert {d["field"] for d in bad.json()["error"]["details"]} == {"country", "expertise"}

        async def names(**params: str) -> list[str]:
            page = (await http.get(f"{url}/experts", params=params)).json()
            return [e["name"] for e in page["items"]]

        assert await names(tag="haccp") == ["Levan Kiknadze"]
        assert await names(language="en") == ["Anna Weber", "Levan Kiknadze"]
        assert await names(country="DE", availability="busy") == ["Anna Weber"]
        assert await names(language="de", country="GE") == []

        member = (
            await http.post(f"{url}/members", json=applicant(("E", "e@x.example", "en")))
        ).json()
        request_body = {"member_id": member["member_id"], "need": "HACCP plan", "tags": ["haccp"]}
        refused = await http.post(f"{url}/expert-requests", json=request_body)
        assert refused.status_code == 409
        await http.post(f"{url}/members/{member['member_id']}/approve")
        request = await http.post(f"{url}/expert-requests", json=request_body)
        assert request.status_code == 201 and request.json()["status"] == "open"
        request_id = request.json()["request_id"]
        match_url = f"{url}/expert-requests/{request_id}/match"
        assert (await http.post(match_url, json={"expert_id": "nobody"})).status_code == 404
        matched = await http.post(match_url, json={"expert_id": local.json()["expert_id"]})
        assert matched.json()["status"] == "matched"
        assert (
            await http.post(match_url, json={"expert_id": abroad["expert_id"]})
        ).status_code == 409

    async def expert_events() -> list[str]:
        records = await read_topic(infra.kafka_bootstrap, "cmo.members", expect=10**6, timeout_s=2)
        return [
            json.loads(r.value)["type"]
            for r in records
            if r.key == member["member_id"].encode()
            and json.loads(r.value)["type"].startswith("expert.")
        ]

    events = await eventually(expert_events, lambda found: len(found) >= 2, timeout_s=30)
    assert events == ["expert.requested", "expert.matched"]
