"""`python -m bench [--quick] [--scale]`: every figure is a ratio against a floor measured in this run."""

import argparse
import asyncio
import base64
import json
import logging
import os
import secrets
import shutil
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
from meilisearch_python_sdk import AsyncClient

from bench import load, queries, report, synthetic
from catalog import db, migrations
from catalog.products import Product
from search import client as search_client
from search import documents, index, query, reindex
from search.local_server import LocalMeili, free_loopback_port, provision_binary
from seeds import load as seed_load
from service import qr, scan_counter, tag_sheets

log = logging.getLogger("bench")
OUT = Path("var/bench")
# Documents per request in the chunked upload floor, four requests in flight: the shape the Meilisearch docs advise
# for large imports (several mid-sized payloads rather than one huge one).
FLOOR_CHUNK = 10_000


def _args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10k products and shorter load runs (< 3 minutes)")
    parser.add_argument("--size", type=int, help="catalog size (default 100000, or 10000 with --quick)")
    parser.add_argument("--scale", action="store_true", help="also the 1M-product run: reindex, disk size, p99")
    parser.add_argument("--scale-size", type=int, default=1_000_000, help="products in the --scale run")
    parser.add_argument("--seconds", type=int, help="seconds per load run (default 10, or 4 with --quick)")
    parser.add_argument("--workers", type=int, default=1, help="app worker processes (default 1)")
    parser.add_argument("--sheet-tags", type=int, default=1000, help="labels on the timed tag sheet (default 1000)")
    parser.add_argument("--out", type=Path, default=OUT, help="where the report goes (default var/bench)")
    parser.add_argument(
        "--database-url",
        help="an empty database to fill instead of the SQLite file, e.g. postgresql+asyncpg://…/bench (main run)",
    )
    return parser.parse_args()


async def _build_catalog(url: str, size: int) -> synthetic.SyntheticCatalog:
    engine = db.create_engine(url)
    try:
        async with db.session_factory(engine)() as session, session.begin():
            await seed_load.load_reference(session)
        return await synthetic.generate(engine, size)
    finally:
        await engine.dispose()


def _synonyms() -> dict[str, list[str]]:
    return index.synonym_map(seed_load.seed_catalog()["search_synonyms"])


async def _reindex(url: str, meili: LocalMeili, live: str, on: date, *, floors: tuple[str, ...]) -> dict[str, float]:
    """Database → documents → fresh index → swap, against the fastest way to upload the same documents.

    `floors` names the uploads to try: "batch" (all documents in one request) and "chunked" (the same documents in
    parallel chunks). The floor is the best of those tried; a million documents in one request takes Meilisearch far
    longer than chunks do, so the scale run tries chunks only.
    """
    engine = db.create_engine(url)
    sessions = db.session_factory(engine)
    client = search_client.make_client(meili.url, meili.master_key)
    # Uploading a whole catalog in one request takes far longer than the app's 5-second search timeout.
    bulk = AsyncClient(meili.url, meili.master_key, timeout=3600, custom_headers={"Accept-Encoding": "identity"})
    try:
        started = time.perf_counter()
        result = await reindex.rebuild(sessions, client, live, on=on, synonyms=_synonyms())
        reindex_s = time.perf_counter() - started
        figures = {"reindex_seconds": reindex_s, "reindex_docs_per_s": result.documents / reindex_s}
        if not floors:
            return figures
        floor_documents = await _all_documents(sessions, on)
        for name in floors:
            uid = f"{live}_floor_{name}"
            floor_s = await _upload_floor(client, bulk, uid, floor_documents, chunked=name == "chunked")
            figures[f"reindex_floor_{name}_seconds"] = floor_s
            log.info("bench: %s upload floor %.1f s", name, floor_s)
    finally:
        await client.aclose()
        await bulk.aclose()
        await engine.dispose()
    floor_s = min(figures[f"reindex_floor_{name}_seconds"] for name in floors)
    return {
        **figures,
        "reindex_floor_seconds": floor_s,
        "reindex_floor_docs_per_s": len(floor_documents) / floor_s,
        "reindex_ratio": floor_s / reindex_s,
    }


async def _all_documents(sessions: Any, on: date) -> list[dict[str, Any]]:
    """Every published product's document, built in chunks with a fresh session each (bounded ORM memory)."""
    async with sessions() as session:
        ids = await documents.published_ids(session)
    built: list[dict[str, Any]] = []
    for start in range(0, len(ids), 5_000):
        async with sessions() as session:
            built += (await documents.build(session, ids[start : start + 5_000], on)).documents
    return built


async def _upload_floor(
    client: AsyncClient, bulk: AsyncClient, uid: str, docs: list[dict[str, Any]], *, chunked: bool
) -> float:
    """Seconds to get `docs` into a fresh index with the app's settings: one request, or chunks sent in parallel."""
    await index.apply(client, uid, _synonyms())
    started = time.perf_counter()
    if chunked:
        chunks = [docs[i : i + FLOOR_CHUNK] for i in range(0, len(docs), FLOOR_CHUNK)]
        gate = asyncio.Semaphore(4)

        async def send(chunk: list[dict[str, Any]]) -> int:
            async with gate:
                return (await bulk.index(uid).add_documents(chunk, index.PRIMARY_KEY)).task_uid

        uids = await asyncio.gather(*(send(chunk) for chunk in chunks))
    else:
        uids = [(await bulk.index(uid).add_documents(docs, index.PRIMARY_KEY)).task_uid]
    for task_uid in uids:
        await search_client.wait_for_task(client, task_uid, timeout_s=3600)
    seconds = time.perf_counter() - started
    await search_client.wait_for_task(client, (await client.index(uid).delete()).task_uid)
    return seconds


def _start_app(
    url: str, meili: LocalMeili, live: str, workers: int, out: Path, *, cached: bool = True
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_loopback_port()
    env = {
        **os.environ,
        "GREENSHELF_DATABASE_URL": url,
        "GREENSHELF_MEILI_URL": meili.url,
        "GREENSHELF_MEILI_MASTER_KEY": meili.master_key,
        "GREENSHELF_MEILI_INDEX": live,
        "GREENSHELF_SYNC_WORKER": "false",
        # Uncached: every scan page rendered afresh (queries, alternatives from Meilisearch, template), as before
        # the page cache; the scan mix's 2,000 pages fit the default cache.
        "GREENSHELF_PAGE_CACHE_PAGES": "2000" if cached else "0",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "bench.floor:app_with_floor", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=(out / "app.log").open("wb"),
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"the app did not start; see {out / 'app.log'}")


def _search_load(base: str, meili: LocalMeili, live: str, seconds: int) -> dict[str, float]:
    mix = queries.mix()
    api = [load.Request("GET", "/api/v1/search?" + urlencode(q.api_params)) for q in mix]
    direct = [
        load.Request("POST", f"/indexes/{live}/search", json.dumps(query.meili_params(q.request), ensure_ascii=False))
        for q in mix
    ]
    # A floor that answers errors would be no floor: every request of both mixes must succeed once first.
    _check(base, api)
    _check(meili.url, direct, bearer=meili.master_key)

    def both(connections: int) -> tuple[load.LoadResult, load.LoadResult]:
        ours = load.run(base, api, connections=connections, seconds=seconds)
        floor_ = load.run(meili.url, direct, connections=connections, seconds=seconds, bearer=meili.master_key,
                          content_type="application/json")  # fmt: skip
        return ours, floor_

    c1, c1_floor = both(1)
    c32, c32_floor = both(32)
    return {
        "search_rps_c32": c32.throughput,
        "search_floor_rps_c32": c32_floor.throughput,
        "search_throughput_ratio": c32.throughput / c32_floor.throughput,
        "search_p50_ms_c1": c1.p50_ms,
        "search_floor_p50_ms_c1": c1_floor.p50_ms,
        "search_p50_ratio_c1": c1.p50_ms / c1_floor.p50_ms,
        "search_p99_ms_c1": c1.p99_ms,
        "search_floor_p99_ms_c1": c1_floor.p99_ms,
        "search_p99_ratio_c1": c1.p99_ms / c1_floor.p99_ms,
        "search_p50_ms_c32": c32.p50_ms,
        "search_floor_p50_ms_c32": c32_floor.p50_ms,
        "search_p50_ratio_c32": c32.p50_ms / c32_floor.p50_ms,
        "search_p99_ms_c32": c32.p99_ms,
        "search_floor_p99_ms_c32": c32_floor.p99_ms,
        "search_p99_ratio_c32": c32.p99_ms / c32_floor.p99_ms,
        "search_errors": float(c1.errors + c1.non_2xx + c32.errors + c32.non_2xx),
        "search_floor_errors": float(c1_floor.errors + c1_floor.non_2xx + c32_floor.errors + c32_floor.non_2xx),
    }


def _check(base: str, mix: list[load.Request], bearer: str | None = None) -> None:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
        for item in mix:
            body = item.body.encode() if item.body else None
            answer = http.request(item.method, item.path, content=body, headers={"Content-Type": "application/json"})
            if answer.status_code != 200:
                raise RuntimeError(
                    f"{item.method} {base}{item.path} answered {answer.status_code}: {answer.text[:300]}"
                )


def _scan_load(base: str, codes: list[str], seconds: int) -> dict[str, float]:
    """Scan pages against the floor route of the same app; the check before load also fills the page cache."""
    scans = [load.Request("GET", f"/t/{code}") for code in codes[:2000]]
    _check(base, [*scans, load.Request("GET", "/_bench/floor")])
    ours = load.run(base, scans, connections=32, seconds=seconds)
    # The scans of the last seconds are written by the next flush: let it happen before the floor is timed, or the
    # floor's p99 carries the scan page's own write (measured: a 219 ms floor p99 against 7 ms).
    time.sleep(scan_counter.FLUSH_EVERY_S + 1)
    floor_ = load.run(base, [load.Request("GET", "/_bench/floor")], connections=32, seconds=seconds)
    return {
        "scan_page_rps": ours.throughput,
        "scan_floor_rps": floor_.throughput,
        "scan_page_throughput_ratio": ours.throughput / floor_.throughput,
        "scan_page_p99_ms": ours.p99_ms,
        "scan_floor_p99_ms": floor_.p99_ms,
        "scan_page_p99_ratio": ours.p99_ms / floor_.p99_ms,
        "scan_errors": float(ours.errors + ours.non_2xx),
        "scan_floor_errors": float(floor_.errors + floor_.non_2xx),
    }


def _uncached(figures: dict[str, float]) -> dict[str, float]:
    """The same scan figures from an app with no page cache, under their own keys."""
    return {
        "scan_page_rps_uncached": figures["scan_page_rps"],
        "scan_page_throughput_ratio_uncached": figures["scan_page_throughput_ratio"],
        "scan_page_p99_ms_uncached": figures["scan_page_p99_ms"],
        "scan_page_p99_ratio_uncached": figures["scan_page_p99_ratio"],
        "scan_errors_uncached": figures["scan_errors"],
        "scan_floor_errors_uncached": figures["scan_floor_errors"],
    }


async def _tag_sheet(url: str, on: date, out: Path, count: int) -> dict[str, float]:
    """A tag sheet against WeasyPrint rendering the same sheet with a placeholder image (and the QR codes alone)."""
    from sqlmodel import col, select

    from catalog.tags import ShelfTag

    engine = db.create_engine(url)
    try:
        async with db.session_factory(engine)() as session:
            rows = (
                await session.execute(
                    select(ShelfTag, Product).join(Product, col(Product.id) == col(ShelfTag.product_id)).limit(count)
                )
            ).all()
            faces = [tag_sheets.face(tag, product, None, "http://127.0.0.1:8000", on) for tag, product in rows]
    finally:
        await engine.dispose()
    qr.qr_png.cache_clear()
    started = time.perf_counter()
    for face in faces:
        qr.qr_png(face.url, 1)
    qr_s = time.perf_counter() - started
    qr.qr_png.cache_clear()
    started = time.perf_counter()
    pdf = tag_sheets.render_pdf(faces, tag_sheets.SheetLayout())
    sheet_s = time.perf_counter() - started
    (out / f"tags-{len(faces)}.pdf").write_bytes(pdf)
    # The floor: WeasyPrint rendering the same sheet with one fixed placeholder image, so the ratio is our own
    # overhead (QR codes, faces, template) over the renderer's.
    placeholder = "data:image/png;base64," + base64.b64encode(qr.qr_png("https://example.vn/t/00000000", 1)).decode()
    started = time.perf_counter()
    tag_sheets.render_pdf(faces, tag_sheets.SheetLayout(), image=lambda _url: placeholder)
    floor_s = time.perf_counter() - started
    return {
        "tag_sheet_tags": float(len(faces)),
        "tag_sheet_seconds": sheet_s,
        "tag_sheet_tags_per_s": len(faces) / sheet_s,
        "tag_sheet_qr_only_seconds": qr_s,
        "tag_sheet_floor_seconds": floor_s,
        "tag_sheet_floor_tags_per_s": len(faces) / floor_s,
        "tag_sheet_ratio": floor_s / sheet_s,
    }


def _index_disk_bytes(meili: LocalMeili) -> float:
    stats = httpx.get(f"{meili.url}/stats", headers=meili.headers, timeout=10).json()
    return float(stats.get("databaseSize", 0))


def main() -> None:
    """Run every benchmark and write report.json and report.md into --out (var/bench)."""
    args = _args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("httpx", "httpx2", "weasyprint", "fontTools"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    size = args.size or (10_000 if args.quick else 100_000)
    seconds = args.seconds or (4 if args.quick else 10)
    on = date.today()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    if not load.wrk_available():
        sys.exit("bench: wrk is missing (make bench installs Debian's wrk)")
    results: dict[str, Any] = {"catalog_size": float(size), "workers": float(args.workers), "seconds": float(seconds)}
    started = time.perf_counter()
    meili_root = out / f"meili-{secrets.token_hex(3)}"
    meili = LocalMeili(
        binary=provision_binary(), port=free_loopback_port(), master_key=secrets.token_hex(16),
        root_dir=meili_root, data_dir=meili_root / "data", log_path=meili_root / "meili.log",
        # The one-batch floor posts the whole catalog in one request: hundreds of MB at 100k products.
        extra_args=("--http-payload-size-limit", "4Gb"),
    )  # fmt: skip
    (meili_root / "data").mkdir(parents=True)
    meili.start()
    try:
        results.update(_run_catalog(args, meili, "main", size, seconds, on, out))
        if args.scale:
            scale = _run_catalog(args, meili, "scale", args.scale_size, seconds, on, out)
            results.update(
                scale_size=float(args.scale_size),
                scale_reindex_s=scale["reindex_seconds"],
                scale_reindex_ratio=scale["reindex_ratio"],
                scale_index_bytes=scale["index_bytes"],
                scale_search_p99_ratio=scale["search_p99_ratio_c32"],
                scale_scan_page_throughput_ratio=scale["scan_page_throughput_ratio"],
                scale_errors=scale["search_errors"] + scale["scan_errors"],
                scale_floor_errors=scale["search_floor_errors"] + scale["scan_floor_errors"],
            )
    finally:
        meili.stop()
        shutil.rmtree(meili_root, ignore_errors=True)
    results["total_seconds"] = time.perf_counter() - started
    report.write(results, out)
    print(report.table(results))


def _run_catalog(
    args: argparse.Namespace, meili: LocalMeili, label: str, n: int, seconds: int, on: date, out: Path
) -> dict[str, Any]:
    """Generate, index, serve and load one catalog of `n` products; the scale run skips the tag sheets."""
    figures: dict[str, Any] = {}
    db_path = out / f"catalog-{n}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    url = args.database_url if args.database_url and label == "main" else f"sqlite+aiosqlite:///{db_path}"
    if label == "main":
        figures["database"] = url.split("+", 1)[0].split(":", 1)[0]
    log.info("bench: generating %d products", n)
    migrations.upgrade(url)
    catalog = asyncio.run(_build_catalog(url, n))
    live = f"products_{label}"
    log.info("bench: reindex %d products", n)
    floors = ("chunked",) if label == "scale" else ("batch", "chunked")
    figures.update(asyncio.run(_reindex(url, meili, live, on, floors=floors)))
    log.info("bench: reindex %.0f s (floor %.0f s)", figures["reindex_seconds"], figures["reindex_floor_seconds"])
    figures["index_bytes"] = _index_disk_bytes(meili)
    app, base = _start_app(url, meili, live, args.workers, out)
    try:
        log.info("bench: search load")
        figures.update(_search_load(base, meili, live, seconds))
        log.info("bench: scan page load")
        figures.update(_scan_load(base, catalog.tag_codes, seconds))
        figures["scan_page_p99_ratio_cached"] = figures["scan_page_p99_ratio"]
        figures["scan_page_throughput_ratio_cached"] = figures["scan_page_throughput_ratio"]
    finally:
        app.terminate()
        app.wait()
    if label != "scale":
        app, base = _start_app(url, meili, live, args.workers, out, cached=False)
        try:
            log.info("bench: scan page load, no page cache")
            figures.update(_uncached(_scan_load(base, catalog.tag_codes, seconds)))
        finally:
            app.terminate()
            app.wait()
    if label != "scale":
        log.info("bench: %d-tag sheet", args.sheet_tags)
        figures.update(asyncio.run(_tag_sheet(url, on, out, args.sheet_tags)))
        if args.sheet_tags > 200:
            # The 200-tag sheet a supermarket prints most often (issue 4), timed on its own.
            figures["tag_sheet_200_seconds"] = asyncio.run(_tag_sheet(url, on, out, 200))["tag_sheet_seconds"]
    return figures


if __name__ == "__main__":
    main()
