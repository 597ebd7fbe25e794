"""The trend radar and the bulletins built from it: pure rules.

Each radar entry sits in a quadrant and a ring (`adopt`, `trial`, `assess`, `hold`), with the
rationale for it. A bulletin is a dated snapshot of the radar; each entry's movement is told
against the ring it had in the last bulletin (`new`, `in` toward adopt, `out` toward hold,
`unchanged`). Publishing a bulletin emits `bulletin.published`.
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from cmo_contracts.advocacy import BulletinPublished
from cmo_shared.errors import Conflict


class Quadrant(StrEnum):
    """The radar's quarters."""

    TECHNOLOGIES = "technologies"
    PROCESSES = "processes"
    MARKETS = "markets"
    POLICY = "policy"


class Ring(StrEnum):
    """How far the CMO recommends members go with a trend, nearest first."""

    ADOPT = "adopt"
    TRIAL = "trial"
    ASSESS = "assess"
    HOLD = "hold"


RING_ORDER = list(Ring)


class Movement(StrEnum):
    """How an entry moved since the last bulletin."""

    NEW = "new"
    IN = "in"
    OUT = "out"
    UNCHANGED = "unchanged"


class BulletinExists(Conflict):
    """A period has one bulletin."""

    code = "bulletin_exists"


@dataclass
class RadarEntry:
    """One trend or technology on the radar."""

    entry_id: str
    name: dict[str, str]
    quadrant: Quadrant
    ring: Ring
    rationale: dict[str, str]
    sectors: list[str]
    updated_at: datetime
    ring_in_last_bulletin: Ring | None = None

    @property
    def movement(self) -> Movement:
        """How the entry moved since the last bulletin."""
        before = self.ring_in_last_bulletin
        if before is None:
            return Movement.NEW
        if before is self.ring:
            return Movement.UNCHANGED
        nearer = RING_ORDER.index(self.ring) < RING_ORDER.index(before)
        return Movement.IN if nearer else Movement.OUT

    def move(self, ring: Ring, rationale: dict[str, str], now: datetime) -> None:
        """Put the entry in another ring, saying why."""
        self.ring, self.rationale, self.updated_at = ring, rationale, now


@dataclass(frozen=True)
class BulletinLine:
    """An entry as a bulletin shows it."""

    entry_id: str
    name: dict[str, str]
    quadrant: Quadrant
    ring: Ring
    movement: Movement
    rationale: dict[str, str]


@dataclass
class Bulletin:
    """A periodic trend-scouting bulletin."""

    bulletin_id: str
    period: str
    title: dict[str, str]
    lines: list[BulletinLine]
    published_at: datetime
    published_by: str
    ideas: list[str] = field(default_factory=list)
    """Ids of the open project ideas it invites members to back."""

    def published(self, url: str) -> BulletinPublished:
        """The event announcing it to every member."""
        return BulletinPublished(
            bulletin_id=self.bulletin_id,
            period=self.period,
            title=self.title,
            url=url,
            entries=len(self.lines),
            moved=sum(1 for x in self.lines if x.movement in (Movement.IN, Movement.OUT)),
        )


def snapshot(entries: list[RadarEntry]) -> list[BulletinLine]:
    """The radar as a bulletin shows it: by quadrant, then ring, then name."""
    ordered = sorted(
        entries,
        key=lambda e: (list(Quadrant).index(e.quadrant), RING_ORDER.index(e.ring), e.name["en"]),
    )
    return [
        BulletinLine(e.entry_id, e.name, e.quadrant, e.ring, e.movement, e.rationale)
        for e in ordered
    ]
