"""Event handlers of the training needs read model."""

from cmo_shared.consumer import EventHandler

from .service import NeedService


def handlers(needs: NeedService) -> dict[str, EventHandler]:
    """Needs stated in the members' assessments."""
    return {"need.identified": needs.on_need_identified}
