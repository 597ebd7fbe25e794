"""Storage of certificates."""

from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.http import given
from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, DESCENDING, IndexModel

from .domain import Certificate


class CertificateRepository(Protocol):
    """Certificates."""

    async def add_new(self, items: Sequence[tuple[Certificate, Sequence[Event]]]) -> int:
        """Store the certificates not stored yet, with their events."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Certificate:
        """One certificate, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Certificate]]:
        """A certificate loaded for a change."""
        ...

    async def search(
        self, *, member_id: str | None, session_id: str | None, page: int, page_size: int
    ) -> tuple[list[Certificate], int]:
        """Certificates, newest first, and their total."""
        ...


class MongoCertificates(DataclassStore[Certificate]):
    """Certificates in the `certificates` collection."""

    collection_name = "certificates"
    noun = "certificate"
    item_type = Certificate
    key_attribute = "certificate_id"
    indexes = [IndexModel([("member_id", ASCENDING)]), IndexModel([("session_id", ASCENDING)])]

    def subject_of(self, item: Certificate, document: dict) -> str:
        """A company's certificate events are keyed by the company."""
        return item.member_id

    async def search(
        self, *, member_id: str | None, session_id: str | None, page: int, page_size: int
    ) -> tuple[list[Certificate], int]:
        """Certificates, newest first, and their total."""
        return await self.page(
            given(member_id=member_id, session_id=session_id),
            sort=[("issued_at", DESCENDING), ("_id", ASCENDING)],
            page=page,
            page_size=page_size,
        )
