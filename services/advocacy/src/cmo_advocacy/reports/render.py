"""A published report as people and spreadsheets read it: an HTML page with a chart, and CSV.

Only published cells carry figures; a suppressed cell shows as suppressed, never its reason.
"""

import csv
import io
from decimal import Decimal

from jinja2 import Environment, PackageLoader, select_autoescape

from .disclosure import ALL, BANDS, Cell
from .domain import Report

COLUMNS = ("sector", "size_band", "companies", "employees", "investment_gel", "export_share_pct")
_pages = Environment(
    loader=PackageLoader("cmo_advocacy.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)
WORDS = {
    "en": {
        "micro": "micro",
        "small": "small",
        "medium": "medium",
        "large": "large",
        "*": "all",
        "suppressed": "suppressed",
        "companies": "companies",
        "chart": "Investment by sector (GEL)",
    },
    "ka": {
        "micro": "მიკრო",
        "small": "მცირე",
        "medium": "საშუალო",
        "large": "დიდი",
        "*": "სულ",
        "suppressed": "დაფარულია",
        "companies": "კომპანია",
        "chart": "ინვესტიცია სექტორების მიხედვით (ლარი)",
    },
}
MEASURES = {
    "en": [
        ("companies", "Companies"),
        ("employees", "Employees"),
        ("investment", "Investment (GEL)"),
        ("export_share", "Export share, average (%)"),
    ],
    "ka": [
        ("companies", "კომპანიები"),
        ("employees", "დასაქმებულები"),
        ("investment", "ინვესტიცია (ლარი)"),
        ("export_share", "ექსპორტის წილი, საშუალო (%)"),
    ],
}


def figure(value: object) -> str:
    """A figure as people read it: counts and GEL grouped by thousands, shares to a tenth."""
    if value is None:
        return "\u2013"
    if isinstance(value, float):  # a share, in percent
        return f"{value:.1f}"
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return f"{int(number):,}".replace(",", "\u202f")
    return f"{number:,.2f}".replace(",", "\u202f")


_pages.filters["figure"] = figure


def _shown(cell: Cell) -> dict[str, object]:
    if cell.suppressed:
        return dict.fromkeys(COLUMNS[2:], "suppressed")
    return {
        "companies": cell.companies,
        "employees": cell.employees,
        "investment_gel": str(cell.investment),
        "export_share_pct": "" if cell.export_share is None else cell.export_share,
    }


def to_csv(report: Report) -> str:
    """One row per non-empty cell; `*` is a total; suppressed figures say so."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for cell in report.cells:
        if cell.companies:
            writer.writerow({"sector": cell.sector, "size_band": cell.size_band, **_shown(cell)})
    return out.getvalue()


def to_html(report: Report, language: str) -> str:
    """The report page: the table by sector and size, and a bar chart of sector investment."""
    sectors = [*sorted({c.sector for c in report.cells if c.sector != ALL}), ALL]
    grid = {c.key: c for c in report.cells}
    bars = [
        grid[(s, ALL)]
        for s in sectors[:-1]
        if not grid[(s, ALL)].suppressed and grid[(s, ALL)].companies
    ]
    top = max((b.investment for b in bars), default=Decimal(1)) or Decimal(1)
    return _pages.get_template("report.html.j2").render(
        report=report,
        language=language,
        title=report.title.get(language) or report.title["en"],
        sectors=sectors,
        bands=[*BANDS, ALL],
        grid=grid,
        bars=[(b.sector, b.investment, float(b.investment / top)) for b in bars],
        words=WORDS[language],
        measures=MEASURES[language],
    )
