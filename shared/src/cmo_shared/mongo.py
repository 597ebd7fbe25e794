"""MongoDB access through PyMongo's async API, limited to what FerretDB 1.24 supports."""

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import PyMongoError


def connect(url: str) -> AsyncMongoClient:
    """Create a client with UTC-aware datetimes and short server-selection timeouts."""
    return AsyncMongoClient(
        url, tz_aware=True, serverSelectionTimeoutMS=5000, connectTimeoutMS=3000, retryWrites=False
    )


async def ping(db: AsyncDatabase) -> bool:
    """Return whether the database answers a ping."""
    try:
        await db.command("ping")
    except PyMongoError:
        return False
    return True
