"""Composition root of the funding service: its features, on MongoDB or on given repositories."""

from dataclasses import dataclass

from cmo_contracts.funding import TOPIC
from cmo_shared.feature import Feature
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.store import DerivedEvents, WritePath
from fastapi import FastAPI

from .applications import ApplicationService, applications_feature
from .applications.repository import ApplicationRepository, MongoApplications
from .calls import CallService, calls_feature
from .calls.repository import CallRepository, MongoCalls
from .matching import Matcher, matching_feature
from .matching.repository import MatchRepository, MemberView, MongoMatches, MongoMemberView
from .settings import FundingSettings


@dataclass
class Repositories:
    """Where each feature keeps its data (MongoDB in the service, fakes in use-case tests)."""

    calls: CallRepository
    members: MemberView
    matches: MatchRepository
    applications: ApplicationRepository
    derived: DerivedEvents


def mongo_repositories(writes: WritePath) -> Repositories:
    """Every feature's MongoDB adapter, declared on the service's write path."""
    return Repositories(
        calls=writes.declare(MongoCalls),
        members=MongoMemberView(writes.collection("member_view", MongoMemberView.indexes)),
        matches=MongoMatches(writes.collection("matches", MongoMatches.indexes)),
        applications=writes.declare(MongoApplications),
        derived=writes,
    )


def features(repos: Repositories, settings: FundingSettings) -> list[Feature]:
    """The funding service's features, wired to their repositories."""
    calls = CallService(repos.calls)
    matcher = Matcher(calls, repos.members, repos.matches, repos.derived)
    applications = ApplicationService(repos.applications, calls, repos.matches)
    return [
        calls_feature(calls),
        matching_feature(matcher),
        applications_feature(applications, settings.job_interval_s),
    ]


def create_app(settings: FundingSettings | None = None) -> FastAPI:
    """Build the funding service from settings."""
    settings = settings or FundingSettings()
    runtime = ServiceRuntime("funding", settings, produces=[TOPIC])
    return create_service_app(
        runtime,
        title="CMO funding service",
        description="Funding calls matched to eligible members, interest and applications.",
        features=features(mongo_repositories(runtime.writes), settings),
    )
