"""Composition root of the members service."""

from cmo_shared.events.members import TOPIC
from cmo_shared.runtime import ServiceRuntime, create_service_app
from fastapi import FastAPI

from .api import router
from .handlers import MembersService
from .repository import COLLECTION, MemberRepository
from .settings import MembersSettings


def create_app(settings: MembersSettings | None = None) -> FastAPI:
    """Build the members service from settings."""
    settings = settings or MembersSettings()
    runtime = ServiceRuntime("members", settings, produces=[TOPIC], outbox_collections=[COLLECTION])
    repository = MemberRepository(runtime.collection(COLLECTION))
    app = create_service_app(
        runtime,
        title="CMO members service",
        description="Member companies, their lifecycle and profiles.",
        routers=[router],
        on_start=repository.ensure_indexes,
    )
    app.state.runtime = runtime
    app.state.members = MembersService(repository, runtime.relay)
    return app
