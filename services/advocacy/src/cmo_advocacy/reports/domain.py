"""Industry reports: `draft -> reviewed -> published`, over a quarter or a half-year. Pure.

A half-year sums each company's investment over its quarters and takes its head count and
export share from its latest quarter.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from cmo_contracts.advocacy import ReportPublished
from cmo_shared.errors import Conflict, Invalid

from .disclosure import ALL, Cell, Contribution

PERIOD = re.compile(r"^(\d{4})-(Q[1-4]|H[12])$")


class ReportStatus(StrEnum):
    """`draft -> reviewed -> published`."""

    DRAFT = "draft"
    REVIEWED = "reviewed"
    PUBLISHED = "published"


class ReportStateConflict(Conflict):
    """The report cannot do that in its status."""

    code = "report_state_conflict"


class NoSurveys(Conflict):
    """No member submitted a survey for the period."""

    code = "no_surveys"


@dataclass(frozen=True)
class Survey:
    """One member's KPI survey of a quarter, as the members service published it."""

    member_id: str
    quarter: str
    employees: int
    export_share: float
    investment: Decimal
    revenue_band: str


def quarters(period: str) -> list[str]:
    """The quarters a period covers (`2026-H1`: Q1 and Q2)."""
    match = PERIOD.match(period)
    if match is None:
        raise Invalid("a period is a quarter (2026-Q3) or a half-year (2026-H1)", field="period")
    year, part = match.groups()
    if part.startswith("Q"):
        return [period]
    first = 1 if part == "H1" else 3
    return [f"{year}-Q{first}", f"{year}-Q{first + 1}"]


def combined(surveys: list[Survey]) -> tuple[int, Decimal, float]:
    """One company's figures over a period: latest head count and share, summed investment."""
    latest = max(surveys, key=lambda s: s.quarter)
    return latest.employees, sum((s.investment for s in surveys), Decimal(0)), latest.export_share


@dataclass
class Report:
    """A periodic report on the industry."""

    report_id: str
    period: str
    title: dict[str, str]
    cells: list[Cell]
    companies: int
    created_at: datetime
    created_by: str
    status: ReportStatus = ReportStatus.DRAFT
    reviewed_by: str | None = None
    published_at: datetime | None = None
    news_id: str | None = None
    contributions: list[Contribution] = field(default_factory=list)
    """Each company's figures (staff only: never shown with the published cells)."""

    def review(self, actor: str) -> None:
        """A second person checked the draft."""
        if self.status is not ReportStatus.DRAFT:
            raise ReportStateConflict(f"the report is {self.status}")
        if actor == self.created_by:
            raise ReportStateConflict("the report is reviewed by someone who did not draft it")
        self.status, self.reviewed_by = ReportStatus.REVIEWED, actor

    def publish(self, now: datetime, news_id: str, url: str) -> ReportPublished:
        """Publish a reviewed report; emits `report.published`."""
        if self.status is not ReportStatus.REVIEWED:
            raise ReportStateConflict(
                f"a report is published once reviewed; this one is {self.status}"
            )
        self.status, self.published_at, self.news_id = ReportStatus.PUBLISHED, now, news_id
        return ReportPublished(
            report_id=self.report_id,
            period=self.period,
            title=self.title,
            companies=self.companies,
            cells_published=sum(1 for c in self.cells if c.companies and not c.suppressed),
            cells_suppressed=sum(1 for c in self.cells if c.suppressed),
            url=url,
        )

    def cell(self, sector: str, band: str) -> Cell | None:
        """One cell of the table."""
        return next((c for c in self.cells if c.key == (sector, band)), None)

    def position(self, member_id: str) -> dict[str, object] | None:
        """A company's own figures against the published cells it falls in."""
        own = next((c for c in self.contributions if c.member_id == member_id), None)
        if own is None:
            return None
        shown = [
            cell
            for key in (
                (own.sector, own.size_band),
                (own.sector, ALL),
                (ALL, own.size_band),
                (ALL, ALL),
            )
            if (cell := self.cell(*key)) is not None and not cell.suppressed
        ]
        return {"own": own, "cells": shown}
