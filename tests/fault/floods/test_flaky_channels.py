"""An SMTP server and a webhook receiver that fail 20 % of requests at random, for 1,000
deliveries (500 invitation emails, 500 webhook messages): every one delivered, each exactly
once at the receiver, retried with backoff, nothing left pending."""

import asyncio
import itertools
import random
import uuid
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller
from cmo_cli.infra.process import free_port
from cmo_contracts import new_event
from cmo_contracts.users import UserInvited
from cmo_shared.kafka import start_at_end

from tests.conftest import Infra, start_service, stop_services
from tests.helpers import eventually, publish, webhook_receiver

EACH = 500
FAILING = 0.2
SCHEDULE = "[0, 0.2, 0.4, 0.8, 1, 1, 1, 1, 1, 1, 1, 1]"  # 12 attempts: 0.2^12 per delivery


class FlakySmtp:
    """An aiosmtpd handler refusing a share of messages with 451 (try again later)."""

    def __init__(self, failing: float) -> None:
        self.failing = failing
        self.random = random.Random(7)
        self.accepted: Counter[str] = Counter()
        self.refused = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        """Refuse at random; otherwise count the message by its recipient."""
        if self.random.random() < self.failing:
            self.refused += 1
            return "451 4.3.0 Try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.accepted[str(message["To"])] += 1
        return "250 OK"


@pytest.mark.timeout(900)
async def test_flaky_smtp_and_webhooks_deliver_everything_exactly_once(
    infra: Infra, tmp_path: Path
) -> None:
    run = uuid.uuid4().hex[:8]
    prefix = f"flaky{run}"
    smtp = FlakySmtp(FAILING)
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    await start_at_end(infra.kafka_bootstrap, f"{prefix}-notifications")
    service = await asyncio.to_thread(
        start_service,
        "notifications",
        infra,
        tmp_path,
        CMO_DB_PREFIX=prefix,
        CMO_SMTP_PORT=str(controller.port),
        CMO_RETRY_SCHEDULE_S=SCHEDULE,
    )
    arrivals: dict[str, list[tuple[float, int]]] = defaultdict(list)
    try:
        async with webhook_receiver() as receiver, httpx.AsyncClient(timeout=30) as http:
            receiver.failing = FAILING
            endpoint = await http.post(
                f"{service.url}/webhooks",
                json={
                    "owner_kind": "integration",
                    "owner_id": f"flaky-{run}",
                    "owner_email": "ops@flaky.example",
                    "url": f"{receiver.url}/flaky",
                    "event_types": ["member.joined"],
                },
            )
            assert endpoint.status_code == 201, endpoint.text
            endpoint_id = endpoint.json()["endpoint_id"]
            for _ in range(EACH):
                test = await http.post(f"{service.url}/webhooks/{endpoint_id}/test")
                assert test.status_code == 202
            await _invite(infra.kafka_bootstrap, run)

            await eventually(lambda: _done(receiver, smtp, run), lambda done: done, timeout_s=600)
            for (path, headers, _, status), at in zip(
                receiver.received, receiver.arrived_at, strict=True
            ):
                if path == "flaky":
                    arrivals[headers["webhook-id"]].append((at, status))
            pending = [
                (await http.get(f"{service.url}/deliveries", params={"status": s})).json()
                for s in ("pending", "retrying", "dead")
            ]
            sent = (await http.get(f"{service.url}/deliveries", params={"status": "sent"})).json()
    finally:
        stop_services([service])
        controller.stop()

    delivered = Counter(ws[-1][1] for ws in arrivals.values())
    hooks_ok = Counter(sum(1 for _, s in ws if s == 200) for ws in arrivals.values())
    attempts = sum(len(ws) for ws in arrivals.values())
    # Each retry waited at least the schedule's first delay (0.2 s) after the failure.
    gaps = [b[0] - a[0] for ws in arrivals.values() for a, b in itertools.pairwise(ws)]
    mails = {to: n for to, n in smtp.accepted.items() if f"-{run}-" in to}
    print(
        f"emails: {len(mails)} accepted once each, {smtp.refused} refused with 451; webhooks: "
        f"{len(arrivals)} ids, {attempts} attempts ({attempts - len(arrivals)} retries)"
    )
    assert len(mails) == EACH and set(mails.values()) == {1}
    assert smtp.refused > 0
    assert len(arrivals) == EACH and delivered == {200: EACH} and hooks_ok == {1: EACH}
    assert attempts > EACH and gaps and min(gaps) >= 0.15, min(gaps, default=None)
    assert pending == [[], [], []]  # by their current state, not the one they were stored in
    assert len(sent) == 50 and {d["status"] for d in sent} == {"sent"}


async def _done(receiver, smtp: FlakySmtp, run: str) -> bool:
    ids = {h["webhook-id"] for h, _, s in receiver.on("flaky") if s == 200}
    mails = sum(1 for to in smtp.accepted if f"-{run}-" in to)
    return len(ids) >= EACH and mails >= EACH


async def _invite(bootstrap: str, run: str) -> None:
    events = []
    for i in range(EACH):
        invitation = str(uuid.uuid4())
        invited = UserInvited(
            invitation_id=invitation,
            login=f"flaky-{run}-{i}@x.example",
            name=f"Invitee {i}",
            role="staff",
            language="en",
            expires_at=datetime.now(UTC) + timedelta(days=7),
            invited_by="admin@cmo.example",
        )
        events.append(
            new_event(invited, producer="gateway", subject_id=invitation, correlation_id=run)
        )
    await publish(bootstrap, events)
