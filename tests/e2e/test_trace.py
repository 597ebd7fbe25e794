"""`cmo trace <correlation-id>` shows what one request through the gateway caused: the request,
the event it published, each service that applied it and the email it sent."""

import re
import uuid

import httpx

from tests.conftest import Gateway, Infra
from tests.helpers import applicant, bearer, eventually, run_cmo, sign_in


def _trace(infra: Infra, correlation: str) -> str:
    return run_cmo(infra, "trace", correlation)


async def _traced(infra: Infra, correlation: str) -> str:
    return _trace(infra, correlation)


async def test_the_trace_of_an_approval_shows_request_event_consumers_and_email(
    infra: Infra, gateway: Gateway
) -> None:
    tag = uuid.uuid4().hex[:6]
    correlation = f"trace-{tag}"
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        admin = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        body = applicant(("Nino", f"nino-{tag}@trace.example", "en"), legal_name=f"Trace {tag}")
        member_id = (await http.post("/members", json=body, headers=admin)).json()["member_id"]
        approved = await http.post(
            f"/members/{member_id}/approve",
            headers={**admin, "X-Correlation-ID": correlation},
        )
        assert approved.status_code == 200, approved.text
        assert approved.headers["X-Correlation-ID"] == correlation

    shown = await eventually(
        lambda: _traced(infra, correlation),
        lambda text: (
            re.search(r"email to \S+: sent after 1 attempt", text) is not None
            and "applied by funding" in text
        ),
        timeout_s=180,
        interval_s=2,
    )
    lines = shown.splitlines()
    assert f"correlation {correlation}" in lines[0]
    request = next(i for i, line in enumerate(lines) if "gateway POST" in line)
    assert f"/members/{member_id}/approve → 200" in lines[request]
    joined = next(i for i, line in enumerate(lines) if "member.joined by members" in line)
    assert request < joined and "cmo.members[" in lines[joined]
    effects = "\n".join(lines[joined:])
    for consumer in ("funding", "notifications", "gateway"):
        assert f"applied by {consumer}" in effects
    assert "nothing found" not in shown
    assert "nothing found" in _trace(infra, f"unknown-{tag}")
