"""The JSON API under /api/v1."""

from litestar import Router

from service.api import (
    audit,
    auth,
    certifications,
    exports,
    imports,
    labels,
    producers,
    products,
    search,
    stores,
    substitutes,
    tags,
)

router = Router(
    path="/api/v1",
    route_handlers=[
        auth.create_token,
        auth.who_am_i,
        products.ProductController,
        certifications.CertificationController,
        producers.ProducerController,
        stores.StoreController,
        labels.list_label_schemes,
        labels.list_categories,
        tags.create_tag,
        tags.create_store_tags,
        tags.tag_qr_svg,
        tags.tag_qr_png,
        tags.store_tag_sheet,
        imports.import_products,
        imports.import_listings,
        exports.export_products,
        exports.export_listings,
        audit.list_audit,
        search.search_products,
        search.list_alternatives,
        substitutes.list_substitute_groups,
        substitutes.SubstituteGroupController,
    ],
)
