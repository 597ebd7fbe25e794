"""Matching driven by events: each published call and each changed member.

A published call is checked against every member, a changed member against every open call.
Each match is stored once and announced once, however often events arrive.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cmo_contracts import Envelope, derived_event_id
from cmo_contracts.funding import FundingMatchFound
from cmo_contracts.members import GOOD_STANDING, status_set_by
from cmo_shared.schedule import today_in_tbilisi
from cmo_shared.store import DerivedEvents

from ..calls.domain import CallStatus, FundingCall, call_facts
from ..calls.service import CallService
from .domain import Match, MemberFacts, assess, member_facts
from .repository import MatchRepository, MemberView


@dataclass
class Matcher:
    """Finds the members eligible for each open call and records each match once."""

    calls: CallService
    members: MemberView
    matches: MatchRepository
    derived: DerivedEvents

    async def on_call_published(self, event: Envelope[Any]) -> None:
        """Match a newly published call against every member in good standing."""
        call = await self.calls.get(event.payload.call_id)
        await self._record(call, await self.members.in_good_standing())

    async def on_profiles(self, events: Sequence[Envelope[Any]]) -> None:
        """Keep the facts of a run of member events in one write; match those now eligible.

        An event that sets no status (a profile update) keeps the member's status as of the
        event before it, in this run or else as stored.
        """
        keeping = [e.payload.member_id for e in events if status_set_by(e) is None]
        stored = await self.members.get_many(keeping) if keeping else {}
        latest: dict[str, MemberFacts] = {}
        for event in events:
            member_id = event.payload.member_id
            status = status_set_by(event)
            if status is None:
                before = latest.get(member_id) or stored.get(member_id)
                status = before.status if before is not None else "applicant"
            latest[member_id] = member_facts(event.payload, status)
        await self.members.put_many(list(latest.values()))
        eligible = [f for f in latest.values() if f.status in GOOD_STANDING]
        if eligible:
            for call in await self.calls.published():
                await self._record(call, eligible)

    async def on_status(self, event: Envelope[Any]) -> None:
        """Keep a member's status; a reinstated member is matched again."""
        status = status_set_by(event)
        assert status is not None, f"{event.type} sets no status"
        await self.members.set_status(event.payload.member_id, status)
        if event.type == "member.reinstated":
            facts = await self.members.get(event.payload.member_id)
            if facts is not None:
                await self.match_member(facts)

    async def match_member(self, member: MemberFacts) -> None:
        """Match one member against every published call it is not matched with yet."""
        if member.status not in GOOD_STANDING:
            return
        for call in await self.calls.published():
            if await self.matches.get(call.call_id, member.member_id) is None:
                await self._record(call, [member])

    async def _record(self, call: FundingCall, members: list[MemberFacts]) -> None:
        """Announce, then store, the matches of eligible members not matched before.

        The events are published first (awaiting the broker) under ids derived from (call,
        member): if the process dies in between, redelivery derives and announces the same
        events again, and stores the matches.
        """
        today = today_in_tbilisi()
        if call.status is not CallStatus.PUBLISHED or call.due_to_close(today):
            return
        already = await self.matches.matched_among(call.call_id, [m.member_id for m in members])
        facts = call_facts(call)
        now = datetime.now(UTC)
        events, matches = [], []
        for member in members:
            if member.member_id in already:
                continue
            assessment = assess(call.criteria, member, today)
            if not assessment.eligible:
                continue
            match = Match(call.call_id, member.member_id, assessment.held, now)
            events.append(
                self.derived.event(
                    FundingMatchFound(**facts, member_id=member.member_id, reasons=match.reasons),
                    subject_id=member.member_id,
                    event_id=derived_event_id(
                        "funding.match_found", call.call_id, member.member_id
                    ),
                )
            )
            matches.append(match)
        if events:
            await self.derived.announce(events)
            await self.matches.add_new(matches)
