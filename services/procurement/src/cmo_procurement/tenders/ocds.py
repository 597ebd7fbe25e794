"""An awarded joint tender as an OCDS 1.1 release package (lots and bids extensions).

The CMO is the procuring entity and every member with a line in a lot is a buyer (a joint
purchase: several parties with the `buyer` role); each offer is a bid; each supplier's share of
a lot is an award. OCDS has no fields for volume tiers, pools or savings, so the tiers go in
the bids' local `tiers` field and nothing about members' baselines or savings is published.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from .domain import Tender, TenderStatus

LOTS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/"
    "v1.1.5/extension.json"
)
BIDS_EXTENSION = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/"
    "v1.1.5/extension.json"
)
TENDER_STATUS = {
    TenderStatus.DRAFT: "planning",
    TenderStatus.OPEN: "active",
    TenderStatus.EVALUATION: "active",
    TenderStatus.AWARDED: "complete",
    TenderStatus.CLOSED: "complete",
    TenderStatus.CANCELLED: "cancelled",
}


@dataclass(frozen=True)
class Publisher:
    """Who publishes the data: the CMO, and where its packages live."""

    name: str
    ocid_prefix: str
    base_uri: str


def _money(amount: Decimal) -> dict[str, Any]:
    return {"amount": float(amount), "currency": "GEL"}


def _org(party_id: str, name: str) -> dict[str, str]:
    return {"id": party_id, "name": name}


def release_package(
    tender: Tender,
    buyers: dict[str, list[str]],
    *,
    publisher: Publisher,
    member_names: dict[str, str],
    now: datetime,
) -> dict[str, Any]:
    """The tender's award release in a release package; `buyers`: each member's lots."""
    ocid = f"{publisher.ocid_prefix}-{tender.tender_id}"
    cmo = _org(f"{publisher.ocid_prefix}-cmo", publisher.name)
    parties: dict[str, dict[str, Any]] = {cmo["id"]: {**cmo, "roles": ["procuringEntity"]}}
    for member_id, lot_ids in sorted(buyers.items()):
        name = member_names.get(member_id, member_id)
        parties[member_id] = {
            **_org(member_id, name),
            "roles": ["buyer"],
            "details": {"buyerOfLots": lot_ids},
        }
    for offer in tender.offers:
        roles = ["tenderer"] + (
            ["supplier"] if offer.supplier_id in tender.awarded_suppliers else []
        )
        parties[offer.supplier_id] = {
            **_org(offer.supplier_id, offer.supplier_name),
            "roles": roles,
        }
    items = [
        {
            "id": f"{lot.lot_id}-1",
            "description": lot.title,
            "quantity": float(lot.quantity),
            "unit": {"name": lot.unit},
            "relatedLot": lot.lot_id,
            **({"classification": {"scheme": "CPV", "id": lot.cpv[0]}} if lot.cpv else {}),
        }
        for lot in tender.lots
    ]
    awarded_lots = {a.lot_id for a in tender.awards}
    lots = [
        {
            "id": lot.lot_id,
            "title": lot.title,
            "status": (
                "complete"
                if lot.lot_id in awarded_lots
                else "unsuccessful"
                if tender.status in (TenderStatus.AWARDED, TenderStatus.CLOSED)
                else "active"
            ),
        }
        for lot in tender.lots
    ]
    bids = []
    if not tender.sealed:
        for offer in tender.offers:
            for lot_offer in offer.lots:
                lot = tender.lot(lot_offer.lot_id)
                tier = lot_offer.tier_at(lot.quantity)
                bid: dict[str, Any] = {
                    "id": f"{offer.offer_id}-{lot_offer.lot_id}",
                    "date": offer.received_at.isoformat(),
                    "status": "valid",
                    "tenderers": [_org(offer.supplier_id, offer.supplier_name)],
                    "relatedLots": [lot_offer.lot_id],
                    "tiers": [
                        {"minQuantity": float(t.min_quantity), "unitPrice": _money(t.unit_price)}
                        for t in lot_offer.tiers
                    ],
                }
                if tier is not None:
                    bid["value"] = _money(tier.unit_price * lot.quantity)
                bids.append(bid)
    awards = [
        {
            "id": f"{tender.tender_id}-{award.lot_id}-{award.supplier_id}",
            "status": "active",
            "date": tender.awarded_at.isoformat() if tender.awarded_at else now.isoformat(),
            "description": award.reason,
            "value": _money(award.unit_price * award.quantity),
            "suppliers": [_org(award.supplier_id, award.supplier_name)],
            "relatedLots": [award.lot_id],
            "relatedBids": [
                f"{o.offer_id}-{award.lot_id}"
                for o in tender.offers
                if o.supplier_id == award.supplier_id
            ],
            "items": [
                {
                    "id": f"{award.lot_id}-1",
                    "description": tender.lot(award.lot_id).title,
                    "quantity": float(award.quantity),
                    "unit": {
                        "name": tender.lot(award.lot_id).unit,
                        "value": _money(award.unit_price),
                    },
                }
            ],
        }
        for award in tender.awards
    ]
    release: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{tender.status.value}",
        "date": (tender.awarded_at or now).isoformat(),
        "tag": ["award"] if awards else ["tender"],
        "initiationType": "tender",
        "language": "en",
        "parties": list(parties.values()),
        "tender": {
            "id": tender.tender_id,
            "title": tender.title,
            "description": tender.description,
            "status": TENDER_STATUS[tender.status],
            "procuringEntity": cmo,
            "items": items,
            "procurementMethod": "selective",
            "procurementMethodDetails": "Joint purchase by a cluster for its member companies",
            "mainProcurementCategory": "goods",
            "awardCriteria": "priceOnly",
            "numberOfTenderers": len(tender.offers),
            "tenderers": [_org(o.supplier_id, o.supplier_name) for o in tender.offers],
            "lots": lots,
            **(
                {"tenderPeriod": {"endDate": tender.deadline.isoformat()}}
                if tender.deadline
                else {}
            ),
        },
        "awards": awards,
    }
    if bids:
        release["bids"] = {"details": bids}
    return {
        "uri": f"{publisher.base_uri}/tenders/{tender.tender_id}/ocds",
        "version": "1.1",
        "extensions": [LOTS_EXTENSION, BIDS_EXTENSION],
        "publishedDate": now.isoformat(),
        "publisher": {"name": publisher.name},
        "releases": [release],
    }
