"""What the public directory publishes."""

from pydantic import BaseModel


class DirectoryEntry(BaseModel):
    """What the public directory shows of a consenting member, and nothing more."""

    name: str
    sector: str
    region: str
    products: list[str]
    certifications: list[str]
    export_markets: list[str]
    website: str | None
