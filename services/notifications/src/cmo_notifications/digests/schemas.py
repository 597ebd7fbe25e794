"""Request and response bodies of the digests API."""

from pydantic import (
    BaseModel,
)


class DigestResult(BaseModel):
    """How many digests a run created."""

    digests: int
