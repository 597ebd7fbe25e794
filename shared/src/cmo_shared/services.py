"""The one table of the platform's services: name, port, and whether the gateway routes to it.

The CLI runs the services on these ports, the gateway finds them at these internal URLs
(unless `CMO_<NAME>_URL` says otherwise), and the docker-compose check holds
`docker-compose.yml` to them. Adding a service means adding its row here.
"""

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    """One service of the platform."""

    name: str
    port: int
    routed: bool
    """Whether the gateway forwards requests to it (the gateway itself is not)."""
    description: str
    api: bool = True
    """Whether it serves a JSON API with an OpenAPI document (the console serves pages)."""

    @property
    def default_url(self) -> str:
        """Where the service answers on one machine."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """Where other services reach it: `CMO_<NAME>_URL`, else on this machine."""
        return os.environ.get(f"CMO_{self.name.upper()}_URL") or self.default_url


SERVICES = (
    Service("gateway", 8000, False, "the one API for people and integrations"),
    Service("members", 8001, True, "member companies, fees, catalogue, assessments, board"),
    Service("procurement", 8002, True, "pooled demand, joint tenders, savings, support services"),
    Service(
        "advocacy",
        8003,
        True,
        "topics, legislation, consultations, positions, news, trends, industry reports",
    ),
    Service("training", 8004, True, "training needs and plan, sessions, seats, certificates"),
    Service("funding", 8005, True, "funding calls matched to members, applications"),
    Service("notifications", 8006, True, "email, webhooks and the in-app inbox"),
    Service("console", 8010, False, "web pages for CMO staff and member users", api=False),
)
BY_NAME = {s.name: s for s in SERVICES}
ROUTED = tuple(s.name for s in SERVICES if s.routed)
"""The services behind the gateway, in table order."""
