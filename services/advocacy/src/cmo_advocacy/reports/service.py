"""Report use cases: keep the surveys, draft a protected report, review, publish, announce."""

import contextlib
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from cmo_contracts import Envelope, derived_event_id
from cmo_shared.store import Duplicate

from ..news.service import NewsService
from ..standing.domain import size_band
from ..standing.service import Standing
from .disclosure import Contribution, table
from .domain import NoSurveys, Report, ReportStatus, Survey, combined, quarters
from .repository import ReportRepository, SurveyView


@dataclass
class ReportService:
    """Periodic industry reports."""

    reports: ReportRepository
    surveys: SurveyView
    standing: Standing
    news: NewsService
    min_companies: int
    p_percent: float

    async def on_survey(self, event: Envelope[Any]) -> None:
        """Keep a member's survey (a correction of a quarter replaces it)."""
        p = event.payload
        await self.surveys.put(
            Survey(
                p.member_id,
                p.quarter,
                p.employees,
                p.export_share,
                Decimal(p.investment),
                p.revenue_band,
            )
        )

    async def contributions(self, period: str) -> list[Contribution]:
        """Each company's figures over the period, placed by its sector division and size."""
        by_member: dict[str, list[Survey]] = defaultdict(list)
        for survey in await self.surveys.of_quarters(quarters(period)):
            by_member[survey.member_id].append(survey)
        known = await self.standing.many(list(by_member))
        result = []
        for member_id, surveys in sorted(by_member.items()):
            member = known.get(member_id)
            if member is None:
                continue
            employees, investment, share = combined(surveys)
            result.append(
                Contribution(
                    member_id, member.sector[:2], size_band(employees), employees, investment, share
                )
            )
        return result

    async def draft(self, period: str, title: dict[str, str], *, actor: str) -> Report:
        """Aggregate the period's surveys into a protected table, as a draft."""
        contributions = await self.contributions(period)
        if not contributions:
            raise NoSurveys(f"no KPI survey was submitted for {period}", field="period")
        cells = table(contributions, min_companies=self.min_companies, p_percent=self.p_percent)
        report = Report(
            str(uuid.uuid4()),
            period,
            title,
            cells,
            len(contributions),
            datetime.now(UTC),
            actor,
            contributions=contributions,
        )
        await self.reports.add(report, [])
        return report

    async def review(self, report_id: str, *, actor: str) -> Report:
        """Mark a draft reviewed (by someone other than its author)."""
        async with self.reports.changing(report_id) as change:
            change.item.review(actor)
        return change.item

    async def publish(self, report_id: str, *, actor: str) -> Report:
        """Publish; emits `report.published` and announces it to every member as news."""
        news_id = str(derived_event_id("report-news", report_id))
        async with self.reports.changing(report_id) as change:
            report = change.item
            if report.status is not ReportStatus.PUBLISHED:  # else: a retry announces below
                url = f"{self.news.public_url}/reports/{report_id}/page"
                change.record(report.publish(datetime.now(UTC), news_id, url))
        companies, period = report.companies, report.period
        summary = {
            "ka": f"{report.title['ka']}: {companies} კომპანიის მონაცემები ({period}).",
            "en": f"{report.title['en']}: figures of {companies} companies ({period}).",
        }
        with contextlib.suppress(Duplicate):  # announced already
            await self.news.announce(
                news_id,
                {
                    "title": report.title,
                    "summary": summary,
                    "body": summary,
                    "source": f"report:{report_id}",
                },
                author=actor,
            )
        return report

    async def get(self, report_id: str) -> Report:
        """One report, or `NotFound`."""
        return await self.reports.get(report_id)

    async def search(
        self, *, status: ReportStatus | None, page: int, page_size: int
    ) -> tuple[list[Report], int]:
        """Reports, newest first."""
        return await self.reports.search(status=status, page=page, page_size=page_size)
