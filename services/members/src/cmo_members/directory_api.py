"""The public directory feed: consenting members in good standing, listed fields only."""

import csv
import io

from fastapi import APIRouter, Request
from fastapi.responses import Response

from .domain import GOOD_STANDING, Member
from .repository import MemberRepository
from .schemas import DirectoryEntry

router = APIRouter(prefix="/directory", tags=["directory"])


async def _entries(request: Request) -> list[DirectoryEntry]:
    repository: MemberRepository = request.app.state.member_repository
    members, _ = await repository.list(
        statuses=sorted(GOOD_STANDING), sector=None, public_only=True
    )
    return [_entry(m) for m in sorted(members, key=lambda m: m.legal_name.casefold())]


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
async def directory_json(request: Request) -> list[DirectoryEntry]:
    """Members who consented to be listed, for the website and trade platforms."""
    return await _entries(request)


@router.get(
    ".csv",
    summary="Public directory (CSV)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
)
async def directory_csv(request: Request) -> Response:
    """The same feed as CSV; list fields are joined with `; `."""
    out = io.StringIO()
    writer = csv.writer(out)
    fields = list(DirectoryEntry.model_fields)
    writer.writerow(fields)
    for entry in await _entries(request):
        row = entry.model_dump()
        writer.writerow(
            [
                "; ".join(v) if isinstance(v, list) else ("" if v is None else v)
                for v in (row[f] for f in fields)
            ]
        )
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8")
