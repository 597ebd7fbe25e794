"""Legislative initiatives: the order of stages, their endings, texts and diffs."""

from datetime import UTC, date, datetime

import pytest
from cmo_advocacy.legislation.domain import (
    Initiative,
    RegistrationNumberMissing,
    Stage,
    StageConflict,
    StageEntry,
    diff,
)
from cmo_shared.errors import Invalid

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def _entry(stage: Stage, day: int) -> StageEntry:
    return StageEntry(stage, date(2026, 12, day), None, "staff", NOW)


def _tracked(stage: Stage = Stage.PUBLIC_CONSULTATION) -> Initiative:
    initiative = Initiative("i1", {"ka": "t", "en": "t"}, "Ministry", ["10.5"], stage, NOW)
    initiative.tracked(_entry(stage, 1))
    return initiative


def _move(initiative: Initiative, stage: Stage, day: int, number: str | None = None):
    return initiative.move(_entry(stage, day), next_deadline=None, registration_number=number)


def test_an_initiative_moves_forward_and_every_move_is_an_event() -> None:
    initiative = _tracked()
    moved = _move(initiative, Stage.REGISTERED, 2, "07-3/1")
    assert (moved.from_stage, moved.to_stage, moved.registration_number) == (
        "public_consultation",
        "registered",
        "07-3/1",
    )
    _move(initiative, Stage.READING_1, 3)  # an accelerated procedure skips the committee
    assert [h.stage for h in initiative.history] == [
        Stage.PUBLIC_CONSULTATION,
        Stage.REGISTERED,
        Stage.READING_1,
    ]


def test_moves_back_after_an_ending_or_before_the_last_date_are_refused() -> None:
    initiative = _tracked()
    with pytest.raises(RegistrationNumberMissing):
        _move(initiative, Stage.REGISTERED, 2)
    _move(initiative, Stage.REGISTERED, 2, "07-3/1")
    with pytest.raises(StageConflict):
        _move(initiative, Stage.PUBLIC_CONSULTATION, 3)
    with pytest.raises(Invalid):
        _move(initiative, Stage.COMMITTEE, 1)
    _move(initiative, Stage.WITHDRAWN, 4)
    with pytest.raises(StageConflict):
        _move(initiative, Stage.READING_1, 5)


def test_a_registered_initiative_is_tracked_with_its_number() -> None:
    with pytest.raises(RegistrationNumberMissing):
        _tracked(Stage.REGISTERED)
    with pytest.raises(StageConflict):
        _tracked(Stage.COMMITTEE)


def test_two_text_versions_compare_line_by_line() -> None:
    initiative = _tracked()
    old = initiative.add_version("as published", "Article 1\nFee: 100 GEL\nArticle 3", NOW)
    new = initiative.add_version("after reading 1", "Article 1\nFee: 50 GEL\nArticle 3", NOW)
    changes = diff(old, new)
    assert (changes.added, changes.removed) == (1, 1)
    assert "-Fee: 100 GEL" in changes.unified and "+Fee: 50 GEL" in changes.unified
