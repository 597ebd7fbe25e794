"""Composition root of the members service."""

from cmo_shared.events.members import TOPIC
from cmo_shared.runtime import ServiceRuntime, create_service_app
from fastapi import FastAPI

from .api import router
from .directory_api import router as directory_router
from .fee_api import router as fee_router
from .fee_handlers import FeesService
from .fee_repository import INVOICES, SCHEDULES, InvoiceRepository, ScheduleRepository
from .handlers import MembersService
from .repository import COLLECTION, MemberRepository
from .settings import MembersSettings


def create_app(settings: MembersSettings | None = None) -> FastAPI:
    """Build the members service from settings."""
    settings = settings or MembersSettings()
    runtime = ServiceRuntime(
        "members", settings, produces=[TOPIC], outbox_collections=[COLLECTION, INVOICES]
    )
    repository = MemberRepository(runtime.collection(COLLECTION))
    members = MembersService(repository, runtime.relay)
    invoices = InvoiceRepository(runtime.collection(INVOICES))
    fees = FeesService(
        members=repository,
        membership=members,
        invoices=invoices,
        schedules=ScheduleRepository(runtime.collection(SCHEDULES)),
        relay=runtime.relay,
        grace_days=settings.fee_grace_days,
    )

    async def on_start() -> None:
        await repository.ensure_indexes()
        await invoices.ensure_indexes()
        runtime.spawn(fees.run_arrears_forever(settings.fee_job_interval_s), "arrears-job")

    app = create_service_app(
        runtime,
        title="CMO members service",
        description="Member companies: lifecycle, profiles, fees and the public directory.",
        routers=[router, fee_router, directory_router],
        on_start=on_start,
    )
    app.state.runtime = runtime
    app.state.members = members
    app.state.member_repository = repository
    app.state.fees = fees
    return app
