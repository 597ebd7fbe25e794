"""A redelivered `member.joined` sends no second email and creates no second inbox entry."""

import json
from collections import Counter

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from tests.conftest import Infra
from tests.helpers import applicant, committed_offsets, eventually, mails_to, read_topic


# Runs right after the broker-crash test, whose thousand members' messages (and the other
# services' reactions to them) may still be on their way: this checks once-only, not speed.
@pytest.mark.timeout(900)
async def test_duplicate_member_joined_has_one_effect_per_contact(
    infra: Infra, stack: dict[str, str]
) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        member = (
            await http.post(
                f"{stack['members']}/members",
                json=applicant(
                    ("Dup One", "dup1@x.example", "en"), ("Dup Two", "dup2@x.example", "ka")
                ),
            )
        ).json()
        await http.post(f"{stack['members']}/members/{member['member_id']}/approve")
        for address in ("dup1@x.example", "dup2@x.example"):
            await eventually(lambda a=address: _count(infra, a), lambda n: n == 1, timeout_s=300)

        records = await read_topic(infra.kafka_bootstrap, "cmo.members", expect=10_000, timeout_s=5)
        joined = [
            r
            for r in records
            if json.loads(r.value)["type"] == "member.joined"
            and json.loads(r.value)["subject_id"] == member["member_id"]
        ]
        assert len(joined) == 1
        original = joined[0]

        producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
        await producer.start()
        try:
            duplicates = [
                await producer.send_and_wait(
                    "cmo.members", original.value, key=original.key, partition=original.partition
                )
                for _ in range(2)
            ]
        finally:
            await producer.stop()
        last = duplicates[-1]
        await eventually(
            lambda: committed_offsets(infra.kafka_bootstrap, f"{infra.db_prefix}-notifications"),
            lambda offsets: offsets.get(("cmo.members", last.partition), -1) > last.offset,
        )

        for address in ("dup1@x.example", "dup2@x.example"):
            assert await _count(infra, address) == 1
        for contact in member["contacts"]:
            inbox = (
                await http.get(f"{stack['notifications']}/inbox/{contact['contact_id']}")
            ).json()
            assert inbox["total"] == 1
        event_id = json.loads(original.value)["event_id"]
        deliveries = (
            await http.get(f"{stack['notifications']}/deliveries", params={"event_id": event_id})
        ).json()
        by_recipient = Counter((d["recipient_id"], d["channel"]) for d in deliveries)
        contacts = [c["contact_id"] for c in member["contacts"]]
        expected = {(c, "email") for c in contacts}  # inbox entries: counted above
        assert expected | {("staff:staff@cmo.example", "email")} <= set(by_recipient)
        # besides, one webhook delivery per endpoint earlier tests left subscribed
        assert {ch for _, ch in set(by_recipient) - expected} <= {"email", "webhook"}
        assert set(by_recipient.values()) == {1}


async def _count(infra: Infra, address: str) -> int:
    return len(mails_to(infra.mail_dir, address))
