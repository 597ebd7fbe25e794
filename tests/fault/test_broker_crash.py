"""The broker killed with SIGKILL in the middle of 1,000 events: every effect exactly once."""

import asyncio
import uuid
from collections import Counter
from email import message_from_bytes, policy

from cmo_shared.outbox import outbox_entries
from cmo_shared.testing import member_joined, sample_contact
from pymongo import AsyncMongoClient

from tests.conftest import Infra
from tests.helpers import eventually, lapse, relaying

EVENTS = 1000


def _joined(index: int, run: str):
    contact = sample_contact(
        contact_id=f"{run}-{index}",
        name=f"Contact {index}",
        email=f"crash-{run}-{index}@x.example",
        language="en",
    )
    return member_joined(legal_name=f"Crash Test {index}", contacts=[contact], correlation_id=run)


async def test_sigkill_of_broker_mid_stream_loses_and_duplicates_nothing(
    infra: Infra, stack: dict[str, str], mongo: AsyncMongoClient
) -> None:
    run = uuid.uuid4().hex[:8]
    client = mongo
    source = client[f"{infra.db_prefix}_crashsource"]["members"]
    notifications = client[f"{infra.db_prefix}_notifications"]
    events = [_joined(i, run) for i in range(EVENTS)]
    await source.insert_many([{"_id": e.subject_id, "outbox": outbox_entries([e])} for e in events])
    inbox_of_run = {"contact_id": {"$regex": f"^{run}-"}}
    # The run's contacts' deliveries (staff alerts and webhooks for the same events aside).
    deliveries_of_run = {"recipient_id": {"$regex": f"^{run}-"}}
    async with relaying(infra.kafka_bootstrap, [source], poll_interval_s=0.5, batch_size=100):
        await eventually(
            lambda: notifications["inbox"].count_documents(inbox_of_run),
            lambda n: n >= 150,
            timeout_s=120,
        )
        await asyncio.to_thread(infra.kafka.kill)
        await asyncio.sleep(2)
        await asyncio.to_thread(infra.kafka.start)

        await eventually(
            lambda: source.count_documents({"outbox.0": {"$exists": True}}),
            lambda n: n == 0,
            timeout_s=180,
        )
        await eventually(
            lambda: notifications["delivery_log"].count_documents(
                {**deliveries_of_run, "channel": "email", "status": "sent"}
            ),
            lambda n: n == EVENTS,
            timeout_s=240,
        )

    assert await notifications["inbox"].count_documents(inbox_of_run) == EVENTS
    # one email record per event; the inbox entry counted above is the inbox delivery's record
    assert await notifications["deliveries"].count_documents(deliveries_of_run) == EVENTS
    sent_event_ids = Counter()
    for path in infra.mail_dir.glob("*.eml"):
        message = message_from_bytes(path.read_bytes(), policy=policy.default)
        if f"crash-{run}-" in str(message["To"]):
            sent_event_ids[message["X-CMO-Event-ID"]] += 1
    assert set(sent_event_ids) == {str(e.event_id) for e in events}
    assert set(sent_event_ids.values()) == {1}
    # The thousand companies lapse, so that later tests' messages to every member in good
    # standing do not each fan out to them as well.
    await lapse([e.payload.member_id for e in events], infra.kafka_bootstrap, run)
