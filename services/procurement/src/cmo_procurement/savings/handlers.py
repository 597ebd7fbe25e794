"""Event handlers of savings: every award is allocated among its members."""

from cmo_shared.consumer import EventHandler

from .service import SavingsService


def handlers(savings: SavingsService) -> dict[str, EventHandler]:
    """The savings' handler of each event type it follows."""
    return {"tender.awarded": savings.on_awarded}
