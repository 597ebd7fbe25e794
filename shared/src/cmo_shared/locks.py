"""In-process locks per document.

FerretDB 1.24 applies an update by reading the document, changing it and writing it back,
without isolation from other writers: two concurrent updates of one document can lose one of
them (seen here: the outbox relay's `$pullAll` undoing an approval written in between). So
every writer of a document, the relay included, takes that document's lock first. On MongoDB
the locks only cost an await; several replicas of a service on FerretDB would still race.
"""

import asyncio
from collections import defaultdict


class DocumentLocks:
    """One `asyncio.Lock` per (collection, document id), created on first use."""

    def __init__(self) -> None:
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    def __call__(self, collection: str, document_id: object) -> asyncio.Lock:
        """The lock of one document."""
        return self._locks[f"{collection}:{document_id}"]
