"""Composition root of the procurement service: its features, on MongoDB or given repositories."""

from dataclasses import dataclass

from cmo_contracts.procurement import TOPIC
from cmo_shared.feature import Feature
from cmo_shared.runtime import ServiceRuntime, create_service_app
from cmo_shared.standing import MongoMemberView
from cmo_shared.store import DerivedEvents, WritePath
from fastapi import FastAPI

from .categories import CategoryService, categories_feature
from .categories.repository import CategoryRepository, MongoCategories
from .demand import DemandService, demand_feature
from .demand.repository import MongoNeeds, MongoPools, NeedRepository, PoolRepository
from .savings import SavingsService, savings_feature
from .savings.repository import AllocationRepository, MongoAllocations
from .settings import ProcurementSettings
from .standing import Standing, standing_feature
from .standing.domain import MemberFacts
from .standing.repository import CatalogueView, MemberView, MongoCatalogueView
from .suppliers import SupplierService, suppliers_feature
from .suppliers.repository import MongoSuppliers, SupplierRepository
from .support import SupportService, support_feature
from .support.repository import (
    MongoProviders,
    MongoRequests,
    ProviderRepository,
    RequestRepository,
)
from .tenders import TenderService, tenders_feature
from .tenders.ocds import Publisher
from .tenders.repository import (
    LotLineRepository,
    MongoLotLines,
    MongoTenders,
    TenderRepository,
)
from .tenders.service import lots_won_counter


@dataclass
class Repositories:
    """Where each feature keeps its data (MongoDB in the service, fakes in use-case tests)."""

    members: MemberView
    catalogue: CatalogueView
    categories: CategoryRepository
    needs: NeedRepository
    pools: PoolRepository
    suppliers: SupplierRepository
    tenders: TenderRepository
    lot_lines: LotLineRepository
    allocations: AllocationRepository
    providers: ProviderRepository
    requests: RequestRepository
    derived: DerivedEvents


def mongo_repositories(writes: WritePath) -> Repositories:
    """Every feature's MongoDB adapter, declared on the service's write path."""
    return Repositories(
        members=MongoMemberView(
            writes.collection(MongoMemberView.collection_name, MongoMemberView.indexes),
            MemberFacts,
        ),
        catalogue=MongoCatalogueView(writes.collection(MongoCatalogueView.collection_name)),
        categories=writes.declare(MongoCategories),
        needs=writes.declare(MongoNeeds),
        pools=writes.declare(MongoPools),
        suppliers=writes.declare(MongoSuppliers),
        tenders=writes.declare(MongoTenders),
        lot_lines=MongoLotLines(
            writes.collection(MongoLotLines.collection_name, MongoLotLines.indexes)
        ),
        allocations=MongoAllocations(
            writes.collection(MongoAllocations.collection_name, MongoAllocations.indexes)
        ),
        providers=writes.declare(MongoProviders),
        requests=writes.declare(MongoRequests),
        derived=writes,
    )


def features(repos: Repositories, settings: ProcurementSettings) -> list[Feature]:
    """The procurement service's features, wired to their repositories."""
    standing = Standing(repos.members, repos.catalogue)
    categories = CategoryService(repos.categories)
    demand = DemandService(repos.needs, repos.pools, categories, standing)
    publisher = Publisher(settings.cmo_name, settings.ocds_prefix, settings.public_url)
    suppliers = SupplierService(repos.suppliers, lots_won_counter(repos.tenders))
    tenders = TenderService(
        repos.tenders, repos.lot_lines, demand, categories, suppliers, publisher
    )
    return [
        standing_feature(standing),
        categories_feature(categories),
        demand_feature(demand),
        suppliers_feature(suppliers),
        tenders_feature(tenders, settings.job_interval_s),
        savings_feature(
            SavingsService(repos.allocations, repos.tenders, repos.lot_lines, repos.derived)
        ),
        support_feature(SupportService(repos.providers, repos.requests, standing)),
    ]


def create_app(settings: ProcurementSettings | None = None) -> FastAPI:
    """Build the procurement service from settings."""
    settings = settings or ProcurementSettings()
    runtime = ServiceRuntime("procurement", settings, produces=[TOPIC])
    return create_service_app(
        runtime,
        title="CMO procurement service",
        description="Members' needs pooled into joint tenders, savings against each member's "
        "own price, and access to certification, audit, ERP and advisory providers.",
        features=features(mongo_repositories(runtime.writes), settings),
    )
