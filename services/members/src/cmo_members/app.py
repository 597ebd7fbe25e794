"""Composition root of the members service: its features, on MongoDB or on given repositories."""

from dataclasses import dataclass

from cmo_contracts.members import CATALOGUE_TOPIC, COLLABORATION_TOPIC, TOPIC
from cmo_shared.feature import Feature
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.store import WritePath
from fastapi import FastAPI

from . import assessments, catalogue, collaboration, experts, fees, kpis, membership, usage
from .assessments.repository import MongoAnswerSheets, MongoAssessments
from .catalogue.repository import MongoCatalogue
from .collaboration.repository import MongoInterests, MongoPosts
from .directory import DirectoryService, directory_feature
from .experts.repository import MongoExpertRequests, MongoExperts
from .fees.repository import MongoInvoices, MongoSchedules
from .kpis.repository import MongoKpis
from .membership.repository import MongoMembers
from .settings import MembersSettings
from .usage.repository import INDEXES as USAGE_INDEXES
from .usage.repository import MongoUsage


@dataclass
class Repositories:
    """Where each feature keeps its data (MongoDB in the service, fakes in use-case tests)."""

    members: membership.repository.MemberRepository
    invoices: fees.repository.InvoiceRepository
    schedules: fees.repository.ScheduleRepository
    catalogue: catalogue.repository.CatalogueRepository
    usage: usage.repository.UsageRepository
    assessments: assessments.repository.AssessmentRepository
    answer_sheets: assessments.repository.AnswerSheetRepository
    kpis: kpis.repository.KpiRepository
    experts: experts.repository.ExpertRepository
    expert_requests: experts.repository.ExpertRequestRepository
    posts: collaboration.repository.PostRepository
    interests: collaboration.repository.InterestRepository


def mongo_repositories(writes: WritePath) -> Repositories:
    """Every feature's MongoDB adapter, declared on the service's write path."""
    return Repositories(
        members=writes.declare(MongoMembers),
        invoices=writes.declare(MongoInvoices),
        schedules=MongoSchedules(writes.collection(MongoSchedules.collection_name)),
        catalogue=writes.declare(MongoCatalogue),
        usage=MongoUsage(writes.collection(MongoUsage.collection_name, USAGE_INDEXES)),
        assessments=MongoAssessments(
            writes.collection(MongoAssessments.collection_name, MongoAssessments.indexes)
        ),
        answer_sheets=writes.declare(MongoAnswerSheets),
        kpis=writes.declare(MongoKpis),
        experts=MongoExperts(writes.collection(MongoExperts.collection_name, MongoExperts.indexes)),
        expert_requests=writes.declare(MongoExpertRequests),
        posts=writes.declare(MongoPosts),
        interests=writes.declare(MongoInterests),
    )


def features(repos: Repositories, settings: MembersSettings) -> list[Feature]:
    """The members service's features, wired to their repositories."""
    members = membership.MembershipService(repos.members)
    fees_service = fees.FeesService(
        repos.members, members, repos.invoices, repos.schedules, settings.fee_grace_days
    )
    board = collaboration.CollaborationService(repos.posts, repos.interests, repos.members, members)
    return [
        membership.membership_feature(members),
        fees.fees_feature(fees_service, settings.job_interval_s),
        directory_feature(DirectoryService(repos.members)),
        catalogue.catalogue_feature(catalogue.CatalogueService(repos.catalogue)),
        usage.usage_feature(usage.UsageService(repos.usage)),
        assessments.assessments_feature(
            assessments.AssessmentService(repos.assessments, repos.answer_sheets, members)
        ),
        kpis.kpis_feature(kpis.KpiService(repos.kpis, members)),
        experts.experts_feature(
            experts.ExpertService(repos.experts, repos.expert_requests, members)
        ),
        collaboration.collaboration_feature(board, settings.job_interval_s),
    ]


def create_app(settings: MembersSettings | None = None) -> FastAPI:
    """Build the members service from settings."""
    settings = settings or MembersSettings()
    runtime = ServiceRuntime(
        "members", settings, produces=[TOPIC, CATALOGUE_TOPIC, COLLABORATION_TOPIC]
    )
    return create_service_app(
        runtime,
        title="CMO members service",
        description="Member companies: lifecycle, profiles, fees and the public directory.",
        features=features(mongo_repositories(runtime.writes), settings),
    )
