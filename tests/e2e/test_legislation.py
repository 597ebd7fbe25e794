"""Flow 4 end to end through the gateway: a draft law to an adopted position.

Real members, advocacy, notifications and gateway processes on real Kafka, FerretDB and SMTP.
Staff track a draft law for sector 10.5 in public consultation: only the food-processing
members are told, in their languages. Staff consult them: a member of another sector is not
in the electorate and cannot answer; responses include an abstention and a second response
that replaces the first. The consultation closes with its tally against the quorum; the
position is adopted (once, though asked twice) and sent in ka and en to the affected members
only, and its submission to the ministry is logged. A suspended member can no longer answer.
"""

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.conftest import Gateway, Infra
from tests.helpers import (
    applicant,
    bearer,
    eventually,
    invited_user,
    mails_to,
    resolved,
    sign_in,
)

PASSWORD = "a long and unguessable pass"


async def _member(http: httpx.AsyncClient, staff: dict, name: str, sector: str, contact) -> dict:
    body = applicant(contact, legal_name=f"{name} LLC", sector=sector)
    created = await http.post("/members", json=body, headers=staff)
    assert created.status_code == 201, created.text
    approved = await http.post(f"/members/{created.json()['member_id']}/approve", headers=staff)
    assert approved.status_code == 200, approved.text
    return approved.json()


async def _user(http: httpx.AsyncClient, staff: dict, member: dict, login: str) -> dict:
    return bearer(
        await invited_user(
            http,
            staff,
            login,
            PASSWORD,
            role="member",
            member_id=member["member_id"],
            contact_id=member["contacts"][0]["contact_id"],
        )
    )


def _subjects(infra: Infra, email: str, marker: str) -> list[str]:
    return [
        str(m["Subject"]) for m in mails_to(infra.mail_dir, email) if marker in str(m["Subject"])
    ]


async def _answer(http: httpx.AsyncClient, headers: dict, consultation_id: str, **body: Any):
    return await http.post(
        f"/consultations/{consultation_id}/responses", json=body, headers=headers
    )


async def test_a_draft_law_is_consulted_on_with_the_affected_members_and_ends_in_a_position(
    infra: Infra, gateway: Gateway
) -> None:
    run = uuid.uuid4().hex[:6]
    mail = {k: f"{k}-{run}@law.example" for k in ("dairy", "cheese", "ice", "metal")}
    async with httpx.AsyncClient(base_url=gateway.url, timeout=30) as http:
        staff = bearer(await sign_in(http, gateway.admin_login, gateway.admin_password))
        dairy = await _member(http, staff, f"Dairy {run}", "10.51", ("Nino", mail["dairy"], "ka"))
        cheese = await _member(
            http, staff, f"Cheese {run}", "10.51", ("Tamar", mail["cheese"], "en")
        )
        ice = await _member(http, staff, f"Ice {run}", "10.52", ("Levan", mail["ice"], "en"))
        metal = await _member(http, staff, f"Metal {run}", "25.11", ("Giorgi", mail["metal"], "en"))
        users = {
            name: await _user(http, staff, m, f"{name}-{run}@users.example")
            for name, m in (("dairy", dairy), ("cheese", cheese), ("ice", ice))
        }
        users["metal"] = await _user(http, staff, metal, f"metal-{run}@users.example")

        # 1. Staff track the ministry's draft while it is in public consultation.
        title = {"ka": f"კანონპროექტი რძის პროდუქტებზე {run}", "en": f"Dairy products law {run}"}
        tracked = await http.post(
            "/initiatives",
            json={
                "title": title,
                "sponsor": "Ministry of Environmental Protection and Agriculture",
                "sectors": ["10.5"],
                "stage": "public_consultation",
                "link": "https://matsne.gov.ge/draft/123",
                "next_deadline": (datetime.now(UTC) + timedelta(days=20)).date().isoformat(),
            },
            headers=staff,
        )
        assert tracked.status_code == 201, tracked.text
        initiative = tracked.json()
        assert initiative["stage"] == "public_consultation"
        missing_number = await http.post(
            f"/initiatives/{initiative['initiative_id']}/stage",
            json={"stage": "registered"},
            headers=staff,
        )
        assert missing_number.status_code == 422, missing_number.text
        assert missing_number.json()["error"]["field"] == "registration_number"

        # Only the food-processing members hear of it, each in their language.
        await eventually(lambda: resolved(_subjects(infra, mail["dairy"], title["ka"])), bool)
        await eventually(lambda: resolved(_subjects(infra, mail["cheese"], title["en"])), bool)
        await eventually(lambda: resolved(_subjects(infra, mail["ice"], title["en"])), bool)
        assert "საჯარო კონსულტაცია" in _subjects(infra, mail["dairy"], title["ka"])[0]

        # 2. The consultation of the affected sectors (the initiative's, as none are given).
        closes = (datetime.now(UTC) + timedelta(days=7)).isoformat(timespec="seconds")
        opened = await http.post(
            "/consultations",
            json={
                "title": {"ka": f"პოზიცია {run}", "en": f"Our position on the law {run}"},
                "initiative_id": initiative["initiative_id"],
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
                        "options": ["low", "medium", "high"],
                    },
                ],
                "quorum": 0.01,
                "closes_at": closes,
            },
            headers=staff,
        )
        assert opened.status_code == 201, opened.text
        consultation = opened.json()
        cid = consultation["consultation_id"]
        assert consultation["sectors"] == ["10.5"]
        electorate = consultation["electorate_size"]
        assert electorate >= 3

        # A member sees the consultations it is consulted in, and only those.
        mine = await http.get("/consultations", headers=users["dairy"])
        assert cid in [c["consultation_id"] for c in mine.json()["items"]]
        theirs = await http.get("/consultations", headers=users["metal"])
        assert cid not in [c["consultation_id"] for c in theirs.json()["items"]]
        outsider = await _answer(
            http, users["metal"], cid, member_id=metal["member_id"], answers={"support": "no"}
        )
        assert (outsider.status_code, outsider.json()["error"]["code"]) == (
            403,
            "not_in_electorate",
        )
        wrong = await _answer(
            http, users["dairy"], cid, member_id=dairy["member_id"], answers={"impact": "huge"}
        )
        assert (wrong.status_code, wrong.json()["error"]["field"]) == (422, "answers.impact")

        # 3. Responses: a change of mind replaces the first answer; an abstention counts.
        first = await _answer(
            http,
            users["dairy"],
            cid,
            member_id=dairy["member_id"],
            answers={"support": "yes", "impact": "low"},
        )
        assert first.json()["replaced"] is False, first.text
        again = await _answer(
            http,
            users["dairy"],
            cid,
            member_id=dairy["member_id"],
            answers={"support": "no", "impact": "high"},
        )
        assert again.json()["replaced"] is True, again.text
        for name, member, answers in (
            ("cheese", cheese, {"support": "no", "impact": "medium"}),
            ("ice", ice, {"support": "abstain", "impact": "abstain"}),
        ):
            answered = await _answer(
                http, users[name], cid, member_id=member["member_id"], answers=answers
            )
            assert answered.status_code == 200, answered.text
        own = await http.get(
            f"/consultations/{cid}/responses/{dairy['member_id']}", headers=users["dairy"]
        )
        assert own.json()["answers"] == {"support": "no", "impact": "high"}
        peek = await http.get(
            f"/consultations/{cid}/responses/{cheese['member_id']}", headers=users["dairy"]
        )
        assert peek.status_code in (403, 404), peek.text
        assert (
            await http.get(f"/consultations/{cid}/answers", headers=users["dairy"])
        ).status_code == 403

        # The consulted were asked by email too; the metal works was not.
        asked = f"Your view is asked: Our position on the law {run}"
        await eventually(lambda: resolved(_subjects(infra, mail["cheese"], asked)), bool)

        # 4. Closing tallies the answers against the quorum.
        closed = await http.post(f"/consultations/{cid}/close", headers=staff)
        assert closed.status_code == 200, closed.text
        result = closed.json()
        assert (result["status"], result["responded"]) == ("closed", 3)
        assert result["turnout"] == round(3 / electorate, 4)
        assert result["quorum_reached"] is True
        tally = {t["question_id"]: t for t in result["tally"]}
        assert tally["support"]["counts"] == {"yes": "0", "no": "2"}
        assert tally["support"]["abstentions"] == "1"
        assert tally["impact"]["counts"] == {"low": "0", "medium": "1", "high": "1"}
        late = await _answer(
            http, users["cheese"], cid, member_id=cheese["member_id"], answers={"support": "yes"}
        )
        assert late.status_code == 409, late.text

        # 5. The position, adopted once though asked twice, goes to the affected members.
        position_body = {
            "consultation_id": cid,
            "title": {"ka": f"კლასტერის პოზიცია {run}", "en": f"Cluster position {run}"},
            "text": {
                "ka": "კლასტერი ითხოვს გარდამავალ პერიოდს 24 თვით.",
                "en": "The cluster asks for a transition period of 24 months.",
            },
        }
        adopted = await http.post("/positions", json=position_body, headers=staff)
        assert adopted.status_code == 201, adopted.text
        position = adopted.json()
        repeat = await http.post("/positions", json=position_body, headers=staff)
        assert repeat.json()["position_id"] == position["position_id"]
        after = (await http.get(f"/consultations/{cid}", headers=staff)).json()
        assert (after["status"], after["position_id"]) == (
            "position_adopted",
            position["position_id"],
        )

        ka_mail = await eventually(
            lambda: resolved(_messages(infra, mail["dairy"], f"კლასტერის პოზიცია {run}")),
            bool,
        )
        assert "24 თვით" in ka_mail[0].get_body(("plain",)).get_content()
        en_mail = await eventually(
            lambda: resolved(_messages(infra, mail["cheese"], f"Cluster position {run}")),
            bool,
        )
        assert "24 months" in en_mail[0].get_body(("plain",)).get_content()
        assert len(_messages(infra, mail["cheese"], f"Cluster position {run}")) == 1

        # 6. Its submission to the ministry is logged.
        logged = await http.post(
            "/engagements",
            json={
                "kind": "submission",
                "target_kind": "government",
                "target_body": "Ministry of Environmental Protection and Agriculture",
                "people": ["Deputy Minister"],
                "on": datetime.now(UTC).date().isoformat(),
                "subject": f"Position on the dairy products law {run}",
                "initiative_id": initiative["initiative_id"],
                "position_id": position["position_id"],
            },
            headers=staff,
        )
        assert logged.status_code == 201, logged.text
        log = await http.get(
            "/engagements", params={"initiative_id": initiative["initiative_id"]}, headers=staff
        )
        assert [e["position_id"] for e in log.json()["items"]] == [position["position_id"]]
        assert (await http.get("/engagements", headers=users["dairy"])).status_code == 403

        # The metal works heard of none of it.
        told = [s for s in _subjects(infra, mail["metal"], run) if "Welcome" not in s]
        assert told == []

        # 7. Registered in parliament, the initiative moves on; the history is dated.
        moved = await http.post(
            f"/initiatives/{initiative['initiative_id']}/stage",
            json={"stage": "registered", "registration_number": f"07-3/{run}"},
            headers=staff,
        )
        assert moved.status_code == 200, moved.text
        assert [h["stage"] for h in moved.json()["history"]] == [
            "public_consultation",
            "registered",
        ]
        back = await http.post(
            f"/initiatives/{initiative['initiative_id']}/stage",
            json={"stage": "public_consultation"},
            headers=staff,
        )
        assert (back.status_code, back.json()["error"]["code"]) == (409, "stage_conflict")


def _messages(infra: Infra, email: str, marker: str) -> list:
    return [m for m in mails_to(infra.mail_dir, email) if marker in str(m["Subject"])]
