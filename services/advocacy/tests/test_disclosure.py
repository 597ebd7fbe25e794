"""Statistical disclosure control of report tables: the p%-rule and secondary suppression."""

from decimal import Decimal

from cmo_advocacy.reports.disclosure import ALL, BANDS, Contribution, p_rule_fails, table
from hypothesis import given, settings
from hypothesis import strategies as st


def _c(member: str, sector: str, band: str, investment: int, employees: int = 20) -> Contribution:
    return Contribution(member, sector, band, employees, Decimal(investment), 10.0)


def test_the_p_rule_hides_a_total_the_second_largest_could_reduce_to_the_largest() -> None:
    # What the others add beyond the two largest (2) is under 10 % of the largest (100).
    assert p_rule_fails([Decimal(100), Decimal(50), Decimal(2)], 10)
    assert not p_rule_fails([Decimal(100), Decimal(50), Decimal(10)], 10)
    assert p_rule_fails([Decimal(100), Decimal(50)], 10)  # two companies: each knows the other


def test_a_lone_hidden_cell_takes_its_line_partner_with_it() -> None:
    cells = {
        c.key: c
        for c in table(
            [
                _c("a", "10", "small", 100),
                _c("b", "10", "small", 90),
                _c("c", "10", "small", 80),
                _c("d", "10", "large", 500),
            ],
            min_companies=3,
            p_percent=10,
        )
    }
    assert cells[("10", "large")].reasons == ["primary: fewer than 3 companies"]
    # The sector total minus its smalls would give the large company away.
    assert cells[("10", "small")].suppressed
    assert cells[("10", "small")].reasons == ["secondary: protects sector 10, large"]


contributions = st.lists(
    st.builds(
        _c,
        member=st.uuids().map(str),
        sector=st.sampled_from(["01", "10", "11", "25"]),
        band=st.sampled_from(BANDS),
        investment=st.integers(min_value=0, max_value=10**7),
        employees=st.integers(min_value=1, max_value=5000),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(contributions)
def test_no_published_cell_is_small_or_dominated_and_no_line_has_one_hidden_entry(
    members: list[Contribution],
) -> None:
    cells = {c.key: c for c in table(members, min_companies=3, p_percent=10)}
    for cell in cells.values():
        if cell.companies and not cell.suppressed:
            inside = [
                m
                for m in members
                if cell.sector in (ALL, m.sector) and cell.size_band in (ALL, m.size_band)
            ]
            assert len(inside) >= 3
            assert not p_rule_fails([m.investment for m in inside], 10)
    sectors = sorted({m.sector for m in members})
    lines = [[(s, b) for b in (*BANDS, ALL)] for s in (*sectors, ALL)]
    lines += [[(s, b) for s in (*sectors, ALL)] for b in (*BANDS, ALL)]
    for line in lines:
        hidden = [k for k in line if cells[k].suppressed]
        assert len(hidden) != 1, (line, hidden)
