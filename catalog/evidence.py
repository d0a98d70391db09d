"""Evidence files for certification claims: scanned certificates kept privately for the owner and the province.

The file's type is read from its first bytes, never from its name or the client's Content-Type; the bytes live
in a BlobStore under their SHA-256, so the same certificate uploaded twice is stored once.
"""

import hashlib
from datetime import datetime
from typing import Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from catalog import audit, text
from catalog.certifications import Certification
from catalog.clock import utcnow
from catalog.columns import utc_datetime
from catalog.errors import CatalogError, NotFound

MAX_BYTES = 5 * 1024 * 1024
# Magic numbers of the three accepted types (PDF 1.x/2.0, JPEG/JFIF/Exif, PNG).
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


class EvidenceTooLarge(CatalogError):
    """A file over MAX_BYTES."""

    field = "file"


class UnsupportedEvidenceType(CatalogError):
    """A file that is not a PDF, JPEG or PNG by its content."""

    field = "file"


@runtime_checkable
class BlobStore(Protocol):
    """Where evidence bytes live, addressed by their SHA-256; a local folder today, an S3 bucket could be one."""

    def put(self, digest: str, content: bytes) -> None:
        """Keep `content` under `digest` (a no-op when it is already there)."""

    def get(self, digest: str) -> bytes:
        """The bytes stored under `digest`; FileNotFoundError when they are missing."""


class EvidenceFile(SQLModel, table=True):
    """One file attached to a claim; the bytes are in the BlobStore under `sha256`."""

    __tablename__ = "evidence_file"

    id: int | None = Field(default=None, primary_key=True)
    certification_id: int = Field(foreign_key="certification.id", index=True, ondelete="CASCADE")
    sha256: str = Field(max_length=64, index=True)
    media_type: str = Field(max_length=40)
    size_bytes: int = Field(ge=0)
    filename: str | None = Field(default=None, max_length=200)
    uploaded_by: int | None = Field(default=None, foreign_key="account.id")
    created_at: datetime = utc_datetime(default_factory=utcnow)


def sniff(content: bytes) -> str | None:
    """The media type the content really is, among the accepted ones, or None."""
    return next((media for magic, media in SIGNATURES if content.startswith(magic)), None)


async def attach(
    session: AsyncSession,
    cert: Certification,
    content: bytes,
    filename: str | None,
    *,
    blobs: BlobStore,
    actor_id: int | None,
) -> EvidenceFile:
    """Check and keep a file as evidence for a claim, audited; the bytes are written before the row."""
    if len(content) > MAX_BYTES:
        raise EvidenceTooLarge(f"an evidence file may be at most {MAX_BYTES // (1024 * 1024)} MB")
    if not content:
        raise CatalogError("the file is empty", field="file")
    media_type = sniff(content)
    if media_type is None:
        raise UnsupportedEvidenceType("evidence must be a PDF, JPEG or PNG file")
    digest = hashlib.sha256(content).hexdigest()
    blobs.put(digest, content)
    name = text.clean_optional(filename)
    row = EvidenceFile(
        certification_id=cert.id or 0,
        sha256=digest,
        media_type=media_type,
        size_bytes=len(content),
        filename=name[:200] if name else None,
        uploaded_by=actor_id,
    )
    session.add(row)
    await session.flush()
    audit.record(
        session,
        actor_id=actor_id,
        entity="evidence_file",
        entity_id=row.id,
        action="upload",
        after=audit.snapshot(row),
    )
    return row


async def of_certification(session: AsyncSession, certification_id: int) -> list[EvidenceFile]:
    """A claim's files, oldest first."""
    rows = await session.scalars(
        select(EvidenceFile)
        .where(col(EvidenceFile.certification_id) == certification_id)
        .order_by(col(EvidenceFile.id))
    )
    return list(rows)


async def of_certifications(session: AsyncSession, certification_ids: list[int]) -> dict[int, list[EvidenceFile]]:
    """Files of several claims at once (the claims queue)."""
    found: dict[int, list[EvidenceFile]] = {cid: [] for cid in certification_ids}
    if certification_ids:
        rows = await session.scalars(
            select(EvidenceFile)
            .where(col(EvidenceFile.certification_id).in_(certification_ids))
            .order_by(col(EvidenceFile.id))
        )
        for row in rows:
            found[row.certification_id].append(row)
    return found


async def get(session: AsyncSession, certification_id: int, file_id: int) -> EvidenceFile:
    """One file of a claim, or NotFound (a file of another claim is not found here)."""
    row = await session.get(EvidenceFile, file_id)
    if row is None or row.certification_id != certification_id:
        raise NotFound(f"certification {certification_id} has no evidence file {file_id}", field="file_id")
    return row
