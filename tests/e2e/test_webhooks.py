"""Signed webhooks from the real notifications service to a real HTTP receiver."""

import asyncio
import uuid
from typing import Any

import httpx
import pytest
from cmo_cli.main import app as cli
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from typer.testing import CliRunner

from tests.conftest import STAFF, Infra
from tests.helpers import applicant, eventually, mails_to, resolved, webhook_receiver


async def _register(
    http: httpx.AsyncClient, notifications: str, url: str, **fields: Any
) -> dict[str, Any]:
    body = {
        "owner_kind": "member",
        "owner_id": "nobody",
        "owner_email": "it@member.example",
        "url": url,
        "event_types": ["member.joined"],
        **fields,
    }
    response = await http.post(f"{notifications}/webhooks", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _applicant(http: httpx.AsyncClient, members: str, name: str) -> str:
    created = await http.post(
        f"{members}/members", json=applicant((name, f"{name}@hooks.example", "en"))
    )
    return created.json()["member_id"]


async def _deliveries(http: httpx.AsyncClient, notifications: str, endpoint_id: str) -> list:
    page = await http.get(f"{notifications}/deliveries", params={"recipient_id": endpoint_id})
    return page.json()


async def test_a_member_webhook_is_signed_retried_after_500_with_the_same_id(
    stack: dict[str, str],
) -> None:
    members, notifications = stack["members"], stack["notifications"]
    async with webhook_receiver() as receiver, httpx.AsyncClient(timeout=10) as http:
        member_id = await _applicant(http, members, "hooked")
        endpoint = await _register(http, notifications, f"{receiver.url}/flaky", owner_id=member_id)
        assert endpoint["secret"].startswith("whsec_")
        listed = await http.get(f"{notifications}/webhooks/{endpoint['endpoint_id']}")
        assert listed.json()["secret"] is None, "the secret is shown only when issued"
        receiver.answers["flaky"] = [500]
        await http.post(f"{members}/members/{member_id}/approve")

        await eventually(lambda: resolved(receiver.on("flaky")), lambda r: len(r) >= 2)
        (first_headers, first_body, first_status), (headers, body, status) = receiver.on("flaky")
        assert (first_status, status) == (500, 200)
        assert first_headers["webhook-id"] == headers["webhook-id"]
        assert first_body == body
        payload = Webhook(endpoint["secret"]).verify(body, headers)
        assert payload["type"] == "member.joined"
        assert payload["data"]["member_id"] == member_id
        with pytest.raises(WebhookVerificationError):
            Webhook(endpoint["secret"]).verify(body.replace(b"hooked", b"hacked"), headers)
        delivery = await eventually(
            lambda: _deliveries(http, notifications, endpoint["endpoint_id"]),
            lambda d: d and d[0]["status"] == "sent",
        )
        assert delivery[0]["attempts"] == 2
        assert delivery[0]["delivery_id"] == headers["webhook-id"]


async def test_a_permanent_refusal_is_dead_at_once_and_replayable(
    stack: dict[str, str],
) -> None:
    members, notifications = stack["members"], stack["notifications"]
    async with webhook_receiver() as receiver, httpx.AsyncClient(timeout=10) as http:
        member_id = await _applicant(http, members, "refusing")
        endpoint = await _register(
            http, notifications, f"{receiver.url}/strict", owner_id=member_id
        )
        receiver.answers["strict"] = [400]
        await http.post(f"{members}/members/{member_id}/approve")
        dead = await eventually(
            lambda: _deliveries(http, notifications, endpoint["endpoint_id"]),
            lambda d: d and d[0]["status"] == "dead",
        )
        assert dead[0]["attempts"] == 1 and dead[0]["last_error"] == "HTTP 400"

        command = ["notifications", "replay", "--delivery-id", dead[0]["delivery_id"]]
        replay = await asyncio.to_thread(
            CliRunner().invoke, cli, [*command, "--url", notifications]
        )
        assert replay.exit_code == 0, replay.output
        assert "replayed 1 dead deliveries" in replay.output
        sent = await eventually(
            lambda: _deliveries(http, notifications, endpoint["endpoint_id"]),
            lambda d: d[0]["status"] == "sent",
        )
        assert len(sent) == 1 and [s for _, _, s in receiver.on("strict")] == [400, 200]


async def test_410_gone_disables_the_endpoint(stack: dict[str, str]) -> None:
    members, notifications = stack["members"], stack["notifications"]
    async with webhook_receiver() as receiver, httpx.AsyncClient(timeout=10) as http:
        member_id = await _applicant(http, members, "gone")
        endpoint = await _register(http, notifications, f"{receiver.url}/gone", owner_id=member_id)
        receiver.answers["gone"] = [410]
        await http.post(f"{members}/members/{member_id}/approve")
        state = await eventually(
            lambda: http.get(f"{notifications}/webhooks/{endpoint['endpoint_id']}"),
            lambda r: r.json()["enabled"] is False,
        )
        assert "410" in state.json()["disabled_reason"]
        enabled = await http.patch(
            f"{notifications}/webhooks/{endpoint['endpoint_id']}", json={"enabled": True}
        )
        assert enabled.json()["enabled"] is True and enabled.json()["disabled_reason"] is None


async def test_rotated_secrets_overlap_and_the_test_event_is_signed_by_both(
    stack: dict[str, str],
) -> None:
    notifications = stack["notifications"]
    async with webhook_receiver() as receiver, httpx.AsyncClient(timeout=10) as http:
        endpoint = await _register(
            http,
            notifications,
            f"{receiver.url}/rotating",
            owner_kind="integration",
            owner_id="erp",
            event_types=["supplier.registered"],  # the test message ignores the filter
        )
        rotated = await http.post(
            f"{notifications}/webhooks/{endpoint['endpoint_id']}/rotate-secret"
        )
        new_secret = rotated.json()["secret"]
        assert new_secret != endpoint["secret"]
        test = await http.post(f"{notifications}/webhooks/{endpoint['endpoint_id']}/test")
        assert test.status_code == 202
        await eventually(lambda: resolved(receiver.on("rotating")), bool)
        headers, body, _ = receiver.on("rotating")[0]
        assert len(headers["webhook-signature"].split(" ")) == 2
        for secret in (endpoint["secret"], new_secret):
            assert Webhook(secret).verify(body, headers)["type"] == "webhook.test"


@pytest.mark.parametrize(
    "url",
    [
        "http://10.1.2.3/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://192.168.0.10:8080/x",
        "http://metadata.google.internal/",
        "ftp://example.org/hook",
    ],
)
async def test_private_and_metadata_addresses_are_refused(stack: dict[str, str], url: str) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(
            f"{stack['notifications']}/webhooks",
            json={
                "owner_kind": "integration",
                "owner_id": "x",
                "owner_email": "x@x.example",
                "url": url,
            },
        )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "url"
    assert error["code"] in ("webhook_url_not_allowed", "validation_error")


async def test_staff_are_alerted_when_a_member_joins(infra: Infra, stack: dict[str, str]) -> None:
    name = f"Alerting {uuid.uuid4().hex[:6]} LLC"
    async with httpx.AsyncClient(timeout=10) as http:
        created = await http.post(
            f"{stack['members']}/members",
            json=applicant(("A", "a@alerting.example", "ka"), legal_name=name),
        )
        await http.post(f"{stack['members']}/members/{created.json()['member_id']}/approve")
    alerts = await eventually(
        lambda: resolved(
            [m for m in mails_to(infra.mail_dir, STAFF["email"]) if name in str(m["Subject"])]
        ),
        bool,
    )
    assert [str(m["Subject"]) for m in alerts] == [f"New member: {name}"]
    assert alerts[0]["List-Unsubscribe"].startswith("<http")
    assert alerts[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
