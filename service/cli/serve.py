"""`greenshelf serve`: uvicorn in factory mode, optionally with a local Meilisearch beside it."""

import logging
import os
import secrets
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import click
import uvicorn

from search import supervision
from search.local_server import LocalMeili, ProvisionError, free_loopback_port, port_is_free, provision_binary
from service.settings import Settings

log = logging.getLogger("greenshelf.serve")
LOCAL_MEILI_PORT = 7700


@dataclass(frozen=True)
class LocalSearch:
    """The Meilisearch this server uses: one it supervises, or one another server on the same var/ already runs."""

    url: str
    master_key: str
    supervisor: supervision.Supervisor | None


def start_local_meili(var_dir: Path) -> LocalSearch | None:
    """Start a supervised Meilisearch with its data under var/; None (and one clear log line) when none can be had."""
    root = (var_dir / "meili").resolve()
    key_file = var_dir / "meili.key"
    try:
        lock = supervision.claim_data_dir(root)
    except supervision.DataDirInUse as exc:
        if exc.url is None or not key_file.exists():
            log.warning("%s; search will answer from SQL (degraded)", exc)
            return None
        log.info("Meilisearch for %s is already run by another server (%s); using it", root, exc.url)
        return LocalSearch(url=exc.url, master_key=key_file.read_text().strip(), supervisor=None)
    try:
        binary = provision_binary()
    except ProvisionError as exc:
        lock.release()
        reason = str(exc).strip().splitlines()[-1]
        log.warning("Meilisearch unavailable (%s); search will answer from SQL (degraded)", reason)
        return None
    (root / "data").mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(16))
        key_file.chmod(0o600)
    server = LocalMeili(
        binary=binary,
        port=LOCAL_MEILI_PORT if port_is_free(LOCAL_MEILI_PORT) else free_loopback_port(),
        master_key=key_file.read_text().strip(),
        root_dir=root,
        data_dir=root / "data",
        log_path=root / "meilisearch.log",
    )
    supervisor = supervision.Supervisor(server, lock)
    try:
        supervisor.start()
    except RuntimeError as exc:
        supervisor.stop()
        log.warning("Meilisearch did not start (%s); search will answer from SQL (degraded)", str(exc).splitlines()[0])
        return None
    log.info("Meilisearch %s running at %s (data in %s), supervised", binary.name, server.url, server.data_dir)
    return LocalSearch(url=server.url, master_key=server.master_key, supervisor=supervisor)


def proxy_options(settings: Settings) -> dict[str, object]:
    """uvicorn believes X-Forwarded-For/-Proto only from the proxies named in GREENSHELF_TRUSTED_PROXIES."""
    if not settings.proxies:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": settings.proxies}


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64))
@click.option(
    "--local-meili/--no-local-meili",
    default=False,
    help="Provision and start Meilisearch under ./var/meili for this run (what `make run` does).",
)
@click.pass_obj
def serve(settings: Settings, host: str, port: int, workers: int, local_meili: bool) -> None:
    """Serve the web app and API."""
    try:
        settings.check_listening(host)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    local = start_local_meili(Path("var")) if local_meili else None
    if local is not None:
        # Workers are separate processes that read settings from the environment.
        os.environ["GREENSHELF_MEILI_URL"] = local.url
        os.environ["GREENSHELF_MEILI_MASTER_KEY"] = local.master_key
    # uvicorn re-raises SIGTERM after its graceful shutdown; exiting through Python lets `finally` stop Meilisearch.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    try:
        uvicorn.run(
            "service.app:app_from_env", factory=True, host=host, port=port, workers=workers, **proxy_options(settings)
        )
    finally:
        if local is not None and local.supervisor is not None:
            local.supervisor.stop()
