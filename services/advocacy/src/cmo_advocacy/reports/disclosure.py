"""Statistical disclosure control of a report's table: pure rules.

The table crosses sectors (NACE divisions) with size bands, with a total per sector, per
band and overall. A cell is published only if it has at least `min_companies` companies and
passes the p%-rule on each magnitude (investment, employees): the total minus the two largest
contributions must be at least p % of the largest, since the second-largest company, knowing
its own figure, is the intruder who learns most. Then secondary suppression: in every line of
the table (a sector's cells with its total, a band's cells with its total, the band totals
with the grand total, the sector totals with the grand total), a single hidden entry could be
derived as the line's total minus the rest, so another entry of that line is hidden as well
(the published non-empty cell with the least investment, else the line's total), until no
line has exactly one hidden entry. Each suppression keeps its reason for staff.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

ALL = "*"
BANDS = ("micro", "small", "medium", "large")


@dataclass(frozen=True)
class Contribution:
    """One company's figures for the period, with where it falls in the table."""

    member_id: str
    sector: str
    size_band: str
    employees: int
    investment: Decimal
    export_share: float


@dataclass
class Cell:
    """One cell of the table: an aggregate of the companies in it."""

    sector: str
    size_band: str
    companies: int
    employees: int
    investment: Decimal
    export_share: float | None
    suppressed: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        """Where the cell is: (sector, band), `*` for a total."""
        return self.sector, self.size_band

    @property
    def label(self) -> str:
        """The cell as people read it."""
        sector = "all sectors" if self.sector == ALL else f"sector {self.sector}"
        band = "all sizes" if self.size_band == ALL else self.size_band
        return f"{sector}, {band}"


def p_rule_fails(values: Iterable[Decimal], p_percent: float) -> bool:
    """Whether the two largest contributions reveal too much of the largest (p%-rule)."""
    ordered = sorted(values, reverse=True)
    if len(ordered) < 3:
        return True
    largest, second = ordered[0], ordered[1]
    rest = sum(ordered, Decimal(0)) - largest - second
    return rest < Decimal(str(p_percent)) / 100 * largest


def _cell(sector: str, band: str, members: list[Contribution]) -> Cell:
    shares = [m.export_share for m in members]
    return Cell(
        sector,
        band,
        len(members),
        sum(m.employees for m in members),
        sum((m.investment for m in members), Decimal(0)),
        round(sum(shares) / len(shares), 2) if shares else None,
    )


def table(contributions: list[Contribution], *, min_companies: int, p_percent: float) -> list[Cell]:
    """The protected table: every cell and total, with primary and secondary suppression."""
    groups: dict[tuple[str, str], list[Contribution]] = defaultdict(list)
    for c in contributions:
        for key in ((c.sector, c.size_band), (c.sector, ALL), (ALL, c.size_band), (ALL, ALL)):
            groups[key].append(c)
    sectors = sorted({c.sector for c in contributions})
    cells = {
        (s, b): _cell(s, b, groups.get((s, b), [])) for s in [*sectors, ALL] for b in [*BANDS, ALL]
    }
    for key, cell in cells.items():
        members = groups.get(key, [])
        if not members:
            continue
        if len(members) < min_companies:
            _hide(cell, f"primary: fewer than {min_companies} companies")
            continue
        for measure in ("investment", "employees"):
            if p_rule_fails((Decimal(getattr(m, measure)) for m in members), p_percent):
                _hide(cell, f"primary: p%-rule on {measure}")
    _protect(cells, sectors)
    return list(cells.values())


def _hide(cell: Cell, reason: str) -> None:
    cell.suppressed = True
    cell.reasons.append(reason)


def _lines(sectors: list[str]) -> list[tuple[list[tuple[str, str]], tuple[str, str]]]:
    """Each additive line of the table: its entries and the total they sum to."""
    lines = []
    for s in [*sectors, ALL]:
        lines.append(([(s, b) for b in BANDS], (s, ALL)))
    for b in [*BANDS, ALL]:
        lines.append(([(s, b) for s in sectors], (ALL, b)))
    return lines


def _protect(cells: dict[tuple[str, str], Cell], sectors: list[str]) -> None:
    """Hide complementary entries until no line has exactly one hidden entry."""
    changed = True
    while changed:
        changed = False
        for parts, total in _lines(sectors):
            entries = [*parts, total]
            hidden = [k for k in entries if cells[k].suppressed]
            if len(hidden) != 1:
                continue
            candidates = [
                cells[k] for k in parts if not cells[k].suppressed and cells[k].companies > 0
            ]
            chosen = (
                min(candidates, key=lambda c: (c.investment, c.companies, c.key))
                if candidates
                else cells[total]
            )
            _hide(chosen, f"secondary: protects {cells[hidden[0]].label}")
            changed = True
