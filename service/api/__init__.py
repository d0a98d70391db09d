"""The JSON API under /api/v1."""

from litestar import Router

from service.api import (
    audit,
    auth,
    certifications,
    evidence,
    exports,
    imports,
    invites,
    labels,
    producers,
    products,
    search,
    stores,
    tags,
)

router = Router(
    path="/api/v1",
    route_handlers=[
        auth.create_token,
        auth.who_am_i,
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
    ],
)
