"""Training needs use cases: keep the assessed needs, rank a year's topics."""

from dataclasses import dataclass
from typing import Any

from cmo_contracts import Envelope

from ..standing.service import Standing
from .domain import RankedTopic, TrainingNeed, rank, topic_key
from .repository import NeedView


@dataclass
class NeedService:
    """The annual training needs assessment."""

    needs: NeedView
    standing: Standing

    async def on_need_identified(self, event: Envelope[Any]) -> None:
        """Keep a training need (another kind of need is not training's)."""
        p = event.payload
        if p.kind != "training":
            return
        people = int(p.quantity) if p.quantity and (p.unit or "").startswith("people") else 1
        await self.needs.put(
            TrainingNeed(
                f"{p.member_id}:{p.assessment_id}:{p.question_id}:{topic_key(p.category)}",
                p.member_id,
                int(p.period[:4]),
                p.category,
                max(people, 1),
            )
        )

    async def ranked(self, year: int) -> list[RankedTopic]:
        """The year's topics, most needed first, of members in good standing."""
        needs = await self._of_members_in_good_standing(year)
        return rank(needs, await self.needs.of_year(year - 1))

    async def members_needing(self, year: int, topic: str) -> list[str]:
        """Members in good standing with a need in the topic that year."""
        needs = await self._of_members_in_good_standing(year)
        return sorted({n.member_id for n in needs if n.key == topic_key(topic)})

    async def _of_members_in_good_standing(self, year: int) -> list[TrainingNeed]:
        needs = await self.needs.of_year(year)
        allowed = set(await self.standing.in_good_standing(sorted({n.member_id for n in needs})))
        return [n for n in needs if n.member_id in allowed]
