"""One event to N recipients: the notifications service against raw loops, in one run.

Setup (not timed): the service's member directory holds N members with one contact each
(written straight into its read model), an integration webhook endpoint wants the event, a
null SMTP server accepts everything and a local HTTP receiver answers 200.

- service: `news.published` to every member goes to Kafka -> the service expands it into N
  inbox entries, N emails and one webhook -> the dispatcher sends them. Timed from publish to
  the last delivery record marked sent.
- raw: `insert_many` of N inbox documents, and aiosmtplib sending N messages at the
  service's email concurrency, to the same null server.

Usage: `uv run python -m bench.fanout [N]` (N defaults to 10,000).
"""

import asyncio
import sys
import time
import uuid
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import httpx
import uvicorn
from aiokafka import AIOKafkaProducer
from aiosmtpd.controller import Controller
from cmo_cli.infra.process import free_port
from cmo_shared.events import encode, new_event
from cmo_shared.events.advocacy import TOPIC, NewsPublished
from cmo_shared.kafka import ensure_topics
from cmo_shared.mongo import connect

from bench.local_infra import run_with_infra, service_process

CONCURRENCY = 8


class NullSmtp:
    """Accepts every message and counts it."""

    def __init__(self) -> None:
        self.accepted = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Accept."""
        self.accepted += 1
        return "250 OK"


async def receiver_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app answering 200 to everything."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def directory(n: int) -> list[dict[str, Any]]:
    """N active members with one contact each, as the service's read model stores them."""
    return [
        {
            "_id": f"m{i}",
            "legal_name": f"Member {i} LLC",
            "status": "active",
            "sector": "10.51",
            "region": "Imereti",
            "employees": 10,
            "contacts": [
                {
                    "contact_id": f"c{i}",
                    "name": f"Contact {i}",
                    "email": f"c{i}@bench.example",
                    "language": "ka" if i % 2 else "en",
                    "role": None,
                    "phone": None,
                }
            ],
            "languages": ["ka" if i % 2 else "en"],
        }
        for i in range(n)
    ]


async def run_service(
    bootstrap: str, mongodb_url: str, n: int, smtp_port: int, hook_url: str
) -> dict[str, float]:
    """Time the service from publishing the event to the last delivery sent."""
    client = connect(mongodb_url)
    service = service_process(
        "notifications",
        bootstrap,
        mongodb_url,
        CMO_SMTP_PORT=str(smtp_port),
        CMO_DISPATCH_CONCURRENCY=str(CONCURRENCY),
        CMO_WEBHOOK_ALLOWED_NETWORKS='["127.0.0.0/8"]',
    )
    async with service as (url, prefix):
        db = client[f"{prefix}_notifications"]
        try:
            await db["members"].insert_many(directory(n))
            return await _fan_out(bootstrap, url, db, n, hook_url)
        finally:
            await client.drop_database(db.name)
            await client.close()


async def _fan_out(bootstrap: str, url: str, db: Any, n: int, hook_url: str) -> dict[str, float]:
    async with httpx.AsyncClient(base_url=url, timeout=30) as http:
        hook = await http.post(
            "/webhooks",
            json={
                "owner_kind": "integration",
                "owner_id": "bench",
                "owner_email": "ops@bench.example",
                "url": hook_url,
                "event_types": ["news.published"],
            },
        )
        assert hook.status_code == 201, hook.text
    news_id = str(uuid.uuid4())
    event = new_event(
        NewsPublished(
            news_id=news_id,
            title={"ka": "სიახლე", "en": "News"},
            summary={"ka": "მოკლედ", "en": "In short"},
        ),
        producer="advocacy",
        subject_id=news_id,
        correlation_id="bench",
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    started = time.perf_counter()
    await producer.send_and_wait(TOPIC, encode(event), key=news_id.encode())
    await producer.stop()
    query = {"event_id": str(event.event_id)}
    expected = 2 * n + 1
    recorded = None
    while True:
        sent = await db["deliveries"].count_documents({**query, "status": "sent"})
        if recorded is None and await db["deliveries"].count_documents(query) >= expected:
            recorded = time.perf_counter() - started
        if sent >= expected:
            break
        await asyncio.sleep(0.5)
    total = time.perf_counter() - started
    assert await db["inbox"].count_documents(query) == n
    return {"recorded": recorded or total, "total": total}


async def raw_inbox(mongodb_url: str, n: int) -> float:
    """Seconds to `insert_many` N inbox documents."""
    client = connect(mongodb_url)
    db = client[f"bench_raw_{uuid.uuid4().hex[:6]}"]
    documents = [
        {"_id": str(uuid.uuid4()), "contact_id": f"c{i}", "title": "News", "body": "In short"}
        for i in range(n)
    ]
    started = time.perf_counter()
    await db["inbox"].insert_many(documents)
    elapsed = time.perf_counter() - started
    await client.drop_database(db.name)
    await client.close()
    return elapsed


async def raw_smtp(port: int, n: int) -> float:
    """Seconds for aiosmtplib to send N messages at the service's concurrency."""
    slots = asyncio.Semaphore(CONCURRENCY)

    async def one(i: int) -> None:
        message = EmailMessage()
        message["From"] = "bench@cmo.local"
        message["To"] = f"c{i}@bench.example"
        message["Subject"] = "News"
        message.set_content("In short")
        message.add_alternative("<p>In short</p>", subtype="html")
        async with slots:
            await aiosmtplib.send(message, hostname="127.0.0.1", port=port, timeout=10)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    return time.perf_counter() - started


async def main(n: int, bootstrap: str, mongodb_url: str) -> None:
    """Run the service and the raw loops; print the figures and ratios."""
    await ensure_topics(bootstrap, [TOPIC, "cmo.members", "cmo.funding", "cmo.collaboration"])
    smtp = NullSmtp()
    controller = Controller(smtp, hostname="127.0.0.1", port=free_port())
    controller.start()
    hook_port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(receiver_app, host="127.0.0.1", port=hook_port, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    try:
        service = await run_service(
            bootstrap, mongodb_url, n, controller.port, f"http://127.0.0.1:{hook_port}/hook"
        )
        inbox = await raw_inbox(mongodb_url, n)
        mail = await raw_smtp(controller.port, n)
    finally:
        server.should_exit = True
        await serving
        controller.stop()
    print(f"recipients: {n} (inbox + email each) and 1 webhook")
    print(f"raw insert_many of {n} inbox documents:          {inbox:6.2f} s")
    print(f"raw aiosmtplib, {n} messages at concurrency {CONCURRENCY}:   {mail:6.2f} s")
    print(f"service, publish -> every delivery recorded:    {service['recorded']:6.2f} s")
    print(f"service, publish -> last delivery sent:         {service['total']:6.2f} s")
    print(
        f"service / (raw inbox + raw smtp) time ratio:    {service['total'] / (inbox + mail):6.2f}"
    )


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    run_with_infra(lambda bootstrap, mongodb_url: main(count, bootstrap, mongodb_url))
