"""The OCDS export of an awarded tender is valid against the official extended schema."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal as D

from cmo_procurement.tenders.domain import (
    AwardChoice,
    Lot,
    LotOffer,
    Offer,
    Tender,
    Tier,
)
from cmo_procurement.tenders.ocds import Publisher, release_package

from tests.ocds_schema import ocds_validator

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
PUBLISHER = Publisher("Georgian Food Cluster", "ocds-abc123", "https://cmo.example")


def _awarded() -> Tender:
    lots = [
        Lot(
            "L1",
            "Jars, Imereti",
            "packaging/glass-jars",
            "pieces",
            "p",
            D(16000),
            D(13000),
            D(20000),
            2,
            "Imereti",
            ["44618100-0"],
        ),
        Lot(
            "L2",
            "Jars, Kakheti",
            "packaging/glass-jars",
            "pieces",
            "p",
            D(4000),
            D(3000),
            D(5000),
            1,
            "Kakheti",
        ),
    ]
    tender = Tender("t1", "Glass jars 2027", "", ["p"], lots, NOW)
    tender.open(NOW + timedelta(days=7), actor="staff", now=NOW)
    for supplier, price in (("s1", "0.50"), ("s2", "0.49")):
        offer = Offer(
            f"o-{supplier}",
            supplier,
            f"{supplier.upper()} Ltd",
            [LotOffer(lot.lot_id, [Tier(D(0), D(price))], 14) for lot in lots],
            date(2027, 6, 1),
            NOW,
        )
        tender.receive(offer, now=NOW)
    tender.start_evaluation(actor="staff", now=NOW + timedelta(days=8))
    tender.award(
        [
            AwardChoice("L1", "s1", D(12000), "capacity"),
            AwardChoice("L1", "s2", D(4000), "rest"),
            AwardChoice("L2", "s2", D(4000), "best"),
        ],
        "pro_rata",
        today=date(2027, 3, 9),
        actor="staff",
        now=NOW + timedelta(days=8),
    )
    return tender


def test_an_awarded_tender_is_a_valid_release_package_with_lots_and_bids() -> None:
    package = release_package(
        _awarded(),
        {"m1": ["L1"], "m2": ["L1", "L2"]},
        publisher=PUBLISHER,
        member_names={"m1": "Alpha LLC", "m2": "Beta LLC"},
        now=NOW + timedelta(days=9),
    )
    errors = [e.message for e in ocds_validator().iter_errors(package)]
    assert errors == []
    (release,) = package["releases"]
    assert release["ocid"] == "ocds-abc123-t1" and release["tag"] == ["award"]
    assert release["tender"]["procuringEntity"]["name"] == "Georgian Food Cluster"
    assert [lot["status"] for lot in release["tender"]["lots"]] == ["complete", "complete"]
    assert len(release["bids"]["details"]) == 4
    assert {p["id"]: p["roles"] for p in release["parties"]} == {
        "ocds-abc123-cmo": ["procuringEntity"],
        "m1": ["buyer"],
        "m2": ["buyer"],
        "s1": ["tenderer", "supplier"],
        "s2": ["tenderer", "supplier"],
    }


def test_the_validator_refuses_what_the_schema_forbids() -> None:
    package = release_package(
        _awarded(), {}, publisher=PUBLISHER, member_names={}, now=NOW + timedelta(days=9)
    )
    package["releases"][0]["tender"]["lots"][0]["status"] = "won"
    package["releases"][0]["bids"]["details"][0]["status"] = "accepted"
    del package["publisher"]
    messages = sorted(e.message for e in ocds_validator().iter_errors(package))
    assert len(messages) == 3, messages
    assert any("publisher" in m for m in messages)
