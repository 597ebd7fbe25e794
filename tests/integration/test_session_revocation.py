"""A gateway remembers open sessions for `session_check_s`; an ended one is refused in time."""

import asyncio
import uuid

from cmo_gateway.accounts.tokens import Sessions
from pymongo import AsyncMongoClient

from tests.conftest import Infra

TTL_S = 3600


async def test_a_session_ended_here_is_refused_at_once_and_elsewhere_within_the_check(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    db = mongo[f"{infra.db_prefix}_sessions{uuid.uuid4().hex[:6]}"]
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
    await mongo.drop_database(db.name)


async def test_with_no_check_interval_every_request_reads_the_session(
    infra: Infra, mongo: AsyncMongoClient
) -> None:
    db = mongo[f"{infra.db_prefix}_sessions{uuid.uuid4().hex[:6]}"]
    here, replica = Sessions(db, TTL_S, check_s=0), Sessions(db, TTL_S, check_s=0)
    session, _ = await here.start("user-1")
    assert not await here.is_revoked(session)
    await replica.revoke(session, "logout")
    assert await here.is_revoked(session)
    await mongo.drop_database(db.name)
