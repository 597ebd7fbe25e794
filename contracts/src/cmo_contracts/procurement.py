"""Events produced by the procurement service, on topic `cmo.procurement`.

Need and savings events are keyed by member id (one member's procurement story stays in
order), pool events by pool id, tender events by tender id, supplier and provider events by
their id, support-request events by member id. Quantities, prices and amounts are exact
decimal strings; prices and savings are in GEL. No event carries one member's quantities or
baseline prices except the events about that member itself.
"""

from typing import Literal

from pydantic import Field

from .envelope import Payload, Visibility, event_type

TOPIC = "cmo.procurement"

ServiceType = Literal["certification", "audit", "erp", "advisory", "technology"]
SupportStatus = Literal["submitted", "triaged", "matched", "engaged", "completed", "declined"]


class NeedFacts(Payload):
    """What every need event says about the need (never its baseline price)."""

    need_id: str = Field(description="Id of the procurement need.")
    member_id: str = Field(description="Id of the member company with the need.")
    category: str = Field(
        description="Category code of the CMO's vocabulary, e.g. `packaging/glass-jars`."
    )
    unit: str = Field(description="Unit the quantities are in, e.g. `pieces`, `kg`.")
    quantity: str = Field(description="Quantity wanted (exact decimal).")
    min_quantity: str = Field(description="Smallest allocation the member accepts.")
    max_quantity: str = Field(description="Largest allocation the member accepts.")
    region: str = Field(description="Region of Georgia to deliver to.")
    wanted_by: str = Field(description="Date the goods are wanted by (ISO 8601).")
    pool_id: str = Field(description="Demand pool the need joined.")


@event_type("procurement.need_stated", topic=TOPIC)
class NeedStated(NeedFacts):
    """A member (or staff on its behalf) stated or confirmed a need; it joined its pool."""


@event_type("procurement.need_withdrawn", topic=TOPIC)
class NeedWithdrawn(NeedFacts):
    """A need left its pool before the pool was tendered."""

    actor: str = Field(description="Who withdrew it.")


class PoolFacts(Payload):
    """What every pool event says: the pool and its live fill (totals only)."""

    pool_id: str = Field(description="Id of the demand pool.")
    category: str = Field(description="Category code the pool collects.")
    unit: str = Field(description="Unit of its quantities.")
    quantity: str = Field(description="Sum of the quantities of its needs (exact decimal).")
    members: int = Field(description="Number of member companies with a need in it.")
    threshold_quantity: str | None = Field(
        None, description="Total quantity the threshold asks for, if it asks one."
    )
    threshold_members: int | None = Field(
        None, description="Number of members the threshold asks for, if it asks one."
    )


@event_type("procurement.pool_threshold_reached", topic=TOPIC, visibility=Visibility.STAFF)
class PoolThresholdReached(PoolFacts):
    """A pool's fill crossed the threshold staff set: it is ready for a joint tender."""


@event_type("procurement.pool_cancelled", topic=TOPIC, visibility=Visibility.STAFF)
class PoolCancelled(PoolFacts):
    """Staff cancelled a pool; its needs are released."""

    reason: str = Field(description="Why it was cancelled.")


class LotFacts(Payload):
    """One lot of a tender, in totals."""

    lot_id: str = Field(description="Id of the lot within its tender, e.g. `L1`.")
    title: str = Field(description="What the lot is for, e.g. `Glass jars, Imereti`.")
    category: str = Field(description="Category code of the lot.")
    unit: str = Field(description="Unit of its quantities.")
    region: str | None = Field(None, description="Delivery region, when lots are by region.")
    quantity: str = Field(description="Pooled quantity of the lot (exact decimal).")
    members: int = Field(description="Member companies whose needs the lot pools.")


class TenderFacts(Payload):
    """What every tender event says about the tender."""

    tender_id: str = Field(description="Id of the joint tender.")
    title: str = Field(description="Title of the tender.")


@event_type("tender.opened", topic=TOPIC, visibility=Visibility.MEMBERS)
class TenderOpened(TenderFacts):
    """Staff opened a joint tender: offers are taken until the deadline."""

    deadline: str = Field(description="When offers close (ISO 8601 date-time, UTC).")
    lots: list[LotFacts] = Field(description="The lots offered on.")


@event_type("tender.offer_received", topic=TOPIC, visibility=Visibility.STAFF)
class TenderOfferReceived(TenderFacts):
    """A supplier's sealed offer was recorded; its prices stay hidden until the deadline."""

    offer_id: str = Field(description="Id of the offer (one per supplier and tender).")
    supplier_id: str = Field(description="Id of the supplier.")
    lot_ids: list[str] = Field(description="Lots the offer covers.")
    revision: int = Field(description="1 for a first offer, then 2, 3… for replacements.")


@event_type("tender.evaluation_started", topic=TOPIC, visibility=Visibility.STAFF)
class TenderEvaluationStarted(TenderFacts):
    """The deadline passed: offers are unsealed and compared."""

    offers: int = Field(description="Offers received.")


class AwardFacts(Payload):
    """One supplier's share of a lot."""

    supplier_id: str = Field(description="Id of the supplier awarded.")
    supplier_name: str = Field(description="Legal name of the supplier.")
    quantity: str = Field(description="Quantity awarded to it (exact decimal).")
    unit_price: str = Field(description="Unit price of the tier its quantity reaches, GEL.")
    tier_min_quantity: str = Field(description="Minimum quantity of that tier.")
    reason: str = Field(description="Why it was chosen.")


class LotAwardFacts(Payload):
    """How one lot was awarded."""

    lot_id: str = Field(description="Id of the lot.")
    pooled_quantity: str = Field(description="Quantity the members pooled.")
    awarded_quantity: str = Field(description="Quantity awarded over all suppliers.")
    shortfall: str = Field(description="Pooled minus awarded quantity when positive, else 0.")
    awards: list[AwardFacts] = Field(description="The suppliers awarded; empty: unsuccessful.")


@event_type("tender.awarded", topic=TOPIC, visibility=Visibility.STAFF)
class TenderAwarded(TenderFacts):
    """Staff awarded the tender's lots; each member's allocation and saving follows."""

    allocation_method: Literal["pro_rata", "even"] = Field(
        description="How lots are shared among members: pro rata to their quantities, or "
        "with the difference spread evenly; always within each member's minimum and maximum."
    )
    lots: list[LotAwardFacts] = Field(description="Every lot's award.")


@event_type("tender.closed", topic=TOPIC, visibility=Visibility.MEMBERS)
class TenderClosed(TenderFacts):
    """An awarded tender was closed (contracts signed, deliveries under way)."""

    actor: str = Field(description="Who closed it.")


@event_type("tender.cancelled", topic=TOPIC, visibility=Visibility.MEMBERS)
class TenderCancelled(TenderFacts):
    """A tender was cancelled before award; its pools collect again."""

    actor: str = Field(description="Who cancelled it.")
    reason: str = Field(description="Why.")


class SavingsLine(Payload):
    """The part of a member's allocation one supplier delivers."""

    supplier_id: str = Field(description="Id of the supplier.")
    supplier_name: str = Field(description="Legal name of the supplier.")
    quantity: str = Field(description="Quantity this supplier delivers to the member.")
    unit_price: str = Field(description="Awarded unit price, GEL.")
    savings: str = Field(description="(baseline - unit price) x quantity, GEL, to the tetri.")


@event_type("savings.realized", topic=TOPIC)
class SavingsRealized(Payload):
    """A member's allocation in one awarded lot, and what it saves against its own baseline.

    One per member and lot, ever; told to that member only.
    """

    tender_id: str = Field(description="Id of the tender.")
    tender_title: str = Field(description="Title of the tender.")
    lot_id: str = Field(description="Id of the lot.")
    member_id: str = Field(description="Id of the member company.")
    need_ids: list[str] = Field(description="The member's needs the allocation answers.")
    category: str = Field(description="Category code of the lot.")
    unit: str = Field(description="Unit of the quantities.")
    requested_quantity: str = Field(description="What the member's needs asked for.")
    allocated_quantity: str = Field(description="What the member is allocated.")
    baseline_unit_price: str = Field(
        description="The member's own current unit price (quantity-weighted over its needs)."
    )
    unit_price: str = Field(description="Average awarded unit price of its allocation, GEL.")
    lines: list[SavingsLine] = Field(description="The allocation by supplier.")
    savings: str = Field(description="Total saving of the allocation, GEL (sum of the lines).")
    currency: Literal["GEL"] = Field(description="Currency of prices and savings.")
    year: int = Field(description="Year of the award (Tbilisi), for the savings report.")


class SupplierFacts(Payload):
    """What supplier events say about the supplier."""

    supplier_id: str = Field(description="Id of the supplier.")
    legal_name: str = Field(description="Registered legal name.")
    country: str = Field(description="ISO 3166 alpha-2 country of registration.")
    categories: list[str] = Field(description="Category codes it supplies.")
    status: Literal["active", "blocked"] = Field(description="Blocked suppliers cannot offer.")


@event_type("supplier.registered", topic=TOPIC, visibility=Visibility.STAFF)
class SupplierRegistered(SupplierFacts):
    """A supplier was added to the registry."""


@event_type("supplier.status_changed", topic=TOPIC, visibility=Visibility.STAFF)
class SupplierStatusChanged(SupplierFacts):
    """A supplier was blocked or reactivated."""

    reason: str = Field(description="Why.")


class ProviderFacts(Payload):
    """What provider events say about a vetted support-service provider."""

    provider_id: str = Field(description="Id of the provider.")
    name: str = Field(description="Name of the provider.")
    service_types: list[ServiceType] = Field(
        description="certification | audit | erp | advisory | technology."
    )
    standards: list[str] = Field(description="Standards it works to, e.g. `ISO 22000`.")
    valid_until: str | None = Field(None, description="End of its accreditation (ISO date).")
    status: Literal["active", "suspended", "expired"] = Field(
        description="Only active providers are offered to members."
    )


@event_type("provider.registered", topic=TOPIC, visibility=Visibility.STAFF)
class ProviderRegistered(ProviderFacts):
    """A vetted provider was added to the registry."""


@event_type("provider.status_changed", topic=TOPIC, visibility=Visibility.STAFF)
class ProviderStatusChanged(ProviderFacts):
    """A provider was suspended, reactivated, or its accreditation expired."""

    reason: str = Field(description="Why (`accreditation expired` when the date passed).")


class SupportRequestFacts(Payload):
    """What every support-request event says about the request."""

    request_id: str = Field(description="Id of the support request.")
    member_id: str = Field(description="Id of the requesting member.")
    service_type: ServiceType = Field(
        description="certification | audit | erp | advisory | technology."
    )
    catalogue_slug: str = Field(
        description="The common service of the catalogue it uses, e.g. `certification-access`."
    )
    standard: str | None = Field(None, description="Standard asked for, e.g. `FSSC 22000`.")
    summary: str = Field(description="What the member needs, in its words.")
    status: SupportStatus = Field(description="Status after the event.")


@event_type("support_request.created", topic=TOPIC)
class SupportRequestCreated(SupportRequestFacts):
    """A member asked for a support service (certification, audit, ERP, advisory…)."""


@event_type("support_request.triaged", topic=TOPIC)
class SupportRequestTriaged(SupportRequestFacts):
    """Staff reviewed the request and will look for a provider."""

    actor: str = Field(description="Who triaged it.")
    note: str | None = Field(None, description="Staff note.")


@event_type("support_request.matched", topic=TOPIC)
class SupportRequestMatched(SupportRequestFacts):
    """A vetted provider was matched to the request; the member is told whom to expect."""

    provider_id: str = Field(description="Id of the provider matched.")
    provider_name: str = Field(description="Name of the provider matched.")
    provider_email: str = Field(description="Whom the member can write to.")
    actor: str = Field(description="Who matched it.")


@event_type("support_request.engaged", topic=TOPIC)
class SupportRequestEngaged(SupportRequestFacts):
    """The member and the provider started the engagement."""

    provider_id: str = Field(description="Id of the provider engaged.")
    actor: str = Field(description="Who recorded it.")


@event_type("support_request.completed", topic=TOPIC)
class SupportRequestCompleted(SupportRequestFacts):
    """The engagement was completed; the member may give feedback."""

    provider_id: str = Field(description="Id of the provider.")
    actor: str = Field(description="Who recorded it.")


@event_type("support_request.declined", topic=TOPIC)
class SupportRequestDeclined(SupportRequestFacts):
    """Staff declined the request."""

    actor: str = Field(description="Who declined it.")
    reason: str = Field(description="Why.")


@event_type("support_request.rated", topic=TOPIC)
class SupportRequestRated(SupportRequestFacts):
    """The member rated a completed engagement; the provider's score follows."""

    provider_id: str = Field(description="Id of the provider rated.")
    rating: int = Field(ge=1, le=5, description="1 (poor) to 5 (excellent).")
    comment: str | None = Field(None, description="What the member wrote.")
