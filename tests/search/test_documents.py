from datetime import date

from catalog import products
from catalog.products import ProductPatch, ProductStatus
from search import documents
from search.sync import Sessions
from tests.search.conftest import product_id


async def _document(sessions: Sessions, code: str, on: date) -> dict[str, object]:
    async with sessions() as session:
        (document,) = (await documents.build(session, [await product_id(sessions, code)], on)).documents
    return document


async def test_document_carries_only_labels_valid_on_the_day(sessions: Sessions, today: date) -> None:
    beef_balls = await _document(sessions, "P001", today)  # OCOP 3★ expired 2025, 4★ valid until 2028-01-22
    assert beef_balls["labels"] == ["OCOP"] and beef_balls["ocop_stars"] == 4
    after_expiry = await _document(sessions, "P001", date(2028, 1, 23))
    assert after_expiry["labels"] == [] and after_expiry["ocop_stars"] is None
    assert after_expiry["green_score"] < beef_balls["green_score"]


async def test_self_declared_and_unverified_claims_are_not_labels(sessions: Sessions, today: date) -> None:
    bin_bags = await _document(sessions, "P070", today)  # "tự hủy sinh học": a self-declared claim
    assert bin_bags["labels"] == [] and bin_bags["labels_text"] == []


async def test_document_lists_the_stores_with_active_listings_and_folded_aliases(
    sessions: Sessions, today: date
) -> None:
    honey = await _document(sessions, "P065", today)
    assert len(honey["store_ids"]) == 2  # type: ignore[arg-type]
    assert "mat ong u minh" in honey["aliases"]  # type: ignore[operator]
    assert honey["name_marks"] == ["vnmaatj", "vnruwngf", "vntramf", "vnhaj"]  # Mật … rừng tràm … Hạ


async def test_unpublished_product_becomes_a_deletion(sessions: Sessions, today: date) -> None:
    honey_id = await product_id(sessions, "P065")
    async with sessions() as session, session.begin():
        honey = await session.get(products.Product, honey_id)
        assert honey is not None
        await products.patch(
            session, honey, ProductPatch(version=honey.version, status=ProductStatus.WITHDRAWN), actor_id=None
        )
    async with sessions() as session:
        batch = await documents.build(session, [honey_id], today)
    assert batch.documents == [] and batch.deletions == [honey_id]
