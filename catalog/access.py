"""Who may change what: producers own their products, stores their shelves, the province verifies.

Refusals follow one rule. A tenant acting on another tenant's row that the public can already see (a published
product, a store, its listings) gets PermissionDenied (403): saying "not yours" leaks nothing. A row the public
cannot see (another producer's draft or withdrawn product) is NotFound (404), so its existence does not leak.
"""

from catalog.accounts import Account, Role
from catalog.errors import CatalogError, NotFound, PermissionDenied
from catalog.products import Product, ProductStatus


def is_admin(actor: Account) -> bool:
    """The provincial department: may do everything."""
    return actor.role is Role.ADMIN


def can_edit_product(actor: Account, product: Product) -> bool:
    """Admins, and the producer that makes the product, may change it, its packaging and its claims."""
    return is_admin(actor) or (actor.role is Role.PRODUCER and actor.producer_id == product.producer_id)


def require_can_edit_product(actor: Account, product: Product) -> None:
    """Refuse a change to a product the actor does not own (404 when the public cannot see it either)."""
    if can_edit_product(actor, product):
        return
    if product.status is not ProductStatus.PUBLISHED:
        raise NotFound(f"no product with id {product.id}", field="product_id")
    raise PermissionDenied(f"product {product.id} belongs to another producer", field="product_id")


def producer_acted_for(actor: Account, requested: int | None) -> int:
    """The producer whose products the actor adds, imports or exports: its own, or the one an admin names."""
    if actor.role is Role.PRODUCER and actor.producer_id is not None:
        if requested is not None and requested != actor.producer_id:
            raise PermissionDenied("a producer account works on its own products only", field="producer_id")
        return actor.producer_id
    if is_admin(actor):
        if requested is None:
            raise CatalogError("an admin must say which producer (producer_id)", field="producer_id")
        return requested
    raise PermissionDenied("only producer and admin accounts work on products", field="producer_id")


def can_manage_store(actor: Account, store_id: int) -> bool:
    """Admins, and the store's own account, may change the store record, its listings and its tags."""
    return is_admin(actor) or (actor.role is Role.STORE and actor.store_id == store_id)


def require_can_manage_store(actor: Account, store_id: int) -> None:
    """Refuse a change to another store's record, listings or tags."""
    if not can_manage_store(actor, store_id):
        raise PermissionDenied(f"store {store_id} is managed by another account", field="store_id")


def store_acted_for(actor: Account, requested: int | None) -> int:
    """The store whose listings the actor imports: its own, or the one an admin names."""
    if actor.role is Role.STORE and actor.store_id is not None:
        if requested is not None and requested != actor.store_id:
            raise PermissionDenied("a store account works on its own listings only", field="store_id")
        return actor.store_id
    if is_admin(actor):
        if requested is None:
            raise CatalogError("an admin must say which store (store_id)", field="store_id")
        return requested
    raise PermissionDenied("only store and admin accounts work on listings", field="store_id")


def require_can_tag(actor: Account, product: Product, store_id: int | None) -> None:
    """Refuse a shelf tag for another store's shelf or another producer's product."""
    if store_id is not None:
        require_can_manage_store(actor, store_id)
    else:
        require_can_edit_product(actor, product)


def require_can_set_status(actor: Account, product: Product, status: ProductStatus | None) -> None:
    """Withdrawal is the province's decision: a producer neither withdraws nor re-publishes a withdrawn product
    (it hides its own with 'draft'); an unchanged or absent status is no decision at all."""
    if status is None or status is product.status or is_admin(actor):
        return
    if product.status is ProductStatus.WITHDRAWN:
        raise PermissionDenied("the province withdrew this product; only the province can publish it again", "status")
    if status is ProductStatus.WITHDRAWN:
        raise PermissionDenied("only the province withdraws a product; set it to draft to hide it", field="status")


def require_can_edit_producer(actor: Account, producer_id: int) -> None:
    """Refuse a change to another producer's record (every producer record is public, so 403)."""
    if not (is_admin(actor) or (actor.role is Role.PRODUCER and actor.producer_id == producer_id)):
        raise PermissionDenied(f"producer {producer_id} is managed by another account", field="producer_id")
