"""`Idempotency-Key` on the gateway's commands, on the real gateway and services.

A retried POST with the same key has one effect and the first answer; another body with the
key is refused; twenty copies sent at once create one member; keys are each caller's own.
"""

import asyncio
import uuid

import httpx

from tests.conftest import Gateway
from tests.helpers import applicant, bearer, invited_user, sign_in


async def _count(http: httpx.AsyncClient, staff: dict, name: str) -> int:
    found = await http.get("/members", params={"q": name}, headers=staff)
    return found.json()["total"]


async def test_a_retried_command_has_one_effect_and_the_first_answer(gateway: Gateway) -> None:
    run = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=60) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        name = f"Once Only {run}"
        body = applicant(("Owner", f"once-{run}@x.example", "en"), legal_name=name)
        key = {**staff, "Idempotency-Key": f"create-{run}"}
        first = await http.post("/members", json=body, headers=key)
        again = await http.post("/members", json=body, headers=key)
        assert first.status_code == again.status_code == 201, again.text
        assert again.json() == first.json()
        assert again.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert await _count(http, staff, name) == 1

        other = await http.post("/members", json={**body, "employees": 9}, headers=key)
        assert (other.status_code, other.json()["error"]["code"]) == (
            422,
            "idempotency_key_reused",
        )
        too_long = {**staff, "Idempotency-Key": "k" * 256}
        bad = await http.post("/members", json=body, headers=too_long)
        assert (bad.status_code, bad.json()["error"]["field"]) == (400, "Idempotency-Key")

        # A refusal is an answer too: given again, not run again.
        invalid = {**body, "tax_id": "not a tax id"}
        refused_key = {**staff, "Idempotency-Key": f"refused-{run}"}
        refused = await http.post("/members", json=invalid, headers=refused_key)
        repeated = await http.post("/members", json=invalid, headers=refused_key)
        assert refused.status_code == repeated.status_code == 422
        assert repeated.headers["idempotent-replayed"] == "true"


async def test_copies_sent_at_once_create_one_member_and_keys_are_each_callers(
    gateway: Gateway,
) -> None:
    run = uuid.uuid4().hex[:8]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=60) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        name = f"Race {run}"
        body = applicant(("Owner", f"race-{run}@x.example", "en"), legal_name=name)
        key = {**staff, "Idempotency-Key": f"race-{run}"}
        answers = await asyncio.gather(
            *(http.post("/members", json=body, headers=key) for _ in range(20))
        )
        statuses = sorted(a.status_code for a in answers)
        assert set(statuses) <= {201, 409}, statuses
        created = {a.json()["member_id"] for a in answers if a.status_code == 201}
        assert len(created) == 1, created
        assert await _count(http, staff, name) == 1
        in_flight = [a for a in answers if a.status_code == 409]
        assert all(a.headers["retry-after"] == "1" for a in in_flight)

        colleague = f"colleague-{run}@cmo.example"
        other_staff = bearer(
            await invited_user(http, staff, colleague, "a long colleague password", role="staff")
        )
        second = applicant(("Owner", f"race2-{run}@x.example", "en"), legal_name=f"{name} B")
        theirs = await http.post(
            "/members", json=second, headers={**other_staff, "Idempotency-Key": f"race-{run}"}
        )
        assert theirs.status_code == 201, theirs.text
        assert "idempotent-replayed" not in theirs.headers
