"""Small named values the background jobs keep between runs (e.g. the last expiry refresh day)."""

from sqlmodel import Field, SQLModel


class SyncState(SQLModel, table=True):
    """A key/value pair owned by a background job."""

    __tablename__ = "sync_state"

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(max_length=400)
