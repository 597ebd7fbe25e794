"""In-memory fakes of the repository protocols, for use-case tests that run in milliseconds.

Each fake keeps copies of what it is given (so a use case cannot change stored state without
saving it) and records the events saved with each aggregate, in order, as `events`.
"""

import contextlib
import copy
import dataclasses
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from cmo_contracts.members import GOOD_STANDING
from cmo_members.app import Repositories
from cmo_members.assessments.domain import AnswerSheet, Assessment
from cmo_members.catalogue.domain import CatalogueEntry
from cmo_members.collaboration.domain import Category, Interest, Post
from cmo_members.experts.domain import Expert, ExpertRequest
from cmo_members.fees.domain import Invoice, InvoiceStatus, Schedule
from cmo_members.kpis.domain import KpiSurvey
from cmo_members.membership.domain import Member, MemberStatus
from cmo_members.usage.domain import Use
from cmo_shared.errors import NotFound
from cmo_shared.store import Change, Duplicate, Event

A = TypeVar("A")


class FakeStore(Generic[A]):
    """The `AggregateStore` interface over a dict; saved events are kept in `events`."""

    def __init__(self, key: Callable[[A], str], noun: str) -> None:
        self._key = key
        self._noun = noun
        self.items: dict[str, A] = {}
        self.events: list[Event] = []

    def _missing(self, key: str, field: str | None) -> NotFound:
        return NotFound(f"{self._noun} {key} not found", field=field or f"{self._noun}_id")

    async def get(self, key: str, *, field: str | None = None) -> A:
        if key not in self.items:
            raise self._missing(key, field)
        return copy.deepcopy(self.items[key])

    async def add(self, item: A, events: Sequence[Event] = ()) -> None:
        if self._key(item) in self.items:
            raise Duplicate(f"{self._noun} {self._key(item)} exists already")
        self.items[self._key(item)] = copy.deepcopy(item)
        self.events.extend(events)

    async def add_new(self, items: Sequence[tuple[A, Sequence[Event]]]) -> int:
        new = [(item, events) for item, events in items if self._key(item) not in self.items]
        for item, events in new:
            await self.add(item, events)
        return len(new)

    @contextlib.asynccontextmanager
    async def changing(
        self, key: str, *, create: Callable[[], A] | None = None, field: str | None = None
    ) -> AsyncIterator[Change[A]]:
        if key not in self.items and create is None:
            raise self._missing(key, field)
        change = Change(create()) if key not in self.items else Change(await self.get(key))
        yield change
        self.items[key] = copy.deepcopy(change.item)
        self.events.extend(change.events)

    def all(self) -> list[A]:
        return [copy.deepcopy(item) for item in self.items.values()]

    def event_types(self) -> list[str]:
        return [e.event_type_name for e in self.events]  # type: ignore[union-attr]


def _page(items: list[A], page: int, page_size: int) -> tuple[list[A], int]:
    shown = items[(page - 1) * page_size : page * page_size] if page_size else items
    return shown, len(items)


class FakeMembers(FakeStore[Member]):
    def __init__(self) -> None:
        super().__init__(lambda m: m.member_id, "member")

    async def add(self, item: Member, events: Sequence[Event] = ()) -> None:
        if any(m.tax_id == item.tax_id for m in self.items.values()):
            raise Duplicate(f"tax id {item.tax_id} is taken")
        await super().add(item, events)

    async def list(
        self,
        *,
        statuses: list[MemberStatus] | None,
        sector: str | None = None,
        page: int = 1,
        page_size: int = 0,
        public_only: bool = False,
        text: str | None = None,
    ) -> tuple[list[Member], int]:
        wanted = (text or "").casefold()
        found = [
            m
            for m in self.all()
            if (not statuses or m.status in statuses)
            and (sector is None or m.sector == sector)
            and (m.public_listing or not public_only)
            and (wanted in m.legal_name.casefold() or wanted in m.tax_id.casefold())
        ]
        return _page(sorted(found, key=lambda m: m.created_at), page, page_size)


class FakeInvoices(FakeStore[Invoice]):
    def __init__(self) -> None:
        super().__init__(lambda i: i.invoice_id, "invoice")

    async def search(
        self,
        *,
        member_id: str | None = None,
        year: int | None = None,
        status: InvoiceStatus | None = None,
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[Invoice], int]:
        found = [
            i
            for i in self.all()
            if member_id in (None, i.member_id)
            and year in (None, i.year)
            and status in (None, i.status)
        ]
        return _page(sorted(found, key=lambda i: i.due_date), page, page_size)

    async def unpaid(self, member_id: str | None = None) -> list[Invoice]:
        found, _ = await self.search(member_id=member_id)
        return [i for i in found if i.status is not InvoiceStatus.PAID]


class FakeSchedules:
    def __init__(self) -> None:
        self.items: dict[int, Schedule] = {}

    async def put(self, schedule: Schedule) -> None:
        self.items[schedule.year] = schedule

    async def get(self, year: int) -> Schedule:
        if year not in self.items:
            raise NotFound(f"no fee schedule for {year}", field="year")
        return self.items[year]


class FakeCatalogue(FakeStore[CatalogueEntry]):
    def __init__(self) -> None:
        super().__init__(lambda e: e.entry_id, "catalogue entry")

    async def of_year(
        self, year: int, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[CatalogueEntry], int]:
        found = [
            e
            for e in self.all()
            if e.year == year and all(str(getattr(e, k)) == v for k, v in filters.items())
        ]
        return _page(sorted(found, key=lambda e: e.entry_id), page, page_size)


class FakeUsage:
    def __init__(self) -> None:
        self.items: dict[str, Use] = {}

    async def add_new(self, uses: list[Use]) -> int:
        new = {u.use_id: u for u in uses if u.use_id not in self.items}
        self.items.update(new)
        return len(new)

    async def of_year(self, year: int, *, member_id: str | None, slug: str | None) -> list[Use]:
        return [
            u
            for u in self.items.values()
            if u.year == year and member_id in (None, u.member_id) and slug in (None, u.slug)
        ]


class FakeAssessments:
    def __init__(self) -> None:
        self.items: dict[str, Assessment] = {}

    async def add(self, assessment: Assessment) -> None:
        self.items[assessment.assessment_id] = copy.deepcopy(assessment)

    async def get(self, assessment_id: str) -> Assessment:
        if assessment_id not in self.items:
            raise NotFound(f"assessment {assessment_id} not found", field="assessment_id")
        return copy.deepcopy(self.items[assessment_id])

    async def count_of_period(self, period: str) -> int:
        return sum(a.period == period for a in self.items.values())

    async def close(self, assessment_id: str) -> None:
        self.items[assessment_id].status = "closed"

    async def search(
        self, *, period: str | None, status: str | None, page: int, page_size: int
    ) -> tuple[list[Assessment], int]:
        found = [
            a
            for a in self.items.values()
            if period in (None, a.period) and status in (None, a.status)
        ]
        found.sort(key=lambda a: (a.period, a.version), reverse=True)
        return _page(found, page, page_size)


class FakeKpis(FakeStore[KpiSurvey]):
    def __init__(self) -> None:
        super().__init__(lambda s: s.survey_id, "KPI survey")

    async def search(
        self, *, member_id: str | None, quarter: str | None, page: int, page_size: int
    ) -> list[KpiSurvey]:
        found = [
            s
            for s in self.all()
            if member_id in (None, s.member_id) and quarter in (None, s.quarter)
        ]
        return _page(sorted(found, key=lambda s: s.quarter, reverse=True), page, page_size)[0]


class FakeExperts:
    def __init__(self) -> None:
        self.items: dict[str, Expert] = {}

    async def add(self, expert: Expert) -> None:
        self.items[expert.expert_id] = expert

    async def get(self, expert_id: str) -> Expert:
        if expert_id not in self.items:
            raise NotFound(f"expert {expert_id} not found", field="expert_id")
        return self.items[expert_id]

    async def search(
        self, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[Expert], int]:
        def holds(expert: Expert, name: str, value: str) -> bool:
            field = getattr(expert, name)
            return value in field if isinstance(field, list) else field == value

        found = [e for e in self.items.values() if all(holds(e, k, v) for k, v in filters.items())]
        return _page(sorted(found, key=lambda e: e.name), page, page_size)


class FakePosts(FakeStore[Post]):
    def __init__(self) -> None:
        super().__init__(lambda p: p.post_id, "collaboration post")

    async def open_of_category(self, category: Category) -> list[Post]:
        return [p for p in self.all() if p.status == "open" and p.category is category]

    async def expired(self, before: str) -> list[Post]:
        return [
            p
            for p in self.all()
            if p.status == "open" and p.expires_on is not None and p.expires_on < before
        ]

    async def search(
        self, filters: dict[str, str], *, page: int, page_size: int
    ) -> tuple[list[Post], int]:
        def holds(post: Post, name: str, value: str) -> bool:
            if name == "matches.member_id":
                return any(m.member_id == value for m in post.matches)
            field = getattr(post, name)
            return value in field if isinstance(field, list) else str(field) == value

        found = [p for p in self.all() if all(holds(p, k, v) for k, v in filters.items())]
        return _page(sorted(found, key=lambda p: p.posted_at, reverse=True), page, page_size)


class FakeInterests(FakeStore[Interest]):
    def __init__(self) -> None:
        super().__init__(lambda i: i.interest_id, "interest")

    async def of_post(self, post_id: str, *, page: int, page_size: int) -> list[Interest]:
        found = sorted(
            (i for i in self.all() if i.post_id == post_id), key=lambda i: i.expressed_at
        )
        return _page(found, page, page_size)[0]


def member_repositories() -> Repositories:
    """Fakes of every repository of the members service."""
    return Repositories(
        members=FakeMembers(),
        invoices=FakeInvoices(),
        schedules=FakeSchedules(),
        catalogue=FakeCatalogue(),
        usage=FakeUsage(),
        assessments=FakeAssessments(),
        answer_sheets=FakeStore[AnswerSheet](lambda s: s.sheet_id, "answers"),
        kpis=FakeKpis(),
        experts=FakeExperts(),
        expert_requests=FakeStore[ExpertRequest](lambda r: r.request_id, "expert request"),
        posts=FakePosts(),
        interests=FakeInterests(),
    )


class FakeSessions:
    """The gateway's sessions: only which were ended."""

    def __init__(self) -> None:
        self.revoked: set[str] = set()

    async def is_revoked(self, session_id: str) -> bool:
        return session_id in self.revoked


class FakeIntegrations:
    """The gateway's integrations by API key."""

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, Any]] = {}

    async def integration_by_key(self, key: str) -> dict[str, Any] | None:
        return self.keys.get(key)


class FakeMemberStatus:
    """The gateway's read model of member statuses (an unknown member may act)."""

    def __init__(self) -> None:
        self.status: dict[str, str] = {}

    async def may_act(self, member_id: str | None) -> bool:
        return member_id is not None and self.status.get(member_id, "active") in GOOD_STANDING


class FakeNeeds(FakeStore[Any]):
    """Procurement needs."""

    def __init__(self) -> None:
        super().__init__(lambda n: n.need_id, "need")

    async def of_pool(self, pool_id: str) -> list[Any]:
        return [n for n in self.all() if n.pool_id == pool_id and n.status.value == "confirmed"]


class FakePools(FakeStore[Any]):
    """Demand pools; one open per category and unit, as the unique key makes it."""

    def __init__(self) -> None:
        super().__init__(lambda p: p.pool_id, "pool")

    async def add(self, item: Any, events: Sequence[Event] = ()) -> None:
        if any(p.open_key == item.open_key for p in self.items.values()):
            raise Duplicate(f"a pool is open for {item.open_key}")
        await super().add(item, events)

    async def open_for(self, category: str, unit: str) -> Any:
        key = f"{category}|{unit}"
        return next((p for p in self.all() if p.open_key == key), None)


class FakeMemberView:
    """Procurement's and advocacy's view of members."""

    def __init__(self) -> None:
        self.members: dict[str, Any] = {}

    async def put(self, member: Any) -> None:
        self.members[member.member_id] = member

    async def set_status(self, member_id: str, status: str) -> None:
        if member_id in self.members:
            self.members[member_id] = dataclasses.replace(self.members[member_id], status=status)

    async def get(self, member_id: str) -> Any:
        return self.members.get(member_id)

    async def many(self, member_ids: list[str]) -> dict[str, Any]:
        return {m: self.members[m] for m in member_ids if m in self.members}

    async def with_status(self, statuses: list[str]) -> list[Any]:
        return [m for m in self.members.values() if m.status in statuses]


class FakeCatalogueView:
    """Procurement's view of the catalogue."""

    def __init__(self) -> None:
        self.entries: dict[tuple[int, str], Any] = {}

    async def put(self, entry: Any) -> None:
        self.entries[(entry.year, entry.slug)] = entry

    async def get(self, year: int, slug: str) -> Any:
        return self.entries.get((year, slug))


class FakeCategories(FakeStore[Any]):
    """Procurement categories."""

    def __init__(self) -> None:
        super().__init__(lambda c: c.code, "category")

    async def put(self, category: Any) -> None:
        self.items[category.code] = copy.deepcopy(category)

    async def all(self) -> list[Any]:  # type: ignore[override]
        return [copy.deepcopy(c) for c in self.items.values()]


class FakeSearchable(FakeStore[A]):
    """A store whose `search` filters on attribute equality, newest first by `order`."""

    def __init__(self, key: Callable[[A], str], noun: str, order: str = "created_at") -> None:
        super().__init__(key, noun)
        self._order = order

    async def search(self, *, page: int = 1, page_size: int = 0, **filters: Any) -> tuple:
        found = [
            copy.deepcopy(i)
            for i in self.items.values()
            if all(v is None or getattr(i, k, None) == v for k, v in filters.items())
        ]
        found.sort(key=lambda i: getattr(i, self._order), reverse=True)
        return _page(found, page, page_size)


class FakeConsultations(FakeSearchable[Any]):
    """Advocacy's consultations."""

    def __init__(self) -> None:
        super().__init__(lambda c: c.consultation_id, "consultation")

    async def search(self, *, member_id: str | None = None, **filters: Any) -> tuple:  # type: ignore[override]
        found, _ = await super().search(**{k: v for k, v in filters.items() if "page" not in k})
        mine = [
            c
            for c in found
            if member_id is None or any(v.member_id == member_id for v in c.electorate)
        ]
        return _page(mine, filters.get("page", 1), filters.get("page_size", 0))

    async def due(self, now: Any) -> list[Any]:
        return [c for c in self.all() if c.status.value == "open" and c.closes_at <= now]


class FakeBallotBox:
    """Advocacy's ballots and, apart, who responded."""

    def __init__(self) -> None:
        self.filed: dict[str, Any] = {}
        self.turnout: dict[str, dict[str, Any]] = {}

    async def put(self, consultation_id: str, ballot: Any, member_id: str, now: Any) -> bool:
        key = f"{consultation_id}:{ballot.key}"
        first = key not in self.filed
        self.filed[key] = copy.deepcopy(ballot)
        self.turnout.setdefault(
            f"{consultation_id}:{member_id}", {"member_id": member_id, "first_at": now}
        )["last_at"] = now
        return first

    async def ballots(self, consultation_id: str) -> list[Any]:
        return [b for k, b in self.filed.items() if k.startswith(f"{consultation_id}:")]

    async def ballot(self, consultation_id: str, key: str) -> Any:
        return self.filed.get(f"{consultation_id}:{key}")

    async def participation(self, consultation_id: str) -> list[dict[str, Any]]:
        return [t for k, t in self.turnout.items() if k.startswith(f"{consultation_id}:")]


class FakeSurveyView:
    """Advocacy's view of KPI surveys."""

    def __init__(self) -> None:
        self.surveys: dict[str, Any] = {}

    async def put(self, survey: Any) -> None:
        self.surveys[f"{survey.member_id}:{survey.quarter}"] = survey

    async def of_quarters(self, quarters: list[str]) -> list[Any]:
        return [s for s in self.surveys.values() if s.quarter in quarters]


class FakeEverything(FakeSearchable[A]):
    """A store read whole (the radar, value chains)."""

    async def all(self) -> list[A]:  # type: ignore[override]
        return [copy.deepcopy(i) for i in self.items.values()]


def advocacy_repositories() -> Any:
    """Every advocacy repository as an in-memory fake."""
    from cmo_advocacy.app import Repositories

    return Repositories(
        members=FakeMemberView(),
        topics=FakeSearchable(lambda t: t.topic_id, "topic"),
        initiatives=FakeSearchable(lambda i: i.initiative_id, "initiative"),
        consultations=FakeConsultations(),
        ballots=FakeBallotBox(),
        positions=FakeSearchable(lambda p: p.position_id, "position", order="adopted_at"),
        engagements=FakeSearchable(lambda e: e.engagement_id, "engagement", order="logged_at"),
        news=FakeSearchable(lambda n: n.news_id, "news"),
        radar=FakeEverything(lambda e: e.entry_id, "radar entry", order="updated_at"),
        bulletins=FakeSearchable(lambda b: b.bulletin_id, "bulletin", order="published_at"),
        ideas=FakeSearchable(lambda i: i.idea_id, "idea"),
        surveys=FakeSurveyView(),
        reports=FakeSearchable(lambda r: r.report_id, "report"),
        value_chains=FakeEverything(lambda c: c.value_chain_id, "value chain"),
    )


class FakeSeats:
    """Training's seat ledger: inserts under a unique key, as the database keeps it."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, int, int], Any] = {}
        self.taken_at: dict[tuple[str, int, int], Any] = {}

    async def holds(self, session_id: str) -> dict[int, Any]:
        from cmo_training.registrations.domain import SeatHold

        latest: dict[int, Any] = {}
        for (session, seat, generation), holder in list(self.rows.items()):
            if session == session_id and (
                seat not in latest or generation > latest[seat].generation
            ):
                latest[seat] = SeatHold(seat, generation, holder)
        return latest

    async def take(self, session_id: str, hold: Any) -> bool:
        import asyncio

        await asyncio.sleep(0)  # let concurrent takers interleave, as over the network
        key = (session_id, hold.seat, hold.generation)
        if key in self.rows:
            return False
        self.rows[key] = hold.holder
        self.taken_at[key] = datetime.now(UTC)
        return True

    async def taken_between(self, since: Any, until: Any) -> list[tuple[str, Any]]:
        from cmo_training.registrations.domain import SeatHold

        return [
            (key[0], SeatHold(key[1], key[2], holder))
            for key, holder in self.rows.items()
            if since <= self.taken_at[key] <= until
        ]


class FakeRegistrations(FakeSearchable[Any]):
    """Training's registrations."""

    def __init__(self) -> None:
        super().__init__(lambda r: r.registration_id, "registration", order="registered_at")

    async def of_session(
        self, session_id: str, statuses: list[str], member_id: str | None = None
    ) -> list[Any]:
        found = [
            r
            for r in self.all()
            if r.session_id == session_id
            and r.status.value in statuses
            and member_id in (None, r.member_id)
        ]
        return sorted(found, key=lambda r: (r.registered_at, r.registration_id))

    async def waiting(self, session_id: str) -> int:
        return len(await self.of_session(session_id, ["waitlisted"]))

    async def anyone_waiting(self, session_id: str) -> bool:
        return bool(await self.of_session(session_id, ["waitlisted"]))

    async def offers_due(self, now: Any) -> list[Any]:
        return [r for r in self.all() if r.status.value == "offered" and r.hold_until <= now]

    async def of_member(self, member_id: str, statuses: list[str]) -> list[Any]:
        return [r for r in self.all() if r.member_id == member_id and r.status.value in statuses]

    async def existing(self, registration_ids: set[str]) -> set[str]:
        return {r.registration_id for r in self.all()} & registration_ids


class FakeTrainingSessions(FakeSearchable[Any]):
    """Training's sessions."""

    def __init__(self) -> None:
        super().__init__(lambda s: s.session_id, "session")

    async def window_over(self, now: Any) -> list[Any]:
        return [s for s in self.all() if s.status.value == "scheduled" and s.priority_until <= now]


class FakeTrainingNeeds:
    """Training's read model of assessed needs."""

    def __init__(self) -> None:
        self.items: dict[str, Any] = {}

    async def put(self, need: Any) -> None:
        self.items[need.need_id] = need

    async def of_year(self, year: int) -> list[Any]:
        return [n for n in self.items.values() if n.year == year]


class FakeFeedback:
    """Training's feedback answers."""

    def __init__(self) -> None:
        self.items: dict[str, Any] = {}

    async def put(self, feedback: Any) -> None:
        self.items[feedback.feedback_id] = feedback

    async def of(self, *, session_id: str | None, provider: str | None) -> list[Any]:
        return [
            f
            for f in self.items.values()
            if session_id in (None, f.session_id) and provider in (None, f.provider)
        ]


def training_repositories() -> Any:
    """Every training repository as an in-memory fake."""
    from cmo_training.app import Repositories

    return Repositories(
        members=FakeMemberView(),
        needs=FakeTrainingNeeds(),
        plans=FakeStore(lambda p: p.year, "plan"),
        sessions=FakeTrainingSessions(),
        registrations=FakeRegistrations(),
        seats=FakeSeats(),
        certificates=FakeSearchable(lambda c: c.certificate_id, "certificate", order="issued_at"),
        delegations=FakeSearchable(lambda d: d.delegation_id, "delegation"),
        feedback=FakeFeedback(),
    )
