"""Event handlers of demand: needs-assessment answers become draft needs."""

from cmo_shared.consumer import EventHandler

from .service import DemandService


def handlers(demand: DemandService) -> dict[str, EventHandler]:
    """The demand's handler of each event type it follows."""
    return {"need.identified": demand.on_need_identified}
