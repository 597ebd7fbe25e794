"""The public directory feed: consenting members in good standing, listed fields only."""

import csv
import io
from typing import Annotated

from cmo_shared.feature import provided
from fastapi import APIRouter
from fastapi.responses import Response

from ..membership.domain import Member
from .schemas import DirectoryEntry
from .service import DirectoryService

router = APIRouter(prefix="/directory", tags=["directory"])
Service = Annotated[DirectoryService, provided(DirectoryService)]


async def _entries(service: DirectoryService) -> list[DirectoryEntry]:
    return [_entry(m) for m in await service.listed()]


def _entry(member: Member) -> DirectoryEntry:
    return DirectoryEntry(
        name=member.legal_name,
        sector=member.sector,
        region=member.region,
        products=member.products,
        certifications=member.certifications,
        export_markets=member.export_markets,
        website=member.website,
    )


@router.get(".json", summary="Public directory (JSON)")
async def directory_json(service: Service) -> list[DirectoryEntry]:
    """Members who consented to be listed, for the website and trade platforms."""
    return await _entries(service)


@router.get(
    ".csv",
    summary="Public directory (CSV)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def directory_csv(service: Service) -> Response:
    """The same feed as CSV; list fields are joined with `; `."""
    out = io.StringIO()
    writer = csv.writer(out)
    fields = list(DirectoryEntry.model_fields)
    writer.writerow(fields)
    for entry in await _entries(service):
        row = entry.model_dump()
        writer.writerow(
            [
                "; ".join(v) if isinstance(v, list) else ("" if v is None else v)
                for v in (row[f] for f in fields)
            ]
        )
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
