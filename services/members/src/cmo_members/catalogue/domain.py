"""The yearly catalogue of common services: every line of the CMO's own list, pure rules.

Each seed line is mapped to a catalogue entry (slug, group, the service that serves it);
a line the seed marks "Not this year" is recorded as not offered for the seeded year.
"""

import re
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from typing import Any

from cmo_contracts.members import CatalogueEntryUpdated
from cmo_shared.errors import DomainError

from ..fees.domain import gel

NOT_THIS_YEAR = re.compile(r"\s*-\s*not this year\s*$", re.IGNORECASE)


class Availability(StrEnum):
    """Whether a common service is offered in a year."""

    OFFERED = "offered"
    NOT_THIS_YEAR = "not_this_year"


class FundingSource(StrEnum):
    """Where a common service's budget comes from."""

    MEMBERSHIP_FEES = "membership_fees"
    RESERVES = "reserves"


class UnmappedSeedLine(DomainError):
    """A line of the seed list has no catalogue entry; the mapping below must grow."""


@dataclass(frozen=True)
class ServiceDefinition:
    """A common service as the platform serves it."""

    slug: str
    group: str
    served_by: str


# fmt: off
# slug, group, serving service, and the seed line as the CMO wrote it (typos included).
_MAPPING = (
    ("collaboration", "Collaboration and information", "members",
     "Facilitation of collaboration between members"),
    ("news-sharing", "Collaboration and information", "notifications",
     "News and information sharing among members"),
    ("joint-procurement", "Procurement", "procurement",
     "Opportunity identification for unified procurement/cost saving (expert service for all "
     "or some members)"),
    ("advocacy", "Advocacy", "advocacy", "Advocacy of industry interest"),
    ("industry-screening", "Advocacy", "advocacy",
     "Regular screening of the industry, aimed at identification of important topics for "
     "industry, and development of advocacy strategy and activities"),
    ("government-donor-advocacy", "Advocacy", "advocacy",
     "Informing/advocating government and international/donor organizations on industry "
     "interest"),
    ("legislative-initiatives", "Advocacy", "advocacy",
     "Making association present on discussion of legislative initiatives"),
    ("technology-support", "Technology and support services", "procurement",
     "Access to technology and support services"),
    ("needs-assessments", "Technology and support services", "members",
     "Conducting periodic needs assessments (capacity development, technology, etc)"),
    ("expert-directory", "Technology and support services", "members",
     "Maintenance of databases of local and international engineers (technology experts)"),
    ("supplier-directory", "Technology and support services", "members",
     "Maintenance of database of local and international machinery/technology producers and "
     "suppliers"),
    ("certification-access", "Technology and support services", "procurement",
     "Enabling access to certification of ISO/Food Safety, etc."),
    ("audit-access", "Technology and support services", "procurement",
     "Enabling access to audit services"),
    ("erp-access", "Technology and support services", "procurement",
     "Enabling access to ERP/Business Process Automation"),
    ("advisory-access", "Technology and support services", "procurement",
     "Enabling access to advisory services"),
    ("fairs-exhibitions", "Technology and support services", "training",
     "Enabling access to national/international fares/exhibitions and other relevant events"),
    ("trend-scouting", "Information and reporting", "advocacy",
     "Periodic Information dissemination and trend-scouting (ideas for innovative projects)"),
    ("industry-reports", "Information and reporting", "advocacy",
     "Periodic reporting on the industry condition (semi-annually, quarterly)"),
    ("internal-workshops", "Training and capacity", "training",
     "Organizing of periodic industry internal workshops for sharing of knowledge"),
    ("value-chain-assessments", "Information and reporting", "advocacy",
     "Conducting periodic value chain assessments"),
    ("training-access", "Training and capacity", "training",
     "Provision and facilitation of access to training for members"),
    ("training-needs-assessment", "Training and capacity", "training",
     "Develop annual training needs assessment"),
    ("capacity-development", "Training and capacity", "training",
     "Enabling access to capacity development services"),
    ("public-support", "Public support", "funding", "Access to public support"),
    ("donor-programmes", "Public support", "funding",
     "Facilitation of support programs with donors"),
    ("government-programmes", "Public support", "funding",
     "Enabling access to governmental programs and financing"),
    ("promotion", "Promotion and visibility", "members",
     "Promotion of activities (marketing/ visibility)"),
    ("website", "Promotion and visibility", "members", "Maintenance of the website"),
    ("platform-visibility", "Promotion and visibility", "members",
     "Maintenance of the visibility through various electronic resources and platforms, such "
     "as tradewithgeorgia.com, www.clustercollaboration.eu and other"),
    ("private-funding", "Private funding", "funding", "Access to private funding"),
    ("ifi-funding", "Private funding", "funding",
     "Enabling access to IFI funding such as EBRD, Gazzele Finance, Partnership Fund"),
)
DEFINITIONS = {line: ServiceDefinition(slug, group, by) for slug, group, by, line in _MAPPING}
# fmt: on


@dataclass(frozen=True)
class SeedLine:
    """One common service as listed by the CMO."""

    title: str
    availability: Availability


@dataclass
class CatalogueEntry:
    """A common service's place in one year's catalogue."""

    year: int
    slug: str
    title: str
    group: str
    served_by: str
    availability: Availability
    funding_source: FundingSource = FundingSource.MEMBERSHIP_FEES
    budget_tetri: int | None = None

    @property
    def entry_id(self) -> str:
        """`<year>:<slug>`."""
        return f"{self.year}:{self.slug}"

    def updated(self) -> CatalogueEntryUpdated:
        """The event telling other services the entry as it is now."""
        return CatalogueEntryUpdated(
            year=self.year,
            slug=self.slug,
            title=self.title,
            group=self.group,
            served_by=self.served_by,
            availability=self.availability.value,
            funding_source=self.funding_source.value,
            budget=None if self.budget_tetri is None else gel(self.budget_tetri),
        )

    def change(self, changes: dict[str, Any]) -> CatalogueEntryUpdated:
        """Change availability, funding source or budget (tetri, or None to clear it)."""
        if "availability" in changes:
            self.availability = Availability(changes["availability"])
        if "funding_source" in changes:
            self.funding_source = FundingSource(changes["funding_source"])
        if "budget_tetri" in changes:
            self.budget_tetri = changes["budget_tetri"]
        return self.updated()


def _normalise(text: str) -> str:
    return " ".join(text.split())


def parse_seed(text: str) -> list[SeedLine]:
    """The service lines of the seed list (after "The common services are:")."""
    _, _, listing = text.partition("The common services are:")
    lines = []
    for raw in listing.splitlines():
        line = _normalise(raw)
        if not line:
            continue
        availability = Availability.OFFERED
        if NOT_THIS_YEAR.search(line):
            availability = Availability.NOT_THIS_YEAR
            line = NOT_THIS_YEAR.sub("", line)
        lines.append(SeedLine(line, availability))
    return lines


def seed_text() -> str:
    """The CMO's list as shipped with the service."""
    return (resources.files("cmo_members") / "seed" / "common-services.txt").read_text()


def catalogue_for(year: int, lines: list[SeedLine]) -> list[CatalogueEntry]:
    """A year's catalogue from the seed lines; every line must have a definition."""
    definitions = {_normalise(k): v for k, v in DEFINITIONS.items()}
    entries = []
    for line in lines:
        definition = definitions.get(line.title)
        if definition is None:
            raise UnmappedSeedLine(f"no catalogue definition for seed line {line.title!r}")
        entries.append(
            CatalogueEntry(
                year=year,
                slug=definition.slug,
                title=line.title,
                group=definition.group,
                served_by=definition.served_by,
                availability=line.availability,
            )
        )
    return entries
