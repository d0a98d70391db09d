"""The JSON API under /api/v1."""

from litestar import Router

from service.api import audit, auth, certifications, exports, imports, labels, producers, products, stores

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
        imports.import_products,
        imports.import_listings,
        exports.export_products,
        exports.export_listings,
        audit.list_audit,
    ],
)
