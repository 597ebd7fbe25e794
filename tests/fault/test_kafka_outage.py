"""Kafka down during an approval: it succeeds, and the email follows once Kafka is back."""

import asyncio

import httpx
import pytest

from tests.conftest import Infra
from tests.helpers import applicant, eventually, mails_to


# A backlog of earlier fault tests' messages may be ahead of this one: it checks that
# nothing is lost, not how fast it arrives.
@pytest.mark.timeout(900)
async def test_approval_during_kafka_outage_is_published_after_kafka_returns(
    infra: Infra, stack: dict[str, str]
) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        member = (
            await http.post(
                f"{stack['members']}/members", json=applicant(("Out Age", "outage@x.example", "en"))
            )
        ).json()
        await asyncio.to_thread(infra.kafka.stop)
        try:
            approved = await http.post(f"{stack['members']}/members/{member['member_id']}/approve")
            assert approved.status_code == 200
            assert approved.json()["status"] == "active"
            ready = await http.get(f"{stack['members']}/ready")
            assert ready.status_code == 503
            assert ready.json()["checks"] == {"database": True, "kafka": False}
            await asyncio.sleep(3)
            assert mails_to(infra.mail_dir, "outage@x.example") == []
        finally:
            await asyncio.to_thread(infra.kafka.start)

        mails = await eventually(
            lambda: _mails(infra, "outage@x.example"), lambda m: len(m) >= 1, timeout_s=300
        )
        assert len(mails) == 1
        await asyncio.sleep(3)
        assert len(mails_to(infra.mail_dir, "outage@x.example")) == 1
        inbox = await http.get(
            f"{stack['notifications']}/inbox/{member['contacts'][0]['contact_id']}"
        )
        assert inbox.json()["total"] == 1
        await eventually(
            lambda: http.get(f"{stack['members']}/ready"), lambda r: r.status_code == 200
        )


async def _mails(infra: Infra, address: str):
    return mails_to(infra.mail_dir, address)
