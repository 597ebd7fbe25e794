"""Matching driven by events: each published call and each changed member.

A published call is checked against every member, a changed member against every open call.
Each match is stored once and announced once, however often events arrive.
"""

from datetime import UTC, datetime
from typing import Any

from cmo_shared.consumer import Handler
from cmo_shared.events import Envelope, derived_event_id, new_event
from cmo_shared.events.funding import FundingMatchFound
from cmo_shared.events.members import (
    GOOD_STANDING,
    PROFILE_EVENTS,
    STATUS_EVENTS,
    status_set_by,
)
from cmo_shared.outbox import OutboxRelay
from cmo_shared.schedule import today_in_tbilisi

from .calls import CallStatus, FundingCall
from .eligibility import MemberFacts, assess
from .repository import CallRepository, MatchRepository, MemberView

PRODUCER = "funding"


def call_facts(call: FundingCall) -> dict[str, Any]:
    """The fields every call event repeats about its call."""
    return {
        "call_id": call.call_id,
        "programme": call.programme,
        "funder": call.funder,
        "funder_kind": call.funder_kind,
        "title": call.title,
        "instrument": call.instrument,
        "amount_min": None if call.amount_min is None else str(call.amount_min),
        "amount_max": None if call.amount_max is None else str(call.amount_max),
        "currency": call.currency,
        "closes_on": call.closes_on.isoformat(),
    }


def member_facts(payload: Any, status: str) -> MemberFacts:
    """A member's facts from a profile-carrying event."""
    return MemberFacts(
        member_id=payload.member_id,
        status=status,
        sector=payload.sector,
        employees=payload.employees,
        region=payload.region,
        turnover_band=payload.turnover_band,
        certifications=list(payload.certifications),
        founded_year=payload.founded_year,
    )


class Matcher:
    """Finds the members eligible for each open call and records each match once."""

    def __init__(
        self,
        calls: CallRepository,
        members: MemberView,
        matches: MatchRepository,
        relay: OutboxRelay,
    ) -> None:
        self._calls = calls
        self._members = members
        self._matches = matches
        self._relay = relay

    def handlers(self) -> dict[str, Handler]:
        """Handlers of the members service's events that change who is eligible."""
        return {
            **dict.fromkeys(PROFILE_EVENTS, self._on_profile),
            **dict.fromkeys(STATUS_EVENTS, self._on_status),
        }

    async def on_call_published(self, event: Envelope[Any]) -> None:
        """Match a newly published call against every member in good standing."""
        call = await self._calls.get(event.payload.call_id)
        members = await self._members.in_good_standing()
        await self._record(call, members, event.correlation_id)

    async def _on_profile(self, event: Envelope[Any]) -> None:
        status = status_set_by(event)
        if status is None:  # a profile update keeps the status; lookups cost a scan here
            known = await self._members.get(event.payload.member_id)
            status = known.status if known is not None else "applicant"
        facts = member_facts(event.payload, status)
        await self._members.put(facts)
        await self.match_member(facts, event.correlation_id)

    async def _on_status(self, event: Envelope[Any]) -> None:
        status = status_set_by(event)
        await self._members.set_status(event.payload.member_id, status)
        if event.type == "member.reinstated":
            facts = await self._members.get(event.payload.member_id)
            if facts is not None:
                await self.match_member(facts, event.correlation_id)

    async def match_member(self, member: MemberFacts, correlation_id: str) -> None:
        """Match one member against every published call it is not matched with yet."""
        if member.status not in GOOD_STANDING:
            return
        calls, _ = await self._calls.find({"status": CallStatus.PUBLISHED.value})
        for call in calls:
            if await self._matches.get(call.call_id, member.member_id) is None:
                await self._record(call, [member], correlation_id)

    async def _record(
        self, call: FundingCall, members: list[MemberFacts], correlation_id: str
    ) -> None:
        """Announce, then store, the matches of eligible members not matched before.

        The events are queued first under ids derived from (call, member): if the process
        dies in between, redelivery derives the same events again and stores the matches.
        """
        today = today_in_tbilisi()
        if call.status is not CallStatus.PUBLISHED or call.due_to_close(today):
            return
        already = await self._matches.matched_members(call.call_id)
        facts = call_facts(call)
        now = datetime.now(UTC)
        events, documents = [], []
        for member in members:
            if member.member_id in already:
                continue
            assessment = assess(call.criteria, member, today)
            if not assessment.eligible:
                continue
            events.append(
                new_event(
                    FundingMatchFound(**facts, member_id=member.member_id, reasons=assessment.held),
                    producer=PRODUCER,
                    subject_id=member.member_id,
                    correlation_id=correlation_id,
                    event_id=derived_event_id(
                        "funding.match_found", call.call_id, member.member_id
                    ),
                )
            )
            documents.append(
                {
                    "_id": f"{call.call_id}:{member.member_id}",
                    "call_id": call.call_id,
                    "member_id": member.member_id,
                    "reasons": assessment.held,
                    "matched_at": now,
                }
            )
        if events:
            await self._relay.enqueue(events)
            await self._matches.add_new(documents)
