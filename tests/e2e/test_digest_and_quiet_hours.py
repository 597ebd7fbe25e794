"""News to members of some sectors: a daily digest sent once, and quiet hours honoured."""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from cmo_contracts import new_event
from cmo_contracts.advocacy import NewsPublished

from tests.conftest import Infra
from tests.helpers import applicant, eventually, mails_to, publish, resolved

TBILISI = ZoneInfo("Asia/Tbilisi")
SECTOR = "03.22"  # freshwater aquaculture: no other test's members are in it


async def _fish_farm(http: httpx.AsyncClient, stack: dict[str, str], email: str) -> str:
    """An active member in the sector, once the notifications service knows it."""
    body = applicant(("F", email, "en"), legal_name=f"Fish {uuid.uuid4().hex[:6]}", sector=SECTOR)
    member = (await http.post(f"{stack['members']}/members", json=body)).json()
    await http.post(f"{stack['members']}/members/{member['member_id']}/approve")
    contact_id = member["contacts"][0]["contact_id"]
    await eventually(
        lambda: _emails(http, stack["notifications"], contact_id),
        lambda found: any(d["event_type"] == "member.joined" for d in found),
    )
    return contact_id


async def _publish_news(infra: Infra, title: str) -> None:
    news_id = str(uuid.uuid4())
    event = new_event(
        NewsPublished(
            news_id=news_id,
            title={"ka": title, "en": title},
            summary={"ka": "მოკლედ", "en": f"Summary of {title}"},
            sectors=["03"],
        ),
        producer="advocacy",
        subject_id=news_id,
        correlation_id="test",
    )
    await publish(infra.kafka_bootstrap, [event])


async def _emails(
    http: httpx.AsyncClient, notifications: str, contact_id: str
) -> list[dict[str, Any]]:
    response = await http.get(f"{notifications}/deliveries", params={"recipient_id": contact_id})
    return [d for d in response.json() if d["channel"] == "email"]


async def test_low_priority_news_waits_for_one_daily_digest(
    infra: Infra, stack: dict[str, str]
) -> None:
    notifications = stack["notifications"]
    tag = uuid.uuid4().hex[:6]
    digest_email, direct_email = f"digest-{tag}@fish.example", f"direct-{tag}@fish.example"
    async with httpx.AsyncClient(timeout=10) as http:
        digest_contact = await _fish_farm(http, stack, digest_email)
        await _fish_farm(http, stack, direct_email)
        chosen = await http.put(
            f"{notifications}/preferences/{digest_contact}",
            json={"digest": True, "digest_hour": 9},
        )
        assert chosen.json()["digest"] is True and chosen.json()["digest_hour"] == 9

        for title in (f"Trout prices {tag}", f"Feed subsidy {tag}"):
            await _publish_news(infra, title)
        held = await eventually(
            lambda: _emails(http, notifications, digest_contact),
            lambda found: len([d for d in found if d["event_type"] == "news.published"]) == 2,
        )
        assert {d["status"] for d in held if d["event_type"] == "news.published"} == {"digest"}
        await eventually(
            lambda: resolved(_mails(infra, direct_email, tag)), lambda found: len(found) == 2
        )
        assert _mails(infra, digest_email, tag) == []

        # The latest day whose 09:05 has passed in Tbilisi: a digest made as of a later time
        # would be scheduled for then (before 09:05 local time, that is today's 09:05).
        local = datetime.now(TBILISI) - timedelta(hours=9, minutes=5)
        today = local.date()
        too_early = datetime(today.year, today.month, today.day, 8, 0, tzinfo=TBILISI)
        run = f"{notifications}/digests/run"
        early = await http.post(run, params={"at": too_early.isoformat()})
        assert early.json() == {"digests": 0}
        at_hour = too_early.replace(hour=9, minute=5)
        assert (await http.post(run, params={"at": at_hour.isoformat()})).json() == {"digests": 1}
        again = at_hour + timedelta(hours=1)
        assert (await http.post(run, params={"at": again.isoformat()})).json() == {"digests": 0}

    digests = await eventually(
        lambda: resolved(_mails(infra, digest_email, "digest")), lambda found: len(found) == 1
    )
    body = digests[0].get_body(("plain",)).get_content()
    assert f"Trout prices {tag}" in body and f"Feed subsidy {tag}" in body
    assert _mails(infra, digest_email, tag) == [], "nothing was sent on its own"


async def test_quiet_hours_hold_non_urgent_email_until_they_end(
    infra: Infra, stack: dict[str, str]
) -> None:
    notifications = stack["notifications"]
    tag = uuid.uuid4().hex[:6]
    email = f"night-{tag}@fish.example"
    async with httpx.AsyncClient(timeout=10) as http:
        contact = await _fish_farm(http, stack, email)
        hour = datetime.now(TBILISI).hour
        quiet = {"start_hour": hour, "end_hour": (hour + 2) % 24}
        await http.put(f"{notifications}/preferences/{contact}", json={"quiet_hours": quiet})
        await _publish_news(infra, f"Night news {tag}")
        waiting = await eventually(
            lambda: _emails(http, notifications, contact),
            lambda found: any(d["event_type"] == "news.published" for d in found),
        )
    news = next(d for d in waiting if d["event_type"] == "news.published")
    assert news["status"] == "pending"
    created = datetime.fromisoformat(news["created_at"]).astimezone(TBILISI)
    expected = created.replace(hour=quiet["end_hour"], minute=0, second=0, microsecond=0)
    if expected <= created:
        expected += timedelta(days=1)
    assert datetime.fromisoformat(news["next_attempt_at"]) == expected.astimezone(UTC)
    assert _mails(infra, email, tag) == []


def _mails(infra: Infra, address: str, text: str) -> list:
    """Mails to an address whose subject contains a text."""
    return [m for m in mails_to(infra.mail_dir, address) if text in str(m["Subject"])]


async def _mails_probe(infra: Infra, address: str, text: str) -> list:
    """`resolved_sync` as a probe for `eventually`."""
    return _mails(infra, address, text)
