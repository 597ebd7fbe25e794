"""HTTP API of contacts' channel choices and one-click unsubscribe."""

import logging
from typing import Annotated, Any

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES
from fastapi import APIRouter

from ..fanout.domain import MANDATORY_TOPICS, topics
from .repository import LinkSigner, Preferences
from .schemas import PreferencesRead, PreferencesWrite

log = logging.getLogger(__name__)
router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)
SETTINGS = {"digest", "digest_hour", "quiet_hours", "timezone"}
Choices = Annotated[Preferences, provided(Preferences)]
Links = Annotated[LinkSigner, provided(LinkSigner)]


def _preferences_read(contact_id: str, document: dict[str, Any] | None) -> PreferencesRead:
    document = document or {}
    settings = {k: document[k] for k in SETTINGS if document.get(k) is not None}
    return PreferencesRead(
        contact_id=contact_id,
        channels=document.get("channels", {}),
        mandatory_topics=sorted(MANDATORY_TOPICS),
        topics=topics(),
        **settings,
    )


@router.get("/preferences/{contact_id}", summary="A contact's channel choices")
async def get_preferences(contact_id: str, preferences: Choices) -> PreferencesRead:
    """Per topic, whether email and inbox are on; unlisted topics reach every channel."""
    return _preferences_read(contact_id, await preferences.get(contact_id))


@router.put("/preferences/{contact_id}", summary="Set a contact's channel choices")
async def set_preferences(
    contact_id: str, body: PreferencesWrite, preferences: Choices
) -> PreferencesRead:
    """Merge the given choices; switching off a mandatory topic answers 422."""
    channels = {t: c.model_dump(exclude_none=True) for t, c in body.channels.items()}
    settings = body.model_dump(include=SETTINGS, exclude_unset=True)
    document = await preferences.set(contact_id, channels, settings)
    return _preferences_read(contact_id, document)


@router.post("/unsubscribe/{token}", summary="One-click unsubscribe (RFC 8058)")
async def unsubscribe(token: str, preferences: Choices, links: Links) -> PreferencesRead:
    """Switch off email for the topic the link was sent for."""
    contact_id, topic = links.read(token)
    document = await preferences.set(contact_id, {topic: {"email": False}})
    return _preferences_read(contact_id, document)
