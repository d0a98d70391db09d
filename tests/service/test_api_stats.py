"""The plan's indicators: every number is computed again here from the rows the test made, and compared."""

import io
import statistics
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from openpyxl import load_workbook
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from catalog import certifications, db, products, stores
from catalog.accounts import Role
from catalog.analytics import ScanDaily
from catalog.audit import AuditEntry
from catalog.certifications import Certification, CertificationStatus
from catalog.plans import AwarenessEvent
from catalog.products import ProductStatus
from catalog.scans import ScanEvent
from catalog.stores import StorePatch, StoreType
from service.app import create_app
from tests import build
from tests.conftest import make_settings
from tests.plugins.accounts import add_account, sign_in

Client = AsyncTestClient[Litestar]
ON = date(2026, 11, 25)
ADMIN = "thong.ke@camau.gov.vn"


@dataclass(frozen=True)
class StoreSpec:
    """A store and its bag policy over time: (since, hands out free bags)."""

    name: str
    target: bool
    policies: tuple[tuple[date | None, bool | None], ...]

    def free_bags_on(self, day: date) -> bool | None:
        current = None
        for since, free in self.policies:
            if since is not None and since <= day:
                current = free
        return current


STORES = (
    StoreSpec("Siêu thị Tân Thành", True, ((date(2026, 3, 1), False),)),
    # Stopped free bags in the middle of November.
    StoreSpec("Co.opmart Năm Căn", True, ((date(2026, 1, 10), True), (date(2026, 11, 14), False))),
    StoreSpec("Trung tâm thương mại Cà Mau", True, ((date(2025, 12, 1), True),)),
    StoreSpec("Siêu thị Đầm Dơi", True, ((None, None),)),
    StoreSpec("Cửa hàng tiện lợi Phường 5", False, ((date(2026, 2, 1), False),)),
)


@dataclass(frozen=True)
class CertSpec:
    scheme: str
    status: CertificationStatus
    issued_on: date
    valid_until: date
    stars: int | None = None


@dataclass(frozen=True)
class ProductSpec:
    name: str
    certs: tuple[CertSpec, ...]
    listed_in: tuple[int, ...] = ()  # indexes into STORES, active listings
    published: bool = True


V = CertificationStatus.VERIFIED
PRODUCTS = (
    ProductSpec("Mật ong U Minh Hạ", (CertSpec("VN_ECOLABEL", V, date(2025, 2, 1), date(2028, 1, 31)),), (0,)),
    ProductSpec("Rau sạch Tân Lộc", (CertSpec("VIETGAP", V, date(2025, 6, 1), date(2027, 5, 31)),), (4,)),
    ProductSpec(
        "Gạo hữu cơ Trí Lực",
        (CertSpec("VN_ORGANIC", CertificationStatus.CLAIMED, date(2026, 10, 1), date(2029, 9, 30)),),
    ),
    # Its OCOP certificate expires on the chosen day: still valid that day, and expiring within 30 days.
    ProductSpec("Tôm khô Rạch Gốc", (CertSpec("OCOP", V, date(2023, 11, 26), ON, 4),), (0,)),
    ProductSpec("Khô cá sặc", (CertSpec("OCOP", V, date(2023, 11, 25), ON - timedelta(days=1), 3),)),
    ProductSpec("Ba khía muối", (CertSpec("OCOP", V, date(2024, 1, 10), ON + timedelta(days=45), 5),)),
    ProductSpec(
        "Chả cá thác lác",
        (
            CertSpec("OCOP", V, date(2022, 1, 1), date(2024, 12, 31), 3),
            CertSpec("OCOP", V, date(2025, 6, 13), ON + timedelta(days=200), 4),
        ),
    ),
    ProductSpec("Túi vải Cà Mau", (CertSpec("VN_ECOLABEL", V, date(2024, 6, 1), ON - timedelta(days=1)),)),
    ProductSpec("Nước mắm nháp", (CertSpec("VN_ECOLABEL", V, date(2025, 1, 1), date(2027, 12, 31)),), (0,), False),
)
# (claimed at, decided at or None, verified?) for claims on a product of their own.
CLAIMS = (
    (datetime(2026, 10, 1, 2, tzinfo=UTC), datetime(2026, 10, 5, 2, tzinfo=UTC), True),
    (datetime(2026, 10, 10, 2, tzinfo=UTC), datetime(2026, 10, 20, 2, tzinfo=UTC), False),
    (datetime(2026, 11, 20, 2, tzinfo=UTC), datetime(2026, 11, 28, 2, tzinfo=UTC), True),  # decided after ON
)
RICE_CLAIMED_AT = datetime(2026, 11, 1, 2, tzinfo=UTC)  # the organic rice claim, never decided
EVENTS = (date(2025, 12, 1), date(2026, 3, 8), ON, ON + timedelta(days=6))
# Raw scans (UTC instants) and rolled-up days: (product index, store index, when, how many).
RAW_SCANS = (
    (0, 0, datetime(2026, 11, 20, 3, tzinfo=UTC), 3),
    (0, 0, datetime(2026, 11, 24, 17, 30, tzinfo=UTC), 1),  # 00:30 on 25 November in Cà Mau
    (3, 0, datetime(2026, 11, 18, 16, 59, tzinfo=UTC), 2),  # 23:59 on 18 November: a week and a day before ON
)
DAILY_SCANS = ((1, 4, date(2026, 11, 19), 5), (1, 4, date(2026, 10, 1), 7))


async def _build(session: AsyncSession) -> tuple[list[int], list[int]]:
    maker = await build.producer(session)
    store_ids: list[int] = []
    for index, spec in enumerate(STORES):
        since, free = spec.policies[0]
        store = await build.store(
            session,
            name=spec.name,
            code=f"T{index}",
            counts_toward_target=spec.target,
            store_type=StoreType.SUPERMARKET if spec.target else StoreType.CONVENIENCE_STORE,
            free_hard_to_degrade_bags=free,
            bag_policy_since=since,
        )
        for since, free in spec.policies[1:]:
            await stores.patch(
                session,
                store,
                StorePatch(version=store.version, free_hard_to_degrade_bags=free, bag_policy_since=since),
                actor_id=None,
            )
        assert store.id is not None
        store_ids.append(store.id)
    product_ids: list[int] = []
    for spec in PRODUCTS:
        # Stores can list only published products: an unpublished one was listed, then taken back to draft.
        product = await build.product(session, maker=maker, name_vi=spec.name, status=ProductStatus.PUBLISHED)
        for cert in spec.certs:
            extra = {"ocop_stars": cert.stars} if cert.scheme == "OCOP" else {}
            await build.certification(
                session,
                product,
                scheme=cert.scheme,
                status=cert.status,
                issued_on=cert.issued_on,
                valid_until=cert.valid_until,
                **extra,
            )
        for store_index in spec.listed_in:
            await build.listing(session, await stores.get(session, store_ids[store_index]), product)
        if not spec.published:
            product.status = ProductStatus.DRAFT
        assert product.id is not None
        product_ids.append(product.id)
    # A listing taken off the shelf counts nowhere.
    gone = await build.listing(
        session, await stores.get(session, store_ids[1]), await products.get(session, product_ids[5])
    )
    gone.active = False
    for claimed_at, decided_at, verified in CLAIMS:
        product = await build.product(session, maker=maker, name_vi="Mắm ba khía", status=ProductStatus.DRAFT)
        cert = await build.certification(session, product, scheme="VN_ORGANIC", status=CertificationStatus.CLAIMED)
        if verified:
            await certifications.verify(
                session, cert, actor_id=None, without_evidence=True, note="Đối chiếu bản gốc tại Sở"
            )
        else:
            await certifications.reject(session, cert, "Giấy chứng nhận không khớp sản phẩm", actor_id=None)
        await session.execute(
            update(Certification).where(col(Certification.id) == cert.id).values(created_at=claimed_at)
        )
        await session.execute(
            update(AuditEntry)
            .where(col(AuditEntry.entity) == "certification", col(AuditEntry.entity_id) == cert.id)
            .where(col(AuditEntry.action).in_(("verify", "reject")))
            .values(at=decided_at)
        )
    # Every claim above was made after ON except the awaiting organic rice claim, whose date is set here.
    await session.execute(
        update(Certification)
        .where(col(Certification.status) == CertificationStatus.CLAIMED)
        .values(created_at=RICE_CLAIMED_AT)
    )
    for held_on in EVENTS:
        session.add(AwarenessEvent(held_on=held_on, title="Ngày không túi ni lông", organiser="Sở Công Thương"))
    for product_index, store_index, at, n in RAW_SCANS:
        for _ in range(n):
            session.add(
                ScanEvent(product_id=product_ids[product_index], store_id=store_ids[store_index], at=at, lang="vi")
            )
    for product_index, store_index, day, n in DAILY_SCANS:
        session.add(ScanDaily(day=day, product_id=product_ids[product_index], store_id=store_ids[store_index], scans=n))
    await session.flush()
    return store_ids, product_ids


def _cert_valid(cert: CertSpec, day: date) -> bool:
    return cert.status is V and cert.issued_on <= day <= cert.valid_until


def expected(on: date) -> dict[str, object]:
    """The indicators, computed from the specs alone."""
    targets = [s for s in STORES if s.target]
    without = sum(1 for s in targets if s.free_bags_on(on) is False)
    published = [p for p in PRODUCTS if p.published]
    green = [p for p in published if any(c.scheme != "OCOP" and _cert_valid(c, on) for c in p.certs)]
    in_targets = [p for p in green if any(STORES[i].target for i in p.listed_in)]
    listings = sum(len(p.listed_in) for p in published)
    stars = {"3": 0, "4": 0, "5": 0}
    expiring = {30: 0, 60: 0, 90: 0}
    expired = 0
    for p in published:
        ocop = [c for c in p.certs if c.scheme == "OCOP"]
        valid = [c for c in ocop if _cert_valid(c, on)]
        if valid:
            stars[str(max(c.stars or 0 for c in valid))] += 1
            end = max(c.valid_until for c in valid)
            for days in expiring:
                expiring[days] += end <= on + timedelta(days=days)
        elif any(c.valid_until < on for c in ocop):
            expired += 1
    awaiting = (RICE_CLAIMED_AT.date() <= on) + sum(
        1 for claimed, decided, _ in CLAIMS if claimed.date() <= on < decided.date()
    )
    decided_days = [(d - c).total_seconds() / 86400 for c, d, _ in CLAIMS if d.date() <= on]
    week = [on - timedelta(days=n) for n in range(7)]
    scans = sum(n for _, _, day, n in DAILY_SCANS if day in week)
    scans += sum(n for _, _, at, n in RAW_SCANS if (at + timedelta(hours=7)).date() in week)
    return {
        "target_stores": (len(targets), None, None),
        "target_stores_without_free_bags": (round(without / len(targets), 4), without, len(targets)),
        "green_products": (len(green), len(green), len(published)),
        "green_products_in_target_stores": (len(in_targets), len(in_targets), len(green)),
        "listings_per_store": (round(listings / len(STORES), 2), listings, len(STORES)),
        "ocop_products": (sum(stars.values()), None, None),
        "ocop_stars": stars,
        "ocop_products_expired": (expired, None, None),
        **{f"ocop_products_expiring_{d}": (n, None, None) for d, n in expiring.items()},
        "claims_awaiting_review": (awaiting, None, None),
        "median_days_claim_to_decision": (
            round(statistics.median(decided_days), 1) if decided_days else None,
            None,
            len(decided_days),
        ),
        "awareness_events": (sum(1 for e in EVENTS if e.year == on.year and e <= on), None, None),
        "scans_per_week": (scans, None, None),
    }


@pytest.fixture
async def stats_client(reference_db_url: str, password_hash: str) -> AsyncIterator[Client]:
    """An app on a database holding only reference data, the plan, and the rows this module builds."""
    engine = db.create_engine(reference_db_url)
    async with db.session_factory(engine)() as session, session.begin():
        await _build(session)
        await add_account(session, ADMIN, Role.ADMIN, password_hash)
    await engine.dispose()
    async with AsyncTestClient(create_app(make_settings(reference_db_url), today=lambda: ON)) as client:
        client.headers.update(await sign_in(client, ADMIN))
        yield client


def _by_key(body: dict[str, object]) -> dict[str, dict[str, object]]:
    return {i["key"]: i for i in body["indicators"]}  # type: ignore[index, union-attr]


@pytest.mark.parametrize("on", [ON, date(2026, 11, 10), date(2026, 10, 31)])
async def test_every_indicator_matches_an_independent_count_of_the_rows(stats_client: Client, on: date) -> None:
    response = await stats_client.get("/api/v1/stats/plan", params={"on": on.isoformat()})
    assert response.status_code == 200, response.text
    found = _by_key(response.json())
    want = expected(on)
    stars = want.pop("ocop_stars")
    for key, (value, numerator, denominator) in want.items():  # type: ignore[misc]
        got = found[key]
        assert (got["value"], got["numerator"], got["denominator"]) == (value, numerator, denominator), key
    assert found["ocop_products"]["breakdown"] == stars


async def test_targets_come_from_the_plan_and_say_whether_they_are_met(stats_client: Client) -> None:
    body = (await stats_client.get("/api/v1/stats/plan", params={"on": ON.isoformat()})).json()
    assert body["plan"]["code"] == "174/KH-UBND" and body["plan"]["year"] == 2024
    found = _by_key(body)
    bags = found["target_stores_without_free_bags"]
    assert bags == bags | {"value": 0.5, "numerator": 2, "denominator": 4, "target": 0.55, "met": False}
    assert found["awareness_events"] | {} == found["awareness_events"] | {"value": 2, "target": 2, "met": True}
    assert found["enterprises_informed"]["value"] is None and found["enterprises_informed"]["met"] is None
    assert found["scans_per_week"]["target"] is None and found["scans_per_week"]["met"] is None


async def test_bag_share_month_by_month_counts_a_mid_month_change_from_that_month(stats_client: Client) -> None:
    body = (await stats_client.get("/api/v1/stats/plan", params={"on": ON.isoformat()})).json()
    months = {m["month"]: m for m in body["bag_policy_by_month"]}
    assert list(months)[-1] == "2026-11" and len(months) == 12
    for month, day in (("2026-11", ON), ("2026-10", date(2026, 10, 31)), ("2026-02", date(2026, 2, 28))):
        targets = [s for s in STORES if s.target]
        without = sum(1 for s in targets if s.free_bags_on(day) is False)
        assert (months[month]["numerator"], months[month]["denominator"]) == (without, len(targets)), month
    assert months["2026-11"]["numerator"] == months["2026-10"]["numerator"] + 1


async def test_expiring_certificates_list_holds_the_one_ending_on_the_day(stats_client: Client) -> None:
    body = (await stats_client.get("/api/v1/stats/plan", params={"on": ON.isoformat()})).json()
    listed = [(c["product_name"], c["valid_until"], c["days_left"]) for c in body["expiring_certificates"]]
    assert listed == [
        ("Tôm khô Rạch Gốc", ON.isoformat(), 0),
        ("Ba khía muối", (ON + timedelta(days=45)).isoformat(), 45),
    ]


async def test_xlsx_holds_the_same_numbers_as_the_json(stats_client: Client) -> None:
    body = (await stats_client.get("/api/v1/stats/plan", params={"on": ON.isoformat()})).json()
    response = await stats_client.get("/api/v1/stats/plan.xlsx", params={"on": ON.isoformat()})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["indicators"].iter_rows(values_only=True))
    header = rows[0]
    sheet = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    for indicator in body["indicators"]:
        for column in ("value", "numerator", "denominator", "target", "met"):
            assert sheet[indicator["key"]][column] == indicator[column], (indicator["key"], column)
    months = list(workbook["bag_policy_by_month"].iter_rows(values_only=True))[1:]
    assert [(m[0], m[1]) for m in months] == [(m["month"], m["value"]) for m in body["bag_policy_by_month"]]
    certs = list(workbook["expiring_certificates"].iter_rows(values_only=True))[1:]
    assert [c[0] for c in certs] == [c["certification_id"] for c in body["expiring_certificates"]]


async def test_csv_lists_the_stores_with_their_bag_policy_on_the_day(stats_client: Client) -> None:
    response = await stats_client.get("/api/v1/stats/plan.csv", params={"on": ON.isoformat(), "table": "stores"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    lines = response.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("id,name,store_type,counts_toward_target,free_hard_to_degrade_bags")
    assert any("Co.opmart Năm Căn" in line and ",False,2026-11-14," in line for line in lines)
    bad = await stats_client.get("/api/v1/stats/plan.csv", params={"table": "passwords"})
    assert bad.status_code == 400 and bad.json()["extra"][0]["key"] == "table"


async def test_a_bad_day_is_a_400_naming_the_field(stats_client: Client) -> None:
    for day in ("2026-02-30", "0001-01-01", "9999-12-31"):
        response = await stats_client.get("/api/v1/stats/plan", params={"on": day})
        assert response.status_code == 400, day
        assert response.json()["extra"][0]["key"] == "on"
