"""The dispatcher against a real SMTP server that refuses, on a real database."""

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from aiosmtpd.controller import Controller
from cmo_cli.infra.process import free_port
from cmo_notifications.deliveries.outcomes import OutcomeBatcher
from cmo_notifications.deliveries.repository import DeliveryRepository, log_entry
from cmo_notifications.deliveries.service import Dispatcher
from cmo_notifications.fanout.service import delivery_record, email_fields
from cmo_notifications.settings import NotificationsSettings
from cmo_notifications.templates import RenderedMessage
from cmo_notifications.webhooks.repository import WebhookEndpoints
from cmo_shared.outbox import QUEUE
from cmo_shared.store import WritePath
from pymongo import AsyncMongoClient
from pymongo.asynchronous.collection import AsyncCollection

from tests.conftest import Infra
from tests.helpers import eventually


class ScriptedSmtp:
    """Answers DATA from a script per recipient (then 250), keeping what it accepted."""

    def __init__(self, script: dict[str, list[str]]) -> None:
        self.script = script
        self.accepted: list[str] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Refuse or accept one message."""
        answers = self.script.get(envelope.rcpt_tos[0])
        if answers:
            return answers.pop(0)
        self.accepted.append(envelope.rcpt_tos[0])
        return "250 OK"


@contextlib.asynccontextmanager
async def dispatching(
    infra: Infra,
    mongo: AsyncMongoClient,
    script: dict[str, list[str]],
    *,
    stored: Sequence[dict[str, Any]] = (),
    logged: Sequence[dict[str, Any]] = (),
    broker_down: bool = False,
) -> AsyncIterator[tuple[Dispatcher, ScriptedSmtp, "Announced"]]:
    """A dispatcher sending through a scripted SMTP server, started on the given records
    and log entries (what an earlier process left); its outcome events are published to a
    list, or queued when the broker is down."""
    handler = ScriptedSmtp(script)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    db = mongo[f"{infra.db_prefix}_dispatch{uuid.uuid4().hex[:6]}"]
    deliveries = DeliveryRepository(db["deliveries"], db["delivery_log"])
    await deliveries.ensure_indexes()
    await deliveries.add_new(stored)
    await deliveries.log(logged)
    settings = NotificationsSettings(
        smtp_port=controller.port,
        retry_schedule_s=[0, 0.2, 0.2, 0.2],
        mongodb_url=infra.mongodb_url,
    )

    announced = Announced(db[QUEUE])

    async def publish(topic: str, key: bytes, body: bytes, *_: object) -> None:
        """Taken at once by a broker that is up (the relay is not run)."""
        if broker_down:
            raise ConnectionError("Kafka not connected")
        announced.published.append(json.loads(body)["type"])

    dispatcher = Dispatcher(
        deliveries,
        WebhookEndpoints(db["endpoints"], overlap_s=0),
        settings,
        OutcomeBatcher(deliveries, WritePath(db, "notifications", publish)),
    )
    task = asyncio.create_task(dispatcher.run())
    try:
        yield dispatcher, handler, announced
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        controller.stop()


class Announced:
    """The outcome events a dispatcher published, and those it queued."""

    def __init__(self, queue: AsyncCollection) -> None:
        self.published: list[str] = []
        self.queue = queue

    async def queued(self) -> list[str]:
        """The types of the events waiting in the outbox queue."""
        return [d["type"] for d in await self.queue.find({}, {"type": 1}).to_list(None)]


def _email(address: str) -> dict[str, Any]:
    record = delivery_record(
        event_id=str(uuid.uuid4()),
        event_type="member.joined",
        correlation_id="test",
        recipient_id=address,
        channel="email",
        topic="membership",
        priority="normal",
        language="en",
        now=datetime.now(UTC),
    )
    message = RenderedMessage("en", "s", "t", "<p>t</p>")
    return {**record, **email_fields(address, "N", message, None)}


async def _state(dispatcher: Dispatcher, delivery_id: str) -> dict[str, Any]:
    return (await dispatcher.deliveries.find({"_id": delivery_id}, skip=0, limit=1))[0]


async def _add(dispatcher: Dispatcher, delivery: dict[str, Any]) -> None:
    dispatcher.submit(await dispatcher.deliveries.add_new([delivery]))


async def test_two_temporary_refusals_then_delivered_on_the_third_attempt(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    script = {"busy@x.example": ["451 4.3.0 try later", "421 4.7.0 too many connections"]}
    async with dispatching(infra, mongo, script) as (dispatcher, smtp, announced):
        email = _email("busy@x.example")
        await _add(dispatcher, email)
        done = await eventually(
            lambda: _state(dispatcher, email["_id"]), lambda d: d["status"] == "sent"
        )
        await eventually(lambda: _list(announced.published), bool)
        queued = await announced.queued()
    assert done["attempts"] == 3
    assert smtp.accepted == ["busy@x.example"]
    assert announced.published == ["notification.delivered"], "retries are not events"
    assert queued == [], "published at once: nothing waits in the queue"


async def test_a_permanent_refusal_is_dead_after_one_attempt_and_replay_sends_it(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    script = {"gone@x.example": ["550 5.1.1 no such user"]}
    async with dispatching(infra, mongo, script) as (dispatcher, smtp, announced):
        email = _email("gone@x.example")
        await _add(dispatcher, email)
        dead = await eventually(
            lambda: _state(dispatcher, email["_id"]), lambda d: d["status"] == "dead"
        )
        assert dead["attempts"] == 1 and dead["last_error"].startswith("550")
        await eventually(lambda: _list(announced.published), bool)
        assert announced.published == ["notification.failed"]
        assert await dispatcher.replay({"_id": email["_id"]}) == 1
        sent = await eventually(
            lambda: _state(dispatcher, email["_id"]), lambda d: d["status"] == "sent"
        )
    assert sent["attempts"] == 1
    assert smtp.accepted == ["gone@x.example"]


async def test_a_spent_schedule_leaves_the_delivery_dead(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    script = {"flaky@x.example": ["451 4.3.0 later"] * 10}
    async with dispatching(infra, mongo, script, broker_down=True) as (dispatcher, smtp, announced):
        email = _email("flaky@x.example")
        await _add(dispatcher, email)
        dead = await eventually(
            lambda: _state(dispatcher, email["_id"]), lambda d: d["status"] == "dead"
        )
        queued = await eventually(announced.queued, bool)
    assert dead["attempts"] == 4, "one attempt per entry of the schedule"
    assert queued == ["notification.failed"], "the broker is down: queued for the relay"
    assert smtp.accepted == []


async def test_a_restarted_dispatcher_sends_what_an_earlier_process_left_unfinished(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    never_tried, retrying, sent, dead = (
        _email(f"{name}@x.example") for name in ("new", "retry", "sent", "dead")
    )
    logged = [
        log_entry(
            retrying, {"status": "retrying", "attempts": 1, "next_attempt_at": datetime.now(UTC)}
        ),
        log_entry(sent, {"status": "sent", "attempts": 1, "next_attempt_at": None}),
        log_entry(dead, {"status": "dead", "attempts": 1, "next_attempt_at": None}),
    ]
    stored = [never_tried, retrying, sent, dead]
    async with dispatching(infra, mongo, {}, stored=stored, logged=logged) as (dispatcher, smtp, _):
        done = await eventually(
            lambda: _state(dispatcher, retrying["_id"]), lambda d: d["status"] == "sent"
        )
        await eventually(
            lambda: _state(dispatcher, never_tried["_id"]), lambda d: d["status"] == "sent"
        )
        assert (await _state(dispatcher, dead["_id"]))["status"] == "dead"
    assert done["attempts"] == 2, "the attempt made before the restart still counts"
    assert sorted(smtp.accepted) == ["new@x.example", "retry@x.example"]


async def test_a_stopping_dispatcher_sends_what_is_due_and_writes_it_before_it_returns(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    """A replica that stops must not leave its due deliveries to nobody: another replica finds
    their records on redelivery and sends nothing (they are not new to it)."""
    due = [_email(f"due{i}@x.example") for i in range(40)]
    later = _email("later@x.example")
    later["next_attempt_at"] = datetime.now(UTC) + timedelta(hours=1)  # held: quiet hours
    async with dispatching(infra, mongo, {}) as (dispatcher, smtp, announced):
        dispatcher.submit(await dispatcher.deliveries.add_new([*due, later]))
        await asyncio.wait_for(dispatcher.finish(), 30)
        states = [await _state(dispatcher, d["_id"]) for d in due]
        held = await _state(dispatcher, later["_id"])
    assert sorted(smtp.accepted) == sorted(d["address"] for d in due)
    assert {s["status"] for s in states} == {"sent"}, "every outcome written when it returns"
    assert announced.published == ["notification.delivered"] * len(due)
    assert held["status"] == "pending", "what is held for later is not waited for"


async def _list(items: list[str]) -> list[str]:
    return items
