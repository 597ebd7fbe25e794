"""Composition root of the notifications service."""

from cmo_shared.events.notifications import TOPIC
from cmo_shared.runtime import ServiceRuntime, create_service_app
from fastapi import FastAPI

from .api import router
from .directory import MEMBERS, MemberDirectory
from .dispatcher import Dispatcher
from .domain import RULES
from .fanout import Fanout
from .repository import DELIVERIES, INBOX, DeliveryRepository, InboxRepository
from .settings import NotificationsSettings


def create_app(settings: NotificationsSettings | None = None) -> FastAPI:
    """Build the notifications service from settings."""
    settings = settings or NotificationsSettings()
    runtime = ServiceRuntime(
        "notifications", settings, produces=[TOPIC], outbox_collections=[DELIVERIES]
    )
    deliveries = DeliveryRepository(runtime.collection(DELIVERIES))
    inbox = InboxRepository(runtime.collection(INBOX))
    dispatcher = Dispatcher(deliveries, settings, runtime.relay.wake)
    directory = MemberDirectory(runtime.collection(MEMBERS))
    fanout = Fanout(deliveries, inbox, directory, dispatcher.wake)
    runtime.consume_events(directory.handlers(), dict.fromkeys(RULES, fanout.handle))

    async def on_start() -> None:
        await deliveries.ensure_indexes()
        await inbox.ensure_indexes()
        await directory.ensure_indexes()
        runtime.spawn(dispatcher.run(), "email-dispatcher")

    app = create_service_app(
        runtime,
        title="CMO notifications service",
        description="Email, webhook and in-app inbox notifications for domain events.",
        routers=[router],
        on_start=on_start,
    )
    app.state.runtime = runtime
    app.state.deliveries = deliveries
    app.state.inbox = inbox
    return app
