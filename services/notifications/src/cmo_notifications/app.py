"""Composition root of the notifications service."""

from datetime import UTC, datetime, timedelta

from cmo_contracts.notifications import TOPIC
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.schedule import run_every
from fastapi import FastAPI

from .api import router
from .digest import DigestJob
from .directory import MEMBERS, PARKED, MemberDirectory, ParkedEvents
from .dispatcher import Dispatcher
from .domain import RULES
from .fanout import Fanout
from .outcomes import OutcomeBatcher
from .preferences import PREFERENCES, LinkSigner, Preferences
from .repository import DELIVERIES, DELIVERY_LOG, INBOX, DeliveryRepository, InboxRepository
from .settings import NotificationsSettings
from .webhooks import ENDPOINTS, WebhookEndpoints


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    """Build the notifications service from settings."""
    settings = settings or NotificationsSettings()
    runtime = ServiceRuntime("notifications", settings, produces=[TOPIC])
    deliveries = DeliveryRepository(
        runtime.collection(DELIVERIES), runtime.collection(DELIVERY_LOG)
    )
    inbox = InboxRepository(runtime.collection(INBOX))
    endpoints = WebhookEndpoints(
        runtime.collection(ENDPOINTS), overlap_s=settings.webhook_secret_overlap_s
    )
    preferences = Preferences(runtime.collection(PREFERENCES))
    links = LinkSigner(settings.link_secret)
    directory = MemberDirectory(runtime.collection(MEMBERS))
    outcomes = OutcomeBatcher(deliveries, runtime.writes)
    dispatcher = Dispatcher(deliveries, endpoints, settings, outcomes)
    parked = ParkedEvents(runtime.collection(PARKED))
    fanout = Fanout(
        deliveries,
        inbox,
        directory,
        preferences,
        endpoints,
        links,
        parked,
        settings,
        dispatcher.submit,
    )
    digests = DigestJob(deliveries, preferences, dispatcher.submit)
    runtime.consume_events(
        directory.handlers(),
        dict.fromkeys(RULES, fanout.handle),
        dict.fromkeys(
            ("member.applied", "member.joined", "member.profile_updated"), fanout.release
        ),
    )

    async def on_start() -> None:
        for repository in (deliveries, inbox, directory, endpoints):
            await repository.ensure_indexes()
        runtime.spawn(dispatcher.run(), "dispatcher")
        runtime.spawn(
            run_every(settings.digest_interval_s, lambda: digests.run(datetime.now(UTC)), "digest"),
            "digest-job",
        )
        retention = timedelta(seconds=settings.delivery_retention_s)
        runtime.spawn(
            run_every(3600, lambda: deliveries.prune(datetime.now(UTC) - retention), "pruning"),
            "delivery-pruning",
        )

    app = create_service_app(
        runtime,
        title="CMO notifications service",
        description="Email, signed webhooks and the in-app inbox for domain events, "
        "per each contact's preferences.",
        routers=[router],
        on_start=on_start,
    )
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.deliveries = deliveries
    app.state.inbox = inbox
    app.state.endpoints = endpoints
    app.state.preferences = preferences
    app.state.links = links
    app.state.dispatcher = dispatcher
    app.state.digests = digests
    return app
