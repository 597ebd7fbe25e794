"""Each contact's choice of channels per topic, and signed one-click unsubscribe links."""

from datetime import UTC, datetime
from typing import Any

from cmo_shared.errors import Invalid, NotFound
from cmo_shared.mongo import find_by_ids, insert_new
from itsdangerous import BadSignature, URLSafeSerializer
from pymongo.asynchronous.collection import AsyncCollection

from ..fanout.domain import MANDATORY_TOPICS

PREFERENCES = "preferences"


class MandatoryTopic(Invalid):
    """Mandatory topics (membership, fees, security) cannot be switched off."""

    code = "mandatory_topic"


class BadLink(NotFound):
    """The unsubscribe link was altered or is not ours."""

    code = "invalid_link"


def check_choices(channels: dict[str, dict[str, bool]]) -> None:
    """Refuse switching off any channel of a mandatory topic."""
    for topic, choices in channels.items():
        if topic in MANDATORY_TOPICS and not all(choices.values()):
            raise MandatoryTopic(f"{topic} messages cannot be switched off", field=topic)


class Preferences:
    """Contacts' channel choices; a contact without a record receives everything."""

    def __init__(self, collection: AsyncCollection) -> None:
        self._collection = collection

    async def get(self, contact_id: str) -> dict[str, Any] | None:
        """A contact's choices, if any were made."""
        return await self._collection.find_one({"_id": contact_id})

    async def get_many(self, contact_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The choices of the given contacts that made any."""
        return {d["_id"]: d async for d in find_by_ids(self._collection, contact_ids)}

    async def set(
        self,
        contact_id: str,
        channels: dict[str, dict[str, bool]],
        settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Merge channel choices and settings (digest, hours, zone) into the contact's record."""
        check_choices(channels)
        current = await self.get(contact_id) or {"_id": contact_id, "channels": {}}
        merged = {**current["channels"]}
        for topic, choices in channels.items():
            merged[topic] = {**merged.get(topic, {}), **choices}
        document = {
            **current,
            **(settings or {}),
            "channels": merged,
            "updated_at": datetime.now(UTC),
        }
        if not await insert_new(self._collection, [document]):
            await self._collection.replace_one({"_id": contact_id}, document)
        return document


class LinkSigner:
    """Signs and reads the (contact, topic) carried by an unsubscribe link."""

    def __init__(self, secret: str) -> None:
        self._serializer = URLSafeSerializer(secret, salt="unsubscribe")

    def token(self, contact_id: str, topic: str) -> str:
        """A token naming the contact and topic."""
        return str(self._serializer.dumps([contact_id, topic]))

    def read(self, token: str) -> tuple[str, str]:
        """The contact and topic of a token, or `BadLink`."""
        try:
            contact_id, topic = self._serializer.loads(token)
        except (BadSignature, ValueError) as exc:
            raise BadLink("this unsubscribe link is not valid", field="token") from exc
        return contact_id, topic
