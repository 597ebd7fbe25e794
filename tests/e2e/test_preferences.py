"""Contacts' channel choices, mandatory topics and one-click unsubscribe, end to end."""

import uuid
from typing import Any

import httpx

from tests.conftest import Infra
from tests.helpers import applicant, eventually, mails_to, resolved


async def _member(http: httpx.AsyncClient, members: str, email: str) -> dict[str, Any]:
    body = applicant(
        ("C", email, "en"), legal_name=f"Prefs {uuid.uuid4().hex[:6]}", products=["Cheese"]
    )
    member = (await http.post(f"{members}/members", json=body)).json()
    await http.post(f"{members}/members/{member['member_id']}/approve")
    return member


async def test_opted_out_topics_skip_email_mandatory_ones_do_not_and_links_unsubscribe(
    infra: Infra, stack: dict[str, str]
) -> None:
    members, notifications = stack["members"], stack["notifications"]
    tag = uuid.uuid4().hex[:6]
    author_email, quiet_email = f"author-{tag}@prefs.example", f"quiet-{tag}@prefs.example"
    async with httpx.AsyncClient(timeout=10) as http:
        author = await _member(http, members, author_email)
        quiet = await _member(http, members, quiet_email)
        quiet_contact = quiet["contacts"][0]["contact_id"]
        prefs = f"{notifications}/preferences/{quiet_contact}"

        refused = await http.put(prefs, json={"channels": {"membership": {"email": False}}})
        assert (refused.status_code, refused.json()["error"]["code"]) == (422, "mandatory_topic")
        opted = await http.put(prefs, json={"channels": {"collaboration": {"email": False}}})
        assert opted.json()["channels"] == {"collaboration": {"email": False}}
        assert "fees" in opted.json()["mandatory_topics"]

        posted = await http.post(
            f"{members}/collaboration/posts",
            json={
                "member_id": author["member_id"],
                "kind": "request",
                "category": "shared_equipment",
                "title": f"Cheese vat {tag}",
                "description": "Looking for a vat to share.",
                "tags": ["cheese"],
            },
        )
        assert quiet["member_id"] in {m["member_id"] for m in posted.json()["matches"]}

        inbox = await eventually(
            lambda: http.get(f"{notifications}/inbox/{quiet_contact}"),
            lambda r: any(tag in e["title"] for e in r.json()["items"]),
        )
        assert [e["topic"] for e in inbox.json()["items"] if tag in e["title"]] == ["collaboration"]

    matched = await eventually(
        lambda: resolved(
            [m for m in mails_to(infra.mail_dir, author_email) if tag in m["Subject"]]
        ),
        bool,
    )
    assert len(matched) == 1
    link = matched[0]["List-Unsubscribe"].strip("<>")
    assert matched[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    welcome = [m for m in mails_to(infra.mail_dir, quiet_email) if "Welcome" in m["Subject"]]
    assert len(welcome) == 1, "membership mail goes out whatever the choices"
    assert welcome[0]["List-Unsubscribe"] is None, "mandatory topics offer no unsubscribe"
    assert [m for m in mails_to(infra.mail_dir, quiet_email) if tag in m["Subject"]] == []

    token = link.rsplit("/", 1)[1]
    async with httpx.AsyncClient(timeout=10) as http:
        done = await http.post(f"{notifications}/unsubscribe/{token}")
        assert done.json()["channels"] == {"collaboration": {"email": False}}
        assert done.json()["contact_id"] == author["contacts"][0]["contact_id"]
        forged = await http.post(f"{notifications}/unsubscribe/{token[:-2]}xx")
        assert (forged.status_code, forged.json()["error"]["code"]) == (404, "invalid_link")
