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


# What each tenant role works on, as its refusals name it.
_WORKS_ON = {Role.PRODUCER: "products", Role.STORE: "listings"}


def acted_for(actor: Account, tenant: Role, requested: int | None) -> int:
    """The producer or store (`tenant`) whose rows the actor adds, imports or exports: its own account's, or the one
    an admin names; any other account is refused."""
    field = f"{tenant}_id"
    own = actor.producer_id if tenant is Role.PRODUCER else actor.store_id
    if actor.role is tenant and own is not None:
        if requested is not None and requested != own:
            raise PermissionDenied(f"a {tenant} account works on its own {_WORKS_ON[tenant]} only", field=field)
        return own
    if is_admin(actor):
        if requested is None:
            raise CatalogError(f"an admin must say which {tenant} ({field})", field=field)
        return requested
    raise PermissionDenied(f"only {tenant} and admin accounts work on {_WORKS_ON[tenant]}", field=field)


def producer_acted_for(actor: Account, requested: int | None) -> int:
    """The producer whose products the actor adds, imports or exports: its own, or the one an admin names."""
    return acted_for(actor, Role.PRODUCER, requested)


def store_acted_for(actor: Account, requested: int | None) -> int:
    """The store whose listings the actor imports: its own, or the one an admin names."""
    return acted_for(actor, Role.STORE, requested)


def can_manage_store(actor: Account, store_id: int) -> bool:
    """Admins, and the store's own account, may change the store record, its listings and its tags."""
    return is_admin(actor) or (actor.role is Role.STORE and actor.store_id == store_id)


def require_can_manage_store(actor: Account, store_id: int) -> None:
    """Refuse a change to another store's record, listings or tags."""
    if not can_manage_store(actor, store_id):
        raise PermissionDenied(f"store {store_id} is managed by another account", field="store_id")


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
