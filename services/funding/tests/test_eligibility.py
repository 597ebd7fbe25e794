from datetime import date

from cmo_funding.matching.domain import Criteria, MemberFacts, assess

TODAY = date(2026, 11, 28)
DAIRY = MemberFacts(
    member_id="m1",
    status="active",
    sector="10.51",
    employees=45,
    region="Imereti",
    turnover_band="1m-5m",
    certifications=("HACCP", "ISO 22000"),
    founded_year=2015,
)


def test_every_restricting_criterion_that_holds_is_a_reason() -> None:
    criteria = Criteria(
        sectors=("10.5", "11"),
        max_employees=250,
        turnover_bands=("1m-5m",),
        regions=("Imereti", "Kakheti"),
        certifications=("haccp",),
        min_years_in_operation=5,
    )
    result = assess(criteria, DAIRY, TODAY)
    assert result.eligible
    assert result.held == [
        "membership in good standing",
        "sector 10.51 is within 10.5",
        "45 employees (within 0-250)",
        "turnover 1m-5m",
        "operates in Imereti",
        "holds haccp",
        "11 years in operation (at least 5)",
    ]


def test_each_failing_criterion_is_named() -> None:
    criteria = Criteria(
        sectors=("01",),
        min_employees=50,
        regions=("Adjara",),
        certifications=("FSSC 22000",),
        min_years_in_operation=20,
    )
    result = assess(criteria, DAIRY, TODAY)
    assert not result.eligible
    assert result.failed == [
        "sector 10.51 is not among 01",
        "45 employees (outside 50-∞)",
        "region Imereti is not admitted",
        "does not hold FSSC 22000",
        "11 years in operation (fewer than 20)",
    ]


def test_suspended_or_departed_members_never_match_and_grace_only_when_allowed() -> None:
    for status in ("suspended", "lapsed", "terminated", "applicant", "rejected"):
        member = MemberFacts(**{**vars(DAIRY), "status": status})
        assert not assess(Criteria(), member, TODAY).eligible, status
    in_grace = MemberFacts(**{**vars(DAIRY), "status": "grace"})
    assert assess(Criteria(), in_grace, TODAY).eligible
    assert not assess(Criteria(fees_paid_up=True), in_grace, TODAY).eligible


def test_unknown_facts_fail_criteria_that_need_them() -> None:
    unknown = MemberFacts(**{**vars(DAIRY), "turnover_band": None, "founded_year": None})
    result = assess(Criteria(turnover_bands=(">20m",), min_years_in_operation=1), unknown, TODAY)
    assert result.failed == ["turnover unknown is not admitted", "years in operation unknown"]


def test_no_criteria_admits_every_member_in_good_standing() -> None:
    assert assess(Criteria(), DAIRY, TODAY).held == ["membership in good standing"]
