"""Content-addressed file storage on the local disk (the BlobStore that evidence files use by default)."""

import os
import re
import tempfile
from pathlib import Path

DIGEST = re.compile(r"[0-9a-f]{64}")


class LocalBlobStore:
    """Files under `root/ab/cd/<sha256>`; writes go through a temporary file and a rename, so none is half written."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, digest: str) -> Path:
        if not DIGEST.fullmatch(digest):
            raise ValueError(f"not a SHA-256 hex digest: {digest!r}")
        return self.root / digest[:2] / digest[2:4] / digest

    def put(self, digest: str, content: bytes) -> None:
        """Keep `content` under `digest` unless it is already there."""
        path = self._path(digest)
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def get(self, digest: str) -> bytes:
        """The bytes under `digest`."""
        return self._path(digest).read_bytes()
