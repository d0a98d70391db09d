"""The public summary of the plan's indicators (/stats), with server-drawn charts; the portal dashboard reuses it."""

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from babel.numbers import format_decimal, format_percent
from litestar import Request, get
from litestar.di import NamedDependency
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import indicators
from catalog.indicators import Indicator, Report
from service import charts, i18n
from service.i18n import N_
from service.pages import context

INDICATOR_NAMES = {
    "target_stores": N_("Supermarkets and shopping centres counted by the plan"),
    "target_stores_without_free_bags": N_("Share of them without free hard-to-degrade plastic bags"),
    "green_products": N_("Products with a valid eco-label, organic or GAP certificate"),
    "green_products_in_target_stores": N_("Of those, products on sale in supermarkets and shopping centres"),
    "listings_per_store": N_("Products listed per store (all listings, green or not)"),
    "ocop_products": N_("Products with a valid OCOP rating"),
    "ocop_products_expired": N_("Products whose OCOP rating has expired"),
    "ocop_products_expiring_30": N_("OCOP ratings ending within 30 days"),
    "ocop_products_expiring_60": N_("OCOP ratings ending within 60 days"),
    "ocop_products_expiring_90": N_("OCOP ratings ending within 90 days"),
    "claims_awaiting_review": N_("Certificate claims awaiting review"),
    "median_days_claim_to_decision": N_("Median days from claim to decision"),
    "awareness_events": N_("Awareness campaigns held this year"),
    "scans_per_week": N_("Shelf-tag scans in the last 7 days"),
    "open_reports": N_("Shoppers' problem reports still open"),
    "median_days_to_resolution": N_("Median days to settle a shopper's report"),
    "enterprises_informed": N_("Enterprises in industrial zones informed on sustainable production"),
}


@cache
def _catalogs() -> dict[str, Any]:
    return i18n.load_translations()


def translator(locale: str) -> Callable[[str], str]:
    """gettext for one language, for words drawn into charts."""
    return _catalogs()[locale].gettext


def show(value: float | None, unit: str, locale: str, gettext: Callable[[str], str]) -> str:
    """A value as the page's language writes it; unknown stays unknown."""
    if value is None:
        return gettext("unknown")
    if unit == "share":
        return format_percent(value, locale=locale, format="#,##0.#%")
    return format_decimal(value, locale=locale)


def rows(report: Report, locale: str) -> list[dict[str, Any]]:
    """The indicators as the table shows them."""
    gettext = translator(locale)
    out = []
    for indicator in report.indicators:
        out.append(
            {
                "key": indicator.key,
                "name": gettext(INDICATOR_NAMES.get(indicator.key, indicator.key)),
                "value": show(indicator.value, indicator.unit, locale, gettext)
                if indicator.measured
                else gettext("not measured by Green Shelf"),
                "detail": _detail(indicator, locale),
                "target": ""
                if indicator.target is None
                else ("≥ " if indicator.comparison == "at_least" else "≤ ")
                + show(indicator.target, indicator.unit, locale, gettext),
                "met": indicator.met,
                "has_target": indicator.target is not None,
            }
        )
    return out


def _detail(indicator: Indicator, locale: str) -> str:
    if indicator.breakdown:
        return " · ".join(f"{stars}★ {n}" for stars, n in indicator.breakdown.items())
    if indicator.numerator is not None and indicator.denominator is not None:
        numerator, denominator = (
            format_decimal(n, locale=locale) for n in (indicator.numerator, indicator.denominator)
        )
        return f"{numerator} / {denominator}"
    return ""


def chart_set(report: Report, locale: str) -> list[charts.Chart]:
    """The three charts every summary shows: bag policy by month, OCOP stars, scans by week."""
    gettext = translator(locale)
    ocop = report.indicator("ocop_products").breakdown or {}
    return [
        charts.bag_share(
            report.bag_policy_by_month,
            caption=gettext("Supermarkets and shopping centres without free hard-to-degrade bags, month by month"),
            share_name=gettext("Share without free bags"),
            target_name=gettext("Plan target"),
            month_name=gettext("Month"),
        ),
        charts.bars(
            [f"{stars}★" for stars in ocop],
            list(ocop.values()),
            caption=gettext("Products with a valid OCOP rating, by stars"),
            series=gettext("Products"),
            label_name=gettext("Stars"),
        ),
        charts.bars(
            [week.strftime("%d/%m") for week, _ in report.scans_by_week],
            [n for _, n in report.scans_by_week],
            caption=gettext("Shelf-tag scans per week (weeks start on Monday)"),
            series=gettext("Scans"),
            label_name=gettext("Week of"),
        ),
    ]


@get("/stats", name="stats")
async def stats_page(
    request: Request,
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    locale: NamedDependency[str],
) -> Template:
    """Progress against the plan in force today, for anyone."""
    report = await indicators.plan_report(db_session, today)
    return context.page(
        request,
        locale,
        "pages/stats.html",
        report=report,
        rows=rows(report, locale),
        charts=chart_set(report, locale),
    )
