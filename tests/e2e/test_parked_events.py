"""An event about a member the notifications service does not know yet waits, then goes out."""

import uuid
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from cmo_contracts import encode, new_event
from cmo_contracts.funding import FundingMatchFound
from cmo_shared.testing import member_applied, member_joined, sample_contact

from tests.conftest import Infra
from tests.helpers import committed_offsets, eventually, mails_to, resolved


@pytest.mark.parametrize("known_as_applicant", [False, True])
async def test_a_match_read_before_its_member_joined_is_sent_once_the_member_is_known(
    infra: Infra, stack: dict[str, str], known_as_applicant: bool
) -> None:
    member_id = str(uuid.uuid4())
    email = f"early-{member_id[:8]}@parked.example"
    match = new_event(
        FundingMatchFound(
            call_id="c-parked",
            programme="p",
            funder="EBRD",
            funder_kind="ifi",
            title={"ka": "ადრეული", "en": f"Early call {member_id[:8]}"},
            instrument="grant",
            currency="GEL",
            closes_on="2099-12-31",
            member_id=member_id,
            reasons=["membership in good standing"],
        ),
        producer="funding",
        subject_id=member_id,
        correlation_id="test",
    )
    joined = member_joined(
        member_id, contacts=[sample_contact(email=email, language="en")], legal_name="Early LLC"
    )
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        group = f"{infra.db_prefix}-notifications"
        if known_as_applicant:  # the directory knows the member, but not yet as a member
            applied = member_applied(member_id, contacts=joined.payload.contacts)
            sent = await producer.send_and_wait(
                "cmo.members", encode(applied), key=member_id.encode()
            )
            await _consumed(infra, group, sent)
        first = await producer.send_and_wait("cmo.funding", encode(match), key=member_id.encode())
        await _consumed(infra, group, first)
        assert mails_to(infra.mail_dir, email) == []
        await producer.send_and_wait("cmo.members", encode(joined), key=member_id.encode())
    finally:
        await producer.stop()

    mails = await eventually(
        lambda: resolved([str(m["Subject"]) for m in mails_to(infra.mail_dir, email)]),
        lambda subjects: len(subjects) >= 2,
    )
    assert sorted(mails) == sorted(
        [
            "Welcome to the cluster, Early LLC",
            f"Funding opportunity for Early LLC: Early call {member_id[:8]}",
        ]
    )


async def _consumed(infra: Infra, group: str, sent: Any) -> None:
    """Wait until the group has committed past a record it was sent."""
    await eventually(
        lambda: committed_offsets(infra.kafka_bootstrap, group),
        lambda offsets: offsets.get((sent.topic, sent.partition), -1) > sent.offset,
    )
