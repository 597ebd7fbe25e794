"""Flow 2 end to end through the gateway: needs to a joint tender, savings told to each member.

Real members, procurement, notifications and gateway processes on real Kafka, FerretDB and
SMTP. Three members state needs in one category, the pool passes its threshold and staff are
told, staff open a tender with two lots (by delivery region), two suppliers' tiered offers stay
sealed until the deadline, the comparison prices them at the pooled volume, a split award
allocates each member its share, and each member hears its own allocation and saving in its
language. The report's sum is the members' savings; the OCDS export validates against the
official 1.1.5 schema; a redelivered award changes nothing; a suspended member is refused.
"""

import asyncio
import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from cmo_shared.schedule import today_in_tbilisi

from tests.conftest import Gateway, Infra
from tests.helpers import (
    applicant,
    bearer,
    committed_offsets,
    eventually,
    invited_user,
    mails_to,
    read_topic,
    resolved,
    sign_in,
)
from tests.ocds_schema import ocds_validator

PASSWORD = "a long and unguessable pass"
CATEGORY = "packaging/glass-jars"


def _need(quantity: str, low: str, high: str, price: str, region: str, **extra: Any) -> dict:
    wanted_by = (datetime.now(UTC) + timedelta(days=90)).date().isoformat()
    return {
        "category": CATEGORY,
        "unit": "pieces",
        "quantity": quantity,
        "min_quantity": low,
        "max_quantity": high,
        "baseline": {"unit_price": price, "source": "last invoice", "observed_on": "2026-10-01"},
        "wanted_by": wanted_by,
        "region": region,
        **extra,
    }


async def _member(http: httpx.AsyncClient, staff: dict, name: str, email: str, lang: str) -> dict:
    body = applicant((f"{name} Contact", email, lang), legal_name=f"{name} LLC", region="Imereti")
    created = await http.post("/members", json=body, headers=staff)
    assert created.status_code == 201, created.text
    approved = await http.post(f"/members/{created.json()['member_id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return approved.json()


async def _state(http: httpx.AsyncClient, headers: dict, body: dict) -> httpx.Response:
    """State a need once procurement knows the member (its `member.joined` may be on its way)."""

    async def attempt() -> httpx.Response:
        return await http.post("/needs", json=body, headers=headers)

    return await eventually(attempt, lambda r: r.status_code != 404, timeout_s=30)


def _subjects(infra: Infra, email: str, marker: str) -> list[str]:
    return [
        str(m["Subject"]) for m in mails_to(infra.mail_dir, email) if marker in str(m["Subject"])
    ]


async def test_needs_become_a_joint_tender_and_each_member_hears_its_own_saving(
    infra: Infra, gateway: Gateway
) -> None:
    run = uuid.uuid4().hex[:6]
    title = f"Glass jars 2027 {run}"
    emails = {k: f"{k}-{run}@jars.example" for k in ("alpha", "beta", "gamma", "delta")}
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        category = await http.put(
            "/categories",
            json={
                "code": CATEGORY,
                "name": {"ka": "მინის ქილები", "en": "Glass jars"},
                "units": ["pieces"],
                "cpv": ["44618100-0"],
                "threshold_quantity": "15000",
                "threshold_members": 3,
            },
            headers=staff,
        )
        assert category.status_code == 200, category.text
        # A pool left open by an earlier run of this test would take these needs: start afresh.
        for pool in (await http.get("/pools", params={"category": CATEGORY}, headers=staff)).json()[
            "items"
        ]:
            if pool["status"] in ("collecting", "threshold_reached"):
                await http.post(
                    f"/pools/{pool['pool_id']}/cancel", json={"reason": "fresh"}, headers=staff
                )

        alpha = await _member(http, staff, f"Alpha {run}", emails["alpha"], "ka")
        beta = await _member(http, staff, f"Beta {run}", emails["beta"], "en")
        gamma = await _member(http, staff, f"Gamma {run}", emails["gamma"], "en")
        delta = await _member(http, staff, f"Delta {run}", emails["delta"], "en")
        a_user = bearer(
            await invited_user(
                http,
                staff,
                f"user-{run}@alpha.example",
                PASSWORD,
                role="member",
                member_id=alpha["member_id"],
                contact_id=alpha["contacts"][0]["contact_id"],
            )
        )

        # Needs: Alpha's user states its own; staff state Beta's and Gamma's for them.
        own = await _state(http, a_user, _need("10000", "8000", "12000", "0.60", "Imereti"))
        assert own.status_code == 201, own.text
        assert own.json()["member_id"] == alpha["member_id"]
        refused = await http.post(
            "/needs",
            json=_need("1", "1", "1", "1", "Imereti", member_id=beta["member_id"]),
            headers=a_user,
        )
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "not_your_resource")
        bad = await http.post(
            "/needs",
            json=_need("100", "200", "300", "0.5", "Imereti", member_id=beta["member_id"]),
            headers=staff,
        )
        assert (bad.status_code, bad.json()["error"]["field"]) == (422, "min_quantity")
        beta_need = await _state(
            http,
            staff,
            _need("6000", "5000", "8000", "0.55", "Imereti", member_id=beta["member_id"]),
        )
        assert beta_need.status_code == 201, beta_need.text
        pool_id = own.json()["pool_id"]
        assert beta_need.json()["pool_id"] == pool_id
        pool = (await http.get(f"/pools/{pool_id}", headers=a_user)).json()
        assert pool["status"] == "collecting"
        assert pool["fill"]["members"] == 2 and Decimal(pool["fill"]["quantity"]) == 16000

        # A suspended member is refused: by the gateway for its users, by the service for staff.
        await http.post(
            f"/members/{delta['member_id']}/suspend", json={"reason": "fees"}, headers=staff
        )
        suspended = await eventually(
            lambda: http.post(
                "/needs",
                json=_need("500", "500", "500", "0.7", "Imereti", member_id=delta["member_id"]),
                headers=staff,
            ),
            lambda r: r.status_code == 403,
            timeout_s=30,
        )
        assert suspended.json()["error"] == {
            "code": "member_not_in_good_standing",
            "message": f"member {delta['member_id']} is suspended, not in good standing",
            "field": "member_id",
        }

        gamma_need = await _state(
            http,
            staff,
            _need("4000", "3000", "5000", "0.65", "Kakheti", member_id=gamma["member_id"]),
        )
        assert gamma_need.status_code == 201, gamma_need.text
        pool = (await http.get(f"/pools/{pool_id}", headers=a_user)).json()
        assert (pool["status"], pool["progress"]) == ("threshold_reached", 1.0)
        assert pool["fill"] == {
            "quantity": "20000",
            "min_quantity": "16000",
            "max_quantity": "25000",
            "members": 3,
            "needs": 3,
        }
        # Competitors never see each other's lines: Alpha's user sees its own need only.
        seen = (await http.get("/needs", params={"pool_id": pool_id}, headers=a_user)).json()
        assert [n["member_id"] for n in seen["items"]] == [alpha["member_id"]]
        other = await http.get(f"/needs/{beta_need.json()['need_id']}", headers=a_user)
        assert other.status_code == 404

        # Suppliers and the tender: two lots, by delivery region.
        suppliers = []
        for name, tax_id in ((f"Jars {run} Ltd", f"J{run}1"), (f"Glassworks {run}", f"G{run}2")):
            registered = await http.post(
                "/suppliers",
                json={
                    "legal_name": name,
                    "tax_id": tax_id,
                    "country": "GE",
                    "categories": [CATEGORY],
                    "contacts": [
                        {"name": "Sales", "email": f"sales-{tax_id.lower()}@jars.example"}
                    ],
                },
                headers=staff,
            )
            assert registered.status_code == 201, registered.text
            suppliers.append(registered.json()["supplier_id"])
        jars, glassworks = suppliers
        draft = await http.post(
            "/tenders",
            json={"title": title, "pool_ids": [pool_id], "lots_by_region": True},
            headers=staff,
        )
        assert draft.status_code == 201, draft.text
        tender_id = draft.json()["tender_id"]
        lots = {lot["region"]: lot for lot in draft.json()["lots"]}
        assert {r: (lot["lot_id"], lot["quantity"]) for r, lot in lots.items()} == {
            "Imereti": ("L1", "16000"),
            "Kakheti": ("L2", "4000"),
        }
        assert (await http.get(f"/pools/{pool_id}", headers=staff)).json()["status"] == "tendered"
        late = await http.post(f"/needs/{own.json()['need_id']}/withdraw", headers=a_user)
        assert late.status_code == 409

        deadline = datetime.now(UTC) + timedelta(seconds=6)
        opened = await http.post(
            f"/tenders/{tender_id}/open", json={"deadline": deadline.isoformat()}, headers=staff
        )
        assert opened.json()["status"] == "open", opened.text
        valid_until = (deadline + timedelta(days=60)).date().isoformat()
        offers = {
            jars: [
                ("L1", [("0", "0.58"), ("10000", "0.50"), ("15000", "0.45")]),
                ("L2", [("0", "0.60"), ("5000", "0.52")]),
            ],
            glassworks: [
                ("L1", [("0", "0.55"), ("12000", "0.48")]),
                ("L2", [("0", "0.57"), ("3000", "0.49")]),
            ],
        }
        for supplier_id, lot_offers in offers.items():
            body = {
                "supplier_id": supplier_id,
                "valid_until": valid_until,
                "lots": [
                    {
                        "lot_id": lot_id,
                        "tiers": [{"min_quantity": q, "unit_price": p} for q, p in tiers],
                        "lead_time_days": 21,
                    }
                    for lot_id, tiers in lot_offers
                ],
            }
            offered = await http.post(f"/tenders/{tender_id}/offers", json=body, headers=staff)
            assert offered.status_code == 201, offered.text

        # Sealed: nobody, staff included, sees a price before the deadline.
        sealed = (await http.get(f"/tenders/{tender_id}/offers", headers=staff)).json()
        assert all(o["sealed"] and all(lo["tiers"] is None for lo in o["lots"]) for o in sealed)
        early = await http.post(f"/tenders/{tender_id}/evaluate", headers=staff)
        assert (early.status_code, early.json()["error"]["code"]) == (409, "deadline_not_passed")
        assert (
            await http.get(f"/tenders/{tender_id}/comparison", headers=staff)
        ).status_code == 409
        member_offers = await http.get(f"/tenders/{tender_id}/offers", headers=a_user)
        assert member_offers.status_code == 403

        await asyncio.sleep(max(0.0, (deadline - datetime.now(UTC)).total_seconds()) + 0.5)
        # The deadline job unseals it (run now rather than waiting for its schedule).
        await http.post("/tender-deadlines/run", headers=staff)
        evaluated = await http.get(f"/tenders/{tender_id}", headers=staff)
        assert evaluated.json()["status"] == "evaluation", evaluated.text
        matrix = (await http.get(f"/tenders/{tender_id}/comparison", headers=staff)).json()
        cells = {
            (lot["lot_id"], c["supplier_id"]): c for lot in matrix["lots"] for c in lot["offers"]
        }
        assert (cells["L1", jars]["tier_min_quantity"], cells["L1", jars]["total"]) == (
            "15000",
            "7200.00",
        )
        assert cells["L1", jars]["best_total"] and not cells["L1", glassworks]["best_total"]
        assert (
            cells["L2", glassworks]["best_total"] and cells["L2", glassworks]["total"] == "1960.00"
        )

        # A split award: Imereti shared between both suppliers, Kakheti to one.
        awarded = await http.post(
            f"/tenders/{tender_id}/award",
            json={
                "awards": [
                    {
                        "lot_id": "L1",
                        "supplier_id": jars,
                        "quantity": "12000",
                        "reason": "capacity",
                    },
                    {
                        "lot_id": "L1",
                        "supplier_id": glassworks,
                        "quantity": "4000",
                        "reason": "rest",
                    },
                    {
                        "lot_id": "L2",
                        "supplier_id": glassworks,
                        "quantity": "4000",
                        "reason": "best",
                    },
                ]
            },
            headers=staff,
        )
        assert awarded.status_code == 200, awarded.text
        prices = {
            (a["lot_id"], a["supplier_id"]): a["unit_price"] for a in awarded.json()["awards"]
        }
        assert prices == {
            ("L1", jars): "0.50",
            ("L1", glassworks): "0.55",
            ("L2", glassworks): "0.49",
        }

        expected = {
            alpha["member_id"]: Decimal("875.00"),  # 7500 x 0.10 + 2500 x 0.05
            beta["member_id"]: Decimal("225.00"),  # 4500 x 0.05 + 1500 x 0.00
            gamma["member_id"]: Decimal("640.00"),  # 4000 x 0.16
        }
        allocations = await eventually(
            lambda: http.get("/allocations", params={"tender_id": tender_id}, headers=staff),
            lambda r: r.json()["total"] == 3,
        )
        assert {a["member_id"]: Decimal(a["savings"]) for a in allocations.json()["items"]} == (
            expected
        )
        mine = (await http.get("/allocations", headers=a_user)).json()["items"]
        assert [(a["member_id"], a["allocated_quantity"], a["unit_price"]) for a in mine] == [
            (alpha["member_id"], "10000", "0.5125")
        ]

        report = (
            await http.get("/savings/report", params={"group_by": "member"}, headers=staff)
        ).json()
        ours = {r["key"]: Decimal(r["savings"]) for r in report["rows"] if r["key"] in expected}
        assert ours == expected
        by_supplier = (
            await http.get(
                "/savings/report.csv",
                params={"group_by": "supplier", "member_id": alpha["member_id"]},
                headers=staff,
            )
        ).text
        rows = {
            r["supplier"]: Decimal(r["savings_gel"])
            for r in csv.DictReader(io.StringIO(by_supplier))
        }
        assert rows == {jars: Decimal("750.00"), glassworks: Decimal("125.00")}
        assert (await http.get("/savings/report", headers=a_user)).status_code == 403

        package = (await http.get(f"/tenders/{tender_id}/ocds")).json()
        errors = sorted(ocds_validator().iter_errors(package), key=str)
        assert errors == [], [e.message for e in errors]
        release = package["releases"][0]
        buyers = {p["id"] for p in release["parties"] if "buyer" in p["roles"]}
        assert buyers == set(expected)
        assert {(a["relatedLots"][0], a["suppliers"][0]["id"]) for a in release["awards"]} == {
            ("L1", jars),
            ("L1", glassworks),
            ("L2", glassworks),
        }

        usage = await eventually(
            lambda: http.get(
                f"/catalogue/{today_in_tbilisi().year}/usage",
                params={"slug": "joint-procurement", "page_size": 100},
                headers=staff,
            ),
            lambda r: expected.keys() <= {i["member_id"] for i in r.json()["items"]},
        )
        counted = {i["member_id"]: Decimal(i["value"]) for i in usage.json()["items"]}
        assert {m: counted[m] for m in expected} == expected

    # Staff were told once the pool reached its threshold; each member hears its own saving.
    staff_alerts = await eventually(
        lambda: resolved(_subjects(infra, "staff@cmo.example", "Pool ready for a joint tender")),
        bool,
    )
    assert staff_alerts
    georgian = await eventually(
        lambda: resolved(_subjects(infra, emails["alpha"], title)), lambda s: len(s) == 1
    )
    assert georgian == [f"ერთობლივი შესყიდვა „{title}“: Alpha {run} LLC დაზოგავს 875.00 ლარს"]
    english = await eventually(
        lambda: resolved(_subjects(infra, emails["beta"], title)), lambda s: len(s) == 1
    )
    assert english == [f'Joint purchase "{title}": Beta {run} LLC saves 225.00 GEL']
    body = mails_to(infra.mail_dir, emails["gamma"])[-1].get_body(("plain",)).get_content()
    assert "Allocated: 4000 pieces" in body and "Your saving: 640.00 GEL" in body
    assert "875.00" not in body and "Alpha" not in body
    assert _subjects(infra, emails["delta"], title) == []

    await _award_delivered_again(infra, tender_id)
    assert len(_subjects(infra, emails["beta"], title)) == 1


async def _award_delivered_again(infra: Infra, tender_id: str) -> None:
    """Deliver `tender.awarded` again (same id, and a new id): nothing is announced twice."""

    def realized(records: list) -> list[dict]:
        found = [json.loads(r.value) for r in records]
        return [
            e
            for e in found
            if e["type"] == "savings.realized" and e["payload"]["tender_id"] == tender_id
        ]

    records = await read_topic(infra.kafka_bootstrap, "cmo.procurement", expect=10**6, timeout_s=2)
    before = realized(records)
    assert len(before) == 3 == len({e["event_id"] for e in before})
    award = next(
        r
        for r in records
        if json.loads(r.value)["type"] == "tender.awarded" and r.key == tender_id.encode()
    )
    producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        copy = {**json.loads(award.value), "event_id": str(uuid.uuid4())}
        sent = [
            await producer.send_and_wait(award.topic, body, key=award.key)
            for body in (award.value, json.dumps(copy).encode())
        ]
    finally:
        await producer.stop()
    await eventually(
        lambda: committed_offsets(infra.kafka_bootstrap, f"{infra.db_prefix}-procurement"),
        lambda offsets: all(offsets.get((s.topic, s.partition), -1) > s.offset for s in sent),
        timeout_s=30,
    )
    await asyncio.sleep(1.5)  # the relay polls every 0.5 s: anything queued would be out
    after = realized(
        await read_topic(infra.kafka_bootstrap, "cmo.procurement", expect=10**6, timeout_s=2)
    )
    assert len(after) == 3, "no saving announced again"
