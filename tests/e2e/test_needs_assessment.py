"""Needs assessments and KPI surveys through the real members process."""

import json

import httpx

from tests.conftest import Infra
from tests.helpers import applicant, eventually, read_topic

QUESTIONNAIRE = {
    "period": "2027",
    "title": "Needs assessment 2027",
    "questions": [
        {
            "question_id": "jars",
            "type": "number",
            "text": "Glass jars needed next year?",
            "required": True,
            "need": {"kind": "procurement", "category": "glass jars", "unit": "pieces"},
        },
        {
            "question_id": "trainings",
            "type": "multi_choice",
            "text": "Which trainings?",
            "options": ["HACCP", "ISO 22000", "Export"],
            "need": {"kind": "training"},
        },
    ],
}


async def _events(infra: Infra, member_id: str, kind: str) -> list[dict]:
    records = await read_topic(infra.kafka_bootstrap, "cmo.members", expect=10**6, timeout_s=2)
    events = [json.loads(r.value) for r in records if r.key == member_id.encode()]
    return [e["payload"] for e in events if e["type"] == kind]


async def test_answers_emit_need_identified_once_per_stated_need(
    infra: Infra, stack: dict[str, str]
) -> None:
    url = stack["members"]
    async with httpx.AsyncClient(timeout=10) as http:
        created = await http.post(f"{url}/assessments", json=QUESTIONNAIRE)
        assert created.status_code == 201, created.text
        assessment = created.json()
        member = (
            await http.post(f"{url}/members", json=applicant(("N", "n@x.example", "en")))
        ).json()
        member_id = member["member_id"]
        answer_url = f"{url}/assessments/{assessment['assessment_id']}/answers/{member_id}"

        not_member_yet = await http.put(answer_url, json={"answers": {"jars": 10}})
        assert not_member_yet.status_code == 409
        assert not_member_yet.json()["error"]["code"] == "not_in_good_standing"
        await http.post(f"{url}/members/{member_id}/approve")

        invalid = await http.put(answer_url, json={"answers": {"jars": 5, "trainings": ["Yoga"]}})
        assert invalid.status_code == 422
        assert invalid.json()["error"]["field"] == "answers.trainings"

        first = await http.put(answer_url, json={"answers": {"jars": 5000, "trainings": ["HACCP"]}})
        assert first.status_code == 200, first.text
        assert [n["category"] for n in first.json()["needs"]] == ["glass jars", "HACCP"]
        replaced = await http.put(
            answer_url, json={"answers": {"jars": 5000, "trainings": ["HACCP", "Export"]}}
        )
        assert replaced.json()["answers"]["trainings"] == ["HACCP", "Export"]

        await http.post(f"{url}/assessments/{assessment['assessment_id']}/close")
        closed = await http.put(answer_url, json={"answers": {"jars": 1}})
        assert closed.status_code == 409 and closed.json()["error"]["code"] == "assessment_closed"

        second_version = (await http.post(f"{url}/assessments", json=QUESTIONNAIRE)).json()
        assert second_version["version"] == assessment["version"] + 1

        kpi = await http.put(
            f"{url}/kpi/{member_id}/2027-Q1",
            json={
                "revenue_band": "1m-5m",
                "employees": 48,
                "export_share": 35.5,
                "investment": "120000.00",
            },
        )
        assert kpi.status_code == 200, kpi.text
        bad_quarter = await http.put(
            f"{url}/kpi/{member_id}/2027-Q5",
            json={
                "revenue_band": "1m-5m",
                "employees": 48,
                "export_share": 35.5,
                "investment": "1",
            },
        )
        assert bad_quarter.status_code == 422 and bad_quarter.json()["error"]["field"] == "quarter"

    needs = await eventually(
        lambda: _events(infra, member_id, "need.identified"),
        lambda found: len(found) >= 3,
        timeout_s=30,
    )
    assert sorted((n["kind"], n["category"], n["quantity"]) for n in needs) == [
        ("procurement", "glass jars", 5000),
        ("training", "Export", None),
        ("training", "HACCP", None),
    ]
    kpis = await eventually(
        lambda: _events(infra, member_id, "kpi.submitted"), lambda found: len(found) >= 1
    )
    assert kpis == [
        {
            "member_id": member_id,
            "quarter": "2027-Q1",
            "revenue_band": "1m-5m",
            "employees": 48,
            "export_share": 35.5,
            "investment": "120000.00",
        }
    ]
