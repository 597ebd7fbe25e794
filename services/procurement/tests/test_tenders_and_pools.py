from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

import pytest
from cmo_procurement.demand.domain import Fill, Pool, PoolStateConflict, PoolStatus
from cmo_procurement.support.domain import (
    Provider,
    ProviderNotAvailable,
    RequestStateConflict,
    ServiceType,
    SupportRequest,
)
from cmo_procurement.tenders.domain import (
    AwardChoice,
    AwardNotCovered,
    DeadlineNotPassed,
    DeadlinePassed,
    Lot,
    LotOffer,
    Offer,
    Tender,
    TenderStateConflict,
    Tier,
    comparison,
)

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
TODAY = date(2027, 3, 1)


def test_the_threshold_is_announced_once_when_every_part_of_it_is_met() -> None:
    pool = Pool("p", "packaging/glass-jars", "pieces", NOW, threshold_quantity=D("100"))
    pool.threshold_members = 2
    assert pool.refill(Fill(quantity=D("150"), members=1, needs=1), at=NOW) is None
    reached = pool.refill(Fill(quantity=D("150"), members=2, needs=2), at=NOW)
    assert reached is not None and (reached.quantity, reached.members) == ("150", 2)
    assert pool.status is PoolStatus.THRESHOLD_REACHED
    assert pool.refill(Fill(quantity=D("200"), members=3, needs=3), at=NOW) is None


def test_a_pool_without_a_threshold_is_never_ready_and_a_collecting_pool_is_not_tendered() -> None:
    pool = Pool("p", "c", "kg", NOW)
    assert pool.refill(Fill(quantity=D("10000"), members=50, needs=50), at=NOW) is None
    with pytest.raises(PoolStateConflict):
        pool.tender("t", actor="staff", at=NOW)


def _tender() -> Tender:
    lot = Lot("L1", "Jars", "c", "pieces", "p", D("16000"), D("13000"), D("20000"), 1)
    return Tender("t", "Jars", "", ["p"], [lot], NOW)


def _offer(supplier: str, tiers: list[tuple[str, str]], moq: str | None = None) -> Offer:
    lot = LotOffer("L1", [Tier(D(q), D(p)) for q, p in tiers], 14, D(moq) if moq else None)
    return Offer(f"o-{supplier}", supplier, supplier.upper(), [lot], TODAY + timedelta(30), NOW)


def test_offers_stay_sealed_until_the_deadline_and_evaluation() -> None:
    tender = _tender()
    tender.open(NOW + timedelta(hours=1), actor="staff", now=NOW)
    tender.receive(_offer("s1", [("0", "0.5")]), now=NOW)
    replaced = tender.receive(_offer("s1", [("0", "0.49")]), now=NOW)
    assert (replaced.revision, len(tender.offers)) == (2, 1)
    assert tender.sealed
    with pytest.raises(TenderStateConflict):
        comparison(tender, TODAY)
    with pytest.raises(DeadlineNotPassed):
        tender.start_evaluation(actor="staff", now=NOW)
    later = NOW + timedelta(hours=2)
    with pytest.raises(DeadlinePassed):
        tender.receive(_offer("s2", [("0", "0.1")]), now=later)
    tender.start_evaluation(actor="staff", now=later)
    assert not tender.sealed


def test_the_comparison_prices_each_offer_at_the_pooled_volume_and_marks_the_best() -> None:
    tender = _tender()
    tender.open(NOW + timedelta(hours=1), actor="staff", now=NOW)
    tender.receive(_offer("s1", [("0", "0.58"), ("15000", "0.45")]), now=NOW)
    tender.receive(_offer("s2", [("0", "0.40")], moq="20000"), now=NOW)
    tender.receive(_offer("s3", [("17000", "0.30")]), now=NOW)
    tender.start_evaluation(actor="staff", now=NOW + timedelta(hours=2))
    cells = {c.supplier_id: c for c in comparison(tender, TODAY)}
    assert (cells["s1"].tier_min_quantity, cells["s1"].total) == (D("15000"), D("7200.00"))
    assert cells["s1"].best_total
    assert not cells["s2"].feasible and cells["s2"].remark == "below the minimum order of 20000"
    assert not cells["s3"].feasible and cells["s3"].total is None


def test_an_award_is_priced_at_its_own_tier_and_held_to_the_members_bounds() -> None:
    tender = _tender()
    tender.open(NOW + timedelta(hours=1), actor="staff", now=NOW)
    tender.receive(_offer("s1", [("0", "0.58"), ("15000", "0.45")]), now=NOW)
    tender.start_evaluation(actor="staff", now=NOW + timedelta(hours=2))
    with pytest.raises(AwardNotCovered, match="accept 13000 to 20000"):
        tender.award(
            [AwardChoice("L1", "s1", D("12000"), "x")],
            "pro_rata",
            today=TODAY,
            actor="staff",
            now=NOW,
        )
    with pytest.raises(AwardNotCovered, match="made no offer"):
        tender.award(
            [AwardChoice("L1", "s9", D("16000"), "x")],
            "pro_rata",
            today=TODAY,
            actor="staff",
            now=NOW,
        )
    event = tender.award(
        [AwardChoice("L1", "s1", D("14000"), "best")], "pro_rata", today=TODAY, actor="s", now=NOW
    )
    (lot,) = event.lots
    assert (lot.awarded_quantity, lot.shortfall, lot.awards[0].unit_price) == (
        "14000",
        "2000",
        "0.58",
    )


def _provider(**overrides: object) -> Provider:
    fields = {
        "provider_id": "p1",
        "name": "Cert Georgia",
        "service_types": [ServiceType.CERTIFICATION],
        "standards": ["ISO 22000"],
        "scope": "food safety",
        "contact_email": "info@cert.example",
        "created_at": NOW,
        "valid_until": TODAY + timedelta(days=10),
    }
    return Provider(**{**fields, **overrides})  # type: ignore[arg-type]


def test_an_expired_or_unfit_provider_is_not_offered() -> None:
    request = SupportRequest("r", "m", ServiceType.CERTIFICATION, "ISO 22000", NOW)
    request.triage(None, actor="staff", at=NOW)
    with pytest.raises(ProviderNotAvailable, match="expired"):
        request.match(
            _provider(valid_until=TODAY - timedelta(days=1)), actor="s", at=NOW, today=TODAY
        )
    with pytest.raises(ProviderNotAvailable, match="does not give"):
        request.match(_provider(service_types=[ServiceType.AUDIT]), actor="s", at=NOW, today=TODAY)
    matched = request.match(_provider(), actor="s", at=NOW, today=TODAY)
    assert matched.provider_email == "info@cert.example"


def test_a_request_is_rated_once_and_only_when_completed() -> None:
    request = SupportRequest("r", "m", ServiceType.CERTIFICATION, "ISO 22000", NOW)
    with pytest.raises(RequestStateConflict):
        request.rate(5, None, at=NOW)
    request.triage(None, actor="s", at=NOW)
    request.match(_provider(), actor="s", at=NOW, today=TODAY)
    request.engage(actor="s", at=NOW)
    request.complete(actor="s", at=NOW)
    assert request.rate(4, "good", at=NOW).rating == 4
    with pytest.raises(RequestStateConflict):
        request.rate(5, None, at=NOW)
