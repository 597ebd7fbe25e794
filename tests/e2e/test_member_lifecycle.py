"""Lifecycle commands and profile updates through the real members process."""

import json

import httpx

from tests.conftest import Infra
from tests.helpers import applicant, eventually, read_topic


async def _new(http: httpx.AsyncClient, url: str, **overrides: object) -> str:
    body = applicant(("Life Cycle", "life@x.example", "en"), **overrides)
    return (await http.post(f"{url}/members", json=body)).json()["member_id"]


async def test_every_command_is_allowed_only_from_its_statuses(stack: dict[str, str]) -> None:
    url = stack["members"]
    async with httpx.AsyncClient(timeout=10) as http:

        async def run(member_id: str, command: str) -> httpx.Response:
            return await http.post(
                f"{url}/members/{member_id}/{command}", json={"reason": f"test {command}"}
            )

        rejected = await _new(http, url)
        assert (await run(rejected, "suspend")).status_code == 409
        assert (await run(rejected, "reject")).json()["status"] == "rejected"
        assert (await run(rejected, "approve")).status_code == 409

        member = await _new(http, url)
        for command, expected in [
            ("approve", "active"),
            ("suspend", "suspended"),
            ("reinstate", "active"),
            ("suspend", "suspended"),
            ("lapse", "lapsed"),
            ("terminate", "terminated"),
        ]:
            response = await run(member, command)
            assert response.status_code == 200, (command, response.text)
            assert response.json()["status"] == expected
        for command in ("approve", "reject", "suspend", "reinstate", "lapse", "terminate"):
            refused = await run(member, command)
            assert refused.status_code == 409
            assert refused.json()["error"]["code"] == "transition_not_allowed"
        history = (await http.get(f"{url}/members/{member}")).json()["history"]
        assert [h["to_status"] for h in history] == [
            "applicant",
            "active",
            "suspended",
            "active",
            "suspended",
            "lapsed",
            "terminated",
        ]
        assert history[-1]["reason"] == "test terminate"

        active = await _new(http, url)
        await run(active, "approve")
        assert (await run(active, "lapse")).status_code == 409
        unknown = await run(active, "promote")
        assert unknown.status_code == 422 and unknown.json()["error"]["field"] == "command"
        assert (await run("nobody", "approve")).status_code == 404


async def test_profile_update_emits_one_event_naming_what_changed(
    infra: Infra, stack: dict[str, str]
) -> None:
    url = stack["members"]
    async with httpx.AsyncClient(timeout=10) as http:
        member_id = await _new(http, url)
        member = (await http.get(f"{url}/members/{member_id}")).json()
        contact = member["contacts"][0]
        change = {
            "employees": 80,
            "certifications": ["FSSC 22000"],
            "contacts": [
                {
                    **{k: contact[k] for k in ("contact_id", "name", "email", "language")},
                    "phone": "+995 555 000 000",
                },
                {"name": "New Person", "email": "new@x.example", "language": "ka"},
            ],
        }
        updated = await http.patch(f"{url}/members/{member_id}", json=change)
        assert updated.status_code == 200, updated.text
        body = updated.json()
        assert body["employees"] == 80 and body["certifications"] == ["FSSC 22000"]
        assert body["contacts"][0]["contact_id"] == contact["contact_id"]
        assert body["contacts"][0]["phone"] == "+995 555 000 000"
        assert len(body["contacts"]) == 2 and body["contacts"][1]["contact_id"]

        same = await http.patch(f"{url}/members/{member_id}", json={"employees": 80})
        assert same.status_code == 200
        bad = await http.patch(
            f"{url}/members/{member_id}", json={"status": "active", "export_markets": ["Germany"]}
        )
        assert bad.status_code == 422
        assert {d["field"] for d in bad.json()["error"]["details"]} == {
            "status",
            "export_markets.0",
        }
        stranger = await http.patch(
            f"{url}/members/{member_id}",
            json={"contacts": [{"contact_id": "nope", "name": "X", "email": "x@x.example"}]},
        )
        assert stranger.status_code == 404

    async def profile_updates() -> list[dict]:
        records = await read_topic(infra.kafka_bootstrap, "cmo.members", expect=10**6, timeout_s=2)
        events = [json.loads(r.value) for r in records if r.key == member_id.encode()]
        return [e for e in events if e["type"] == "member.profile_updated"]

    updates = await eventually(profile_updates, lambda found: len(found) >= 1, timeout_s=30)
    assert len(updates) == 1
    assert updates[0]["payload"]["changed"] == ["certifications", "contacts", "employees"]
    assert updates[0]["payload"]["employees"] == 80


async def test_a_contact_added_without_a_language_gets_the_default_one(
    stack: dict[str, str],
) -> None:
    async with httpx.AsyncClient(base_url=stack["members"]) as http:
        member = (await http.post("/members", json=applicant(("A", "a@x.example", "en")))).json()
        kept = member["contacts"][0]
        changed = await http.patch(
            f"/members/{member['member_id']}",
            json={"contacts": [kept, {"name": "New", "email": "new@x.example"}]},
        )
        cleared = await http.patch(f"/members/{member['member_id']}", json={"legal_name": None})
    assert changed.status_code == 200, changed.text
    assert [c["language"] for c in changed.json()["contacts"]] == ["en", "ka"]
    assert changed.json()["contacts"][0]["contact_id"] == kept["contact_id"]
    assert cleared.status_code == 422, "a field every member has cannot be cleared"
    assert cleared.json()["error"]["field"] == "legal_name"
