"""Composition root of the advocacy service: its features, on MongoDB or given repositories."""

from dataclasses import dataclass

from cmo_contracts.advocacy import TOPIC
from cmo_shared.feature import Feature
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.standing import MongoMemberView
from cmo_shared.store import WritePath
from fastapi import FastAPI

from .consultations import ConsultationService, consultations_feature
from .consultations.repository import (
    BallotBox,
    ConsultationRepository,
    MongoBallotBox,
    MongoConsultations,
    MongoPositions,
    PositionRepository,
)
from .engagements import EngagementService, engagements_feature
from .engagements.repository import EngagementRepository, MongoEngagements
from .ideas import IdeaService, ideas_feature
from .ideas.repository import IdeaRepository, MongoIdeas
from .legislation import LegislationService, legislation_feature
from .legislation.repository import InitiativeRepository, MongoInitiatives
from .news import NewsService, news_feature
from .news.repository import MongoNews, NewsRepository
from .reports import ReportService, reports_feature
from .reports.repository import MongoReports, MongoSurveyView, ReportRepository, SurveyView
from .settings import AdvocacySettings
from .standing import Standing, standing_feature
from .standing.domain import MemberFacts
from .standing.repository import MemberView
from .topics import TopicService, topics_feature
from .topics.repository import MongoTopics, TopicRepository
from .trends import TrendService, trends_feature
from .trends.repository import BulletinRepository, MongoBulletins, MongoRadar, RadarRepository
from .value_chains import ValueChainService, value_chains_feature
from .value_chains.repository import MongoValueChains, ValueChainRepository


@dataclass
class Repositories:
    """Where each feature keeps its data (MongoDB in the service, fakes in use-case tests)."""

    members: MemberView
    topics: TopicRepository
    initiatives: InitiativeRepository
    consultations: ConsultationRepository
    ballots: BallotBox
    positions: PositionRepository
    engagements: EngagementRepository
    news: NewsRepository
    radar: RadarRepository
    bulletins: BulletinRepository
    ideas: IdeaRepository
    surveys: SurveyView
    reports: ReportRepository
    value_chains: ValueChainRepository


def mongo_repositories(writes: WritePath) -> Repositories:
    """Every feature's MongoDB adapter, declared on the service's write path."""
    return Repositories(
        members=MongoMemberView(
            writes.collection(MongoMemberView.collection_name, MongoMemberView.indexes),
            MemberFacts,
        ),
        topics=writes.declare(MongoTopics),
        initiatives=writes.declare(MongoInitiatives),
        consultations=writes.declare(MongoConsultations),
        ballots=MongoBallotBox(
            writes.collection(MongoBallotBox.ballots_name, MongoBallotBox.indexes),
            writes.collection(MongoBallotBox.turnout_name, MongoBallotBox.indexes),
        ),
        positions=writes.declare(MongoPositions),
        engagements=writes.declare(MongoEngagements),
        news=writes.declare(MongoNews),
        radar=writes.declare(MongoRadar),
        bulletins=writes.declare(MongoBulletins),
        ideas=writes.declare(MongoIdeas),
        surveys=MongoSurveyView(
            writes.collection(MongoSurveyView.collection_name, MongoSurveyView.indexes)
        ),
        reports=writes.declare(MongoReports),
        value_chains=writes.declare(MongoValueChains),
    )


def features(repos: Repositories, settings: AdvocacySettings) -> list[Feature]:
    """The advocacy service's features, wired to their repositories."""
    standing = Standing(repos.members)
    news = NewsService(repos.news, settings.public_url, settings.cmo_name)
    ideas = IdeaService(repos.ideas, standing)
    consultations = ConsultationService(
        repos.consultations,
        repos.ballots,
        repos.positions,
        repos.initiatives,
        standing,
        settings.ballot_secret,
    )
    reports = ReportService(
        repos.reports,
        repos.surveys,
        standing,
        news,
        settings.sdc_min_companies,
        settings.sdc_p_percent,
    )
    return [
        standing_feature(standing),
        topics_feature(TopicService(repos.topics)),
        legislation_feature(LegislationService(repos.initiatives)),
        consultations_feature(consultations, settings.job_interval_s),
        engagements_feature(
            EngagementService(repos.engagements, repos.initiatives, repos.positions)
        ),
        news_feature(news),
        trends_feature(TrendService(repos.radar, repos.bulletins, ideas, settings.public_url)),
        ideas_feature(ideas),
        reports_feature(reports),
        value_chains_feature(ValueChainService(repos.value_chains)),
    ]


def create_app(settings: AdvocacySettings | None = None) -> FastAPI:
    """Build the advocacy service from settings."""
    settings = settings or AdvocacySettings()
    runtime = ServiceRuntime("advocacy", settings, produces=[TOPIC])
    return create_service_app(
        runtime,
        title="CMO advocacy service",
        description="Topics and strategies, legislation tracked to the members it affects, "
        "consultations ending in adopted positions, engagement with government and donors, "
        "news and feeds, trend-scouting, protected industry reports and value chains.",
        features=features(mongo_repositories(runtime.writes), settings),
    )
