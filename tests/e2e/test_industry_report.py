"""Flow 7 end to end through the gateway: KPI surveys to a protected quarterly report.

Twelve members in three sectors submit their surveys of one quarter; staff draft the report,
a second staff member reviews it, and it is published: `report.published`, and news of it to
every member. Only cells of at least three companies that pass the p%-rule show figures; a
cell that a single suppression would leave recoverable from its total is hidden as well, and
no line of the table keeps exactly one hidden entry. Why each cell is hidden is for staff
only. The page, the CSV and the member's own position carry no hidden figure. The news
reaches the public Atom and JSON feeds, which a feed parser reads.
"""

import csv
import io
import json
import random
import uuid
from decimal import Decimal

import feedparser
import feedparser_rs
import httpx

from tests.conftest import Gateway, Infra
from tests.helpers import applicant, bearer, consumed, invited_user, read_topic, sign_in

PASSWORD = "a long and unguessable pass"
BANDS = ("micro", "small", "medium", "large", "*")
# (sector, employees, investment in GEL) of each company's quarter
COMPANIES = [
    ("10.51", 20, "100000"),
    ("10.51", 30, "120000"),
    ("10.71", 25, "90000"),
    ("10.51", 100, "3000000"),  # dominates its medium cell: the p%-rule hides it
    ("10.89", 150, "10000"),
    ("10.51", 120, "5000"),
    ("10.71", 400, "500000"),  # alone in its cell
    ("11.02", 40, "50000"),
    ("11.02", 35, "45000"),
    ("11.02", 30, "40000"),
    ("11.02", 260, "130000"),  # alone in its cell: the sector's smalls are hidden with it
    ("25.11", 15, "60000"),  # alone in its sector
]


async def _member(http: httpx.AsyncClient, staff: dict, run: str, i: int, sector: str) -> str:
    body = applicant(
        (f"Contact {i}", f"c{i}-{run}@kpi.example", "en"),
        legal_name=f"KPI {i} {run} LLC",
        sector=sector,
    )
    created = await http.post("/members", json=body, headers=staff)
    assert created.status_code == 201, created.text
    member_id = created.json()["member_id"]
    approved = await http.post(f"/members/{member_id}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return member_id


def _lines(cells: dict[tuple[str, str], dict]) -> list[list[tuple[str, str]]]:
    """Every additive line of the table: a sector's bands and total, a band's sectors and total."""
    sectors = sorted({s for s, _ in cells})
    rows = [[(s, b) for b in BANDS] for s in sectors]
    columns = [[(s, b) for s in sectors] for b in BANDS]
    return [[k for k in line if k in cells] for line in rows + columns]


async def test_a_quarterly_report_publishes_only_cells_that_protect_each_company(
    infra: Infra, gateway: Gateway
) -> None:
    run = uuid.uuid4().hex[:6]
    quarter = f"{random.randint(1000, 1999)}-Q3"  # a quarter no other test reports on
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        reviewer = bearer(
            await invited_user(http, staff, f"reviewer-{run}@cmo.example", PASSWORD, role="staff")
        )
        ids = [await _member(http, staff, run, i, c[0]) for i, c in enumerate(COMPANIES)]
        for member_id, (_, employees, investment) in zip(ids, COMPANIES, strict=True):
            survey = await http.put(
                f"/kpi/{member_id}/{quarter}",
                json={
                    "revenue_band": "1m-5m",
                    "employees": employees,
                    "export_share": 20,
                    "investment": investment,
                },
                headers=staff,
            )
            assert survey.status_code in (200, 201), survey.text
        for member_id in ids:
            await consumed(
                infra.kafka_bootstrap,
                f"{infra.db_prefix}-advocacy",
                "cmo.members",
                member_id,
                "kpi.submitted",
            )
        member = bearer(
            await invited_user(
                http,
                staff,
                f"member-{run}@kpi.example",
                PASSWORD,
                role="member",
                member_id=ids[0],
            )
        )

        drafted = await http.post(
            "/reports",
            json={"period": quarter, "title": {"ka": f"ანგარიში {run}", "en": f"Report {run}"}},
            headers=staff,
        )
        assert drafted.status_code == 201, drafted.text
        report = drafted.json()
        report_id = report["report_id"]
        assert report["companies"] == 12
        hidden_to_members = await http.get(f"/reports/{report_id}", headers=member)
        assert hidden_to_members.status_code == 404

        cells = {(c["sector"], c["size_band"]): c for c in report["cells"]}
        hidden = {key for key, cell in cells.items() if cell["suppressed"]}
        # Shown: cells of at least three companies that no contribution dominates.
        assert set(cells) - hidden == {("10", "small"), ("10", "*"), ("*", "small"), ("*", "*")}
        food_smalls = cells[("10", "small")]
        assert (food_smalls["companies"], Decimal(food_smalls["investment"])) == (3, 310000)
        assert cells[("*", "*")]["companies"] == 12
        for key, cell in cells.items():
            if cell["suppressed"]:
                assert cell["investment"] is None and cell["companies"] is None, key
            else:
                assert cell["companies"] >= 3, key
        # No line of the table keeps exactly one hidden entry.
        for line in _lines(cells):
            assert sum(cells[k]["suppressed"] for k in line) != 1, line

        reasons = await http.get(f"/reports/{report_id}/suppressions", headers=staff)
        why = {(r["sector"], r["size_band"]): r["reasons"] for r in reasons.json()}
        assert set(why) == hidden
        assert why[("11", "large")] == why[("25", "*")] == ["primary: fewer than 3 companies"]
        assert why[("10", "medium")] == ["primary: p%-rule on investment"]
        # Beverages' smalls pass on their own, but with the large cell hidden the sector
        # total minus the smalls would give it away: they are hidden to protect it.
        assert why[("11", "small")] == ["secondary: protects sector 11, large"]
        refused = await http.get(f"/reports/{report_id}/suppressions", headers=member)
        assert refused.status_code == 403

        self_review = await http.post(f"/reports/{report_id}/review", headers=staff)
        assert self_review.status_code == 409, self_review.text
        early = await http.post(f"/reports/{report_id}/publish", headers=staff)
        assert early.status_code == 409, early.text
        reviewed = await http.post(f"/reports/{report_id}/review", headers=reviewer)
        assert reviewed.json()["status"] == "reviewed", reviewed.text
        published = await http.post(f"/reports/{report_id}/publish", headers=staff)
        assert published.json()["status"] == "published", published.text
        again = await http.post(f"/reports/{report_id}/publish", headers=staff)
        assert again.json()["news_id"] == published.json()["news_id"]

        events = [
            json.loads(r.value)
            for r in await read_topic(
                infra.kafka_bootstrap, "cmo.advocacy", expect=10**6, timeout_s=3
            )
        ]
        announced = [e for e in events if e["subject_id"] == report_id]
        assert [e["type"] for e in announced] == ["report.published"]
        assert announced[0]["payload"]["companies"] == 12
        news_id = published.json()["news_id"]
        news = [e for e in events if e["type"] == "news.published" and e["subject_id"] == news_id]
        assert len(news) == 1 and news[0]["payload"]["sectors"] == []  # every member

        # What members read carries no hidden figure.
        table = await http.get(f"/reports/{report_id}/table.csv", headers=member)
        rows = {(r["sector"], r["size_band"]): r for r in csv.DictReader(io.StringIO(table.text))}
        assert rows[("11", "large")]["investment_gel"] == "suppressed"
        assert "130000" not in table.text and "3015000" not in table.text
        page = await http.get(f"/reports/{report_id}/page", params={"lang": "en"}, headers=member)
        assert page.status_code == 200 and f"Report {run}" in page.text
        assert "310\u202f000" in page.text  # figures are grouped by thousands
        assert "130\u202f000" not in page.text and "3\u202f015\u202f000" not in page.text
        position = await http.get(f"/reports/{report_id}/position/{ids[0]}", headers=member)
        assert position.status_code == 200, position.text
        assert Decimal(position.json()["investment"]) == Decimal("100000")
        shown = {(c["sector"], c["size_band"]) for c in position.json()["cells"]}
        assert shown == {("10", "small"), ("10", "*"), ("*", "small"), ("*", "*")}
        other = await http.get(f"/reports/{report_id}/position/{ids[1]}", headers=member)
        assert other.status_code in (403, 404)

        # The news is in the public feeds, as a feed reader parses them.
        atom = await http.get("/news/feed.atom", params={"lang": "en"})
        parsed = feedparser.parse(atom.content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == "atom10"
        assert f"Report {run}" in [e.title for e in parsed.entries]
        feed = await http.get("/news/feed.json", params={"lang": "ka"})
        assert feed.headers["content-type"].startswith("application/feed+json")
        read = feedparser_rs.parse(feed.content)
        assert read.version == "json11", read.version
        assert f"ანგარიში {run}" in [e.title for e in read.entries]
