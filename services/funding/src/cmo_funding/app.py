"""Composition root of the funding service."""

from cmo_shared.events.funding import TOPIC
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.schedule import run_every, today_in_tbilisi
from fastapi import FastAPI

from .api import router
from .matching import Matcher
from .repository import (
    APPLICATIONS,
    CALLS,
    MATCHES,
    MEMBERS,
    ApplicationRepository,
    CallRepository,
    MatchRepository,
    MemberView,
)
from .service import FundingService
from .settings import FundingSettings


def create_app(settings: FundingSettings | None = None) -> FastAPI:
    """Build the funding service from settings."""
    settings = settings or FundingSettings()
    runtime = ServiceRuntime("funding", settings, produces=[TOPIC])
    for name in (CALLS, APPLICATIONS):
        runtime.relay.watch(runtime.collection(name))
    calls = CallRepository(runtime.collection(CALLS))
    members = MemberView(runtime.collection(MEMBERS))
    matches = MatchRepository(runtime.collection(MATCHES))
    applications = ApplicationRepository(runtime.collection(APPLICATIONS))
    matcher = Matcher(calls, members, matches, runtime.relay)
    funding = FundingService(calls, matches, applications, runtime.relay, runtime.writes.locks)
    runtime.consume_events(
        matcher.handlers(), {"funding_call.published": matcher.on_call_published}
    )

    async def on_start() -> None:
        for repository in (calls, members, matches, applications):
            await repository.ensure_indexes()
        runtime.spawn(
            run_every(
                settings.job_interval_s,
                lambda: funding.run_deadlines(today_in_tbilisi()),
                "deadlines",
            ),
            "deadline-job",
        )

    app = create_service_app(
        runtime,
        title="CMO funding service",
        description="Funding calls matched to eligible members, interest and applications.",
        routers=[router],
        on_start=on_start,
    )
    app.state.runtime = runtime
    app.state.funding = funding
    return app
