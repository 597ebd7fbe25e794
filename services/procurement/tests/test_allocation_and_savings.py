from datetime import UTC, datetime
from decimal import Decimal as D

import pytest
from cmo_procurement.savings.domain import allocate, lot_allocations, report, split
from cmo_procurement.tenders.domain import Award, Lot, LotLine, Tender

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)


def _line(need: str, member: str, quantity: str, low: str, high: str, baseline: str) -> LotLine:
    return LotLine("L1", need, member, D(quantity), D(low), D(high), D(baseline), "Imereti")


LINES = [
    _line("n1", "a", "10000", "8000", "12000", "0.60"),
    _line("n2", "b", "6000", "5000", "8000", "0.55"),
]


def test_the_pooled_quantity_is_allocated_as_asked() -> None:
    assert allocate(LINES, D("16000"), "pro_rata") == {"n1": D("10000"), "n2": D("6000")}


def test_a_shortfall_is_shared_pro_rata_within_each_members_bounds() -> None:
    # 8000 of 16000: half each would put n1 at 5000, below its 8000 minimum.
    result = allocate(LINES, D("13000"), "pro_rata")
    assert result == {"n1": D("8000"), "n2": D("5000")}
    result = allocate(LINES, D("14400"), "pro_rata")
    assert result == {"n1": D("9000"), "n2": D("5400")}
    assert sum(result.values()) == D("14400")


def test_a_shortfall_spread_evenly_takes_the_same_from_everyone() -> None:
    assert allocate(LINES, D("14400"), "even") == {"n1": D("9200"), "n2": D("5200")}


def test_a_surplus_fills_members_up_to_their_maximum_and_no_further() -> None:
    result = allocate(LINES, D("20000"), "pro_rata")
    assert result == {"n1": D("12000"), "n2": D("8000")}
    assert allocate(LINES, D("19000"), "even") == {"n1": D("11500"), "n2": D("7500")}


def test_rounding_keeps_the_total_exact_in_thousandths() -> None:
    lines = [_line(f"n{i}", f"m{i}", "1", "0.001", "5", "1") for i in range(3)]
    result = allocate(lines, D("2"), "pro_rata")
    assert sum(result.values()) == D("2")
    assert sorted(result.values()) == [D("0.666"), D("0.667"), D("0.667")]


def test_a_split_award_gives_every_member_the_same_share_of_each_supplier() -> None:
    awards = [
        Award("L1", "s1", "S1", D("12000"), D("0.50"), D("10000"), "capacity"),
        Award("L1", "s2", "S2", D("4000"), D("0.55"), D("0"), "rest"),
    ]
    parts = split({"n1": D("10000"), "n2": D("6000")}, awards)
    assert parts == {"n1": [D("7500"), D("2500")], "n2": [D("4500"), D("1500")]}


class _Pool:
    pool_id, category, unit = "p1", "packaging/glass-jars", "pieces"


def _tender(awards: list[Award]) -> Tender:
    lot = Lot.pooling("L1", "Glass jars", _Pool(), LINES, None, [])
    assert (lot.quantity, lot.min_total, lot.max_total, lot.members) == (
        D("16000"),
        D("13000"),
        D("20000"),
        2,
    )
    return Tender("t1", "Jars", "", ["p1"], [lot], NOW, awards=awards, awarded_at=NOW)


def test_savings_are_baseline_minus_awarded_price_times_quantity_to_the_tetri() -> None:
    tender = _tender(
        [
            Award("L1", "s1", "S1", D("12000"), D("0.50"), D("10000"), "capacity"),
            Award("L1", "s2", "S2", D("4000"), D("0.55"), D("0"), "rest"),
        ]
    )
    allocations = lot_allocations(tender, tender.lots[0], LINES, year=2027, planned_price=D("0.45"))
    by_member = {a.member_id: a for a in allocations}
    assert by_member["a"].savings == D("875.00")
    assert by_member["a"].unit_price == D("0.5125")
    assert [(line.supplier_id, line.savings) for line in by_member["a"].lines] == [
        ("s1", D("750.00")),
        ("s2", D("125.00")),
    ]
    assert by_member["b"].savings == D("225.00")
    assert by_member["a"].planned_savings == D("1500.00")  # 10000 x (0.60 - 0.45)
    event = by_member["a"].realized()
    assert (event.savings, event.allocated_quantity, event.member_id) == ("875.00", "10000", "a")


def test_the_report_sums_what_the_members_saved() -> None:
    tender = _tender([Award("L1", "s1", "S1", D("16000"), D("0.50"), D("10000"), "best")])
    allocations = lot_allocations(tender, tender.lots[0], LINES, year=2027, planned_price=None)
    rows = report(allocations, "member")
    assert [(r.key, r.savings) for r in rows] == [("a", D("1000.00")), ("b", D("300.00"))]
    (by_category,) = report(allocations, "category")
    assert by_category.savings == sum((a.savings for a in allocations), D(0)) == D("1300.00")


@pytest.mark.parametrize("method", ["pro_rata", "even"])
def test_allocations_always_lie_within_bounds(method: str) -> None:
    lines = [
        _line("a", "a", "100", "10", "150", "1"),
        _line("b", "b", "50", "50", "50", "1"),
        _line("c", "c", "7", "1", "900", "1"),
    ]
    for total in ("61", "100", "157", "500", "1100"):
        result = allocate(lines, D(total), method)
        assert sum(result.values()) == D(total)
        for line in lines:
            assert line.min_quantity <= result[line.need_id] <= line.max_quantity
