"""Storage of annual plans."""

from contextlib import AbstractAsyncContextManager
from typing import Protocol

from cmo_shared.store import Change, DataclassStore

from .domain import Plan


class PlanRepository(Protocol):
    """Annual plans, one per year."""

    async def get(self, key: int, *, field: str | None = None) -> Plan:
        """One year's plan, or `NotFound`."""
        ...

    def changing(
        self, key: int, *, create: object = None
    ) -> AbstractAsyncContextManager[Change[Plan]]:
        """A plan loaded (or created) for a change, saved with its events on success."""
        ...


class MongoPlans(DataclassStore[Plan]):
    """Plans in the `plans` collection, `_id` the year."""

    collection_name = "plans"
    noun = "plan"
    item_type = Plan
    key_attribute = "year"
