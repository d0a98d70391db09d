"""The JSON API under /api/v1."""

from litestar import Router

from service.api import labels, producers, products, stores, tags

router = Router(
    path="/api/v1",
    route_handlers=[
        products.ProductController,
        producers.ProducerController,
        stores.StoreController,
        labels.list_label_schemes,
        labels.list_categories,
        tags.create_tag,
        tags.create_store_tags,
        tags.tag_qr_svg,
        tags.tag_qr_png,
        tags.store_tag_sheet,
    ],
)
