"""The Green Shelf domain: tables, value rules and the functions that change the catalog.

Knows nothing of HTTP, templates or search engines. Callers own transactions; functions here only flush.
"""

from sqlmodel import SQLModel

# Fixed constraint names keep migrations identical on SQLite and PostgreSQL; must be set before any table exists.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
