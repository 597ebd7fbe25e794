"""Quarterly KPI surveys of member companies: pure rules, no I/O."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from cmo_contracts.members import KpiSubmitted


@dataclass
class KpiSurvey:
    """A member's answers to one quarter's KPI survey (a resubmission corrects them)."""

    member_id: str
    quarter: str
    revenue_band: str = ""
    employees: int = 0
    export_share: float = 0.0
    investment: str = "0.00"
    submitted_at: datetime | None = None

    @property
    def survey_id(self) -> str:
        """`<member id>:<quarter>`."""
        return f"{self.member_id}:{self.quarter}"

    def submit(
        self,
        *,
        revenue_band: str,
        employees: int,
        export_share: float,
        investment: Decimal,
        at: datetime,
    ) -> KpiSubmitted:
        """Take the quarter's figures; the event carries them for the industry reports."""
        self.revenue_band, self.employees, self.export_share = revenue_band, employees, export_share
        self.investment = str(investment.quantize(Decimal("0.01")))
        self.submitted_at = at
        return KpiSubmitted(
            member_id=self.member_id,
            quarter=self.quarter,
            revenue_band=self.revenue_band,
            employees=self.employees,
            export_share=self.export_share,
            investment=self.investment,
        )
