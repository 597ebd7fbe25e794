import pytest
from cmo_shared.nace import DIVISIONS, known_nace_code


def test_there_are_88_divisions() -> None:
    assert len(DIVISIONS) == 88


@pytest.mark.parametrize("code", ["01", "10.5", "10.51", "99"])
def test_codes_of_known_divisions_are_accepted(code: str) -> None:
    assert known_nace_code(code) == code


@pytest.mark.parametrize("code", ["04", "34", "40", "10.512", "A", "1", "10-51"])
def test_unknown_or_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(ValueError, match="NACE"):
        known_nace_code(code)
