"""Quarterly KPI surveys of member companies, the raw figures of the industry reports."""

from cmo_shared.feature import Feature

from .api import router
from .service import KpiService


def kpis_feature(kpis: KpiService) -> Feature:
    """The KPI feature: its API and its use cases."""
    return Feature("kpis", router, [kpis])
