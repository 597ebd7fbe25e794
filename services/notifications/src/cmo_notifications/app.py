"""Composition root of the notifications service: its features over their collections.

The features' modules use each other (the dispatcher renders owner notices, webhooks send
test deliveries), so their Feature objects are built here rather than in each package's
`__init__`: importing one module never imports another package's API.
"""

from cmo_contracts.notifications import TOPIC
from cmo_shared.feature import Feature
from cmo_shared.runtime import ServiceRuntime, create_service_app
from fastapi import FastAPI

from .deliveries import api as deliveries_api
from .deliveries.jobs import pruning_job
from .deliveries.outcomes import OutcomeBatcher
from .deliveries.repository import DELIVERIES, DELIVERY_LOG, DeliveryRepository
from .deliveries.service import Dispatcher
from .digests import api as digests_api
from .digests.jobs import digest_job
from .digests.service import DigestJob
from .directory.handlers import handlers as directory_handlers
from .directory.repository import MEMBERS, PARKED, MemberDirectory, ParkedEvents
from .fanout.handlers import handlers as fanout_handlers
from .fanout.handlers import release_handlers
from .fanout.service import Fanout
from .inbox import api as inbox_api
from .inbox.repository import INBOX, InboxRepository
from .preferences import api as preferences_api
from .preferences.repository import PREFERENCES, LinkSigner, Preferences
from .settings import NotificationsSettings
from .webhooks import api as webhooks_api
from .webhooks.repository import ENDPOINTS, WebhookEndpoints


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    """Build the notifications service from settings."""
    settings = settings or NotificationsSettings()
    runtime = ServiceRuntime("notifications", settings, produces=[TOPIC])
    db = runtime.db
    deliveries = DeliveryRepository(db[DELIVERIES], db[DELIVERY_LOG], runtime.metrics)
    inbox = InboxRepository(db[INBOX])
    endpoints = WebhookEndpoints(db[ENDPOINTS], overlap_s=settings.webhook_secret_overlap_s)
    preferences = Preferences(db[PREFERENCES])
    links = LinkSigner(settings.link_secret)
    directory = MemberDirectory(db[MEMBERS])
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
        ParkedEvents(db[PARKED]),
        settings,
        dispatcher.submit,
    )
    digests = DigestJob(deliveries, preferences, dispatcher.submit)
    # One event's handlers run in feature order: the directory learns of a member first,
    # then the event is fanned out, then events parked until it was known are released.
    features = [
        Feature(
            "directory",
            handlers=directory_handlers(directory),
            on_start=[directory.ensure_indexes],
        ),
        Feature("fanout", handlers=fanout_handlers(fanout)),
        Feature("parked-events", handlers=release_handlers(fanout)),
        Feature(
            "deliveries",
            deliveries_api.router,
            [deliveries, dispatcher],
            jobs=[pruning_job(deliveries, settings.delivery_retention_s)],
            on_start=[deliveries.ensure_indexes],
            tasks=[dispatcher.run],
            on_stop=[dispatcher.finish],
        ),
        Feature("inbox", inbox_api.router, [inbox], on_start=[inbox.ensure_indexes]),
        Feature("preferences", preferences_api.router, [preferences, links]),
        Feature(
            "webhooks",
            webhooks_api.router,
            [endpoints, settings],
            on_start=[endpoints.ensure_indexes],
        ),
        Feature(
            "digests",
            digests_api.router,
            [digests],
            jobs=[digest_job(digests, settings.digest_interval_s)],
        ),
    ]
    return create_service_app(
        runtime,
        title="CMO notifications service",
        description="Email, signed webhooks and the in-app inbox for domain events, "
        "per each contact's preferences.",
        features=features,
    )
