"""The plan's indicators on a given day, computed from catalog rows: each with its value, target and whether it is met.

The functions are pure (facts in, numbers out); `gather` loads the facts. Charts, pages and exports only render
what `report` returns, so the dashboard, the XLSX and the JSON cannot disagree.
"""

import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from catalog import analytics, plans, reports
from catalog.analytics import DayCount
from catalog.audit import AuditEntry
from catalog.certifications import Certification, CertificationStatus
from catalog.errors import CatalogError
from catalog.labels import OCOP, SchemeKind
from catalog.plans import AwarenessEvent, Plan
from catalog.products import Product, ProductStatus
from catalog.stores import Listing, Store

# Labels that make a product "eco-labelled / environment-friendly" for the plan: verified and valid on the day.
GREEN_KINDS = frozenset(
    {SchemeKind.TYPE_I_ECOLABEL, SchemeKind.ORGANIC, SchemeKind.GAP, SchemeKind.THIRD_PARTY_SUSTAINABILITY}
)
EXPIRY_WINDOWS = (30, 60, 90)
SERIES_MONTHS = 12
SERIES_WEEKS = 12
SCAN_WINDOW_DAYS = 7
# Days a report can be asked for: plans are years 2000–2100, and a year's series reaches back before its first day.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
# Plan targets Green Shelf holds no data for: listed with their target, value unknown.
UNMEASURED = frozenset({"enterprises_informed"})


@dataclass
class Indicator:
    """One indicator on a day: its value, the numbers it comes from, and the plan's target if it sets one."""

    key: str
    unit: str  # count, share (0–1), ratio or days
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    target: float | None = None
    comparison: str | None = None
    met: bool | None = None
    measured: bool = True
    breakdown: dict[str, int] | None = None


@dataclass(frozen=True)
class Policy:
    """A bag policy from a day on: True hands out free hard-to-degrade bags, False does not, None unknown."""

    since: date
    free_bags: bool | None


@dataclass
class StoreFacts:
    """A store with its bag-policy history and its shelves."""

    store: Store
    timeline: list[Policy]
    active_listings: int

    def free_bags_on(self, day: date) -> bool | None:
        """The store's policy on `day`; unknown before the first policy it recorded."""
        current: bool | None = None
        for policy in self.timeline:
            if policy.since > day:
                break
            current = policy.free_bags
        return current


@dataclass(frozen=True)
class Claim:
    """A certification claim: when it was made and when (if ever) an admin decided it."""

    certification_id: int
    claimed_at: datetime
    decided_at: datetime | None
    status: CertificationStatus
    self_declared: bool


@dataclass
class Facts:
    """Everything the indicators read, loaded once for a day."""

    on: date
    stores: list[StoreFacts]
    products: list[Product]  # published, with certifications
    listed_in_target_stores: set[int]
    claims: list[Claim]
    events: list[AwarenessEvent]
    scans: list[DayCount]  # the SERIES_WEEKS weeks ending with `on`'s week
    open_reports: int = 0  # shoppers' problem reports open at the end of the day
    report_resolution_days: float | None = None  # median days to resolve or dismiss, over reports closed by then


@dataclass(frozen=True)
class ExpiringCertificate:
    """A verified certificate still valid on the day that ends within the window."""

    certification_id: int
    product_id: int
    product_name: str
    producer_id: int
    scheme_code: str
    certificate_no: str | None
    ocop_stars: int | None
    valid_until: date
    days_left: int


@dataclass
class Report:
    """The indicators and the lists behind them, on one day, against the plan in force."""

    on: date
    plan: Plan | None
    indicators: list[Indicator]
    bag_policy_by_month: list[Indicator]
    scans_by_week: list[tuple[date, int]]
    stores: list[dict[str, object]]
    expiring_certificates: list[ExpiringCertificate]
    events: list[AwarenessEvent]
    scans_by_store: list[tuple[int | None, int]]
    scans_by_product: list[tuple[int, int]]

    def indicator(self, key: str) -> Indicator:
        """One indicator by key."""
        return next(i for i in self.indicators if i.key == key)


def share(numerator: int, denominator: int) -> float | None:
    """A share rounded to four places; unknown when there is nothing to divide by."""
    return round(numerator / denominator, 4) if denominator else None


def target_stores(facts: Facts) -> Indicator:
    """Stores that count toward the plan's supermarket and commercial-centre target."""
    n = sum(1 for s in facts.stores if s.store.counts_toward_target)
    return Indicator("target_stores", "count", n)


def bag_share_on(stores: Sequence[StoreFacts], day: date) -> Indicator:
    """Share of target stores that did not hand out free hard-to-degrade bags on `day` (unknown counts as not)."""
    targets = [s for s in stores if s.store.counts_toward_target]
    without = sum(1 for s in targets if s.free_bags_on(day) is False)
    return Indicator("target_stores_without_free_bags", "share", share(without, len(targets)), without, len(targets))


def target_stores_without_free_bags(facts: Facts) -> Indicator:
    """The plan's headline: target stores without free hard-to-degrade plastic bags."""
    return bag_share_on(facts.stores, facts.on)


def is_green(product: Product, on: date) -> bool:
    """Holds at least one valid verified eco-label, organic, GAP or sustainability certificate on `on`."""
    return any(c.scheme.kind in GREEN_KINDS and c.is_valid_on(on) for c in product.certifications)


def green_products(facts: Facts) -> Indicator:
    """Published products with a valid green label, out of all published products."""
    n = sum(1 for p in facts.products if is_green(p, facts.on))
    return Indicator("green_products", "count", n, n, len(facts.products))


def green_products_in_target_stores(facts: Facts) -> Indicator:
    """Of the green products, those on an active listing in at least one target store."""
    green = [p for p in facts.products if is_green(p, facts.on)]
    listed = sum(1 for p in green if p.id in facts.listed_in_target_stores)
    return Indicator("green_products_in_target_stores", "count", listed, listed, len(green))


def listings_per_store(facts: Facts) -> Indicator:
    """Active listings of published products per store."""
    total = sum(s.active_listings for s in facts.stores)
    ratio = round(total / len(facts.stores), 2) if facts.stores else None
    return Indicator("listings_per_store", "ratio", ratio, total, len(facts.stores))


def _valid_ocop(product: Product, on: date) -> list[Certification]:
    return [c for c in product.certifications if c.scheme_code == OCOP and c.is_valid_on(on)]


def ocop_products(facts: Facts) -> Indicator:
    """Published products with a valid OCOP rating, by their highest valid stars."""
    stars: Counter[str] = Counter()
    for product in facts.products:
        valid = _valid_ocop(product, facts.on)
        if valid:
            stars[str(max(c.ocop_stars or 0 for c in valid))] += 1
    breakdown = {str(n): stars.get(str(n), 0) for n in (3, 4, 5)}
    return Indicator("ocop_products", "count", sum(breakdown.values()), breakdown=breakdown)


def ocop_products_expired(facts: Facts) -> Indicator:
    """Published products whose verified OCOP ratings have all expired (none valid on the day)."""
    n = 0
    for product in facts.products:
        ocop = [c for c in product.certifications if c.scheme_code == OCOP]
        if not _valid_ocop(product, facts.on) and any(c.is_expired_on(facts.on) for c in ocop):
            n += 1
    return Indicator("ocop_products_expired", "count", n)


def ocop_ends_on(product: Product, on: date) -> date | None:
    """The last day the product's OCOP rating holds, counting every valid one; None without a dated rating."""
    ends = [c.valid_until for c in _valid_ocop(product, on)]
    return None if not ends or None in ends else max(d for d in ends if d is not None)


def ocop_products_expiring(days: int) -> Callable[[Facts], Indicator]:
    """Products whose valid OCOP rating ends within `days` days (a renewed rating counts as not ending)."""

    def indicator(facts: Facts) -> Indicator:
        limit = facts.on + timedelta(days=days)
        n = 0
        for product in facts.products:
            end = ocop_ends_on(product, facts.on)
            if end is not None and end <= limit:
                n += 1
        return Indicator(f"ocop_products_expiring_{days}", "count", n)

    indicator.__doc__ = f"Products whose OCOP rating ends within {days} days."
    return indicator


def is_awaiting_on(claim: Claim, day: date) -> bool:
    """The claim had been made and not yet decided at the end of `day`."""
    if claim.self_declared or analytics.vietnam_day(claim.claimed_at) > day:
        return False
    if claim.decided_at is None:
        return claim.status is CertificationStatus.CLAIMED
    return analytics.vietnam_day(claim.decided_at) > day


def claims_awaiting_review(facts: Facts) -> Indicator:
    """Claims an admin has still to verify or reject."""
    return Indicator("claims_awaiting_review", "count", sum(1 for c in facts.claims if is_awaiting_on(c, facts.on)))


def median_days_claim_to_decision(facts: Facts) -> Indicator:
    """Median days from a claim to its verification or rejection, over decisions made up to the day."""
    days = [
        (c.decided_at - c.claimed_at).total_seconds() / 86400
        for c in facts.claims
        if c.decided_at is not None and analytics.vietnam_day(c.decided_at) <= facts.on
    ]
    value = round(statistics.median(days), 1) if days else None
    return Indicator("median_days_claim_to_decision", "days", value, denominator=len(days))


def awareness_events(facts: Facts) -> Indicator:
    """Awareness events held in the day's year, up to the day."""
    n = sum(1 for e in facts.events if e.held_on.year == facts.on.year and e.held_on <= facts.on)
    return Indicator("awareness_events", "count", n)


def scans_per_week(facts: Facts) -> Indicator:
    """Shelf-tag scans in the seven days ending on the day."""
    first = facts.on - timedelta(days=SCAN_WINDOW_DAYS - 1)
    return Indicator("scans_per_week", "count", sum(c.scans for c in facts.scans if first <= c.day <= facts.on))


def open_reports(facts: Facts) -> Indicator:
    """Shoppers' problem reports the province has not yet resolved or dismissed."""
    return Indicator("open_reports", "count", facts.open_reports)


def median_days_to_resolution(facts: Facts) -> Indicator:
    """Median days from a shopper's report to its resolution or dismissal, over reports closed up to the day."""
    days = facts.report_resolution_days
    return Indicator("median_days_to_resolution", "days", round(days, 1) if days is not None else None)


# The indicators, in the order pages and exports show them.
INDICATORS: tuple[Callable[[Facts], Indicator], ...] = (
    target_stores,
    target_stores_without_free_bags,
    green_products,
    green_products_in_target_stores,
    listings_per_store,
    ocop_products,
    ocop_products_expired,
    *(ocop_products_expiring(days) for days in EXPIRY_WINDOWS),
    claims_awaiting_review,
    median_days_claim_to_decision,
    awareness_events,
    scans_per_week,
    open_reports,
    median_days_to_resolution,
)
KEYS = frozenset(
    {
        "target_stores",
        "target_stores_without_free_bags",
        "green_products",
        "green_products_in_target_stores",
        "listings_per_store",
        "ocop_products",
        "ocop_products_expired",
        *(f"ocop_products_expiring_{days}" for days in EXPIRY_WINDOWS),
        "claims_awaiting_review",
        "median_days_claim_to_decision",
        "awareness_events",
        "scans_per_week",
        "open_reports",
        "median_days_to_resolution",
    }
)
TARGETABLE = KEYS | UNMEASURED


def apply_target(indicator: Indicator, plan: Plan | None) -> Indicator:
    """Attach the plan's target for this indicator, if it sets one, and whether it is met."""
    target = next((t for t in plan.targets if t.indicator == indicator.key), None) if plan else None
    if target is not None:
        indicator.target, indicator.comparison = target.value, target.comparison.value
        indicator.met = target.is_met_by(indicator.value)
    return indicator


def month_ends(on: date, months: int) -> list[date]:
    """The last day of each of the `months` months up to `on`'s month (that one ends on `on`), oldest first."""
    ends = [on]
    first = on.replace(day=1)
    while len(ends) < months:
        last = first - timedelta(days=1)
        ends.append(last)
        first = last.replace(day=1)
    return list(reversed(ends))


def expiring_certificates(products: Sequence[Product], on: date, within: int = 90) -> list[ExpiringCertificate]:
    """Verified certificates valid on `on` whose validity ends within `within` days, soonest first."""
    limit = on + timedelta(days=within)
    found = [
        ExpiringCertificate(
            certification_id=c.id or 0,
            product_id=p.id or 0,
            product_name=p.name_vi,
            producer_id=p.producer_id,
            scheme_code=c.scheme_code,
            certificate_no=c.certificate_no,
            ocop_stars=c.ocop_stars,
            valid_until=c.valid_until,
            days_left=(c.valid_until - on).days,
        )
        for p in products
        for c in p.certifications
        if c.is_valid_on(on) and c.valid_until is not None and c.valid_until <= limit
    ]
    return sorted(found, key=lambda e: (e.valid_until, e.product_name, e.certification_id))


def report(facts: Facts, plan: Plan | None) -> Report:
    """Every indicator on the day with its target, the monthly bag-policy series and the lists behind them."""
    indicators = [apply_target(compute(facts), plan) for compute in INDICATORS]
    for key in sorted(UNMEASURED):
        if plan and any(t.indicator == key for t in plan.targets):
            indicators.append(apply_target(Indicator(key, "share", None, measured=False), plan))
    months = [apply_target(bag_share_on(facts.stores, day), plan) for day in month_ends(facts.on, SERIES_MONTHS)]
    for point, day in zip(months, month_ends(facts.on, SERIES_MONTHS), strict=True):
        point.key = day.strftime("%Y-%m")
    weeks = analytics.weeks_ending(facts.on, SERIES_WEEKS)
    by_week: Counter[date] = Counter()
    for count in facts.scans:
        if count.day <= facts.on:
            by_week[analytics.week_start(count.day)] += count.scans
    first = facts.on - timedelta(days=SCAN_WINDOW_DAYS - 1)
    recent = [c for c in facts.scans if first <= c.day <= facts.on]
    by_store: Counter[int | None] = Counter()
    by_product: Counter[int] = Counter()
    for count in recent:
        by_store[count.store_id] += count.scans
        by_product[count.product_id] += count.scans
    stores = [
        {
            "id": s.store.id,
            "name": s.store.name,
            "slug": s.store.slug,
            "store_type": s.store.store_type.value,
            "counts_toward_target": s.store.counts_toward_target,
            "free_hard_to_degrade_bags": s.free_bags_on(facts.on),
            "bag_policy_since": next((p.since for p in reversed(s.timeline) if p.since <= facts.on), None),
            "active_listings": s.active_listings,
            "scans_per_week": by_store.get(s.store.id, 0),
        }
        for s in facts.stores
    ]
    return Report(
        on=facts.on,
        plan=plan,
        indicators=indicators,
        bag_policy_by_month=months,
        scans_by_week=[(week, by_week.get(week, 0)) for week in weeks],
        stores=stores,
        expiring_certificates=expiring_certificates(facts.products, facts.on),
        events=[e for e in facts.events if e.held_on.year == facts.on.year and e.held_on <= facts.on],
        scans_by_store=sorted(by_store.items(), key=lambda kv: (-kv[1], kv[0] or 0)),
        scans_by_product=sorted(by_product.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def policy_timeline(store: Store, entries: Sequence[AuditEntry]) -> list[Policy]:
    """A store's bag policy over time, from its audited snapshots (oldest first) and its current row.

    Each snapshot says "from `bag_policy_since` on, this policy"; a later record replaces what earlier ones said
    from its date on. A policy stated without a date counts from the day it was recorded.
    """
    segments: list[Policy] = []

    def apply(since: date, free_bags: bool | None) -> None:
        nonlocal segments
        segments = [p for p in segments if p.since < since]
        if not segments or segments[-1].free_bags != free_bags:
            segments.append(Policy(since, free_bags))

    for entry in entries:
        for snapshot in (entry.before, entry.after):
            if snapshot and "free_hard_to_degrade_bags" in snapshot:
                since = snapshot.get("bag_policy_since")
                day = date.fromisoformat(since) if since else analytics.vietnam_day(entry.at)
                apply(day, snapshot["free_hard_to_degrade_bags"])
    apply(store.bag_policy_since or analytics.vietnam_day(store.updated_at), store.free_hard_to_degrade_bags)
    return segments


async def gather(session: AsyncSession, on: date) -> Facts:
    """Load the rows the indicators read, as they stand now, for the day `on`."""
    day_end = analytics.start_of_day(on + timedelta(days=1))
    stores = list((await session.execute(select(Store).order_by(col(Store.name), col(Store.id)))).scalars())
    entries = (
        await session.execute(
            select(AuditEntry).where(col(AuditEntry.entity) == "store").order_by(col(AuditEntry.at), col(AuditEntry.id))
        )
    ).scalars()
    by_store: dict[int, list[AuditEntry]] = {}
    for entry in entries:
        if entry.entity_id is not None:
            by_store.setdefault(entry.entity_id, []).append(entry)
    products = list(
        (
            await session.execute(
                select(Product).where(col(Product.status) == ProductStatus.PUBLISHED).order_by(col(Product.id))
            )
        )
        .unique()
        .scalars()
    )
    listings = (
        await session.execute(
            select(col(Listing.store_id), col(Listing.product_id))
            .join(Product, col(Product.id) == col(Listing.product_id))
            .where(col(Listing.active).is_(True), col(Product.status) == ProductStatus.PUBLISHED)
        )
    ).tuples()
    per_store: Counter[int] = Counter()
    target_ids = {s.id for s in stores if s.counts_toward_target}
    listed_in_targets: set[int] = set()
    for store_id, product_id in listings:
        per_store[store_id] += 1
        if store_id in target_ids:
            listed_in_targets.add(product_id)
    facts_stores = [
        StoreFacts(s, policy_timeline(s, by_store.get(s.id or 0, [])), per_store.get(s.id or 0, 0)) for s in stores
    ]
    return Facts(
        on=on,
        stores=facts_stores,
        products=products,
        listed_in_target_stores=listed_in_targets,
        claims=await _claims(session),
        events=await plans.list_events(session, year=on.year),
        scans=await analytics.day_counts(session, since=analytics.weeks_ending(on, SERIES_WEEKS)[0], until=on),
        open_reports=await reports.count_open(session, at=day_end),
        report_resolution_days=await reports.median_days_to_resolution(session, closed_before=day_end),
    )


async def _claims(session: AsyncSession) -> list[Claim]:
    decisions = (
        await session.execute(
            select(col(AuditEntry.entity_id), col(AuditEntry.at))
            .where(col(AuditEntry.entity) == "certification", col(AuditEntry.action).in_(("verify", "reject")))
            .order_by(col(AuditEntry.at))
        )
    ).tuples()
    decided: dict[int, datetime] = {}
    for cert_id, at in decisions:
        if cert_id is not None:
            decided.setdefault(cert_id, at)
    certs = (await session.execute(select(Certification))).unique().scalars()
    return [Claim(c.id or 0, c.created_at, decided.get(c.id or 0), c.status, c.scheme.is_self_declared) for c in certs]


async def plan_report(session: AsyncSession, on: date) -> Report:
    """The report for `on` against the plan in force then."""
    if not FIRST_DAY <= on <= LAST_DAY:
        raise CatalogError(f"on must be between {FIRST_DAY} and {LAST_DAY}", field="on")
    return report(await gather(session, on), await plans.plan_for(session, on))
