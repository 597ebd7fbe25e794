"""The web console in a real browser (Debian's Chromium driven by Playwright) on the real stack.

Staff sign in, approve an applicant and find the welcome delivery; publish a funding call
and see its matches. The member's user signs in, finds the inbox entry and the match,
expresses interest, and cannot open another company's page even by typing its address.
The language switch is remembered; axe finds no serious accessibility violation. A failing
test leaves a screenshot of every open page under `var/test-artifacts/`.
"""

import contextlib
import os
import re
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.async_playwright import Axe
from cmo_cli.infra.provision import installed_chromium
from cmo_shared.schedule import today_in_tbilisi
from playwright.async_api import Browser, Page, async_playwright, expect

from tests.conftest import Gateway, Infra, start_service, stop_services
from tests.helpers import applicant, bearer, eventually, invited_user, sign_in, workshop

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("CMO_TEST_ARTIFACTS", ROOT / "var" / "test-artifacts"))
PASSWORD = "a long and unguessable pass"
pytestmark = pytest.mark.timeout(600)


def chromium() -> str:
    """Debian's Chromium (Playwright's own browser download is not reachable here)."""
    found = installed_chromium()
    assert found, "Chromium is required: apt-get install chromium (./cmo test does it as root)"
    return str(found)


@pytest.fixture(scope="module")
def console(infra: Infra, gateway: Gateway, tmp_path_factory: pytest.TempPathFactory):
    """The console as a real process in front of the test gateway."""
    env = {"CMO_GATEWAY_URL": gateway.url, "CMO_PUBLIC_URL": gateway.url}
    service = start_service("console", infra, tmp_path_factory.mktemp("logs"), **env)
    try:
        yield service.url
    finally:
        stop_services([service])


@pytest.fixture
async def browser(request: pytest.FixtureRequest) -> AsyncIterator[Browser]:
    """A headless Chromium; on failure every open page is kept as a screenshot."""
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium())
        try:
            yield browser
        finally:
            if getattr(request.node, "failed", False):
                os.makedirs(ARTIFACTS, exist_ok=True)
                pages = [p for c in browser.contexts for p in c.pages]
                for number, page in enumerate(pages):
                    target = ARTIFACTS / f"{request.node.name}-{number}.png"
                    with contextlib.suppress(Exception):
                        await page.screenshot(path=str(target), full_page=True)
            await browser.close()


async def _sign_in(page: Page, base: str, login: str, password: str) -> None:
    await page.goto(f"{base}/login")
    await page.get_by_label(re.compile("Login|მომხმარებელი")).fill(login)
    await page.get_by_label(re.compile("Password|პაროლი")).fill(password)
    await page.get_by_role("button", name=re.compile("^(Sign in|შესვლა)$")).click()
    await expect(page.get_by_role("button", name=re.compile("Sign out|გასვლა"))).to_be_visible()


async def _keep(page: Page, name: str) -> None:
    """A screenshot of a page as a user sees it, kept with the test artefacts."""
    await page.screenshot(path=str(ARTIFACTS / "pages" / f"{name}.png"), full_page=True)


async def _no_serious_violations(page: Page) -> None:
    results = await Axe().run(page)
    serious = [
        (v["id"], v["help"], len(v["nodes"]))
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == [], serious


async def _reload_until(page: Page, text: str, timeout_s: float = 90) -> None:
    await page.wait_for_load_state()  # a form's redirect may still be under way
    address = page.url

    async def shown() -> bool:
        await page.goto(address)
        return await page.get_by_text(text).count() > 0

    await eventually(shown, bool, timeout_s=timeout_s)


async def test_staff_and_a_member_work_through_the_console(
    infra: Infra, gateway: Gateway, console: str, browser: Browser
) -> None:
    run = uuid.uuid4().hex[:6]
    contact_email = f"owner-{run}@dairy.example"
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff_api = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        body = applicant(
            ("Nino Owner", contact_email, "en"),
            legal_name=f"Console Dairy {run}",
            certifications=[f"CONSOLE-{run}"],
        )
        created = await http.post("/members", json=body, headers=staff_api)
        assert created.status_code == 201, created.text
        member_id = created.json()["member_id"]
        contact_id = created.json()["contacts"][0]["contact_id"]
        other = await http.post(
            "/members",
            json=applicant(("Other", f"other-{run}@x.example", "en"), legal_name=f"Other {run}"),
            headers=staff_api,
        )
        other_id = other.json()["member_id"]

    staff = await (await browser.new_context(locale="en-US")).new_page()
    await _sign_in(staff, console, gateway.admin_login, gateway.admin_password)
    await expect(staff.get_by_role("heading", level=1)).to_have_text("What needs a person today")
    await _no_serious_violations(staff)
    os.makedirs(ARTIFACTS / "pages", exist_ok=True)
    await _keep(staff, "staff-dashboard")

    # Approve the applicant from its page; the welcome email shows among the deliveries.
    await staff.goto(f"{console}/members?status=applicant")
    await staff.get_by_label("Name or tax id").fill(f"console dairy {run}")
    await staff.get_by_role("button", name="Show").click()
    await expect(staff.get_by_role("row")).to_have_count(2)  # the heading and the one found
    await staff.get_by_role("link", name=f"Console Dairy {run}").click()
    await staff.get_by_role("button", name="Approve").click()
    await expect(staff.get_by_role("status")).to_have_text("Done.")
    await expect(staff.locator("dl.facts")).to_contain_text("active")
    await staff.goto(f"{console}/deliveries?channel=email")
    await _reload_until(staff, contact_id)
    row = staff.get_by_role("row").filter(has_text=contact_id).filter(has_text="member.")
    await expect(row.first).to_be_visible()

    # A funding call, written in both languages, published: the new member matches.
    await staff.goto(f"{console}/funding/calls/new")
    today = today_in_tbilisi()
    fields = {
        "Programme": f"Console programme {run}",
        "Funder": "EBRD",
        "Title in Georgian": f"კრედიტი {run}",
        "Title in English": f"Console credit {run}",
        "Description in Georgian": "აღწერა",
        "Description in English": "Loans for food processors.",
        "Largest amount, GEL": "1500000",
        "Opens on": today.isoformat(),
        "Closes on": (today + timedelta(days=30)).isoformat(),
        "Sectors (NACE prefixes, comma separated)": "10",
        # A certification only this test's member holds: no other test's member matches.
        "Certifications required (comma separated)": f"CONSOLE-{run}",
    }
    for label, value in fields.items():
        await staff.get_by_label(label, exact=True).fill(value)
    await staff.get_by_label("Smallest amount, GEL").fill("not a number")
    await staff.get_by_role("button", name="Save the draft").click()
    await expect(staff.get_by_role("alert")).to_contain_text("amount_min")
    await expect(staff.get_by_label("Title in English")).to_have_value(f"Console credit {run}")
    await staff.get_by_label("Smallest amount, GEL").fill("50000")
    await staff.get_by_role("button", name="Save the draft").click()
    await expect(staff.get_by_role("status")).to_have_text("Draft saved.")
    await staff.get_by_role("button", name="Publish and match members").click()
    await _reload_until(staff, f"Console Dairy {run}")
    await _keep(staff, "funding-call-matches")

    # The member's user: inbox, the match, interest; another company's page is not found.
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff_api = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        login = f"user-{run}@dairy.example"
        await invited_user(
            http, staff_api, login, PASSWORD, role="member", member_id=member_id,
            contact_id=contact_id,
        )  # fmt: skip
    member = await (await browser.new_context(locale="en-US")).new_page()
    await _sign_in(member, console, login, PASSWORD)
    await _reload_until(member, f"Console credit {run}")
    await expect(member.get_by_role("heading", level=1)).to_have_text(f"Console Dairy {run}")
    inbox = member.get_by_role("region", name="Inbox")
    await expect(inbox.get_by_role("row")).not_to_have_count(1)  # entries below the header
    await _no_serious_violations(member)
    await (
        member.get_by_role("row")
        .filter(has_text=f"Console credit {run}")
        .get_by_role("button", name="We are interested")
        .click()
    )
    await expect(member.get_by_role("status")).to_contain_text("Your interest was sent")

    # Staff move the application on the board; the member registers two people for a session.
    await staff.goto(f"{console}/funding/applications")
    card = staff.get_by_role("listitem").filter(has_text=f"Console Dairy {run}")
    await card.get_by_label("Next step").select_option("preparing")
    await card.get_by_role("button", name="Move").click()
    await expect(staff.get_by_role("status")).to_have_text("Moved.")
    preparing = staff.get_by_role("region", name=re.compile("^preparing"))
    await expect(preparing).to_contain_text(f"Console Dairy {run}")
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff_api = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        starts = datetime.now(UTC) + timedelta(days=20)
        body = workshop(f"Console workshop {run}", starts)
        session = await http.post("/sessions", json=body, headers=staff_api)
        assert session.status_code == 201, session.text
    await member.goto(f"{console}/training/sessions/{session.json()['session_id']}")
    await member.get_by_label("Name 1").fill("Nino Owner")
    await member.get_by_label("Email 1").fill(f"nino-{run}@dairy.example")
    await member.get_by_label("Name 2").fill("Giorgi Cook")
    await member.get_by_label("Email 2").fill(f"giorgi-{run}@dairy.example")
    await member.get_by_role("button", name="Register").click()
    await expect(member.get_by_role("status")).to_have_text(
        "Registered: the seats are yours; invitations follow."
    )
    await expect(member.locator("dl.facts")).to_contain_text("2 / 5")

    response = await member.goto(f"{console}/members/{other_id}")
    assert response is not None and response.status == 404
    await expect(member.get_by_role("heading", level=1)).to_have_text("Not found")
    assert await member.get_by_text(f"Other {run}").count() == 0
    staff_only = await member.goto(f"{console}/deliveries")
    assert staff_only is not None and staff_only.status == 404

    # The company's profile: a refused website is shown with the form as typed, then saved.
    await member.goto(f"{console}/members/{member_id}")
    await member.get_by_role("link", name="Edit the profile").click()
    await member.get_by_label("Website").fill("not an address")
    await member.get_by_label("Certifications (comma separated)").fill(f"CONSOLE-{run}, ISO 22000")
    await member.get_by_role("button", name="Save the profile").click()
    await expect(member.get_by_role("alert")).to_contain_text("website")
    await expect(member.get_by_label("Certifications (comma separated)")).to_have_value(
        f"CONSOLE-{run}, ISO 22000"
    )
    await member.get_by_label("Website").fill("https://dairy.example")
    await member.get_by_role("button", name="Save the profile").click()
    await expect(member.get_by_role("status")).to_have_text("Profile saved.")
    await expect(member.locator("dl.facts")).to_contain_text("ISO 22000")

    # Georgian, remembered across pages; the page says which language it is in.
    await member.goto(f"{console}/")
    await member.get_by_role("button", name="ქართული").click()
    await expect(member.locator("html")).to_have_attribute("lang", "ka")
    await expect(member.get_by_role("heading", name="შეტყობინებები")).to_be_visible()
    await _keep(member, "member-home-ka")
    await member.goto(f"{console}/members/{member_id}")
    await expect(member.get_by_role("heading", name="კონტაქტები")).to_be_visible()


async def test_forms_without_the_session_token_are_refused_and_cookies_are_guarded(
    console: str,
) -> None:
    async with httpx.AsyncClient(base_url=console, timeout=30) as http:
        page = await http.get("/login")
        cookie = page.headers["set-cookie"]
        assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
        policy = page.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "unsafe-inline" not in policy
        forged = await http.post("/login", data={"login": "a", "password": "b"})
        assert forged.status_code == 403
        signed_out = await http.get("/members")
        assert signed_out.status_code == 303
        assert signed_out.headers["location"] == "/login?next=%2Fmembers"


STAFF_PAGES = {
    "/members": "Members",
    "/fees/invoices": "Invoices",
    "/funding/calls": "Funding calls",
    "/procurement/pools": "Demand pools",
    "/procurement/tenders": "Joint tenders",
    "/procurement/needs": "Procurement needs",
    "/procurement/allocations": "Allocations and savings",
    "/procurement/savings": "Savings report",
    "/advocacy/legislation": "Legislation tracker",
    "/advocacy/consultations": "Consultations",
    "/advocacy/positions": "Positions",
    "/advocacy/engagements": "Engagement log",
    "/advocacy/news": "News",
    "/advocacy/reports": "Industry reports",
    "/training/plan": "Training plan",
    "/training/sessions": "Training sessions",
    "/training/certificates": "Certificates",
    "/deliveries": "Deliveries",
    "/notifications/webhooks": "Webhooks",
    "/admin/audit": "Audit log",
    "/admin/users": "Accounts",
}


async def test_every_staff_page_opens_from_the_dashboard_and_a_member_sees_none_of_them(
    infra: Infra, gateway: Gateway, console: str, browser: Browser
) -> None:
    staff = await (await browser.new_context(locale="en-US")).new_page()
    await _sign_in(staff, console, gateway.admin_login, gateway.admin_password)
    for address, heading in STAFF_PAGES.items():
        await staff.locator("main").get_by_role("link", name=heading, exact=True).click()
        title = staff.get_by_role("heading", level=1)
        await expect(title).to_have_text(re.compile(f"^{re.escape(heading)}"))  # the plan: + year
        assert staff.url.endswith(address), staff.url
        await staff.goto(f"{console}/")

    # The invoicing run (a long operation: its button shows it is busy) and an invitation.
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff_api = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        tiers = {"micro": "300", "small": "900", "medium": "2400", "large": "6000"}
        schedule = await http.put("/fees/schedules/2032", json={"tiers": tiers}, headers=staff_api)
        assert schedule.status_code == 200, schedule.text
    await staff.goto(f"{console}/fees/invoices")
    await staff.get_by_label("Year to invoice").fill("2032")
    await staff.get_by_role("button", name="Run the invoicing").click()
    await expect(staff.get_by_role("status")).to_contain_text("Invoices issued:")
    await staff.goto(f"{console}/admin/users")
    await staff.get_by_text("Invite a person").click()
    invitee = f"new-staff-{uuid.uuid4().hex[:6]}@cmo.example"
    await staff.get_by_label("Email (their login)").fill(invitee)
    await staff.get_by_role("button", name="Send the invitation").click()
    await expect(staff.get_by_role("status")).to_have_text(f"Invitation sent to {invitee}")

    await staff.goto(f"{console}/admin/audit?outcome=success")
    await expect(staff.get_by_role("row").nth(1)).to_contain_text("POST")
    await _no_serious_violations(staff)
    await staff.get_by_role("button", name="ქართული").click()
    await expect(staff.get_by_role("heading", level=1)).to_have_text("აუდიტის ჟურნალი")

    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff_api = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        body = applicant(("Page Owner", f"pages-{run}@x.example", "en"), legal_name=f"P {run}")
        created = (await http.post("/members", json=body, headers=staff_api)).json()
        member_id, contact_id = created["member_id"], created["contacts"][0]["contact_id"]
        await http.post(f"/members/{member_id}/approve", headers=staff_api)
        login = f"pages-user-{run}@x.example"
        await invited_user(
            http, staff_api, login, PASSWORD, role="member", member_id=member_id,
            contact_id=contact_id,
        )  # fmt: skip
    member = await (await browser.new_context(locale="en-US")).new_page()
    await _sign_in(member, console, login, PASSWORD)
    for address in ("/admin/audit", "/admin/users", "/advocacy/engagements", "/members"):
        answer = await member.goto(f"{console}{address}")
        assert answer is not None and answer.status == 404, address
    own = await member.goto(f"{console}/fees/invoices")
    assert own is not None and own.status == 200
    await expect(member.get_by_role("heading", level=1)).to_have_text("Invoices")
    assert await member.get_by_role("button", name="Run the invoicing").count() == 0

    # Notification choices: news no longer by email, kept after a reload.
    await member.goto(f"{console}/preferences")
    news_email = member.get_by_role("checkbox", name="news: email")
    await expect(news_email).to_be_checked()
    await news_email.uncheck()
    await member.get_by_role("button", name="Save").click()
    await expect(member.get_by_role("status")).to_have_text("Your choices are saved.")
    await member.reload()
    await expect(member.get_by_role("checkbox", name="news: email")).not_to_be_checked()
    await _no_serious_violations(member)


async def test_a_member_answers_a_consultation_and_staff_see_its_tally_as_a_chart(
    infra: Infra, gateway: Gateway, console: str, browser: Browser
) -> None:
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff_api = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        # Sector 99 (extraterritorial bodies): no other test's member is consulted or emailed.
        body = applicant(("Voter", f"voter-{run}@x.example", "en"), legal_name=f"V {run}")
        created = await http.post("/members", json={**body, "sector": "99.00"}, headers=staff_api)
        member = created.json()
        await http.post(f"/members/{member['member_id']}/approve", headers=staff_api)
        login = f"voter-user-{run}@x.example"
        await invited_user(
            http, staff_api, login, PASSWORD, role="member", member_id=member["member_id"],
            contact_id=member["contacts"][0]["contact_id"],
        )  # fmt: skip
        closes = (datetime.now(UTC) + timedelta(days=7)).isoformat(timespec="seconds")
        consultation = {
            "title": {"ka": f"კონსულტაცია {run}", "en": f"Console consultation {run}"},
            "sectors": ["99"],
            "questions": [
                {
                    "question_id": "support",
                    "kind": "yes_no_abstain",
                    "text": {"ka": "ემხრობით?", "en": "Do you support the draft?"},
                },
                {
                    "question_id": "impact",
                    "kind": "choice",
                    "text": {"ka": "გავლენა", "en": "Its impact on you"},
                    "options": ["low", "high"],
                },
            ],
            "quorum": 0.01,
            "closes_at": closes,
        }

        async def open_one() -> httpx.Response:
            return await http.post("/consultations", json=consultation, headers=staff_api)

        # Advocacy learns of the approval from its event: until then nobody is consulted.
        opened = await eventually(
            open_one, lambda r: r.status_code == 201 and r.json()["electorate_size"] >= 1
        )
        cid = opened.json()["consultation_id"]

    voter = await (await browser.new_context(locale="en-US")).new_page()
    await _sign_in(voter, console, login, PASSWORD)
    await (
        voter.get_by_role("navigation", name="Main")
        .get_by_role("link", name="Consultations")
        .click()
    )
    await voter.get_by_role("link", name=f"Console consultation {run}").click()
    support = voter.get_by_role("group", name="Do you support the draft?")
    await support.get_by_label("yes").check()
    await voter.get_by_role("group", name="Its impact on you").get_by_label("high").check()
    await voter.get_by_role("button", name="Send our answers").click()
    await expect(voter.get_by_role("status")).to_have_text("Your answers are recorded.")

    staff = await (await browser.new_context(locale="en-US")).new_page()
    await _sign_in(staff, console, gateway.admin_login, gateway.admin_password)
    await staff.goto(f"{console}/advocacy/consultations/{cid}")
    await staff.get_by_role("button", name="Close and tally").click()
    await expect(staff.get_by_role("status")).to_have_text("Closed and tallied.")
    await expect(staff.get_by_role("img", name="Answers per option")).to_have_count(2)
    support_table = staff.get_by_role("figure").filter(has_text="Do you support the draft?")
    await expect(support_table.get_by_role("row").filter(has_text="yes")).to_contain_text("1")
    await _no_serious_violations(staff)
