"""HTTP API of the daily digest run."""

import logging
from datetime import UTC, datetime
from typing import Annotated

from cmo_shared.feature import provided
from cmo_shared.http import ERROR_RESPONSES, IsoDateTime
from fastapi import APIRouter, Query

from .schemas import DigestResult
from .service import DigestJob

log = logging.getLogger(__name__)
router = APIRouter(tags=["notifications"], responses=ERROR_RESPONSES)
Digests = Annotated[DigestJob, provided(DigestJob)]


@router.post("/digests/run", summary="Send the digests that are due")
async def run_digests(
    digests: Digests,
    at: Annotated[IsoDateTime | None, Query(description="Time to run as; now.")] = None,
) -> DigestResult:
    """Also runs on schedule: each contact's held emails, once a day at its hour."""
    sent = await digests.run(at or datetime.now(UTC))
    return DigestResult(digests=sent)
