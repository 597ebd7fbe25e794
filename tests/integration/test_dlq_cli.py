"""`cmo dlq` on a real broker: dead letters counted, shown and replayed once each, with the
original key and headers; a second (even forced) replay applies nothing twice."""

import uuid
from typing import Any

from aiokafka import AIOKafkaProducer
from cmo_contracts import encode
from cmo_shared.runtime import ServiceRuntime
from cmo_shared.settings import ServiceSettings
from cmo_shared.testing import member_applied

from tests.conftest import Infra
from tests.helpers import eventually, read_topic, run_cmo


async def test_dead_letters_are_listed_shown_and_replayed_once(infra: Infra) -> None:
    topic = f"test.replay.{uuid.uuid4().hex[:6]}"
    applied: list[str] = []
    broken = True

    async def handler(event: Any) -> None:
        if event.payload.legal_name == "poison" and broken:
            raise ValueError("the handler cannot take poison yet")
        applied.append(event.payload.legal_name)

    settings = ServiceSettings(
        kafka_bootstrap=infra.kafka_bootstrap,
        mongodb_url=infra.mongodb_url,
        db_prefix=infra.db_prefix,
        consumer_max_attempts=2,
        consumer_retry_backoff_s=0.01,
    )
    runtime = ServiceRuntime(f"replaytest{uuid.uuid4().hex[:6]}", settings)
    runtime.consume([topic], {"member.applied": handler})
    await runtime.start()
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        await eventually(runtime.ready, lambda checks: all(checks.values()))
        poison = member_applied("m", legal_name="poison")
        await producer.send_and_wait(
            topic, encode(poison), key=b"m", headers=[("traceparent", b"00-abc-def-01")]
        )
        await producer.send_and_wait(
            topic, encode(member_applied("m", legal_name="first")), key=b"m"
        )
        await eventually(_values(applied), lambda a: a == ["first"])
        await read_topic(infra.kafka_bootstrap, f"{topic}.dlq", expect=1)

        listed = run_cmo(infra, "dlq", "list", "--topic", topic)
        assert f"{topic}" in listed and "handler_error" in listed
        row = next(line for line in listed.splitlines() if topic in line)
        assert row.split("│")[4].strip() == "1" and row.split("│")[5].strip() == "0"
        shown = run_cmo(infra, "dlq", "show", "--topic", topic)
        assert f"member.applied {poison.event_id}" in shown
        assert "the handler cannot take poison yet" in shown and "after 2 attempts" in shown

        broken = False
        assert "1 replayed, 0 left alone" in run_cmo(infra, "dlq", "replay", "--topic", topic)
        await eventually(_values(applied), lambda a: a == ["first", "poison"])
        back = await read_topic(infra.kafka_bootstrap, topic, expect=3)
        replayed = back[-1]
        headers = {k: v.decode() for k, v in replayed.headers}
        assert replayed.key == b"m" and replayed.value == encode(poison)
        assert headers["traceparent"] == "00-abc-def-01"
        assert headers["dlq-replay-count"] == "1"
        assert headers["dlq-replayed-from"].startswith(f"{topic}.dlq:")
        assert not any(k in headers for k in ("dlq-reason", "dlq-error"))

        assert "0 replayed, 1 left alone" in run_cmo(infra, "dlq", "replay", "--topic", topic)
        assert "1 replayed, 0 left alone" in run_cmo(
            infra, "dlq", "replay", "--topic", topic, "--force"
        )
        # Same key, same partition: once `last` is applied, the forced replay was consumed.
        await producer.send_and_wait(
            topic, encode(member_applied("m", legal_name="last")), key=b"m"
        )
        await eventually(_values(applied), lambda a: a[-1:] == ["last"])
        after = run_cmo(infra, "dlq", "list", "--topic", topic)
    finally:
        await producer.stop()
        await runtime.stop()

    assert applied == ["first", "poison", "last"]
    row = next(line for line in after.splitlines() if topic in line)
    assert row.split("│")[5].strip() == "1"


def _values(values: list[str]):
    async def probe() -> list[str]:
        return list(values)

    return probe
