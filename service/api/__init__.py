"""The JSON API under /api/v1."""

from litestar import Router
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from service import errors
from service.api import (
    accounts,
    audit,
    auth,
    certifications,
    evidence,
    exports,
    imports,
    invites,
    labels,
    plans,
    producers,
    products,
    reports,
    search,
    stats,
    stores,
    substitutes,
    tags,
)

router = Router(
    path="/api/v1",
    route_handlers=[
        auth.create_token,
        auth.who_am_i,
        auth.revoke_tokens,
        auth.change_password,
        accounts.AccountController,
        products.ProductController,
        certifications.CertificationController,
        evidence.upload_evidence,
        evidence.list_evidence,
        evidence.get_evidence,
        invites.create_invite,
        invites.reissue_invite,
        producers.ProducerController,
        stores.StoreController,
        labels.list_label_schemes,
        labels.list_categories,
        tags.create_tag,
        tags.create_store_tags,
        tags.tag_qr_svg,
        tags.tag_qr_png,
        tags.store_tag_sheet,
        tags.mark_printed,
        imports.import_products,
        imports.import_listings,
        exports.export_products,
        exports.export_listings,
        audit.list_audit,
        search.search_products,
        search.list_alternatives,
        stats.plan_stats,
        stats.plan_stats_xlsx,
        stats.plan_stats_csv,
        plans.PlanController,
        plans.AwarenessEventController,
        reports.ReportController,
        substitutes.list_substitute_groups,
        substitutes.SubstituteGroupController,
    ],
    # Every error under the API is JSON, also on routes that answer PNG, SVG, PDF or CSV.
    exception_handlers={
        HTTPException: errors.http_error,
        HTTP_500_INTERNAL_SERVER_ERROR: errors.server_error,
    },
)
