"""Georgia's calendar."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

TBILISI = ZoneInfo("Asia/Tbilisi")


def today_in_tbilisi() -> date:
    """The current date in Georgia."""
    return datetime.now(TBILISI).date()
