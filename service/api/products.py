"""Products: public reads, and writes by their producer or an admin."""

from datetime import date
from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, certifications, gtin, products
from catalog.accounts import Account, Role
from catalog.certifications import CertificationDraft
from catalog.pagination import Paginated
from catalog.products import ProductDraft, ProductPatch
from service import auth
from service.api.ids import PathId, query_id
from service.api.shapes import ClaimOut, ProductOut
from service.pagination import PageNumber, PerPage


class ProductController(Controller):
    """Published products with producer, certifications (with `valid_now`) and packaging."""

    path = "/products"
    tags = ["products"]

    @get("/", operation_id="listProducts")
    async def list_products(
        self,
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
        page: PageNumber = 1,
        per_page: PerPage = 20,
        category: Annotated[str | None, QueryParameter(max_length=40)] = None,
        producer: Annotated[int | None, query_id()] = None,
        store: Annotated[int | None, query_id()] = None,
        gtin_: Annotated[str | None, QueryParameter(name="gtin", max_length=14, description="GTIN-8/12/13/14")] = None,
    ) -> Paginated[ProductOut]:
        """Published products, filtered by category, producer, store or GTIN (8/12/13/14 digits)."""
        filters = products.ProductFilter(
            category=category, producer_id=producer, store_id=store, gtin=gtin.to_gtin14(gtin_) if gtin_ else None
        )
        found = await products.list_published(db_session, filters, page, per_page)
        return found.map(lambda p: ProductOut.of(p, today))

    @get("/{product_id:int}", operation_id="getProduct")
    async def get_product(
        self, product_id: PathId, db_session: NamedDependency[AsyncSession], today: NamedDependency[date]
    ) -> ProductOut:
        """One published product."""
        return ProductOut.of(await products.get_published(db_session, product_id), today)

    @post(
        "/",
        operation_id="createProduct",
        guards=[auth.requires(Role.PRODUCER, Role.ADMIN)],
        security=auth.SECURITY,
    )
    async def create_product(
        self,
        data: JSONBody[ProductDraft],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
    ) -> ProductOut:
        """Add a product: a producer's own (its producer_id is forced), or any producer's for an admin."""
        draft = data.model_copy(update={"producer_id": access.producer_acted_for(account, data.producer_id)})
        return ProductOut.of(await products.create(db_session, draft, actor_id=account.id), today)

    @patch(
        "/{product_id:int}",
        operation_id="patchProduct",
        guards=[auth.requires(Role.PRODUCER, Role.ADMIN)],
        security=auth.SECURITY,
    )
    async def patch_product(
        self,
        product_id: PathId,
        data: JSONBody[ProductPatch],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
    ) -> ProductOut:
        """Change fields (packaging is replaced as a whole); `version` must be current or the answer is 409."""
        product = await products.get(db_session, product_id)
        access.require_can_edit_product(account, product)
        access.require_can_set_status(account, product, data.status)
        return ProductOut.of(await products.patch(db_session, product, data, actor_id=account.id), today)

    @post(
        "/{product_id:int}/gtin-confirmation",
        operation_id="confirmGtin",
        guards=[auth.requires(Role.ADMIN)],
        security=auth.SECURITY,
        status_code=HTTP_200_OK,
    )
    async def confirm_gtin(
        self,
        product_id: PathId,
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
    ) -> ProductOut:
        """The province confirms a GTIN outside the producer's prefixes is its own: it becomes a Digital Link."""
        product = await products.get(db_session, product_id)
        return ProductOut.of(await products.confirm_gtin(db_session, product, actor_id=account.id), today)

    @post(
        "/{product_id:int}/certifications",
        operation_id="claimCertification",
        guards=[auth.requires(Role.PRODUCER, Role.ADMIN)],
        security=auth.SECURITY,
    )
    async def claim_certification(
        self,
        product_id: PathId,
        data: JSONBody[CertificationDraft],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
    ) -> ClaimOut:
        """Claim that the product carries a label, with evidence; it counts nowhere until an admin verifies it."""
        product = await products.get(db_session, product_id)
        access.require_can_edit_product(account, product)
        return ClaimOut.of(await certifications.claim(db_session, product_id, data, actor_id=account.id), today)

    @post(
        "/{product_id:int}/ocop-ratings",
        operation_id="recordOcopRating",
        guards=[auth.requires(Role.ADMIN)],
        security=auth.SECURITY,
    )
    async def record_ocop_rating(
        self,
        product_id: PathId,
        data: JSONBody[CertificationDraft],
        account: NamedDependency[Account],
        db_session: NamedDependency[AsyncSession],
        today: NamedDependency[date],
    ) -> ClaimOut:
        """The province records its OCOP rating decision, verified at once (scheme_code must be OCOP)."""
        await products.get(db_session, product_id)
        cert = await certifications.record_ocop_rating(db_session, product_id, data, actor_id=account.id)
        return ClaimOut.of(cert, today)
