"""Evidence files on certification claims: uploaded by the producer (or an admin), read by them and the province."""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from litestar import Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import access, certifications, evidence, products
from catalog.accounts import Account, Role
from catalog.certifications import Certification
from catalog.evidence import EXTENSIONS, MAX_BYTES, BlobStore, EvidenceFile
from service import auth
from service.api.ids import PathId

OWNER_OR_ADMIN = [auth.requires(Role.PRODUCER, Role.ADMIN)]
# Bodies up to twice the limit are read, so a file somewhat too big hears which field and why (413 naming `file`);
# anything bigger is refused by Litestar (413) before it is read.
BODY_LIMIT = 2 * MAX_BYTES


@dataclass
class EvidenceUpload:
    """The multipart form: one `file` field."""

    file: UploadFile


class EvidenceOut(BaseModel):
    """An evidence file's record; its bytes are at `url`, for the owner and admins only."""

    id: int
    certification_id: int
    media_type: str
    size_bytes: int
    filename: str | None
    sha256: str
    url: str
    created_at: datetime

    @classmethod
    def of(cls, row: EvidenceFile) -> "EvidenceOut":
        """Shape an evidence row with its private URL."""
        return cls.model_validate(
            {**row.model_dump(), "url": file_path(row.certification_id, row.id or 0)}, from_attributes=True
        )


def file_path(certification_id: int, file_id: int) -> str:
    """Where the owner and admins read a file (the portal's previews use it too)."""
    return f"/api/v1/certifications/{certification_id}/evidence/{file_id}"


async def owned_certification(session: AsyncSession, account: Account, certification_id: int) -> Certification:
    """A claim the account may attach evidence to or read evidence of: its own product's, or any for an admin."""
    cert = await certifications.get(session, certification_id)
    access.require_can_edit_product(account, await products.get(session, cert.product_id))
    return cert


@post(
    "/certifications/{certification_id:int}/evidence", operation_id="uploadEvidence", tags=["certifications"],
    guards=OWNER_OR_ADMIN, security=auth.SECURITY, request_max_body_size=BODY_LIMIT,
)  # fmt: skip
async def upload_evidence(
    certification_id: PathId,
    data: Annotated[EvidenceUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    blobs: NamedDependency[BlobStore],
) -> EvidenceOut:
    """Attach a PDF, JPEG or PNG (at most 5 MB, type read from the content) to a claim: 201, 413 or 415."""
    cert = await owned_certification(db_session, account, certification_id)
    content = await data.file.read(MAX_BYTES + 1)
    row = await evidence.attach(db_session, cert, content, data.file.filename, blobs=blobs, actor_id=account.id)
    return EvidenceOut.of(row)


@get(
    "/certifications/{certification_id:int}/evidence", operation_id="listEvidence", tags=["certifications"],
    guards=OWNER_OR_ADMIN, security=auth.SECURITY,
)  # fmt: skip
async def list_evidence(
    certification_id: PathId, account: NamedDependency[Account], db_session: NamedDependency[AsyncSession]
) -> list[EvidenceOut]:
    """A claim's evidence files, oldest first (owner or admin)."""
    await owned_certification(db_session, account, certification_id)
    return [EvidenceOut.of(row) for row in await evidence.of_certification(db_session, certification_id)]


@get(
    "/certifications/{certification_id:int}/evidence/{file_id:int}", operation_id="getEvidence",
    tags=["certifications"], guards=OWNER_OR_ADMIN, security=auth.SECURITY,
    media_type="application/octet-stream",
)  # fmt: skip
async def get_evidence(
    certification_id: PathId,
    file_id: PathId,
    account: NamedDependency[Account],
    db_session: NamedDependency[AsyncSession],
    blobs: NamedDependency[BlobStore],
) -> Response[bytes]:
    """The file itself, shown inline; never cached by shared caches."""
    await owned_certification(db_session, account, certification_id)
    row = await evidence.get(db_session, certification_id, file_id)
    headers: dict[str, Any] = {
        "Content-Disposition": f'inline; filename="evidence-{row.id}.{EXTENSIONS[row.media_type]}"',
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return Response(blobs.get(row.sha256), media_type=row.media_type, headers=headers)
