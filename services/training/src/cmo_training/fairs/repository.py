"""Storage of fair delegations."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.store import Change, DataclassStore, Event
from pymongo import DESCENDING

from .domain import Delegation


class DelegationRepository(Protocol):
    """Fair delegations."""

    async def add(self, delegation: Delegation, events: list[Event]) -> None:
        """Store a new delegation."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> Delegation:
        """One delegation, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[Delegation]]:
        """A delegation loaded for a change, saved with its events on success."""
        ...

    async def search(self, *, page: int, page_size: int) -> tuple[list[Delegation], int]:
        """Delegations, newest first, and their total."""
        ...


class MongoDelegations(DataclassStore[Delegation]):
    """Delegations in the `delegations` collection."""

    collection_name = "delegations"
    noun = "delegation"
    item_type = Delegation
    key_attribute = "delegation_id"

    async def search(self, *, page: int, page_size: int) -> tuple[list[Delegation], int]:
        """Delegations, newest first, and their total."""
        return await self.page(
            {},
            sort=[("created_at", DESCENDING), ("_id", DESCENDING)],
            page=page,
            page_size=page_size,
        )
