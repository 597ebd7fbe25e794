"""Storage of value chains and their assessments."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.store import Change, DataclassStore, Event
from pymongo import ASCENDING, IndexModel

from .domain import ValueChain


class ValueChainRepository(Protocol):
    """Value chains."""

    async def add(self, chain: ValueChain, events: list[Event]) -> None:
        """Store a new chain; `Duplicate` if its name is taken."""
        ...

    async def get(self, key: str, *, field: str | None = None) -> ValueChain:
        """One chain, or `NotFound`."""
        ...

    def changing(self, key: str) -> AbstractAsyncContextManager[Change[ValueChain]]:
        """A chain loaded for a change, saved with its events on success."""
        ...

    async def all(self) -> list[ValueChain]:
        """Every chain, by name."""
        ...


class MongoValueChains(DataclassStore[ValueChain]):
    """Chains in the `value_chains` collection, one per name."""

    collection_name = "value_chains"
    noun = "value chain"
    item_type = ValueChain
    key_attribute = "value_chain_id"
    indexes = [IndexModel([("name", ASCENDING)], unique=True)]

    async def all(self) -> list[ValueChain]:
        """Every chain, by name."""
        return sorted(await self.find({}), key=lambda c: c.name)
