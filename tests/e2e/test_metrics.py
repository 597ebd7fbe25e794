"""Every service serves Prometheus metrics: requests by route and status, events by type and
outcome, the outbox, the relay, consumer lag and deliveries (read with the Prometheus parser)."""

import json

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.helpers import applicant, eventually, webhook_receiver


def _samples(text: str) -> list[tuple[str, dict[str, str], float]]:
    return [
        (s.name, s.labels, s.value)
        for family in text_string_to_metric_families(text)
        for s in family.samples
    ]


def _value(samples, name: str, **labels: str) -> float:
    return sum(v for n, ls, v in samples if n == name and labels.items() <= ls.items())


def _types(received: list[tuple[dict[str, str], bytes, int]]) -> list[str]:
    return [json.loads(body)["type"] for _, body, _ in received]


async def _scrape(url: str) -> list[tuple[str, dict[str, str], float]]:
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.get(f"{url}/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return _samples(response.text)


async def test_services_report_requests_events_outbox_lag_and_deliveries(
    stack: dict[str, str],
) -> None:
    members, funding = stack["members"], stack["funding"]
    async with httpx.AsyncClient(base_url=members, timeout=30) as http:
        before = _value(await _scrape(members), "http_requests_total", handler="/members")
        created = await http.post("/members", json=applicant(("M", "m@metrics.example", "en")))
        assert created.status_code == 201, created.text
        refused = await http.post("/members", json={"legal_name": ""})
        assert refused.status_code == 422

    seen = await _scrape(members)
    counted = {"handler": "/members", "method": "POST"}
    assert _value(seen, "http_requests_total", **counted, status="201") >= 1
    assert _value(seen, "http_requests_total", **counted, status="422") >= 1
    assert _value(seen, "http_requests_total", handler="/members") == before + 2
    assert _value(seen, "http_request_duration_seconds_count", handler="/members") >= 2
    # The relay published the application and has nothing left waiting.
    await eventually(
        lambda: _scrape(members),
        lambda s: (
            _value(s, "cmo_relay_publish_seconds_count") >= 1
            and _value(s, "cmo_outbox_pending") == 0
        ),
    )
    assert any(n == "cmo_outbox_oldest_age_seconds" for n, _, _ in await _scrape(members))

    # Funding consumed it: counted by type and outcome, by FastStream too, and its lag known.
    took = await eventually(
        lambda: _scrape(funding),
        lambda s: (
            _value(s, "cmo_events_total", type="member.applied", outcome="applied") >= 1
            and any(n == "cmo_consumer_lag" and ls["topic"] == "cmo.members" for n, ls, _ in s)
        ),
        timeout_s=90,
    )
    assert _value(took, "faststream_received_messages_total") >= 1
    assert all(v >= 0 for n, _, v in took if n == "cmo_consumer_lag")

    # Notifications count what became of deliveries, by channel and status.
    notifications = stack["notifications"]
    async with webhook_receiver() as receiver, httpx.AsyncClient(timeout=10) as http:
        sent_before = _value(
            await _scrape(notifications), "cmo_deliveries_total", channel="webhook", status="sent"
        )
        endpoint = await http.post(
            f"{notifications}/webhooks",
            json={
                "owner_kind": "integration",
                "owner_id": "metrics",
                "owner_email": "ops@metrics.example",
                "url": f"{receiver.url}/metrics-hook",
                "event_types": [],
            },
        )
        assert endpoint.status_code == 201, endpoint.text
        endpoint_id = endpoint.json()["endpoint_id"]
        try:
            test = await http.post(f"{notifications}/webhooks/{endpoint_id}/test")
            assert test.status_code == 202
            # The endpoint takes every event: others may arrive with the test message.
            await eventually(
                lambda: _scrape(notifications),
                lambda s: (
                    _value(s, "cmo_deliveries_total", channel="webhook", status="sent")
                    >= sent_before + 1
                    and _types(receiver.on("metrics-hook")).count("webhook.test") == 1
                ),
            )
            arrived = len(receiver.on("metrics-hook"))
            sent = _value(
                await _scrape(notifications),
                "cmo_deliveries_total",
                channel="webhook",
                status="sent",
            )
            assert sent >= sent_before + arrived  # each message answered 200 is counted
        finally:
            await http.delete(f"{notifications}/webhooks/{endpoint_id}")
