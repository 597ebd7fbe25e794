"""Composition root of the training service: its features, on MongoDB or given repositories."""

from dataclasses import dataclass

from cmo_contracts.training import TOPIC
from cmo_shared.feature import Feature
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.standing import MongoMemberView
from cmo_shared.store import WritePath
from fastapi import FastAPI

from .certificates import CertificateService, certificates_feature
from .certificates.repository import CertificateRepository, MongoCertificates
from .certificates.signer import Signer
from .fairs import DelegationService, fairs_feature
from .fairs.repository import DelegationRepository, MongoDelegations
from .feedback import FeedbackService, feedback_feature
from .feedback.repository import FeedbackRepository, MongoFeedback
from .needs import NeedService, needs_feature
from .needs.repository import MongoNeedView, NeedView
from .plan import PlanService, plan_feature
from .plan.repository import MongoPlans, PlanRepository
from .registrations import RegistrationService, registrations_feature
from .registrations.repository import (
    MongoRegistrations,
    MongoSeats,
    RegistrationRepository,
    SeatLedger,
)
from .sessions import SessionService, sessions_feature
from .sessions.repository import MongoSessions, SessionRepository
from .settings import TrainingSettings
from .standing import Standing, standing_feature
from .standing.domain import MemberFacts
from .standing.repository import MemberView


@dataclass
class Repositories:
    """Where each feature keeps its data (MongoDB in the service, fakes in use-case tests)."""

    members: MemberView
    needs: NeedView
    plans: PlanRepository
    sessions: SessionRepository
    registrations: RegistrationRepository
    seats: SeatLedger
    certificates: CertificateRepository
    delegations: DelegationRepository
    feedback: FeedbackRepository


def mongo_repositories(writes: WritePath) -> Repositories:
    """Every feature's MongoDB adapter, declared on the service's write path."""
    return Repositories(
        members=MongoMemberView(
            writes.collection(MongoMemberView.collection_name, MongoMemberView.indexes),
            MemberFacts,
        ),
        needs=MongoNeedView(
            writes.collection(MongoNeedView.collection_name, MongoNeedView.indexes)
        ),
        plans=writes.declare(MongoPlans),
        sessions=writes.declare(MongoSessions),
        registrations=writes.declare(MongoRegistrations),
        seats=MongoSeats(writes.collection(MongoSeats.collection_name, MongoSeats.indexes)),
        certificates=writes.declare(MongoCertificates),
        delegations=writes.declare(MongoDelegations),
        feedback=MongoFeedback(
            writes.collection(MongoFeedback.collection_name, MongoFeedback.indexes)
        ),
    )


def features(repos: Repositories, settings: TrainingSettings) -> list[Feature]:
    """The training service's features, wired to their repositories."""
    standing = Standing(repos.members)
    needs = NeedService(repos.needs, standing)
    plans = PlanService(repos.plans, needs)
    registrations: RegistrationService

    async def seats_left(session):
        return await registrations.seats_left(session)

    sessions = SessionService(repos.sessions, needs, plans, seats_left)
    registrations = RegistrationService(
        repos.registrations,
        repos.seats,
        sessions,
        standing,
        settings.offer_hold_hours,
        settings.organiser_email,
        settings.cmo_name,
        settings.public_url,
        settings.internal_secret,
    )
    certificates = CertificateService(
        repos.certificates,
        sessions,
        registrations,
        Signer(settings.certificate_key),
        settings.public_url,
        settings.cmo_name,
    )
    return [
        standing_feature(standing),
        needs_feature(needs),
        plan_feature(plans),
        sessions_feature(sessions, settings.job_interval_s),
        registrations_feature(registrations, settings.job_interval_s),
        certificates_feature(certificates),
        fairs_feature(DelegationService(repos.delegations, standing)),
        feedback_feature(FeedbackService(repos.feedback, sessions, registrations)),
    ]


def create_app(settings: TrainingSettings | None = None) -> FastAPI:
    """Build the training service from settings."""
    settings = settings or TrainingSettings()
    runtime = ServiceRuntime("training", settings, produces=[TOPIC])
    return create_service_app(
        runtime,
        title="CMO training service",
        description="The annual training needs assessment and plan, sessions with a priority "
        "window for the members who need them, registrations that never overbook, waitlists, "
        "calendar invitations, attendance and Open Badges 3.0 certificates.",
        features=features(mongo_repositories(writes=runtime.writes), settings),
    )
