from pathlib import Path

import pytest
from cmo_members.catalogue.domain import (
    DEFINITIONS,
    Availability,
    UnmappedSeedLine,
    catalogue_for,
    parse_seed,
    seed_text,
)

ORGANISATION_SEED = Path(__file__).resolve().parents[3] / ".." / "shared" / "seed"


def test_every_seed_line_becomes_a_catalogue_entry_and_one_is_not_offered() -> None:
    entries = catalogue_for(2026, parse_seed(seed_text()))
    assert len(entries) == len(DEFINITIONS) == 31
    assert len({e.slug for e in entries}) == 31
    assert [e.slug for e in entries if e.availability is Availability.NOT_THIS_YEAR] == [
        "supplier-directory"
    ]
    assert {e.served_by for e in entries} == {
        "members",
        "notifications",
        "procurement",
        "advocacy",
        "training",
        "funding",
    }


def test_the_shipped_seed_is_the_organisations_current_list() -> None:
    current = ORGANISATION_SEED / "common-services.txt"
    if current.exists():  # beside the repository on the team's machines and in CI
        assert parse_seed(current.read_text()) == parse_seed(seed_text())
    assert parse_seed(seed_text())[0].title == "Facilitation of collaboration between members"


def test_an_unknown_line_is_refused_rather_than_dropped() -> None:
    text = seed_text() + "\n\nA brand new service\n"
    with pytest.raises(UnmappedSeedLine, match="A brand new service"):
        catalogue_for(2026, parse_seed(text))
