"""Composition root of the members service."""

from cmo_shared.events.members import CATALOGUE_TOPIC, COLLABORATION_TOPIC, TOPIC
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.schedule import run_every, today_in_tbilisi
from fastapi import FastAPI

from .api import router
from .assessment_api import router as assessment_router
from .assessment_service import ANSWERS, KPIS, AssessmentService
from .catalogue_api import router as catalogue_router
from .catalogue_service import CATALOGUE, CatalogueService
from .collaboration_api import router as collaboration_router
from .collaboration_service import INTERESTS, POSTS, CollaborationService
from .directory_api import router as directory_router
from .experts import EXPERT_REQUESTS, ExpertService
from .experts import requests_router as expert_requests_router
from .experts import router as expert_router
from .fee_api import router as fee_router
from .fee_handlers import FeesService
from .fee_repository import INVOICES, SCHEDULES, InvoiceRepository, ScheduleRepository
from .handlers import MembersService
from .repository import COLLECTION, MemberRepository
from .settings import MembersSettings
from .usage_service import USAGE, UsageService


def create_app(settings: MembersSettings | None = None) -> FastAPI:
    """Build the members service from settings."""
    settings = settings or MembersSettings()
    runtime = ServiceRuntime(
        "members",
        settings,
        produces=[TOPIC, CATALOGUE_TOPIC, COLLABORATION_TOPIC],
        outbox_collections=[
            COLLECTION,
            INVOICES,
            CATALOGUE,
            ANSWERS,
            KPIS,
            EXPERT_REQUESTS,
            POSTS,
            INTERESTS,
        ],
    )
    catalogue = CatalogueService(runtime.collection(CATALOGUE), runtime.relay, runtime.locks)
    repository = MemberRepository(runtime.collection(COLLECTION))
    members = MembersService(repository, runtime.relay, runtime.locks)
    assessments = AssessmentService(runtime.db, repository, runtime.relay, runtime.locks)
    experts = ExpertService(runtime.db, repository, runtime.relay, runtime.locks)
    collaboration = CollaborationService(runtime.db, repository, runtime.relay, runtime.locks)
    usage = UsageService(runtime.collection(USAGE))
    runtime.consume_events(usage.handlers())
    invoices = InvoiceRepository(runtime.collection(INVOICES))
    fees = FeesService(
        members=repository,
        membership=members,
        invoices=invoices,
        schedules=ScheduleRepository(runtime.collection(SCHEDULES)),
        relay=runtime.relay,
        grace_days=settings.fee_grace_days,
        locks=runtime.locks,
    )

    async def on_start() -> None:
        await repository.ensure_indexes()
        await invoices.ensure_indexes()
        await catalogue.ensure_indexes()
        await assessments.ensure_indexes()
        await experts.ensure_indexes()
        await collaboration.ensure_indexes()
        await usage.ensure_indexes()
        await catalogue.seed(today_in_tbilisi().year, correlation_id="seed:catalogue")
        interval = settings.job_interval_s
        runtime.spawn(run_every(interval, fees.run_arrears_today, "arrears"), "arrears-job")
        runtime.spawn(
            run_every(interval, lambda: collaboration.close_expired(today_in_tbilisi()), "expiry"),
            "post-expiry-job",
        )

    app = create_service_app(
        runtime,
        title="CMO members service",
        description="Member companies: lifecycle, profiles, fees and the public directory.",
        routers=[
            router,
            fee_router,
            directory_router,
            catalogue_router,
            assessment_router,
            expert_router,
            expert_requests_router,
            collaboration_router,
        ],
        on_start=on_start,
    )
    app.state.runtime = runtime
    app.state.members = members
    app.state.member_repository = repository
    app.state.fees = fees
    app.state.catalogue = catalogue
    app.state.assessments = assessments
    app.state.experts = experts
    app.state.collaboration = collaboration
    app.state.usage = usage
    return app
