"""Reports on fakes: a half-year combines each company's quarters; drafts need surveys."""

from decimal import Decimal

import pytest
from cmo_advocacy.app import features
from cmo_advocacy.reports.domain import NoSurveys, Survey
from cmo_advocacy.reports.service import ReportService
from cmo_advocacy.settings import AdvocacySettings
from cmo_advocacy.standing.domain import MemberFacts

from tests.fakes import advocacy_repositories

TITLE = {"ka": "ა", "en": "H1"}


async def test_a_half_year_sums_investment_and_takes_the_latest_head_count() -> None:
    repos = advocacy_repositories()
    for i in range(3):
        await repos.members.put(MemberFacts(f"m{i}", "active", f"M{i}", "10.51", 20))
        for quarter, employees, investment in (("2026-Q1", 8, "100"), ("2026-Q2", 12, "50")):
            await repos.surveys.put(
                Survey(f"m{i}", quarter, employees, 10.0, Decimal(investment), "<100k")
            )
    await repos.surveys.put(Survey("m0", "2026-Q3", 99, 10.0, Decimal(10**6), "<100k"))
    services = [s for f in features(repos, AdvocacySettings()) for s in f.services]
    reports = next(s for s in services if isinstance(s, ReportService))

    contributions = await reports.contributions("2026-H1")
    assert [(c.size_band, c.employees, c.investment) for c in contributions] == [
        ("small", 12, Decimal(150))
    ] * 3
    report = await reports.draft("2026-H1", TITLE, actor="staff")
    total = report.cell("*", "*")
    assert total is not None and (total.companies, total.investment) == (3, Decimal(450))
    with pytest.raises(NoSurveys):
        await reports.draft("2025-H2", TITLE, actor="staff")
