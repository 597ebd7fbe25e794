"""Periodic industry reports from the members' KPI surveys, protected cell by cell."""

from cmo_shared.feature import Feature

from .api import router
from .handlers import handlers
from .service import ReportService


def reports_feature(reports: ReportService) -> Feature:
    """The reports feature: the KPI read model, drafting, review, publication, rendering."""
    return Feature("reports", router, [reports], handlers=handlers(reports))
