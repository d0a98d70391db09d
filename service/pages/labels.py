"""Label guides: /labels lists every scheme, /labels/{code} says what it certifies, what not, and who holds it."""

from datetime import date

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import greenness, guides, labels
from service.pages import context


@get("/labels", name="labels")
async def labels_page(
    request: Request, db_session: NamedDependency[AsyncSession], locale: NamedDependency[str]
) -> Template:
    """Every label scheme with its one-line guide, and how the green score is counted."""
    schemes = await labels.schemes(db_session)
    return context.page(
        request,
        locale,
        "pages/labels.html",
        schemes=schemes,
        guides=guides.texts(),
        points=greenness,
    )


@get("/labels/{code:str}", name="label")
async def label_page(
    request: Request,
    code: FromPath[str],
    db_session: NamedDependency[AsyncSession],
    today: NamedDependency[date],
    locale: NamedDependency[str],
) -> Template:
    """One scheme's guide with the products that validly hold it today."""
    scheme = await guides.get_scheme(db_session, code)
    return context.page(
        request,
        locale,
        "pages/label.html",
        scheme=scheme,
        guide=guides.text_for(scheme.code),
        holders=await guides.holders(db_session, scheme.code, today),
        points=greenness.label_points(scheme.kind),
        today=today,
    )
