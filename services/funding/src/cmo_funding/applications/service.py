"""Application use cases: interest in matched calls, the pipeline, summaries and deadlines."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from cmo_shared.store import Duplicate

from ..calls.domain import FundingCall
from ..calls.service import CallService
from ..matching.repository import MatchRepository
from .domain import (
    PAST_SUBMISSION,
    AlreadyInterested,
    Application,
    ApplicationStatus,
    express_interest,
    reminder_due,
)
from .repository import ApplicationRepository

DEADLINE_ACTOR = "system:deadline"


@dataclass
class DeadlineReport:
    """What one run of the deadline job did."""

    closed: int = 0
    reminded: int = 0


@dataclass
class ApplicationService:
    """Members' applications to the calls they were matched with."""

    applications: ApplicationRepository
    calls: CallService
    matches: MatchRepository

    async def express_interest(self, call_id: str, member_id: str, *, actor: str) -> Application:
        """A matched member wants to apply; emits `funding.interest_expressed`."""
        call = await self.calls.get(call_id)
        matched = await self.matches.get(call_id, member_id) is not None
        application, event = express_interest(
            call, member_id, matched=matched, actor=actor, at=datetime.now(UTC)
        )
        try:
            await self.applications.add(application, [event])
        except Duplicate as exc:
            raise AlreadyInterested(
                f"member {member_id} already follows an application to this call",
                field="member_id",
            ) from exc
        return application

    async def move(
        self,
        application_id: str,
        wanted: ApplicationStatus,
        *,
        note: str | None,
        documents: list[str],
        amount_awarded: Decimal | None,
        actor: str,
    ) -> Application:
        """Move an application along its pipeline; emits `funding.application_status_changed`."""
        async with self.applications.changing(application_id) as change:
            call = await self.calls.get(change.item.call_id)
            change.record(
                change.item.move(
                    call,
                    wanted,
                    note=note,
                    documents=documents,
                    amount_awarded=amount_awarded,
                    actor=actor,
                    at=datetime.now(UTC),
                )
            )
        return change.item

    async def get(self, application_id: str) -> Application:
        """One application, or `NotFound`."""
        return await self.applications.get(application_id)

    async def search(
        self,
        *,
        call_id: str | None,
        member_id: str | None,
        status: ApplicationStatus | None,
        page: int,
        page_size: int,
    ) -> tuple[list[Application], int]:
        """Applications, oldest first, by call, member and status."""
        return await self.applications.search(
            call_id=call_id, member_id=member_id, status=status, page=page, page_size=page_size
        )

    async def summary(self, call_id: str) -> dict[str, Any]:
        """Matched, interested, submitted and awarded counts and the total awarded."""
        call = await self.calls.get(call_id)
        applications, _ = await self.applications.search(call_id=call_id)
        statuses = [a.status for a in applications]
        total = sum(
            (Decimal(a.amount_awarded) for a in applications if a.amount_awarded), Decimal(0)
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

    async def run_deadlines(self, today: date) -> DeadlineReport:
        """Close calls whose date passed; remind applicants whose call closes within a week."""
        report = DeadlineReport()
        for call in await self.calls.published():
            if call.due_to_close(today):
                await self.calls.close(call.call_id, actor=DEADLINE_ACTOR)
                report.closed += 1
                continue
            report.reminded += await self._remind(call, today)
        return report

    async def _remind(self, call: FundingCall, today: date) -> int:
        reminded = 0
        for application in await self.applications.to_remind(call.call_id):
            if not reminder_due(call, application.status, today):
                continue  # read again only those to change (each read costs a scan here)
            async with self.applications.changing(application.application_id) as change:
                event = change.item.remind(call, today)
                change.record(event)
            reminded += event is not None
        return reminded
