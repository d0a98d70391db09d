"""The JSON API under /api/v1."""

from litestar import Router

from service.api import labels, producers, products, search, stores

router = Router(
    path="/api/v1",
    route_handlers=[
        products.ProductController,
        producers.ProducerController,
        stores.StoreController,
        labels.list_label_schemes,
        labels.list_categories,
        search.search_products,
        search.list_alternatives,
    ],
)
