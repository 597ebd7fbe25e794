"""Members' training needs and their roll-up into ranked topics: pure rules.

Each `need.identified` of kind training is one company's need in one topic for a year (a
later answer to the same question replaces it). A year's topics are ranked by how many
companies need them, then by the people they would send; each is compared with last year.
"""

from collections import defaultdict
from dataclasses import dataclass


def topic_key(topic: str) -> str:
    """The topic as needs are grouped by it: case and spacing do not matter."""
    return " ".join(topic.split()).casefold()


@dataclass(frozen=True)
class TrainingNeed:
    """One company's training need in one topic."""

    need_id: str
    member_id: str
    year: int
    topic: str
    people: int

    @property
    def key(self) -> str:
        """The topic it is grouped under."""
        return topic_key(self.topic)


@dataclass(frozen=True)
class RankedTopic:
    """A topic of a year's assessment with the companies that need it."""

    topic: str
    companies: int
    people: int
    members: tuple[str, ...]
    last_year_companies: int

    @property
    def change(self) -> int:
        """Companies more (or fewer) than last year."""
        return self.companies - self.last_year_companies


def rank(needs: list[TrainingNeed], last_year: list[TrainingNeed]) -> list[RankedTopic]:
    """The year's topics, most needed first (companies, then people, then name)."""
    grouped: dict[str, list[TrainingNeed]] = defaultdict(list)
    for need in needs:
        grouped[need.key].append(need)
    before: dict[str, set[str]] = defaultdict(set)
    for need in last_year:
        before[need.key].add(need.member_id)
    topics = []
    for key, items in grouped.items():
        members = sorted({n.member_id for n in items})
        topics.append(
            RankedTopic(
                topic=min(n.topic for n in items),
                companies=len(members),
                people=sum(n.people for n in items),
                members=tuple(members),
                last_year_companies=len(before.get(key, ())),
            )
        )
    return sorted(topics, key=lambda t: (-t.companies, -t.people, t.topic))
