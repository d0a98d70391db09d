"""The app as served in production plus one floor route: a fixed small HTML page through the same stack."""

from litestar import Litestar, MediaType, get

from service.app import app_from_env

FLOOR_HTML = "<!doctype html><html lang=vi><title>floor</title><p>Kệ Xanh</p></html>"


@get("/_bench/floor", media_type=MediaType.HTML, include_in_schema=False, sync_to_thread=False)
def floor() -> str:
    """What the scan page would cost if it did no work at all."""
    return FLOOR_HTML


def app_with_floor() -> Litestar:
    """uvicorn factory: the real app from GREENSHELF_* settings, with the floor route registered."""
    app = app_from_env()
    app.register(floor)
    return app
