"""Value chain assessments, as dated versions to compare year on year: pure rules.

A value chain (dairy, wine, packaging...) is assessed stage by stage: the member companies
at each stage, the gaps found and the upgrading opportunities, each gap or opportunity
optionally linked to an advocacy topic, a procurement category or a training need. Every
assessment is a new version (emitting `value_chain.assessed`); two versions compare by stage.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from cmo_contracts.advocacy import ValueChainAssessed
from cmo_shared.errors import Invalid, NotFound


class LinkKind(StrEnum):
    """What a gap or an opportunity leads to."""

    TOPIC = "topic"
    PROCUREMENT = "procurement"
    TRAINING = "training"


@dataclass
class Finding:
    """A gap or an upgrading opportunity at one stage."""

    text: str
    link_kind: LinkKind | None = None
    link: str | None = None
    """The topic id, procurement category or training need it leads to."""


@dataclass
class StageAssessment:
    """One stage of the chain: who is there, what is missing, what could be upgraded."""

    stage: str
    members: list[str]
    gaps: list[Finding] = field(default_factory=list)
    opportunities: list[Finding] = field(default_factory=list)


@dataclass
class Assessment:
    """One dated version of a chain's assessment."""

    version: int
    assessed_on: date
    stages: list[StageAssessment]
    summary: str
    recorded_at: datetime
    recorded_by: str


@dataclass
class ValueChain:
    """A value chain the CMO assesses periodically."""

    value_chain_id: str
    name: str
    title: dict[str, str]
    sectors: list[str]
    created_at: datetime
    assessments: list[Assessment] = field(default_factory=list)

    def assess(self, assessment: Assessment) -> ValueChainAssessed:
        """Record a new version (dated no earlier than the last)."""
        names = [s.stage for s in assessment.stages]
        if len(set(names)) != len(names):
            raise Invalid("each stage is assessed once", field="stages")
        if self.assessments and assessment.assessed_on < self.assessments[-1].assessed_on:
            raise Invalid("an assessment is dated no earlier than the last", field="assessed_on")
        assessment.version = len(self.assessments) + 1
        self.assessments.append(assessment)
        return ValueChainAssessed(
            value_chain_id=self.value_chain_id,
            name=self.name,
            version=assessment.version,
            assessed_on=assessment.assessed_on.isoformat(),
            gaps=sum(len(s.gaps) for s in assessment.stages),
        )

    def version(self, number: int, field_name: str) -> Assessment:
        """One version, or `NotFound` naming the parameter."""
        if not 1 <= number <= len(self.assessments):
            raise NotFound(f"no assessment version {number}", field=field_name)
        return self.assessments[number - 1]


@dataclass(frozen=True)
class StageChange:
    """How one stage changed between two versions."""

    stage: str
    members_joined: list[str]
    members_left: list[str]
    gaps_closed: list[str]
    gaps_new: list[str]
    opportunities_new: list[str]


def compare(old: Assessment, new: Assessment) -> list[StageChange]:
    """Stage by stage (in the newer version's order, then stages dropped), what changed."""
    before = {s.stage: s for s in old.stages}
    after = {s.stage: s for s in new.stages}
    order = [*after, *(name for name in before if name not in after)]
    empty = StageAssessment("", [])
    changes = []
    for name in order:
        a, b = before.get(name, empty), after.get(name, empty)
        gaps_a, gaps_b = [g.text for g in a.gaps], [g.text for g in b.gaps]
        opportunities_a = {o.text for o in a.opportunities}
        changes.append(
            StageChange(
                stage=name,
                members_joined=sorted(set(b.members) - set(a.members)),
                members_left=sorted(set(a.members) - set(b.members)),
                gaps_closed=[g for g in gaps_a if g not in gaps_b],
                gaps_new=[g for g in gaps_b if g not in gaps_a],
                opportunities_new=[
                    o.text for o in b.opportunities if o.text not in opportunities_a
                ],
            )
        )
    return changes
