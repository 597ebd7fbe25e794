"""Event handlers of the survey read model."""

from cmo_shared.consumer import EventHandler

from .service import ReportService


def handlers(reports: ReportService) -> dict[str, EventHandler]:
    """Each KPI survey submitted (or corrected) is kept."""
    return {"kpi.submitted": reports.on_survey}
