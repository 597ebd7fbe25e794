"""Use cases of the funding service: calls, deadlines, interest and the application pipeline."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from cmo_shared.errors import Conflict
from cmo_shared.events import Envelope, Payload, new_event
from cmo_shared.events.funding import (
    FundingApplicationStatusChanged,
    FundingCallClosed,
    FundingCallPublished,
    FundingDeadlineApproaching,
    FundingInterestExpressed,
)
from cmo_shared.locks import DocumentLocks
from cmo_shared.outbox import OutboxRelay, outbox_entries

from .calls import ApplicationStatus, CallStatus, FundingCall, next_status, reminder_due
from .matching import PRODUCER, call_facts
from .repository import (
    APPLICATIONS,
    CALLS,
    ApplicationRepository,
    CallRepository,
    MatchRepository,
    call_document,
)

DEADLINE_ACTOR = "system:deadline"
PAST_SUBMISSION = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.AWARDED, ApplicationStatus.REJECTED}
)


class NotMatched(Conflict):
    """Interest is expressed in calls the member was matched with."""

    code = "not_matched"


class AlreadyInterested(Conflict):
    """The member already follows an application to this call."""

    code = "already_interested"


@dataclass
class DeadlineReport:
    """What one run of the deadline job did."""

    closed: int = 0
    reminded: int = 0


def _event(payload: Payload, subject_id: str, correlation_id: str) -> Envelope[Any]:
    return new_event(
        payload, producer=PRODUCER, subject_id=subject_id, correlation_id=correlation_id
    )


@dataclass
class FundingService:
    """Calls and applications, each change saved with its events."""

    calls: CallRepository
    matches: MatchRepository
    applications: ApplicationRepository
    relay: OutboxRelay
    locks: DocumentLocks

    async def create(self, call: FundingCall) -> FundingCall:
        """Store a new draft call."""
        await self.calls.add(call)
        return call

    async def edit(self, call_id: str, changes: dict[str, Any]) -> FundingCall:
        """Change a draft."""
        async with self.locks(CALLS, call_id):
            call = await self.calls.get(call_id)
            call.edit(changes)
            await self.calls.save(call)
        return call

    async def publish(self, call_id: str, *, today: date, correlation_id: str) -> FundingCall:
        """Publish a draft; emits `funding_call.published`, which starts the matching."""
        async with self.locks(CALLS, call_id):
            call = await self.calls.get(call_id)
            call.publish(today=today, now=datetime.now(UTC))
            document = call_document(call)
            payload = FundingCallPublished(
                **call_facts(call),
                description=call.description,
                co_financing_share=call.co_financing_share,
                opens_on=document["opens_on"],
                criteria={**document["criteria"], "conditions": call.conditions},
            )
            await self.calls.save(call, [_event(payload, call_id, correlation_id)])
        self.relay.wake()
        return call

    async def close(self, call_id: str, *, actor: str, correlation_id: str) -> FundingCall:
        """Close a published call; emits `funding_call.closed`."""
        async with self.locks(CALLS, call_id):
            call = await self.calls.get(call_id)
            call.close(actor=actor, now=datetime.now(UTC))
            payload = FundingCallClosed(**call_facts(call), actor=actor)
            await self.calls.save(call, [_event(payload, call_id, correlation_id)])
        self.relay.wake()
        return call

    async def run_deadlines(self, today: date) -> DeadlineReport:
        """Close calls whose date passed; remind applicants whose call closes within a week."""
        report = DeadlineReport()
        correlation_id = f"job:deadlines:{today.isoformat()}"
        published, _ = await self.calls.find({"status": CallStatus.PUBLISHED.value})
        for call in published:
            if call.due_to_close(today):
                await self.close(call.call_id, actor=DEADLINE_ACTOR, correlation_id=correlation_id)
                report.closed += 1
                continue
            report.reminded += await self._remind(call, today, correlation_id)
        return report

    async def _remind(self, call: FundingCall, today: date, correlation_id: str) -> int:
        waiting, _ = await self.applications.find({"call_id": call.call_id, "reminded": False})
        reminded = 0
        for application in waiting:
            if not reminder_due(call, ApplicationStatus(application["status"]), today):
                continue
            payload = FundingDeadlineApproaching(
                **call_facts(call),
                member_id=application["member_id"],
                application_id=application["_id"],
                days_left=call.days_left(today),
            )
            async with self.locks(APPLICATIONS, application["_id"]):
                await self.applications.update(
                    application["_id"],
                    {"reminded": True},
                    [_event(payload, application["member_id"], correlation_id)],
                )
            reminded += 1
        if reminded:
            self.relay.wake()
        return reminded

    async def express_interest(
        self, call_id: str, member_id: str, *, actor: str, correlation_id: str
    ) -> dict[str, Any]:
        """A matched member wants to apply; emits `funding.interest_expressed`."""
        call = await self.calls.get(call_id)
        if call.status is not CallStatus.PUBLISHED:
            raise Conflict(f"the call is {call.status}", field="call_id")
        if await self.matches.get(call_id, member_id) is None:
            raise NotMatched(
                f"member {member_id} was not matched with call {call_id}", field="member_id"
            )
        application_id = f"{call_id}:{member_id}"
        payload = FundingInterestExpressed(
            **call_facts(call), member_id=member_id, application_id=application_id
        )
        now = datetime.now(UTC)
        document = {
            "_id": application_id,
            "call_id": call_id,
            "member_id": member_id,
            "status": ApplicationStatus.INTERESTED.value,
            "amount_awarded": None,
            "currency": call.currency,
            "documents": [],
            "notes": [],
            "history": [{"status": "interested", "actor": actor, "at": now, "note": None}],
            "reminded": False,
            "created_at": now,
            "outbox": outbox_entries([_event(payload, member_id, correlation_id)]),
        }
        if not await self.applications.add(document):
            raise AlreadyInterested(
                f"member {member_id} already follows an application to this call",
                field="member_id",
            )
        self.relay.wake()
        del document["outbox"]
        return document

    async def move_application(
        self,
        application_id: str,
        wanted: ApplicationStatus,
        *,
        note: str | None,
        documents: list[str],
        amount_awarded: Decimal | None,
        actor: str,
        correlation_id: str,
    ) -> dict[str, Any]:
        """Move an application along its pipeline; emits `funding.application_status_changed`."""
        async with self.locks(APPLICATIONS, application_id):
            application = await self.applications.get(application_id)
            current = ApplicationStatus(application["status"])
            to = next_status(current, wanted)
            call = await self.calls.get(application["call_id"])
            awarded = (
                str(amount_awarded)
                if to is ApplicationStatus.AWARDED and amount_awarded is not None
                else None
            )
            kept = application["documents"]
            entry = {"status": to.value, "actor": actor, "at": datetime.now(UTC), "note": note}
            changes = {
                "status": to.value,
                "amount_awarded": awarded,
                "documents": kept + [d for d in documents if d not in kept],
                "notes": application["notes"] + ([note] if note else []),
                "history": application["history"] + [entry],
            }
            payload = FundingApplicationStatusChanged(
                **call_facts(call),
                member_id=application["member_id"],
                application_id=application_id,
                from_status=current.value,
                to_status=to.value,
                note=note,
                amount_awarded=awarded,
            )
            await self.applications.update(
                application_id,
                changes,
                [_event(payload, application["member_id"], correlation_id)],
            )
        self.relay.wake()
        return {**application, **changes}

    async def summary(self, call_id: str) -> dict[str, Any]:
        """Matched, interested, submitted and awarded counts and the total awarded."""
        call = await self.calls.get(call_id)
        applications, _ = await self.applications.find({"call_id": call_id})
        statuses = [ApplicationStatus(a["status"]) for a in applications]
        total = sum(
            (Decimal(a["amount_awarded"]) for a in applications if a["amount_awarded"]),
            Decimal(0),
        )
        return {
            "call_id": call_id,
            "status": call.status.value,
            "matched": await self.matches.count(call_id),
            "interested": len(applications),
            "submitted": sum(s in PAST_SUBMISSION for s in statuses),
            "awarded": statuses.count(ApplicationStatus.AWARDED),
            "rejected": statuses.count(ApplicationStatus.REJECTED),
            "total_awarded": f"{total:.2f}",
            "currency": call.currency,
        }
