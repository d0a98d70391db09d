"""The consumer pages (HTML, Vietnamese by default, English on request); they never depend on Meilisearch."""

from litestar import Router
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from catalog.errors import CatalogError
from service import i18n
from service.pages import (
    digital_link,
    errors,
    home,
    labels,
    open_data,
    producers,
    product,
    reports,
    search,
    stats,
    stores,
    tag,
)

router = Router(
    path="/",
    route_handlers=[
        home.home_page,
        product.product_page,
        tag.scan_page,
        search.search_page,
        stores.store_page,
        producers.producer_page,
        digital_link.resolve,
        stats.stats_page,
        open_data.products_jsonl,
        open_data.products_csv,
        reports.report_form,
        reports.send_report,
        reports.thanks_page,
        labels.labels_page,
        labels.label_page,
    ],
    dependencies={"locale": Provide(i18n.request_locale, sync_to_thread=False)},
    exception_handlers={
        CatalogError: errors.html_error,
        HTTPException: errors.html_error,
        HTTP_500_INTERNAL_SERVER_ERROR: errors.html_error,
    },
    include_in_schema=False,
)
