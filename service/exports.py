"""The plan's report as JSON, XLSX and CSV: one module shapes every format from the same `indicators.Report`."""

import io
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from openpyxl import Workbook

from catalog.indicators import Report
from catalog.plans import Plan
from service import csv_exports

# The lists behind the indicators, as CSV files (`?list=`) and XLSX sheets, in this order.
LISTS = ("indicators", "bag_policy_by_month", "stores", "expiring_certificates", "awareness_events", "scans_by_week")
INDICATOR_COLUMNS = (
    "key",
    "value",
    "numerator",
    "denominator",
    "target",
    "comparison",
    "met",
    "unit",
    "measured",
    "breakdown",
)
MONTH_COLUMNS = ("month", "value", "numerator", "denominator", "target", "met")
STORE_COLUMNS = (
    "id",
    "name",
    "store_type",
    "counts_toward_target",
    "free_hard_to_degrade_bags",
    "bag_policy_since",
    "active_listings",
    "scans_per_week",
)
CERTIFICATE_COLUMNS = (
    "certification_id",
    "product_id",
    "product_name",
    "producer_id",
    "scheme_code",
    "certificate_no",
    "ocop_stars",
    "valid_until",
    "days_left",
)
EVENT_COLUMNS = ("id", "held_on", "title", "organiser", "audience", "attendees")
WEEK_COLUMNS = ("week_start", "scans")


def plan_json(plan: Plan | None) -> dict[str, Any] | None:
    """A plan with its targets."""
    if plan is None:
        return None
    return {
        "id": plan.id,
        "code": plan.code,
        "year": plan.year,
        "province": plan.province,
        "title_vi": plan.title_vi,
        "title_en": plan.title_en,
        "version": plan.version,
        "targets": [
            {
                "indicator": t.indicator,
                "comparison": t.comparison.value,
                "value": t.value,
                "note_vi": t.note_vi,
                "note_en": t.note_en,
            }
            for t in plan.targets
        ],
    }


def report_json(report: Report) -> dict[str, Any]:
    """The whole report as the API answers it."""
    return {
        "on": report.on.isoformat(),
        "plan": plan_json(report.plan),
        "indicators": [asdict(i) for i in report.indicators],
        **{
            name: [dict(zip(columns, row, strict=True)) for row in rows]
            for name, (columns, rows) in tables(report).items()
            if name != "indicators"
        },
        "scans_by_store": [{"store_id": s, "scans": n} for s, n in report.scans_by_store],
        "scans_by_product": [{"product_id": p, "scans": n} for p, n in report.scans_by_product],
    }


def tables(report: Report) -> dict[str, tuple[Sequence[str], list[list[Any]]]]:
    """Each list of the report as columns and rows of plain values (dates as ISO text)."""
    return {
        "indicators": (
            INDICATOR_COLUMNS,
            [[_plain(getattr(i, c)) for c in INDICATOR_COLUMNS] for i in report.indicators],
        ),
        "bag_policy_by_month": (
            MONTH_COLUMNS,
            [[m.key, m.value, m.numerator, m.denominator, m.target, m.met] for m in report.bag_policy_by_month],
        ),
        "stores": (STORE_COLUMNS, [[_plain(s[c]) for c in STORE_COLUMNS] for s in report.stores]),
        "expiring_certificates": (
            CERTIFICATE_COLUMNS,
            [[_plain(getattr(e, c)) for c in CERTIFICATE_COLUMNS] for e in report.expiring_certificates],
        ),
        "awareness_events": (EVENT_COLUMNS, [[_plain(getattr(e, c)) for c in EVENT_COLUMNS] for e in report.events]),
        "scans_by_week": (WEEK_COLUMNS, [[week.isoformat(), n] for week, n in report.scans_by_week]),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return value


def report_csv(report: Report, name: str) -> str:
    """One list of the report as a spreadsheet-safe CSV."""
    columns, rows = tables(report)[name]
    return csv_exports.write(columns, rows)


def report_xlsx(report: Report) -> bytes:
    """The report as a workbook: a sheet per list, numbers as numbers."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for name, (columns, rows) in tables(report).items():
        sheet = workbook.create_sheet(name[:31])
        sheet.append(list(columns))
        for row in rows:
            sheet.append([csv_exports.spreadsheet_safe(cell) if isinstance(cell, str) else cell for cell in row])
    about = workbook.create_sheet("about")
    about.append(["on", report.on.isoformat()])
    if report.plan is not None:
        about.append(["plan", f"{report.plan.code} ({report.plan.year}, {report.plan.province})"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
