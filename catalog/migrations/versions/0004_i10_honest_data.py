"""honest data: certificate date rule, claim versions, GTIN ownership, one shelf tag per product and store

Revision ID: 0002_i10_honest_data
Revises: 0002_i18_reports
Create Date: 2026-11-30 01:30:00
"""

import logging
from collections.abc import Sequence
from datetime import date, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "0002_i10_honest_data"
down_revision: str | None = "0002_i18_reports"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")
UNDATED_REASON = "no issue date recorded, so nobody can say until when it holds; add it and ask again"


def _cap(issued_on: date, months: int) -> date:
    """issued_on + months − 1 day, clamped to the month's end (the catalog's default_valid_until, frozen here)."""
    import calendar

    index = issued_on.month - 1 + months
    year, month = issued_on.year + index // 12, index % 12 + 1
    return date(year, month, min(issued_on.day, calendar.monthrange(year, month)[1])) - timedelta(days=1)


def _as_date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value  # type: ignore[return-value]
    return date.fromisoformat(str(value)[:10])


def upgrade() -> None:
    # recreate="never": plain ALTER TABLE ADD COLUMN on SQLite. Recreating `product` would DROP it, and with
    # foreign keys enforced that cascades into every certification, listing and tag (measured: all were lost).
    with op.batch_alter_table("certification", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    with op.batch_alter_table("producer", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("gs1_prefixes", sa.JSON(), nullable=True))
    with op.batch_alter_table("product", schema=None, recreate="never") as batch_op:
        batch_op.add_column(sa.Column("gtin_confirmed", sa.Boolean(), nullable=False, server_default=sa.false()))
    _fix_certificate_dates()
    _confirm_existing_public_gtins()
    _drop_duplicate_tags()
    with op.batch_alter_table("shelf_tag", schema=None, recreate="never") as batch_op:
        batch_op.create_index(
            "uq_shelf_tag_product_store",
            ["product_id", "store_id"],
            unique=True,
            sqlite_where=sa.text("store_id IS NOT NULL"),
            postgresql_where=sa.text("store_id IS NOT NULL"),
        )
        batch_op.create_index(
            "uq_shelf_tag_product_no_store",
            ["product_id"],
            unique=True,
            sqlite_where=sa.text("store_id IS NULL"),
            postgresql_where=sa.text("store_id IS NULL"),
        )


def _fix_certificate_dates() -> None:
    """Schemes with a validity period: cap or fill valid_until; undated verified rows go back to the queue."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT c.id, c.issued_on, c.valid_until, c.status, s.validity_months FROM certification c "
            "JOIN label_scheme s ON s.code = c.scheme_code WHERE s.validity_months IS NOT NULL"
        )
    ).all()
    for cert_id, issued_raw, until_raw, status, months in rows:
        issued_on, valid_until = _as_date(issued_raw), _as_date(until_raw)
        if issued_on is None:
            if status == "verified":
                bind.execute(
                    sa.text("UPDATE certification SET status = 'claimed', status_reason = :reason WHERE id = :id"),
                    {"reason": UNDATED_REASON, "id": cert_id},
                )
                log.info("certification %s: verified without an issue date; back to claimed", cert_id)
            continue
        cap = _cap(issued_on, months)
        if valid_until is None or valid_until > cap:
            bind.execute(
                sa.text("UPDATE certification SET valid_until = :cap WHERE id = :id"), {"cap": cap, "id": cert_id}
            )
            log.info("certification %s: valid_until %s -> %s (issued %s + %s months)", cert_id, valid_until, cap,
                     issued_on, months)  # fmt: skip


def _confirm_existing_public_gtins() -> None:
    """GTINs that were already public links stay public: they may be printed on packs and shelf tags."""
    bind = op.get_bind()
    confirmed = 0
    for product_id, gtin in bind.execute(sa.text("SELECT id, gtin FROM product WHERE gtin IS NOT NULL")).all():
        if _publishable(gtin):
            bind.execute(sa.text("UPDATE product SET gtin_confirmed = :yes WHERE id = :id"), {"yes": True, "id": product_id})
            confirmed += 1
    log.info("product: %s GTIN(s) already public kept as confirmed; new ones need their producer's prefix", confirmed)


def _publishable(gtin14: str) -> bool:
    """catalog.gtin.is_publishable, frozen here: not all zeros, not a GS1 restricted-circulation number."""
    if gtin14.strip("0") == "":
        return False
    if gtin14[0] != "0":
        return True
    if gtin14.startswith("000000"):
        return gtin14[6] not in "02"
    if gtin14.startswith("00"):
        return gtin14[2] not in "24"
    return gtin14[1] != "2"


def _drop_duplicate_tags() -> None:
    """Keep the oldest tag of each (product, store); scans of a duplicate move to it before it is removed."""
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, code, product_id, store_id FROM shelf_tag ORDER BY id")).all()
    kept: dict[tuple[int, int | None], int] = {}
    for tag_id, code, product_id, store_id in rows:
        key = (product_id, store_id)
        if key not in kept:
            kept[key] = tag_id
            continue
        bind.execute(sa.text("UPDATE scan_event SET tag_id = :keep WHERE tag_id = :id"), {"keep": kept[key], "id": tag_id})
        bind.execute(sa.text("DELETE FROM shelf_tag WHERE id = :id"), {"id": tag_id})
        log.info("shelf_tag %s (%s): duplicate of tag %s for product %s, store %s; removed", tag_id, code,
                 kept[key], product_id, store_id)  # fmt: skip


def downgrade() -> None:
    # recreate="never": SQLite (3.35+) drops a plain column in place; copying a table that others reference
    # would trip the foreign keys the connection enforces.
    with op.batch_alter_table("shelf_tag", schema=None, recreate="never") as batch_op:
        batch_op.drop_index("uq_shelf_tag_product_no_store")
        batch_op.drop_index("uq_shelf_tag_product_store")
    for table, column in (("product", "gtin_confirmed"), ("producer", "gs1_prefixes"), ("certification", "version")):
        with op.batch_alter_table(table, schema=None, recreate="never") as batch_op:
            batch_op.drop_column(column)
