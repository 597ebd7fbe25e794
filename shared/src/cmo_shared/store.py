"""The one write path: an aggregate saved together with the events it raised.

A use case says what changed and which events that raised: `store.add(item, events)`, or
`async with store.changing(id) as change: ...; change.record(event)`. Everything else happens
here and nowhere else: the envelope around each payload, the optimistic version check, the
outbox entries written in the same single-document update as the state, the per-document lock
and waking the relay. A store registers its collection with the relay when it is declared, so
no collection can be left out of publishing.

MongoDB could drop the FerretDB 1.24 workarounds below in this one module:
- per-document in-process locks around every update (FerretDB applies an update as
  read-modify-write without isolation, so two concurrent writers can lose one update);
- no compare-and-set claims relied on for mutual exclusion (the version filter is not atomic
  between concurrent writers on FerretDB: it still catches a stale write from another process,
  but the lock is what serialises writers within one);
- bulk inserts through `insert_new` (unique-index inserts are atomic and FerretDB's cheapest
  write; an update costs a look-up by `_id` at best, a scan for any other filter).
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar
from uuid import UUID

from cmo_contracts import Envelope, Payload, new_event
from pymongo import ASCENDING, IndexModel
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from .codec import item_from, to_document
from .errors import Conflict, NotFound
from .locks import DocumentLocks
from .logging import correlation_id
from .mongo import insert_new
from .outbox import QUEUE, OutboxRelay, Publish, outbox_entries, push_events

if TYPE_CHECKING:
    from .metrics import ServiceMetrics

A = TypeVar("A")
Event = Payload | Envelope[Any]
"""What a use case hands the write path: a payload (wrapped here) or a ready envelope."""
HIDDEN = {"outbox": 0}
"""Projection that leaves the pending events out of what is read back."""
VERSION = "version"
PUBLISH_NOW_TIMEOUT_S = 5.0
"""How long `publish_or_enqueue` waits for the broker before it queues the events instead."""

log = logging.getLogger(__name__)


class Duplicate(Conflict):
    """An aggregate with this key (or a unique field of it) exists already."""

    code = "duplicate"


class ConcurrentChange(Conflict):
    """The aggregate changed since it was read (another process wrote it first)."""

    code = "concurrent_change"


@dataclass(frozen=True)
class EventFactory:
    """Wraps payloads in envelopes produced by one service, in the current correlation."""

    producer: str

    def __call__(
        self,
        payload: Payload,
        *,
        subject_id: str,
        event_id: UUID | None = None,
        correlation: str | None = None,
    ) -> Envelope[Any]:
        """An envelope for a payload about a subject; a fresh id unless one is derived.

        The correlation is the current one unless given (an event derived from a stored
        record carries the record's).
        """
        return new_event(
            payload,
            producer=self.producer,
            subject_id=subject_id,
            correlation_id=correlation or correlation_id.get() or "internal",
            event_id=event_id,
        )


S = TypeVar("S", bound="AggregateStore[Any]")


class DerivedEvents(Protocol):
    """Where events derived in bulk go, with ids from natural keys (the write path, or a fake)."""

    event: EventFactory

    async def enqueue(self, events: Sequence[Envelope[Any]]) -> int:
        """Queue events with ids derived from natural keys; return how many were new."""
        ...

    async def announce(self, events: Sequence[Envelope[Any]]) -> None:
        """Publish events with ids derived from natural keys now, before the consumer commits."""
        ...

    async def publish_or_enqueue(self, events: Sequence[Envelope[Any]]) -> None:
        """Publish events with ids derived from natural keys now, else queue them."""
        ...


class WritePath:
    """One service's way to persist state with events: its stores, the relay and the queue."""

    def __init__(
        self,
        db: AsyncDatabase,
        producer: str,
        publish: Publish,
        *,
        poll_interval_s: float = 1.0,
        metrics: "ServiceMetrics | None" = None,
    ) -> None:
        self.db = db
        self.event = EventFactory(producer)
        self.locks = DocumentLocks()
        self.relay = OutboxRelay(
            [],
            publish,
            poll_interval_s=poll_interval_s,
            locks=self.locks,
            queue=db[QUEUE],
            metrics=metrics,
        )
        self._indexes: list[tuple[AsyncCollection, list[IndexModel]]] = []

    def declare(self, store: type[S]) -> S:
        """The store of one aggregate type; its events are published and indexes made from now."""
        collection = self.db[store.collection_name]
        self.relay.watch(collection)
        self._indexes.append((collection, store.indexes))
        return store(self, collection)

    def collection(self, name: str, indexes: Sequence[IndexModel] = ()) -> AsyncCollection:
        """A collection of plain records that raise no events (read models, logs, settings)."""
        collection = self.db[name]
        self._indexes.append((collection, list(indexes)))
        return collection

    async def ensure_indexes(self) -> None:
        """Create the indexes every declared collection asked for.

        One at a time: FerretDB 1.24 drops the connection (a panic on its side) when one
        `createIndexes` command names several indexes that already exist, as they do when
        a service restarts or a second replica starts.
        """
        for collection, indexes in self._indexes:
            for index in indexes:
                await collection.create_indexes([index])

    def envelopes(self, events: Iterable[Event], subject_id: str) -> list[Envelope[Any]]:
        """Envelopes for a use case's events about one subject."""
        return [
            e if isinstance(e, Envelope) else self.event(e, subject_id=subject_id) for e in events
        ]

    async def enqueue(self, events: Sequence[Envelope[Any]]) -> int:
        """Queue events derived in bulk (ids from natural keys); return how many were new."""
        return await self.relay.enqueue(events)

    async def announce(self, events: Sequence[Envelope[Any]]) -> None:
        """Publish events a consumer derived (ids from natural keys) now, awaiting the broker.

        A consumer announces before it stores the effect and commits the event it derived
        them from, so a crash in between re-derives and re-announces the same ids: neither
        lost nor told twice to a consumer, which skips an id it has applied. This spares the
        queue's write and delete per event (FerretDB's dearest part of a bulk match).
        """
        await self.relay.publish_now(events)

    async def publish_or_enqueue(self, events: Sequence[Envelope[Any]]) -> None:
        """Publish events (ids from natural keys) now, or else queue them for the relay.

        Either way they are safe once this returns. For work that is not a consumer and must
        not wait on Kafka (a sender recording its outcomes). Events that went out late as well
        as queued are published twice under one id, which consumers skip. Spares the queue's
        write and delete per event when Kafka is up (40 % of FerretDB's time in a fan-out).
        """
        try:
            await asyncio.wait_for(self.relay.publish_now(events), PUBLISH_NOW_TIMEOUT_S)
        except Exception:
            log.warning("could not publish %d events now; queuing them", len(events))
            await self.enqueue(events)


@dataclass
class Change(Generic[A]):
    """An aggregate loaded for a change, and the events the change raised."""

    item: A
    events: list[Event] = field(default_factory=list)
    new: bool = False

    def record(self, *events: Event | None) -> None:
        """Add events to save with the aggregate (None, for "nothing happened", is ignored)."""
        self.events.extend(e for e in events if e is not None)


class AggregateStore(Generic[A]):
    """The documents of one aggregate type, written only with their events.

    A subclass per aggregate type names its collection, converts between aggregate and
    document, and adds the queries its feature needs; `WritePath.declare` creates it.
    """

    collection_name: ClassVar[str]
    noun: ClassVar[str]
    """What one aggregate is called in errors, e.g. `invoice` (`invoice ... not found`)."""
    indexes: ClassVar[list[IndexModel]] = []
    key_field: ClassVar[str | None] = None
    """The request field naming an aggregate's key, in `NotFound` (`<noun>_id` if None)."""

    def __init__(self, writes: WritePath, collection: AsyncCollection) -> None:
        self._writes = writes
        self.collection = collection

    def to_document(self, item: A) -> dict[str, Any]:
        """The document storing an aggregate, its key as `_id`."""
        raise NotImplementedError

    def from_document(self, document: dict[str, Any]) -> A:
        """The aggregate a document stores."""
        raise NotImplementedError

    def subject_of(self, item: A, document: dict[str, Any]) -> str:
        """The subject (and Kafka key) of the aggregate's events: its key unless overridden."""
        return str(document["_id"])

    @property
    def _key_field(self) -> str:
        return self.key_field or f"{self.noun.replace(' ', '_')}_id"

    @property
    def name(self) -> str:
        """The collection's name."""
        return self.collection.name

    def _entries(self, item: A, document: dict[str, Any], events: Iterable[Event]) -> list[Any]:
        return self._writes.envelopes(events, self.subject_of(item, document))

    # Reading

    async def find_one(self, query: dict[str, Any]) -> A | None:
        """The first aggregate matching a query, or None."""
        document = await self.collection.find_one(query, HIDDEN)
        return None if document is None else self.from_document(document)

    async def get(self, key: Any, *, field: str | None = None) -> A:
        """One aggregate by key, or `NotFound` naming the field at fault."""
        item = await self.find_one({"_id": key})
        if item is None:
            raise NotFound(f"{self.noun} {key} not found", field=field or self._key_field)
        return item

    async def find(
        self,
        query: dict[str, Any] | None = None,
        *,
        sort: Sequence[tuple[str, int]] = (("_id", ASCENDING),),
        skip: int = 0,
        limit: int = 0,
    ) -> list[A]:
        """Aggregates matching a query, sorted, a slice of them when `limit` is set."""
        cursor = self.collection.find(query or {}, HIDDEN).sort(list(sort)).skip(skip).limit(limit)
        return [self.from_document(d) async for d in cursor]

    async def page(
        self,
        query: dict[str, Any] | None = None,
        *,
        sort: Sequence[tuple[str, int]] = (("_id", ASCENDING),),
        page: int = 1,
        page_size: int = 0,
    ) -> tuple[list[A], int]:
        """One page of the aggregates matching a query (`page_size` 0: all) and their total."""
        total = await self.collection.count_documents(query or {})
        items = await self.find(query, sort=sort, skip=(page - 1) * page_size, limit=page_size)
        return items, total

    # Writing

    async def add(self, item: A, events: Sequence[Event] = ()) -> None:
        """Insert a new aggregate with its first events; `Duplicate` if its key is taken."""
        document = self.to_document(item)
        document[VERSION] = 0
        document["outbox"] = outbox_entries(self._entries(item, document, events))
        try:
            await self.collection.insert_one(document)
        except DuplicateKeyError as exc:
            raise Duplicate(f"{self.noun} {document['_id']} exists already") from exc
        self._writes.relay.wake()

    async def add_new(self, items: Sequence[tuple[A, Sequence[Event]]]) -> int:
        """Insert the aggregates not stored yet, each with its events, in one bulk write.

        An aggregate whose key exists is not inserted again, and neither are its events; the
        return value is how many were new.
        """
        documents = []
        for item, events in items:
            document = self.to_document(item)
            document[VERSION] = 0
            document["outbox"] = outbox_entries(self._entries(item, document, events))
            documents.append(document)
        inserted = await insert_new(self.collection, documents)
        self._writes.relay.wake()
        return inserted

    @contextlib.asynccontextmanager
    async def changing(
        self, key: Any, *, create: Callable[[], A] | None = None, field: str | None = None
    ) -> AsyncIterator[Change[A]]:
        """Load an aggregate for a change and save it, with the events recorded, on success.

        With `create`, a missing aggregate is made by it and inserted instead. Nothing is
        written when the change neither recorded an event nor changed the state.
        """
        async with self._writes.locks(self.name, key):
            document = await self.collection.find_one({"_id": key}, HIDDEN)
            if document is None:
                if create is None:
                    raise NotFound(f"{self.noun} {key} not found", field=field or self._key_field)
                change = Change(create(), new=True)
            else:
                change = Change(self.from_document(document))
            yield change
            if change.new:
                await self.add(change.item, change.events)
                return
            await self._update(change, document)

    async def _update(self, change: Change[A], before: dict[str, Any]) -> None:
        state = self.to_document(change.item)
        key = state.pop("_id")
        version = before.get(VERSION, 0)
        unchanged = all(before.get(k) == v for k, v in state.items() if k != VERSION)
        if unchanged and not change.events:
            return
        state.pop(VERSION, None)
        update: dict[str, Any] = {"$set": {**state, VERSION: version + 1}}
        if change.events:
            entries = self._entries(change.item, {**state, "_id": key}, change.events)
            update["$push"] = push_events(entries)
        expected = version if VERSION in before else {"$exists": False}
        result = await self.collection.update_one({"_id": key, VERSION: expected}, update)
        if result.matched_count == 0:
            raise ConcurrentChange(f"the {self.noun} was changed concurrently; retry")
        if hasattr(change.item, VERSION):  # aggregates that show their version see the new one
            setattr(change.item, VERSION, version + 1)
        self._writes.relay.wake()


class DataclassStore(AggregateStore[A]):
    """A store of dataclass aggregates converted by `cmo_shared.codec`, keyed by one field."""

    item_type: ClassVar[type]
    key_attribute: ClassVar[str]

    def to_document(self, item: A) -> dict[str, Any]:
        """The aggregate's fields (decimals and dates as strings), its key as `_id`."""
        return {"_id": getattr(item, self.key_attribute), **to_document(item)}

    def from_document(self, document: dict[str, Any]) -> A:
        """The aggregate a document stores."""
        return item_from(self.item_type, document)
