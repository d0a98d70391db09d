"""Open data: the published catalog as JSON Lines and CSV, rebuilt when the catalog changes and every day.

Files are written under `GREENSHELF_OPEN_DATA_DIR` to a temporary name and renamed into place, so a reader (in this or
another app process) always gets a whole file. A generation stamp (day + last outbox row + published count) says
whether the files on disk are current; a request that finds them stale rebuilds them first.
"""

import asyncio
import csv
import io
import json
import os
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from litestar import get
from litestar.di import NamedDependency
from litestar.response import File
from sqlalchemy.ext.asyncio import AsyncSession

from catalog import open_data
from service.settings import Settings

# Litestar appends "; charset=utf-8" to text types (the CSV), not to application types (the JSON lines).
FILES = {"jsonl": "application/x-ndjson; charset=utf-8", "csv": "text/csv"}
GENERATION = "products.generation"
NOTICE = {
    "licence": open_data.LICENCE,
    "licence_url": open_data.LICENCE_URL,
    "attribution": "Green Shelf, Cà Mau",
    "note": "Published products only; labels verified and valid on the day; no personal data. "
    "Rows flagged illustrative or fictional are demo values.",
}
_locks: dict[Path, asyncio.Lock] = {}


def _write_atomically(directory: Path, name: str, content: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        os.replace(temporary, directory / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _stamp_on_disk(directory: Path) -> str | None:
    directory.mkdir(parents=True, exist_ok=True)
    stamp_file = directory / GENERATION
    return stamp_file.read_text(encoding="utf-8") if stamp_file.exists() else None


def jsonl(records: list[dict[str, Any]], on: date) -> str:
    """The licence line, then one product per line."""
    lines = [json.dumps({**NOTICE, "generated_on": on.isoformat()}, ensure_ascii=False)]
    lines += [json.dumps(r, ensure_ascii=False) for r in records]
    return "\n".join(lines) + "\n"


def csv_text(records: list[dict[str, Any]], on: date) -> str:
    """A licence line starting with '#', then a header row and one product per row (lists joined by ';')."""
    out = io.StringIO()
    out.write(f"# licence: {open_data.LICENCE} {open_data.LICENCE_URL}; {NOTICE['attribution']}; {on.isoformat()}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(open_data.COLUMNS)
    for r in records:
        cells = dict(r)
        cells["labels"] = ";".join(
            f"{label['scheme']}:{label['certificate_no'] or ''}:{label['valid_until'] or ''}" for label in r["labels"]
        )
        cells["stores"] = ";".join(r["stores"])
        writer.writerow(["" if cells[c] is None else cells[c] for c in open_data.COLUMNS])
    return out.getvalue()


async def current_files(session: AsyncSession, settings: Settings, on: date) -> Path:
    """The directory holding current open-data files, rebuilding them first if the catalog moved on."""
    directory = Path(settings.open_data_dir)
    stamp = await open_data.generation(session, on)
    lock = _locks.setdefault(directory, asyncio.Lock())
    async with lock:
        if await asyncio.to_thread(_stamp_on_disk, directory) == stamp:
            return directory
        records = await open_data.records(session, on=on, base_url=settings.public_base_url)
        await asyncio.to_thread(_write_atomically, directory, "products.jsonl", jsonl(records, on))
        await asyncio.to_thread(_write_atomically, directory, "products.csv", csv_text(records, on))
        await asyncio.to_thread(_write_atomically, directory, GENERATION, stamp)
    return directory


async def _serve(session: AsyncSession, settings: Settings, on: date, extension: str) -> File:
    directory = await current_files(session, settings, on)
    return File(
        path=directory / f"products.{extension}",
        media_type=FILES[extension],
        content_disposition_type="inline",
        filename=f"greenshelf-products.{extension}",
        headers={"Link": f'<{open_data.LICENCE_URL}>; rel="license"'},
    )


@get("/open-data/products.jsonl", name="open-data-jsonl", cache=False)
async def products_jsonl(
    db_session: NamedDependency[AsyncSession], today: NamedDependency[date], settings: NamedDependency[Settings]
) -> File:
    """The published catalog as JSON Lines: a licence line, then one product per line."""
    return await _serve(db_session, settings, today, "jsonl")


@get("/open-data/products.csv", name="open-data-csv", cache=False)
async def products_csv(
    db_session: NamedDependency[AsyncSession], today: NamedDependency[date], settings: NamedDependency[Settings]
) -> File:
    """The published catalog as CSV: a '#' licence line, a header row, then one product per row."""
    return await _serve(db_session, settings, today, "csv")
