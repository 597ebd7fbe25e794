"""KPI survey use cases: members' quarterly figures, each submission an event."""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from ..membership.service import MembershipService
from .domain import KpiSurvey
from .repository import KpiRepository


@dataclass
class KpiService:
    """Quarterly KPI surveys of members in good standing."""

    surveys: KpiRepository
    membership: MembershipService

    async def submit(
        self,
        member_id: str,
        quarter: str,
        *,
        revenue_band: str,
        employees: int,
        export_share: float,
        investment: Decimal,
    ) -> KpiSurvey:
        """Store a member's quarterly KPIs (a resubmission corrects them); emits `kpi.submitted`."""
        await self.membership.in_good_standing(member_id)
        survey = KpiSurvey(member_id, quarter)
        async with self.surveys.changing(survey.survey_id, create=lambda: survey) as change:
            change.record(
                change.item.submit(
                    revenue_band=revenue_band,
                    employees=employees,
                    export_share=export_share,
                    investment=investment,
                    at=datetime.now(UTC),
                )
            )
        return change.item

    async def search(
        self, *, member_id: str | None, quarter: str | None, page: int, page_size: int
    ) -> list[KpiSurvey]:
        """KPI submissions by member and quarter, latest quarter first."""
        return await self.surveys.search(
            member_id=member_id, quarter=quarter, page=page, page_size=page_size
        )
