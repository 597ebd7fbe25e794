"""A gateway remembers open sessions for `session_check_s`; an ended one is refused in time."""

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from cmo_gateway.accounts.tokens import Sessions
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

from tests.conftest import Infra

TTL_S = 3600


@pytest.fixture
async def db(infra: Infra, mongo: AsyncMongoClient) -> AsyncIterator[AsyncDatabase]:
    """A database of the test's own, dropped after it."""
    database = mongo[f"{infra.db_prefix}_sessions{uuid.uuid4().hex[:6]}"]
    yield database
    await mongo.drop_database(database.name)


async def test_a_session_ended_here_is_refused_at_once_and_elsewhere_within_the_check(
    db: AsyncDatabase,
) -> None:
    here, replica = Sessions(db, TTL_S, check_s=0.5), Sessions(db, TTL_S, check_s=0.5)
    ended_here, _ = await here.start("user-1")
    ended_there, _ = await here.start("user-2")
    assert not await here.is_revoked(ended_here)
    assert not await here.is_revoked(ended_there)

    await here.revoke(ended_here, "logout")
    assert await here.is_revoked(ended_here)

    await replica.revoke(ended_there, "logout")
    assert not await here.is_revoked(ended_there)  # still remembered open, without a read
    await asyncio.sleep(0.6)
    assert await here.is_revoked(ended_there)


async def test_with_no_check_interval_every_request_reads_the_session(
    db: AsyncDatabase,
) -> None:
    here, replica = Sessions(db, TTL_S, check_s=0), Sessions(db, TTL_S, check_s=0)
    session, _ = await here.start("user-1")
    assert not await here.is_revoked(session)
    await replica.revoke(session, "logout")
    assert await here.is_revoked(session)
