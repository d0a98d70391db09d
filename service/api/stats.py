"""The plan's indicators for the province: JSON, XLSX and CSV, all from one computed report."""

from datetime import date
from typing import Annotated, Any, Literal

from litestar import Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import indicators
from catalog.accounts import Role
from service import auth, exports
from service.api.exports import csv_response

ADMIN = [auth.requires(Role.ADMIN)]
OnDay = Annotated[
    date | None, QueryParameter(description="The day to compute on (default: today in Asia/Ho_Chi_Minh).")
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@get("/stats/plan", operation_id="getPlanStats", tags=["stats"], guards=ADMIN, security=auth.SECURITY, cache=False)
async def plan_stats(
    db_session: NamedDependency[AsyncSession], today: NamedDependency[date], on: OnDay = None
) -> dict[str, Any]:
    """Every indicator with its value, target, whether it is met and the numbers it comes from; and their lists."""
    return exports.report_json(await indicators.plan_report(db_session, on or today))


@get(
    "/stats/plan.xlsx",
    operation_id="exportPlanStatsXlsx",
    tags=["stats"],
    guards=ADMIN,
    security=auth.SECURITY,
    cache=False,
)
async def plan_stats_xlsx(
    db_session: NamedDependency[AsyncSession], today: NamedDependency[date], on: OnDay = None
) -> Response[bytes]:
    """The same report as a workbook, one sheet per list."""
    report = await indicators.plan_report(db_session, on or today)
    return Response(
        exports.report_xlsx(report),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="plan-{report.on.isoformat()}.xlsx"'},
    )


@get(
    "/stats/plan.csv",
    operation_id="exportPlanStatsCsv",
    tags=["stats"],
    guards=ADMIN,
    security=auth.SECURITY,
    cache=False,
)
async def plan_stats_csv(
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    on: OnDay = None,
    table: Annotated[
        Literal[
            "indicators", "bag_policy_by_month", "stores", "expiring_certificates", "awareness_events", "scans_by_week"
        ],
        QueryParameter(description="Which list of the report."),
    ] = "indicators",
) -> Response[str]:
    """One list of the report as CSV."""
    report = await indicators.plan_report(db_session, on or today)
    return csv_response(exports.report_csv(report, table), f"plan-{table}-{report.on.isoformat()}.csv")
