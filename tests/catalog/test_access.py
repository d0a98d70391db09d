import pytest

from catalog import access
from catalog.accounts import Account, Role
from catalog.errors import CatalogError, NotFound, PermissionDenied
from catalog.products import Product, ProductStatus

ADMIN = Account(id=1, email="so@camau.gov.vn", password_hash="-", role=Role.ADMIN)
PRODUCER_A = Account(id=2, email="a@example.vn", password_hash="-", role=Role.PRODUCER, producer_id=10)
PRODUCER_B = Account(id=3, email="b@example.vn", password_hash="-", role=Role.PRODUCER, producer_id=20)
STORE = Account(id=4, email="st@example.vn", password_hash="-", role=Role.STORE, store_id=7)


def _product(producer_id: int, status: ProductStatus = ProductStatus.PUBLISHED) -> Product:
    return Product(
        id=99, slug="mam-ruoc", producer_id=producer_id, name_vi="Mắm ruốc", category_code="x", status=status
    )


def test_producer_may_edit_its_own_product_and_admin_any() -> None:
    assert access.can_edit_product(PRODUCER_A, _product(10))
    assert access.can_edit_product(ADMIN, _product(10))
    access.require_can_edit_product(PRODUCER_A, _product(10))


def test_producer_editing_another_producers_published_product_is_forbidden() -> None:
    assert not access.can_edit_product(PRODUCER_B, _product(10))
    with pytest.raises(PermissionDenied):
        access.require_can_edit_product(PRODUCER_B, _product(10))


def test_another_producers_draft_is_not_found_so_its_existence_does_not_leak() -> None:
    with pytest.raises(NotFound):
        access.require_can_edit_product(PRODUCER_B, _product(10, ProductStatus.DRAFT))


def test_store_accounts_do_not_edit_products() -> None:
    with pytest.raises(PermissionDenied):
        access.require_can_edit_product(STORE, _product(10))


def test_new_products_belong_to_the_producer_account_whatever_it_asks() -> None:
    assert access.producer_acted_for(PRODUCER_A, None) == 10
    assert access.producer_acted_for(PRODUCER_A, 10) == 10
    with pytest.raises(PermissionDenied):
        access.producer_acted_for(PRODUCER_A, 20)


def test_admin_must_name_the_producer_and_stores_cannot_add_products() -> None:
    assert access.producer_acted_for(ADMIN, 20) == 20
    with pytest.raises(CatalogError) as missing:
        access.producer_acted_for(ADMIN, None)
    assert missing.value.field == "producer_id"
    with pytest.raises(PermissionDenied):
        access.producer_acted_for(STORE, None)


def test_store_manages_only_its_own_store() -> None:
    assert access.can_manage_store(STORE, 7)
    assert access.can_manage_store(ADMIN, 7)
    assert not access.can_manage_store(STORE, 8)
    assert not access.can_manage_store(PRODUCER_A, 7)
    with pytest.raises(PermissionDenied):
        access.require_can_manage_store(STORE, 8)


def test_listings_import_goes_to_the_store_account_or_the_store_an_admin_names() -> None:
    assert access.store_acted_for(STORE, None) == 7
    assert access.store_acted_for(ADMIN, 8) == 8
    with pytest.raises(PermissionDenied):
        access.store_acted_for(STORE, 8)
    with pytest.raises(PermissionDenied):
        access.store_acted_for(PRODUCER_A, 7)


def test_tags_follow_the_shelf_when_in_a_store_and_the_product_otherwise() -> None:
    access.require_can_tag(STORE, _product(10), store_id=7)
    access.require_can_tag(PRODUCER_A, _product(10), store_id=None)
    with pytest.raises(PermissionDenied):
        access.require_can_tag(STORE, _product(10), store_id=8)
    with pytest.raises(PermissionDenied):
        access.require_can_tag(PRODUCER_B, _product(10), store_id=None)
