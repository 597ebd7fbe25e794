"""Legislative initiatives and their stages: pure rules.

An initiative may start in `public_consultation` (a ministry consults before registering
it), then goes `registered -> committee -> reading_1 -> reading_2 -> reading_3 -> adopted ->
signed -> published`, forward only (an accelerated procedure may skip stages); `rejected` or
`withdrawn` end it from any open stage. Every move is dated in its history and emits
`legislation.stage_changed`; each reading's text is kept as a version to compare.
"""

import difflib
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from cmo_contracts.advocacy import LegislationStageChanged
from cmo_shared.errors import Conflict, Invalid, NotFound


class Stage(StrEnum):
    """Where an initiative is in the legislative procedure."""

    PUBLIC_CONSULTATION = "public_consultation"
    REGISTERED = "registered"
    COMMITTEE = "committee"
    READING_1 = "reading_1"
    READING_2 = "reading_2"
    READING_3 = "reading_3"
    ADOPTED = "adopted"
    SIGNED = "signed"
    PUBLISHED = "published"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


ORDER = list(Stage)[:9]
"""The procedure's stages in order (the two endings aside)."""
CLOSED = frozenset({Stage.PUBLISHED, Stage.REJECTED, Stage.WITHDRAWN})
STARTS = frozenset({Stage.PUBLIC_CONSULTATION, Stage.REGISTERED})


class StageConflict(Conflict):
    """The initiative cannot move to that stage from where it is."""

    code = "stage_conflict"


class RegistrationNumberMissing(Invalid):
    """A registered initiative needs parliament's registration number."""

    code = "registration_number_required"


@dataclass
class StageEntry:
    """One dated move of the initiative."""

    stage: Stage
    on: date
    note: str | None
    actor: str
    recorded_at: datetime


@dataclass
class TextVersion:
    """The text of the initiative at one point, e.g. as registered or after a reading."""

    number: int
    label: str
    stage: Stage
    text: str
    added_at: datetime


@dataclass
class Initiative:
    """A legislative initiative the CMO follows."""

    initiative_id: str
    title: dict[str, str]
    sponsor: str
    sectors: list[str]
    stage: Stage
    created_at: datetime
    committee: str | None = None
    registration_number: str | None = None
    link: str | None = None
    topic_id: str | None = None
    next_deadline: date | None = None
    history: list[StageEntry] = field(default_factory=list)
    versions: list[TextVersion] = field(default_factory=list)

    def _event(self, before: Stage | None, entry: StageEntry) -> LegislationStageChanged:
        return LegislationStageChanged(
            initiative_id=self.initiative_id,
            registration_number=self.registration_number,
            title=self.title,
            link=self.link,
            sectors=self.sectors,
            from_stage=before.value if before else None,
            to_stage=self.stage.value,
            on=entry.on.isoformat(),
            next_deadline=self.next_deadline.isoformat() if self.next_deadline else None,
            note=entry.note,
        )

    def tracked(self, entry: StageEntry) -> LegislationStageChanged:
        """The first entry of its history, when the CMO starts following it."""
        if self.stage not in STARTS:
            raise StageConflict(
                "an initiative is tracked from public_consultation or registered", field="stage"
            )
        self._require_number(self.stage, self.registration_number)
        self.history.append(entry)
        return self._event(None, entry)

    def move(
        self, entry: StageEntry, *, next_deadline: date | None, registration_number: str | None
    ) -> LegislationStageChanged:
        """Move to a later stage, or end it; `StageConflict` if the move is not allowed."""
        if self.stage in CLOSED:
            raise StageConflict(f"the initiative is {self.stage}: it moves no more", field="stage")
        target = entry.stage
        ending = target in (Stage.REJECTED, Stage.WITHDRAWN)
        if not ending and ORDER.index(target) <= ORDER.index(self.stage):
            raise StageConflict(f"cannot go back from {self.stage} to {target}", field="stage")
        if target is Stage.PUBLIC_CONSULTATION:
            raise StageConflict("public consultation comes only before registration")
        if entry.on < self.history[-1].on:
            raise Invalid("a move cannot be dated before the previous one", field="on")
        self._require_number(target, registration_number or self.registration_number)
        self.registration_number = registration_number or self.registration_number
        before, self.stage = self.stage, target
        self.next_deadline = next_deadline
        self.history.append(entry)
        return self._event(before, entry)

    @staticmethod
    def _require_number(stage: Stage, number: str | None) -> None:
        if stage is not Stage.PUBLIC_CONSULTATION and not number:
            raise RegistrationNumberMissing(
                f"a {stage} initiative needs its registration number",
                field="registration_number",
            )

    def add_version(self, label: str, text: str, now: datetime) -> TextVersion:
        """Keep a new text version, numbered from 1, at the current stage."""
        version = TextVersion(len(self.versions) + 1, label, self.stage, text, now)
        self.versions.append(version)
        return version

    def version(self, number: int, field_name: str) -> TextVersion:
        """One text version, or `NotFound` naming the parameter."""
        if not 1 <= number <= len(self.versions):
            raise NotFound(f"no text version {number}", field=field_name)
        return self.versions[number - 1]


@dataclass(frozen=True)
class TextDiff:
    """What changed between two versions: a unified diff and counts of lines."""

    unified: str
    added: int
    removed: int


def diff(old: TextVersion, new: TextVersion) -> TextDiff:
    """The line diff between two text versions (as `diff -u` shows it)."""
    lines = list(
        difflib.unified_diff(
            old.text.splitlines(),
            new.text.splitlines(),
            fromfile=f"v{old.number} {old.label}",
            tofile=f"v{new.number} {new.label}",
            lineterm="",
        )
    )
    added = sum(1 for x in lines if x.startswith("+") and not x.startswith("+++"))
    removed = sum(1 for x in lines if x.startswith("-") and not x.startswith("---"))
    return TextDiff("\n".join(lines), added, removed)
