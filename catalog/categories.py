"""Our product taxonomy and the OCOP product groups of Decision 148/QĐ-TTg."""

from sqlmodel import Field, SQLModel


class Category(SQLModel, table=True):
    """A shelf category shoppers browse by (fish sauce, dried seafood, eco household goods…)."""

    code: str = Field(primary_key=True, max_length=40)
    name_vi: str = Field(max_length=120)
    name_en: str = Field(max_length=120)


class OcopGroup(SQLModel, table=True):
    """An OCOP product group or sub-group code such as 'I.3.d'."""

    __tablename__ = "ocop_group"

    code: str = Field(primary_key=True, max_length=20)
    name_vi: str = Field(max_length=200)
    name_en: str = Field(max_length=200)
