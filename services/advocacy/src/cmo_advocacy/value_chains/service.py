"""Value chain use cases: define a chain, assess it, compare versions."""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from cmo_shared.errors import Conflict
from cmo_shared.store import Duplicate

from .domain import Assessment, StageAssessment, StageChange, ValueChain, compare
from .repository import ValueChainRepository


class ChainExists(Conflict):
    """A value chain of that name exists."""

    code = "value_chain_exists"


@dataclass
class ValueChainService:
    """Value chain assessments."""

    chains: ValueChainRepository

    async def define(self, name: str, title: dict[str, str], sectors: list[str]) -> ValueChain:
        """A value chain to assess, by a unique name."""
        chain = ValueChain(str(uuid.uuid4()), name, title, sectors, datetime.now(UTC))
        try:
            await self.chains.add(chain, [])
        except Duplicate as exc:
            raise ChainExists(f"a value chain named {name} exists", field="name") from exc
        return chain

    async def assess(
        self,
        value_chain_id: str,
        assessed_on: date,
        stages: list[StageAssessment],
        summary: str,
        *,
        actor: str,
    ) -> Assessment:
        """Record a new assessment version; emits `value_chain.assessed`."""
        assessment = Assessment(0, assessed_on, stages, summary, datetime.now(UTC), actor)
        async with self.chains.changing(value_chain_id) as change:
            change.record(change.item.assess(assessment))
        return assessment

    async def compare(self, value_chain_id: str, old: int, new: int) -> list[StageChange]:
        """What changed between two versions, stage by stage."""
        chain = await self.chains.get(value_chain_id)
        return compare(chain.version(old, "from_version"), chain.version(new, "to_version"))

    async def get(self, value_chain_id: str) -> ValueChain:
        """One chain, or `NotFound`."""
        return await self.chains.get(value_chain_id)

    async def all(self) -> list[ValueChain]:
        """Every chain."""
        return await self.chains.all()
