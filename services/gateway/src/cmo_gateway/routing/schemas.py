"""Response bodies of the routing feature's own routes."""

from pydantic import BaseModel, ConfigDict, Field


class UpstreamRead(BaseModel):
    """A routed service as the gateway reaches it, with its own readiness checks."""

    model_config = ConfigDict(extra="allow")

    service: str
    url: str = Field(description="Where the gateway calls it (`CMO_<NAME>_URL` or its port).")
    ready: bool = Field(description="Whether it answered `/ready` with 200 within 2 s.")
