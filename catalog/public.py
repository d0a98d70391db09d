"""Old names for lookups that now live with their concepts; no logic, kept only for callers that cannot change yet.

`service/pages/product.py` and `service/pages/tag.py` (reworked for the page cache in parallel) and one test still
call these names. Everything else asks the concept's module: `products.get_published_by_slug`,
`stores.listings_of_product`, `labels.schemes`, `tags.scan_target`. Delete this module once those callers do too.
"""

from catalog import labels, products, stores, tags

get_product_by_slug = products.get_published_by_slug
get_product_by_gtin = products.get_published_by_gtin
listings_of_product = stores.listings_of_product
listings_in_store = stores.listings_in_store
label_schemes = labels.schemes
get_shelf_tag = tags.scan_target
