"""Helpers shared by the cross-service tests."""

import asyncio
import contextlib
import itertools
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_tax_ids = itertools.count(int(time.time() * 1000) % 10**9)


def unique_tax_id() -> str:
    """A 9-digit tax id not used before in this session."""
    return f"{next(_tax_ids) % 10**9:09d}"


def applicant(*contacts: tuple[str, str, str], **overrides: Any) -> dict[str, Any]:
    """A valid application body with the given (name, email, language) contacts."""
    body: dict[str, Any] = {
        "legal_name": "Imereti Dairy LLC",
        "tax_id": unique_tax_id(),
        "sector": "10.51",
        "employees": 45,
        "region": "Imereti",
        "contacts": [{"name": n, "email": e, "language": lang} for n, e, lang in contacts],
    }
    body.update(overrides)
    return body


_parsed: dict[Path, EmailMessage] = {}
"""Messages already read: the sink writes each file once, whole (a rename), and never again."""


def mails_to(mail_dir: Path, address: str) -> list[EmailMessage]:
    """Every message the SMTP sink received for an address."""
    found = []
    for path in sorted(mail_dir.glob("*.eml")):
        message = _parsed.get(path)
        if message is None:
            parsed = message_from_bytes(path.read_bytes(), policy=policy.default)
            message = _parsed[path] = parsed  # type: ignore[assignment]
        if address in str(message["To"]):
            found.append(message)
    return found


async def eventually(
    probe: Callable[[], Awaitable[T]],
    done: Callable[[T], bool],
    *,
    timeout_s: float = 60.0,
    interval_s: float = 0.2,
) -> T:
    """Await `probe()` until `done(result)` holds; fail with the last result after the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        result = await probe()
        if done(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout_s}s; last: {result!r}")
        await asyncio.sleep(interval_s)


async def resolved(value: T) -> T:
    """An awaitable of a value at hand, for `eventually` probes that need no I/O."""
    return value


async def committed_offsets(bootstrap: str, group: str) -> dict[tuple[str, int], int]:
    """Offsets a consumer group has committed, by (topic, partition)."""
    from aiokafka.admin import AIOKafkaAdminClient

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        offsets = await admin.list_consumer_group_offsets(group)
    finally:
        await admin.close()
    return {(tp.topic, tp.partition): meta.offset for tp, meta in offsets.items()}


async def consumed(bootstrap: str, group: str, topic: str, key: str, event_type: str) -> None:
    """Wait until a subject's event is in a topic and a consumer group has committed past it."""
    import json

    async def find() -> list:
        records = await read_topic(bootstrap, topic, expect=10**6, timeout_s=1)
        return [
            r
            for r in records
            if r.key == key.encode() and json.loads(r.value)["type"] == event_type
        ]

    record = (await eventually(find, bool))[0]
    await eventually(
        lambda: committed_offsets(bootstrap, group),
        lambda offsets: offsets.get((topic, record.partition), -1) > record.offset,
    )


async def read_topic(bootstrap: str, topic: str, *, expect: int, timeout_s: float = 30.0):
    """Read a topic from the start until `expect` records arrived (or the timeout)."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    records = []
    deadline = time.monotonic() + timeout_s
    try:
        while len(records) < expect and time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500)
            for partition_records in batch.values():
                records.extend(partition_records)
    finally:
        await consumer.stop()
    return records


@contextlib.asynccontextmanager
async def relaying(bootstrap: str, collections: list, **relay_options: Any):
    """Run an outbox relay over the collections with its own idempotent producer."""
    from cmo_shared.kafka import make_broker
    from cmo_shared.outbox import OutboxRelay

    broker = make_broker(bootstrap, client_id=f"test-relay-{uuid.uuid4().hex[:6]}")
    await broker.start()

    async def publish(topic, key, body, correlation, headers):
        await broker.publish(
            body, topic=topic, key=key, headers=headers, correlation_id=correlation
        )

    relay = OutboxRelay(collections, publish, **relay_options)
    task = asyncio.create_task(relay.run())
    try:
        yield relay
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await broker.stop()


@dataclass
class WebhookReceiver:
    """A real HTTP server receiving webhooks; answers each path from a script, then 200."""

    url: str = ""
    answers: dict[str, list[int]] = field(default_factory=dict)
    received: list[tuple[str, dict[str, str], bytes, int]] = field(default_factory=list)
    arrived_at: list[float] = field(default_factory=list)  # monotonic time of each request
    failing: float = 0.0  # share of unscripted requests answered 500, at random
    chance: random.Random = field(default_factory=lambda: random.Random(11))

    def on(self, path: str) -> list[tuple[dict[str, str], bytes, int]]:
        """What arrived at a path: headers, body and the status answered."""
        return [(h, b, s) for p, h, b, s in self.received if p == path]


@contextlib.asynccontextmanager
async def webhook_receiver():
    """Run a `WebhookReceiver` on a free loopback port for the duration of the block."""
    import uvicorn
    from cmo_cli.infra.process import free_port
    from fastapi import FastAPI, Request, Response

    receiver = WebhookReceiver()
    api = FastAPI()

    @api.post("/{path}")
    async def hook(path: str, request: Request) -> Response:
        body = await request.body()
        script = receiver.answers.get(path)
        if script:
            status = script.pop(0)
        else:
            status = 500 if receiver.chance.random() < receiver.failing else 200
        receiver.received.append((path, dict(request.headers), body, status))
        receiver.arrived_at.append(time.monotonic())
        return Response(status_code=status)

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning", ws="none")
    )
    task = asyncio.create_task(server.serve())

    async def started() -> bool:
        return server.started

    await eventually(started, bool, timeout_s=10)
    receiver.url = f"http://127.0.0.1:{port}"
    try:
        yield receiver
    finally:
        server.should_exit = True
        await task


async def sign_in(http: Any, login: str, password: str) -> dict[str, Any]:
    """Tokens from the gateway's password grant (asserting it worked)."""
    response = await http.post(
        "/auth/token", data={"grant_type": "password", "username": login, "password": password}
    )
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    """The header that presents an access token."""
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def invited_user(
    http: Any, inviter: dict[str, str], login: str, password: str, **invitation: Any
) -> dict[str, Any]:
    """Invite a user through the gateway, accept the invitation and sign in; their tokens."""
    invited = await http.post(
        "/auth/invitations", json={"login": login, **invitation}, headers=inviter
    )
    assert invited.status_code == 201, invited.text
    accepted = await http.post(
        "/auth/invitations/accept",
        json={"token": invited.json()["token"], "password": password},
    )
    assert accepted.status_code == 201, accepted.text
    return await sign_in(http, login, password)


def workshop(title_en: str, starts_at: datetime, **overrides: Any) -> dict[str, Any]:
    """A training session body: one two-hour sitting, five seats, open to every member at once."""
    return {
        "title": {"ka": f"სემინარი {title_en}", "en": title_en},
        "format": "workshop",
        "topic": f"topic {title_en}",
        "sittings": [
            {
                "starts_at": starts_at.isoformat(),
                "ends_at": (starts_at + timedelta(hours=2)).isoformat(),
            }
        ],
        "venue": "Tbilisi",
        "capacity": 5,
        "company_cap": 2,
        "priority_hours": 0,
        **overrides,
    }


async def publish(bootstrap: str, events: list[Any]) -> None:
    """Publish envelopes to their topics, keyed by subject, and return once Kafka has them."""
    from aiokafka import AIOKafkaProducer
    from cmo_contracts import encode, topic_of

    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", linger_ms=5)
    await producer.start()
    try:
        for event in events:
            await producer.send(topic_of(event), encode(event), key=event.subject_id.encode())
        await producer.flush()
    finally:
        await producer.stop()


async def lapse(member_ids: list[str], bootstrap: str, correlation: str) -> None:
    """Publish `member.left` (lapsed) for test members, so that later tests' messages to
    every member in good standing do not fan out to them too."""
    from cmo_contracts import new_event
    from cmo_contracts.members import MemberLeft

    events = [
        new_event(
            MemberLeft(
                member_id=member_id,
                from_status="active",
                to_status="lapsed",
                actor="test",
                reason="the test is over",
            ),
            producer="members",
            subject_id=member_id,
            correlation_id=correlation,
        )
        for member_id in member_ids
    ]
    await publish(bootstrap, events)


def certified_call(certification: str, title_en: str) -> dict[str, Any]:
    """A grant call open for 30 days to the companies holding one certification."""
    from cmo_shared.schedule import today_in_tbilisi

    today = today_in_tbilisi()
    return {
        "programme": f"{title_en} programme",
        "funder": "EBRD",
        "funder_kind": "ifi",
        "title": {"ka": "ტესტი", "en": title_en},
        "description": {"ka": "ტესტი", "en": title_en},
        "instrument": "grant",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "criteria": {"certifications": [certification]},
    }


def run_cmo(infra: Any, *args: str) -> str:
    """Run the `cmo` tool against the test infrastructure; its output (asserting it worked)."""
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "CMO_KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
        "CMO_MONGODB_URL": infra.mongodb_url,
        "CMO_DB_PREFIX": infra.db_prefix,
        "COLUMNS": "250",
    }
    done = subprocess.run(
        [sys.executable, "-m", "cmo_cli.main", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


async def match_events(bootstrap: str, call_id: str, expected: int) -> list[dict[str, Any]]:
    """Every `funding.match_found` of a call on its topic, read once `expected` distinct ids
    are there, with the copies republished right behind them."""
    import json

    from aiokafka import AIOKafkaConsumer
    from cmo_contracts.funding import TOPIC

    def of_call(value: bytes) -> dict[str, Any] | None:
        event = json.loads(value)
        if event.get("type") == "funding.match_found" and event["payload"]["call_id"] == call_id:
            return event
        return None

    consumer = AIOKafkaConsumer(
        TOPIC, bootstrap_servers=bootstrap, auto_offset_reset="earliest", enable_auto_commit=False
    )
    await consumer.start()
    found: list[dict[str, Any]] = []
    try:
        deadline = time.monotonic() + 600
        idle = 0
        while len({e["event_id"] for e in found}) < expected or idle < 2:
            assert time.monotonic() < deadline, f"{len(found)} of {expected} announced"
            batch = await consumer.getmany(timeout_ms=1000, max_records=5000)
            idle = 0 if batch else idle + 1
            for records in batch.values():
                found.extend(e for e in (of_call(r.value) for r in records) if e is not None)
    finally:
        await consumer.stop()
    return found
