"""The console's pure helpers: languages, safe return addresses, list cells, forms, bars."""

from decimal import Decimal

from cmo_console.advocacy.pages import bars
from cmo_console.i18n import chosen, money, when
from cmo_console.listing import cell
from cmo_console.members.pages import profile_changes, profile_form
from cmo_console.pages import local_path, paging


def test_the_remembered_language_wins_then_the_browsers_then_georgian() -> None:
    assert chosen("en", "ka-GE,ka;q=0.9") == "en"
    assert chosen(None, "de-DE,en-US;q=0.8,ka;q=0.5") == "en"
    assert chosen("fr", "de") == "ka"


def test_only_addresses_on_this_site_are_gone_back_to() -> None:
    assert local_path("/members?status=applicant") == "/members?status=applicant"
    for elsewhere in ("https://evil.example/", "//evil.example/x", "/\\evil.example", None):
        assert local_path(elsewhere) == "/"


def test_times_are_shown_in_tbilisi_and_amounts_as_the_language_groups_them() -> None:
    assert when("2027-03-01T20:30:00+00:00", "en").startswith("Mar 2, 2027, 12:30")
    assert money("1500000.5", "en") == "1,500,000.50 GEL"
    georgian = money("1500000.5", "ka").replace("\u00a0", " ").replace("\u202f", " ")
    assert georgian == "1 500 000,50 GEL"  # grouped with (non-breaking) spaces, decimal comma


def test_cells_reach_into_objects_and_lists_and_pages_are_counted() -> None:
    item = {"fill": {"members": 3}, "sittings": [{"starts_at": "x"}]}
    assert (cell(item, "fill.members"), cell(item, "sittings.0.starts_at")) == (3, "x")
    assert cell(item, "sittings.5.starts_at") is None
    assert paging(2, 20, 41) == {"page": 2, "pages": 3, "total": 41, "previous": 1, "next": 3}


def test_a_profile_round_trips_through_its_form() -> None:
    company = {"employees": 45, "region": "Imereti", "website": None, "founded_year": 2001,
               "products": ["cheese", "milk"], "certifications": [], "export_markets": ["EU"],
               "public_listing": True}  # fmt: skip
    form = profile_form(company)
    assert form["products"] == "cheese, milk" and form["website"] == ""
    changes = profile_changes({**form, "employees": "50", "founded_year": "19x9"})
    assert changes["employees"] == 50 and changes["founded_year"] == "19x9"
    assert changes["products"] == ["cheese", "milk"] and changes["public_listing"] is True
    assert changes["website"] is None


def test_bars_are_scaled_to_the_largest_weighted_count() -> None:
    rows = bars({"yes": "2.5", "no": "1.25", "abstain": "0"})
    assert rows == [("yes", Decimal("2.5"), 100), ("no", Decimal("1.25"), 50), ("abstain", 0, 0)]
    assert bars({}) == []
