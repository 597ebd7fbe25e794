"""One event to N recipients: the notifications service against raw loops, in one run.

Setup (not timed): the service's member directory holds N members with one contact each
(written straight into its read model), an integration webhook endpoint wants the event, a
null SMTP server accepts everything and a local HTTP receiver answers 200.

- service: `news.published` to every member goes to Kafka -> the service expands it into N
  inbox entries, N emails and one webhook -> the dispatcher sends them. Timed from publish to
  the last delivery recorded sent (the time its delivery log entry carries); only in-process
  counters (emails the null server took, webhooks received) are polled meanwhile. CPU is
  metered from publish to the last message's arrival: the counts that check what was stored
  come after, as they scan in FerretDB and are not the service's work.
- raw: `insert_many` of N inbox documents, and aiosmtplib sending N messages at the
  service's email concurrency, to the same null server.

Usage: `python -m bench.fanout [N ...] [--quick] [--json FILE]`.
"""

import asyncio
import time
import uuid
from datetime import UTC, datetime
from email.mime.text import MIMEText
from typing import Any, NamedTuple

import aiosmtplib
import httpx
import psutil
import uvicorn
from aiokafka import AIOKafkaProducer
from cmo_cli.infra.process import free_port
from cmo_contracts import encode, new_event
from cmo_contracts.advocacy import TOPIC, NewsPublished
from cmo_shared.kafka import ensure_topics
from cmo_shared.mongo import connect

from bench.harness import Figure, main
from bench.local_infra import cpu_used, listening, local_processes, service_process

CONCURRENCY = 8


class NullSmtp(asyncio.Protocol):
    """A null SMTP server: says yes to every command and counts the messages it took.

    aiosmtpd costs more CPU per message than the client that talks to it, and on two cores
    would measure itself; this answers each line with one write.
    """

    accepted = 0
    first_at = 0.0
    domain = b"@bench.example"  # only messages to this run's recipients are counted

    def connection_made(self, transport: Any) -> None:
        """Greet."""
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        self.ours = False
        transport.write(b"220 null ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        """Answer every complete line."""
        *lines, self.buffer = (self.buffer + data).split(b"\r\n")
        replies = []
        for line in lines:
            if self.in_data:
                if line == b".":
                    self.in_data = False
                    if self.ours:
                        NullSmtp.accepted += 1
                        NullSmtp.first_at = NullSmtp.first_at or time.perf_counter()
                    replies.append(b"250 OK")
                continue
            verb = line[:4].upper()
            if verb == b"MAIL":
                self.ours = False
                replies.append(b"250 OK")
            elif verb == b"RCPT":
                self.ours = self.ours or NullSmtp.domain in line.lower()
                replies.append(b"250 OK")
            elif verb == b"EHLO":
                replies.append(b"250-null\r\n250 8BITMIME")
            elif verb == b"DATA":
                self.in_data = True
                replies.append(b"354 go on")
            elif verb == b"QUIT":
                self.transport.write(b"221 bye\r\n")
                self.transport.close()
                return
            else:
                replies.append(b"250 OK")
        if replies:
            self.transport.write(b"\r\n".join(replies) + b"\r\n")


HOOKS_RECEIVED: list[float] = []


async def receiver_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app answering 200 to everything."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    HOOKS_RECEIVED.append(time.perf_counter())
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b""})


def directory(n: int, run: str) -> list[dict[str, Any]]:
    """N active members with one contact each, as the service's read model stores them.

    Ids and addresses carry the run's tag, so that on shared topics and databases only this
    run's recipients are counted.
    """
    return [
        {
            "_id": f"{run}m{i}",
            "legal_name": f"Member {i} LLC",
            "status": "active",
            "sector": "10.51",
            "region": "Imereti",
            "employees": 10,
            "contacts": [
                {
                    "contact_id": f"{run}c{i}",
                    "name": f"Contact {i}",
                    "email": f"c{i}@{run}.bench.example",
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
) -> dict[str, Any]:
    """Time the service from publishing the event to the last delivery sent, and the CPU
    seconds each local process used meanwhile (the bench's own: the null SMTP server, the
    webhook receiver, polling counters)."""
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
        run = prefix
        NullSmtp.domain = f"@{run}.bench.example".encode()
        NullSmtp.accepted, NullSmtp.first_at = 0, 0.0
        HOOKS_RECEIVED.clear()
        try:
            await db["members"].insert_many(directory(n, run))
            metered = local_processes(
                notifications=listening(url),
                ferretdb=listening(mongodb_url),
                kafka=listening(bootstrap),
                bench=psutil.Process(),
            )
            with cpu_used(metered) as used:  # until the last message arrives
                fanned = await _fan_out(bootstrap, url, n, hook_url)
            # counting and sorting in FerretDB scan: checked after the metered window
            total = await _recorded_sent(db, n, fanned, run)
            return {**fanned.figures, "total": total, "cpu": used}
        finally:
            await client.drop_database(db.name)
            await client.close()


class FannedOut(NamedTuple):
    """What was published, to whom, when, and when the messages arrived."""

    event_id: str
    endpoint_id: str
    started_at: datetime
    figures: dict[str, float]


async def _fan_out(bootstrap: str, url: str, n: int, hook_url: str) -> FannedOut:
    """Publish the news and wait for every email and the webhook to arrive."""
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
        endpoint_id = hook.json()["endpoint_id"]
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
    started, started_at = time.perf_counter(), datetime.now(UTC)
    await producer.send_and_wait(TOPIC, encode(event), key=news_id.encode())
    await producer.stop()
    # Only in-process counters are polled: counting in FerretDB scans, and would load it.
    while NullSmtp.accepted < n or not HOOKS_RECEIVED:
        await asyncio.sleep(0.02)
        if time.perf_counter() - started > 600:
            raise TimeoutError(f"{NullSmtp.accepted} of {n} emails after 600 s")
    arrived = time.perf_counter() - started
    figures = {"first_email": NullSmtp.first_at - started, "arrived": arrived}
    return FannedOut(str(event.event_id), endpoint_id, started_at, figures)


async def _recorded_sent(db: Any, n: int, fanned: FannedOut, run: str) -> float:
    """Seconds from publishing to the last delivery recorded sent; checks what was stored."""
    # Other members on shared topics are told too; only this run's recipients are counted.
    contacts = {"event_id": fanned.event_id, "contact_id": {"$regex": f"^{run}c"}}
    query = {
        "event_id": fanned.event_id,
        "$or": [{"recipient_id": {"$regex": f"^{run}c"}}, {"recipient_id": fanned.endpoint_id}],
    }
    log = db["delivery_log"]
    while True:  # the outcomes are written in batches, shortly after the sends
        if await log.count_documents({**query, "status": "sent"}) >= n + 1:
            break
        await asyncio.sleep(0.2)
    last = await log.find({**query, "status": "sent"}).sort("at", -1).limit(1).to_list(None)
    assert await db["inbox"].count_documents(contacts) == n
    assert await db["deliveries"].count_documents(query) == n + 1  # the emails and the webhook
    return (last[0]["at"] - fanned.started_at).total_seconds()


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


def _raw_message(i: int) -> MIMEText:
    message = MIMEText("In short", "plain", "utf-8")
    message["From"] = "bench@cmo.local"
    message["To"] = f"c{i}@bench.example"
    message["Subject"] = "News"
    return message


async def raw_smtp(port: int, n: int) -> float:
    """Seconds for aiosmtplib to send N messages at the service's concurrency, one
    connection per message (`aiosmtplib.send`)."""
    slots = asyncio.Semaphore(CONCURRENCY)

    async def one(i: int) -> None:
        message = _raw_message(i)
        async with slots:
            await aiosmtplib.send(message, hostname="127.0.0.1", port=port, timeout=10)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(n)))
    return time.perf_counter() - started


async def raw_smtp_reused(port: int, n: int) -> float:
    """Seconds for aiosmtplib to send N messages over CONCURRENCY connections kept open."""
    numbers = iter(range(n))

    async def connection() -> None:
        async with aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=10) as smtp:
            for i in numbers:
                await smtp.send_message(_raw_message(i))

    started = time.perf_counter()
    await asyncio.gather(*(connection() for _ in range(CONCURRENCY)))
    return time.perf_counter() - started


async def measure(n: int, bootstrap: str, mongodb_url: str) -> list[Figure]:
    """Run the service and the raw loops; print the figures and ratios."""
    await ensure_topics(bootstrap, [TOPIC, "cmo.members", "cmo.funding", "cmo.collaboration"])
    smtp_port = free_port()
    smtp = await asyncio.get_running_loop().create_server(NullSmtp, "127.0.0.1", smtp_port)
    hook_port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(receiver_app, host="127.0.0.1", port=hook_port, log_level="warning")
    )
    serving = asyncio.create_task(server.serve())
    try:
        service = await run_service(
            bootstrap, mongodb_url, n, smtp_port, f"http://127.0.0.1:{hook_port}/hook"
        )
        assert NullSmtp.accepted == n, f"the null server took {NullSmtp.accepted} of {n} emails"
        inbox = await raw_inbox(mongodb_url, n)
        mail = await raw_smtp(smtp_port, n)
        raw_side = local_processes(ferretdb=listening(mongodb_url), bench=psutil.Process())
        with cpu_used(raw_side) as raw_cpu:
            reused = await raw_smtp_reused(smtp_port, n)
            inbox_again = await raw_inbox(mongodb_url, n)
    finally:
        server.should_exit = True
        await serving
        smtp.close()
    print(f"recipients: {n} (inbox + email each) and 1 webhook")
    print(f"raw insert_many of {n} inbox documents:          {inbox:6.2f} s")
    print(f"raw aiosmtplib, {n} messages at concurrency {CONCURRENCY}:   {mail:6.2f} s")
    print(f"raw aiosmtplib, {n} messages on {CONCURRENCY} kept connections: {reused:6.2f} s")
    print(f"service, publish -> first email received:       {service['first_email']:6.2f} s")
    print(f"service, publish -> last email/webhook received:{service['arrived']:6.2f} s")
    print(f"service, publish -> last delivery recorded sent:{service['total']:6.2f} s")
    total = service["total"]
    print(f"service / (raw inbox + raw smtp) time ratio:    {total / (inbox + mail):6.2f}")
    print(f"service / (raw inbox + raw kept smtp) ratio:    {total / (inbox + reused):6.2f}")
    names = ("notifications", "ferretdb", "kafka", "bench")
    print(f"CPU ms per recipient{'':22}" + "".join(f"{c:>14}" for c in names))
    for side, used in (("service", service["cpu"]), ("raw inbox + kept smtp", raw_cpu)):
        cells = "".join(f"{used[c] * 1000 / n:14.3f}" if c in used else f"{'-':>14}" for c in names)
        print(f"{side:42}{cells}")
    print(f"(raw inbox again, metered with the kept smtp: {inbox_again:.2f} s)")
    return [
        Figure(
            "fanout",
            "news to N contacts: inbox + email + webhook",
            n,
            "recipient",
            total,
            inbox + reused,
            goal=1.3,
        )
    ]


if __name__ == "__main__":
    main(measure, sizes=(1_000, 10_000, 50_000), quick=(500, 2_000, 5_000))
