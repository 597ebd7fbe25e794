"""Poison messages on a real broker go to `<topic>.dlq` with the reason; the rest keeps flowing."""

import uuid
from typing import Any

from aiokafka import AIOKafkaProducer
from cmo_contracts import encode
from cmo_shared.runtime import ServiceRuntime
from cmo_shared.settings import ServiceSettings
from cmo_shared.testing import member_applied

from tests.conftest import Infra
from tests.helpers import eventually, read_topic


def _applied(name: str) -> bytes:
    return encode(member_applied("m", legal_name=name))


async def test_invalid_json_and_a_failing_handler_are_dead_lettered(infra: Infra) -> None:
    topic = f"test.poison.{uuid.uuid4().hex[:6]}"
    handled: list[str] = []
    failures = 0

    async def handler(event: Any) -> None:
        nonlocal failures
        if event.payload.legal_name == "poison":
            failures += 1
            raise ValueError("this handler always fails on poison")
        handled.append(event.payload.legal_name)

    settings = ServiceSettings(
        kafka_bootstrap=infra.kafka_bootstrap,
        mongodb_url=infra.mongodb_url,
        db_prefix=infra.db_prefix,
        consumer_max_attempts=3,
        consumer_retry_backoff_s=0.01,
    )
    runtime = ServiceRuntime(f"dlqtest{uuid.uuid4().hex[:6]}", settings)
    runtime.consume([topic], {"member.applied": handler})
    await runtime.start()
    try:
        await eventually(runtime.ready, lambda checks: all(checks.values()))
        producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
        await producer.start()
        sent = [
            await producer.send_and_wait(topic, value, key=b"m")
            for value in (b"{not json", _applied("poison"), _applied("healthy"))
        ]
        await producer.stop()
        await eventually(_list(handled), bool)
        dead = await read_topic(infra.kafka_bootstrap, f"{topic}.dlq", expect=2)
    finally:
        await runtime.stop()

    assert handled == ["healthy"]
    assert failures == 3
    assert len(dead) == 2
    headers = [{k: v.decode() for k, v in record.headers} for record in dead]
    assert [h["dlq-reason"] for h in headers] == ["decode_error", "handler_error"]
    assert "invalid envelope" in headers[0]["dlq-error"]
    assert "always fails on poison" in headers[1]["dlq-error"]
    assert headers[1]["dlq-attempts"] == "3"
    assert [h["dlq-original-topic"] for h in headers] == [topic, topic]
    assert [int(h["dlq-original-offset"]) for h in headers] == [s.offset for s in sent[:2]]
    assert [int(h["dlq-original-partition"]) for h in headers] == [s.partition for s in sent[:2]]
    assert dead[0].value == b"{not json"
    assert b'"legal_name":"poison"' in dead[1].value


def _list(values: list[str]):
    async def probe() -> list[str]:
        return values

    return probe
