"""The onboarding flow through the real members and notifications processes."""

import httpx

from tests.conftest import Infra
from tests.helpers import applicant, eventually, mails_to


async def test_approved_member_contacts_get_welcome_email_and_inbox_entry_in_their_language(
    infra: Infra, stack: dict[str, str]
) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        body = applicant(
            ("Nino Beridze", "nino@dairy.example", "ka"),
            ("John Smith", "john@dairy.example", "en"),
            legal_name="Imereti <Dairy> & Co",
        )
        created = await http.post(f"{stack['members']}/members", json=body)
        assert created.status_code == 201, created.text
        member = created.json()
        assert member["status"] == "applicant"
        approved = await http.post(
            f"{stack['members']}/members/{member['member_id']}/approve",
            json={"reason": "documents checked"},
        )
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "active"
        assert [h["to_status"] for h in approved.json()["history"]] == ["applicant", "active"]

        georgian = await eventually(
            lambda: _mails(infra, "nino@dairy.example"), lambda m: len(m) >= 1
        )
        english = await eventually(
            lambda: _mails(infra, "john@dairy.example"), lambda m: len(m) >= 1
        )
        assert len(georgian) == 1 and len(english) == 1
        assert georgian[0]["Content-Language"] == "ka"
        assert "კეთილი იყოს" in str(georgian[0]["Subject"])
        assert str(english[0]["Subject"]) == "Welcome to the cluster, Imereti <Dairy> & Co"
        html = english[0].get_body(("html",)).get_content()
        assert "Imereti &lt;Dairy&gt; &amp; Co" in html, "user input must be escaped in HTML"
        text = english[0].get_body(("plain",)).get_content()
        assert "Imereti <Dairy> & Co is now a member" in text

        for contact in member["contacts"]:
            inbox = await http.get(f"{stack['notifications']}/inbox/{contact['contact_id']}")
            assert inbox.status_code == 200
            page = inbox.json()
            assert page["total"] == 1 and page["unread"] == 1
            assert page["items"][0]["event_type"] == "member.joined"
            assert page["items"][0]["language"] == contact["language"]

        deliveries = await http.get(
            f"{stack['notifications']}/deliveries",
            params={"recipient_id": member["contacts"][0]["contact_id"]},
        )
        # the inbox entry above is the inbox delivery's record; the log holds the email's
        assert [(d["channel"], d["status"]) for d in deliveries.json()] == [("email", "sent")]


async def _mails(infra: Infra, address: str):
    return mails_to(infra.mail_dir, address)


async def test_members_api_answers_bad_requests_with_clear_errors(stack: dict[str, str]) -> None:
    members = stack["members"]
    async with httpx.AsyncClient(timeout=10) as http:
        invalid = await http.post(
            f"{members}/members",
            json=applicant(("A", "not-an-email", "fr"), sector="food", employees=-1, role="admin"),
        )
        assert invalid.status_code == 422
        error = invalid.json()["error"]
        assert error["code"] == "validation_error"
        fields = {d["field"] for d in error["details"]}
        assert {"sector", "employees", "contacts.0.email", "contacts.0.language", "role"} <= fields

        missing = await http.get(f"{members}/members/does-not-exist")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "not_found"

        first = await http.post(f"{members}/members", json=applicant(("B", "b@x.example", "en")))
        assert first.status_code == 201
        duplicate = await http.post(
            f"{members}/members",
            json=applicant(("C", "c@x.example", "en"), tax_id=first.json()["tax_id"]),
        )
        assert duplicate.status_code == 409
        assert duplicate.json()["error"] == {
            "code": "duplicate_tax_id",
            "message": f"a member with tax id {first.json()['tax_id']} already exists",
            "field": "tax_id",
        }

        member_id = first.json()["member_id"]
        assert (await http.post(f"{members}/members/{member_id}/approve")).status_code == 200
        again = await http.post(f"{members}/members/{member_id}/approve")
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "transition_not_allowed"

        bad_json = await http.post(
            f"{members}/members", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert bad_json.status_code == 422


async def test_members_list_is_paged_and_filtered_by_status_and_sector(
    stack: dict[str, str],
) -> None:
    members = stack["members"]
    async with httpx.AsyncClient(timeout=10) as http:
        created = []
        for _ in range(3):
            response = await http.post(
                f"{members}/members", json=applicant(("D", "d@x.example", "en"), sector="01.13")
            )
            created.append(response.json()["member_id"])
        await http.post(f"{members}/members/{created[0]}/approve")

        active = (
            await http.get(f"{members}/members", params={"status": "active", "sector": "01.13"})
        ).json()
        assert [m["member_id"] for m in active["items"]] == [created[0]]
        applicants = await http.get(
            f"{members}/members",
            params={"status": "applicant", "sector": "01.13", "page_size": 1, "page": 2},
        )
        page = applicants.json()
        assert page["total"] == 2 and page["page"] == 2
        assert [m["member_id"] for m in page["items"]] == [created[2]]
        too_big = await http.get(f"{members}/members", params={"page_size": 1000})
        assert too_big.status_code == 422
        assert too_big.json()["error"]["field"] == "page_size"
