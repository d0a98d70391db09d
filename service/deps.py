"""Values handlers receive by name: the settings, today's date in Vietnam, the search client."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today_in_vietnam() -> date:
    """Certificates expire by the calendar in Vietnam, not by UTC."""
    return datetime.now(VIETNAM).date()
