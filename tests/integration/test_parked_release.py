"""An event parked for a member is kept until that member can receive it, whatever arrives
in between: the member's application, then its joining (read across topics, in any order)."""

import uuid
from typing import Any

from cmo_contracts import new_event
from cmo_contracts.members import CollaborationMatched, MemberApplied, MemberJoined
from cmo_notifications.deliveries.repository import DeliveryRepository
from cmo_notifications.directory.handlers import handlers as directory_handlers
from cmo_notifications.directory.repository import MemberDirectory, ParkedEvents
from cmo_notifications.fanout.service import Fanout
from cmo_notifications.inbox.repository import InboxRepository
from cmo_notifications.preferences.repository import LinkSigner, Preferences
from cmo_notifications.settings import NotificationsSettings
from cmo_notifications.webhooks.repository import WebhookEndpoints
from pymongo import AsyncMongoClient

from tests.conftest import Infra


def _profile(member_id: str) -> dict[str, Any]:
    return {
        "member_id": member_id,
        "legal_name": f"Company {member_id[:6]}",
        "tax_id": "123456789",
        "sector": "10.51",
        "employees": 10,
        "region": "Imereti",
        "contacts": [
            {
                "contact_id": f"contact-{member_id}",
                "name": "C",
                "email": "c@x.example",
                "language": "en",
            }
        ],
    }


def _event(payload: Any, subject: str) -> Any:
    return new_event(payload, producer="test", subject_id=subject, correlation_id="t")


async def test_an_event_parked_for_an_unknown_member_survives_its_application(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    db = mongo[f"{infra.db_prefix}_parking{uuid.uuid4().hex[:6]}"]
    directory = MemberDirectory(db["members"])
    deliveries = DeliveryRepository(db["deliveries"], db["delivery_log"])
    fanout = Fanout(
        deliveries,
        InboxRepository(db["inbox"]),
        directory,
        Preferences(db["preferences"]),
        WebhookEndpoints(db["endpoints"], overlap_s=0),
        LinkSigner("x" * 32),
        ParkedEvents(db["parked"]),
        NotificationsSettings(mongodb_url=infra.mongodb_url),
        lambda _: None,
    )
    author, matched = str(uuid.uuid4()), str(uuid.uuid4())
    joined = {
        m: _event(MemberJoined(**_profile(m), approved_by="staff"), m) for m in (author, matched)
    }
    applied = _event(MemberApplied(**_profile(matched)), matched)
    match = _event(
        CollaborationMatched(
            post_id="p1",
            member_id=author,
            kind="request",
            category="joint_export",
            title="Cheese vat",
            matched_member_id=matched,
            reasons=["offers product cheese"],
        ),
        "p1",
    )
    handlers = directory_handlers(directory)

    async def arrives(event: Any) -> None:  # as the service chains them per event type
        if event.type in handlers:
            await handlers[event.type](event)
        if event.type == "collaboration.matched":
            await fanout.handle(event)
        else:
            await fanout.release(event)

    await arrives(joined[author])
    await arrives(match)  # the matched member is not known at all yet: parked
    await arrives(applied)  # known now, but only as an applicant: still parked
    assert await deliveries.find({"event_id": str(match.event_id)}, skip=0, limit=10) == []
    await arrives(joined[matched])  # a member now: the match reaches both companies

    recipients = {
        d["recipient_id"]
        for d in await deliveries.find({"event_id": str(match.event_id)}, skip=0, limit=10)
    }
    assert recipients == {f"contact-{author}", f"contact-{matched}"}
    assert await db["parked"].count_documents({}) == 0
    await mongo.drop_database(db.name)
