"""The rendered-page cache (service/page_cache.py): fast repeats, and never a stale page.

Two apps on one database stand for two processes (each has its own cache); tests/deploy/test_topology.py does the
same with real `greenshelf serve` processes.
"""

import gc
from collections.abc import AsyncIterator
from datetime import date, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import db
from catalog.accounts import Role
from service import warm_start
from service.app import app_from_env, create_app
from tests import build
from tests.conftest import make_settings
from tests.plugins.accounts import add_account, sign_in

Client = AsyncTestClient[Litestar]


@pytest.fixture
async def other(demo_db_url: str, today: date) -> AsyncIterator[Client]:
    """A second app process on the same database."""
    async with AsyncTestClient(create_app(make_settings(demo_db_url), today=lambda: today)) as client:
        yield client


async def _rename_quietly(session: AsyncSession, product_id: int, name: str) -> None:
    # Raw SQL passes no ORM hook, so it does not move the catalog generation: a page that still shows the old
    # name after this was served from the cache, not rendered again.
    await session.execute(text("UPDATE product SET name_vi = :name WHERE id = :id"), {"name": name, "id": product_id})
    await session.commit()


async def test_a_repeat_is_served_from_the_cache_and_an_edit_through_another_process_is_on_the_next_page(
    session: AsyncSession, client: Client, other: Client, demo_db_url: str, password_hash: str
) -> None:
    product = await build.product(session, name_vi="Mắm tôm chà Tân Tiến")
    await session.commit()
    assert product.id is not None
    first = await client.get(f"/p/{product.slug}")
    await _rename_quietly(session, product.id, "Tên đổi lén")

    repeat = await client.get(f"/p/{product.slug}")
    assert repeat.status_code == 200
    assert "Mắm tôm chà Tân Tiến" in repeat.text and "Tên đổi lén" not in repeat.text
    assert repeat.headers["etag"] == first.headers["etag"]

    engine = db.create_engine(demo_db_url)
    async with db.session_factory(engine)() as admin_session, admin_session.begin():
        await add_account(admin_session, "cache.admin@camau.gov.vn", Role.ADMIN, password_hash)
    await engine.dispose()
    headers = await sign_in(other, "cache.admin@camau.gov.vn")
    version = (await other.get(f"/api/v1/products/{product.id}", headers=headers)).json()["version"]
    edited = await other.patch(
        f"/api/v1/products/{product.id}", json={"name_vi": "Mắm tôm Cà Mau", "version": version}, headers=headers
    )
    assert edited.status_code == 200, edited.text

    after = await client.get(f"/p/{product.slug}")
    assert "Mắm tôm Cà Mau" in after.text
    assert after.headers["etag"] != first.headers["etag"]


async def test_a_certificate_that_expires_at_midnight_is_not_shown_valid_on_the_first_request_of_the_next_day(
    session: AsyncSession, demo_db_url: str, today: date
) -> None:
    product = await build.product(session)
    await build.certification(session, product, issued_on=today - timedelta(days=400), valid_until=today)
    await session.commit()
    day = {"today": today}
    app = create_app(make_settings(demo_db_url), today=lambda: day["today"])
    async with AsyncTestClient(app) as client:
        on_the_day = await client.get(f"/p/{product.slug}", params={"lang": "en"})
        assert 'class="cert valid"' in on_the_day.text
        day["today"] = today + timedelta(days=1)
        next_day = await client.get(f"/p/{product.slug}", params={"lang": "en"})
    assert 'class="cert valid"' not in next_day.text
    assert 'class="cert expired"' in next_day.text


@pytest.mark.parametrize("path", ["/p/{slug}", "/t/{code}"])
async def test_a_language_switch_never_serves_the_other_languages_cached_page(
    session: AsyncSession, client: Client, path: str
) -> None:
    product = await build.product(session)
    tag = await build.tag(session, product, await build.store(session))
    await session.commit()
    url = path.format(slug=product.slug, code=tag.code)

    for _ in range(2):
        vi = await client.get(url)
        en = await client.get(url, params={"lang": "en"})
        by_header = await client.get(url, headers={"Accept-Language": "en"})
        vi_again = await client.get(url, params={"lang": "vi"})
        assert '<html lang="vi"' in vi.text and '<html lang="en"' in en.text
        assert '<html lang="en"' in by_header.text and '<html lang="vi"' in vi_again.text
        assert len({vi.headers["etag"], en.headers["etag"]}) == 2


async def test_pages_revalidate_with_their_etag_and_vary_by_language(session: AsyncSession, client: Client) -> None:
    product = await build.product(session)
    await session.commit()

    page = await client.get(f"/p/{product.slug}")
    same = await client.get(f"/p/{product.slug}", headers={"If-None-Match": page.headers["etag"]})
    chosen = await client.get(f"/p/{product.slug}", params={"lang": "en"})

    assert page.status_code == 200 and page.headers["cache-control"] == "no-cache"
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "Accept-Language" in page.headers["vary"] and "Cookie" in page.headers["vary"]
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == page.headers["etag"]
    # Setting the visitor's language cookie makes the answer private.
    assert chosen.headers["cache-control"] == "private, no-cache" and "set-cookie" in chosen.headers


async def test_with_no_room_every_page_is_rendered_afresh(session: AsyncSession, demo_db_url: str, today: date) -> None:
    product = await build.product(session, name_vi="Mắm tôm chà Tân Tiến")
    await session.commit()
    assert product.id is not None
    app = create_app(make_settings(demo_db_url, page_cache_pages=0), today=lambda: today)
    async with AsyncTestClient(app) as client:
        await client.get(f"/p/{product.slug}")
        await _rename_quietly(session, product.id, "Tên đổi lén")
        again = await client.get(f"/p/{product.slug}")
    assert "Tên đổi lén" in again.text


async def test_scans_are_counted_from_cached_pages_and_written_when_the_app_stops(
    session: AsyncSession, app: Litestar
) -> None:
    product = await build.product(session)
    tag = await build.tag(session, product, await build.store(session))
    await session.commit()

    async with AsyncTestClient(app) as client:
        for _ in range(3):
            assert (await client.get(f"/t/{tag.code}")).status_code == 200
    written = await session.scalar(text("SELECT count(*) FROM scan_event WHERE tag_id = :id"), {"id": tag.id})
    assert written == 3


def test_a_serving_process_compiles_its_pages_and_freezes_its_heap_before_the_first_request(
    demo_db_url: str, today: date
) -> None:
    # A full garbage collection over the process's ~300,000 long-lived objects paused the scan page for 150-250 ms
    # (service/warm_start.py); frozen objects are not walked.
    app = create_app(make_settings(demo_db_url), today=lambda: today)
    environment = app.template_engine.engine  # type: ignore[union-attr]
    gc.unfreeze()
    try:
        warm_start.warm_and_freeze(app)
        assert gc.get_freeze_count() > 100_000
        compiled = {name for (_loader, name) in environment.cache}  # Jinja's cache of compiled templates
        assert set(environment.list_templates(extensions=["html"])) <= compiled
    finally:
        gc.unfreeze()
    assert warm_start.warm_and_freeze in app_from_env_startup_hooks()


def app_from_env_startup_hooks() -> list[object]:
    """What `greenshelf serve` (uvicorn's factory app_from_env) runs at startup."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GREENSHELF_SECRET_KEY", "x" * 32)
        return list(app_from_env().on_startup)


async def test_an_app_that_stops_leaves_no_database_connection_open(
    session: AsyncSession, app: Litestar, backend: str
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite has no server to count connections on")
    product = await build.product(session)
    await session.commit()
    async with AsyncTestClient(app) as client:
        assert (await client.get(f"/p/{product.slug}")).status_code == 200  # the generation reader holds one
    # Ours is the only one left: the reader's connection is closed even though the pool was disposed before it.
    others = await session.scalar(
        text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    )
    assert others == 0
