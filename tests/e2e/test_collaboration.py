"""The collaboration board: matching, interest, closing, their events and the usage they count."""

import json
import uuid
from datetime import timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from cmo_shared.schedule import today_in_tbilisi

from tests.conftest import Infra
from tests.helpers import applicant, eventually, read_topic


async def _active_member(http: httpx.AsyncClient, url: str, **profile: Any) -> str:
    created = await http.post(
        f"{url}/members", json=applicant(("C", "c@x.example", "en"), **profile)
    )
    assert created.status_code == 201, created.text
    member_id = created.json()["member_id"]
    assert (await http.post(f"{url}/members/{member_id}/approve")).status_code == 200
    return member_id


async def test_a_post_is_matched_answered_closed_and_counted(
    infra: Infra, isolated_members: str
) -> None:
    url = isolated_members
    async with httpx.AsyncClient(timeout=10) as http:
        author = await _active_member(
            http, url, legal_name="Kakheti Cheese", products=["Cheese"], export_markets=["DE"]
        )
        partner = await _active_member(
            http,
            url,
            legal_name="Tbilisi Ice Cream",
            sector="10.52",
            certifications=["HACCP"],
            export_markets=["DE", "AM"],
        )
        unrelated = await _active_member(http, url, legal_name="Rustavi Metal", sector="25.11")
        suspended = await _active_member(
            http, url, legal_name="Idle Dairy", sector="10.51", certifications=["HACCP"]
        )
        await http.post(f"{url}/members/{suspended}/suspend", json={"reason": "fees"})

        offer = await http.post(
            f"{url}/collaboration/posts",
            json={
                "member_id": partner,
                "kind": "offer",
                "category": "joint_export",
                "title": "Shared container to Germany",
                "description": "Room for two pallets of chilled goods each month.",
                "tags": ["HACCP"],
                "markets": ["DE"],
            },
        )
        assert offer.status_code == 201, offer.text
        offer_id = offer.json()["post_id"]

        request = await http.post(
            f"{url}/collaboration/posts",
            json={
                "member_id": author,
                "kind": "request",
                "category": "joint_export",
                "title": "Partners for a cheese fair in Berlin",
                "description": "Looking for dairy producers to share a stand.",
                "tags": ["cheese", "haccp"],
                "sectors": ["10.5"],
                "markets": ["DE"],
                "expires_on": (today_in_tbilisi() + timedelta(days=30)).isoformat(),
            },
        )
        assert request.status_code == 201, request.text
        post = request.json()
        assert [(m["member_id"], m["post_id"]) for m in post["matches"]] == [(partner, offer_id)]
        assert post["matches"][0]["reasons"] == [
            "sector 10.52 is within 10.5",
            "holds HACCP",
            "exports to DE",
            f"offer {offer_id} shares tag haccp",
            f"offer {offer_id} targets DE too",
        ]
        post_id = post["post_id"]
        matched = await http.get(
            f"{url}/collaboration/posts", params={"matched_member_id": partner}
        )
        assert [p["post_id"] for p in matched.json()["items"]] == [post_id]
        assert unrelated not in {m["member_id"] for m in post["matches"]}

        interest_url = f"{url}/collaboration/posts/{post_id}/interest"
        answered = await http.post(interest_url, json={"member_id": partner, "message": "Yes!"})
        assert answered.status_code == 201, answered.text
        again = await http.post(interest_url, json={"member_id": partner})
        assert (again.status_code, again.json()["error"]["code"]) == (409, "already_interested")
        own = await http.post(interest_url, json={"member_id": author})
        assert (own.status_code, own.json()["error"]["code"]) == (422, "own_post")
        idle = await http.post(interest_url, json={"member_id": suspended})
        assert (idle.status_code, idle.json()["error"]["code"]) == (409, "not_in_good_standing")
        missing = await http.post(
            f"{url}/collaboration/posts/nope/interest", json={"member_id": partner}
        )
        assert missing.status_code == 404
        listed = (await http.get(interest_url)).json()
        assert [(i["member_id"], i["message"]) for i in listed] == [(partner, "Yes!")]

        closed = await http.post(
            f"{url}/collaboration/posts/{post_id}/close", json={"reason": "partner found"}
        )
        assert closed.json()["status"] == "closed"
        late = await http.post(interest_url, json={"member_id": unrelated})
        assert (late.status_code, late.json()["error"]["code"]) == (409, "post_closed")
        open_posts = (await http.get(f"{url}/collaboration/posts")).json()["items"]
        assert [p["post_id"] for p in open_posts] == [offer_id]

    async def post_events() -> list[dict[str, Any]]:
        records = await read_topic(
            infra.kafka_bootstrap, "cmo.collaboration", expect=10**6, timeout_s=2
        )
        return [json.loads(r.value) for r in records if r.key == post_id.encode()]

    events = await eventually(post_events, lambda found: len(found) >= 4, timeout_s=30)
    assert [e["type"] for e in events] == [
        "collaboration.posted",
        "collaboration.matched",
        "collaboration.interest_expressed",
        "collaboration.closed",
    ]
    assert events[1]["payload"]["matched_member_id"] == partner
    assert events[1]["payload"]["member_id"] == author
    assert events[2]["payload"]["interested_member_id"] == partner

    year = today_in_tbilisi().year
    async with httpx.AsyncClient(timeout=10) as http:

        async def usage() -> dict[str, int]:
            report = (await http.get(f"{url}/catalogue/{year}/usage")).json()
            return {
                r["member_id"]: r["uses"] for r in report["items"] if r["slug"] == "collaboration"
            }

        counted = await eventually(usage, lambda u: u.get(partner) == 2, timeout_s=30)
        # (The topic is shared with other tests' members: only these two are looked at.)
        assert {m: counted.get(m) for m in (author, partner)} == {author: 1, partner: 2}

        # The same post told again (same event, and a republished copy under a new id) is
        # still one use; a new post by another member, behind them in the partition, counts.
        posted = events[0]
        copy = {**posted, "event_id": str(uuid.uuid4())}
        sentinel = {
            **posted,
            "event_id": str(uuid.uuid4()),
            "payload": {**posted["payload"], "post_id": "sentinel", "member_id": unrelated},
        }
        producer = AIOKafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
        await producer.start()
        try:
            for body in (posted, copy, sentinel):
                await producer.send_and_wait(
                    "cmo.collaboration", json.dumps(body).encode(), key=post_id.encode()
                )
        finally:
            await producer.stop()
        counted = await eventually(usage, lambda u: unrelated in u, timeout_s=30)
        assert counted == {author: 1, partner: 2, unrelated: 1}


async def test_posts_are_validated_field_by_field(isolated_members: str) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        response = await http.post(
            f"{isolated_members}/collaboration/posts",
            json={
                "member_id": "m",
                "kind": "barter",
                "category": "joint_export",
                "title": "t",
                "description": "d",
                "sectors": ["food"],
                "expires_on": "2001-01-01",
                "status": "closed",
            },
        )
        expired = await http.post(
            f"{isolated_members}/collaboration/posts",
            json={
                "member_id": "m",
                "kind": "offer",
                "category": "joint_export",
                "title": "t",
                "description": "d",
                "expires_on": "2001-01-01",
            },
        )
    assert response.status_code == 422
    fields = {d["field"] for d in response.json()["error"]["details"]}
    assert fields == {"kind", "sectors.0", "status"}
    assert expired.status_code == 409, "a last day already past conflicts with today"
    assert expired.json()["error"] == {
        "code": "date_passed",
        "message": "the last day of the post has passed",
        "field": "expires_on",
    }
