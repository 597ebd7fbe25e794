"""Composition root of the notifications service."""

from datetime import UTC, datetime, timedelta

from cmo_contracts.notifications import TOPIC
from cmo_shared.feature import Feature, Job
from cmo_shared.runtime import ServiceRuntime, create_service_app
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

PROFILE_EVENTS = ("member.applied", "member.joined", "member.profile_updated")


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
    dispatcher = Dispatcher(
        deliveries, endpoints, settings, OutcomeBatcher(deliveries, runtime.writes)
    )
    fanout = Fanout(
        deliveries,
        inbox,
        directory,
        preferences,
        endpoints,
        links,
        ParkedEvents(runtime.collection(PARKED)),
        settings,
        dispatcher.submit,
    )
    digests = DigestJob(deliveries, preferences, dispatcher.submit)
    retention = timedelta(seconds=settings.delivery_retention_s)

    async def ensure_indexes() -> None:
        for repository in (deliveries, inbox, directory, endpoints):
            await repository.ensure_indexes()

    notifications = Feature(
        "notifications",
        router,
        [inbox, deliveries, dispatcher, digests, preferences, links, endpoints, settings],
        handlers=dict.fromkeys(RULES, fanout.handle),
        jobs=[
            Job("digest", settings.digest_interval_s, lambda: digests.run(datetime.now(UTC))),
            Job("delivery-pruning", 3600, lambda: deliveries.prune(datetime.now(UTC) - retention)),
        ],
        on_start=[ensure_indexes],
        tasks=[dispatcher.run],
    )
    # One event's handlers run in feature order: the directory learns of a member first, then
    # its event is fanned out, then events parked until it was known are released.
    directory_feature = Feature("directory", handlers=directory.handlers())
    release = Feature("parked-events", handlers=dict.fromkeys(PROFILE_EVENTS, fanout.release))
    return create_service_app(
        runtime,
        title="CMO notifications service",
        description="Email, signed webhooks and the in-app inbox for domain events, "
        "per each contact's preferences.",
        features=[directory_feature, notifications, release],
    )
